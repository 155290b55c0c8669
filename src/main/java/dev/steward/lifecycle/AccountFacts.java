package dev.steward.lifecycle;

import dev.steward.customer.Account;
import java.time.LocalDate;
import java.util.Map;

/**
 * What a segment condition reads of one account: the account as stored (attributes, ARR, renewal, current health),
 * its owner's email, its attributes' latest values, the coverage of its latest score, the day its first contract
 * started ({@code null} without a contract), the first day of the stretch of its current health color ({@code null}
 * without a score or when no rule reads it), and its latest score's dimension scores and measures' raw values by name
 * (empty when no rule reads them).
 */
record AccountFacts(
        Account account,
        String ownerEmail,
        Map<String, Double> attributes,
        Double coverage,
        LocalDate firstContractStart,
        LocalDate healthColorSince,
        Map<String, Double> dimensions,
        Map<String, Double> measures) {

    AccountFacts {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
        measures = measures == null ? Map.of() : Map.copyOf(measures);
    }

    AccountFacts(
            Account account,
            String ownerEmail,
            Map<String, Double> attributes,
            Double coverage,
            LocalDate firstContractStart,
            LocalDate healthColorSince) {
        this(account, ownerEmail, attributes, coverage, firstContractStart, healthColorSince, Map.of(), Map.of());
    }

    AccountFacts(
            Account account,
            String ownerEmail,
            Map<String, Double> attributes,
            Double coverage,
            LocalDate firstContractStart) {
        this(account, ownerEmail, attributes, coverage, firstContractStart, null, Map.of(), Map.of());
    }
}
