package dev.steward.lifecycle;

import dev.steward.customer.Account;
import java.util.Map;

/**
 * What a segment condition reads of one account: the account as stored (attributes, ARR, renewal, current health),
 * its owner's email, its attributes' latest values and the coverage of its latest score.
 */
record AccountFacts(Account account, String ownerEmail, Map<String, Double> attributes, Double coverage) {

    AccountFacts {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
