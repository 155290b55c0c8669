package dev.steward.lifecycle;

import dev.steward.customer.Account;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a segment condition reads of one account: the account as stored (attributes, ARR, renewal, current health),
 * its owner's email, its attributes' latest values, the coverage of its latest score, the day its first contract
 * started ({@code null} without a contract) and the first day of the stretch of its current health color ({@code null}
 * without a score).
 */
record AccountFacts(
        Account account,
        String ownerEmail,
        Map<String, Double> attributes,
        Double coverage,
        LocalDate firstContractStart,
        LocalDate healthColorSince) {

    AccountFacts {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    AccountFacts(
            Account account,
            String ownerEmail,
            Map<String, Double> attributes,
            Double coverage,
            LocalDate firstContractStart) {
        this(account, ownerEmail, attributes, coverage, firstContractStart, null);
    }
}
