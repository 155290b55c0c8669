package dev.steward.lifecycle;

import dev.steward.customer.Account;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a segment condition reads of one account: the account as stored (attributes, ARR, renewal, current health),
 * its owner's email, its attributes' latest values, the coverage of its latest score and the day its first contract
 * started ({@code null} without a contract).
 */
record AccountFacts(
        Account account,
        String ownerEmail,
        Map<String, Double> attributes,
        Double coverage,
        LocalDate firstContractStart) {

    AccountFacts {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
