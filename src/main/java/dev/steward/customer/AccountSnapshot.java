package dev.steward.customer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;

/**
 * An account as scoring reads it, many at a time: its segment attributes and today's ARR, its contacts' roles and
 * tenures, its contracts' terms, and its attributes' values by day, so that anything dated can be read as of a past day.
 */
public record AccountSnapshot(
        UUID id,
        String name,
        UUID parentId,
        String tier,
        String industry,
        String region,
        Integer employees,
        String lifecycleStage,
        BigDecimal arr,
        Map<String, Object> customFields,
        String healthColor,
        List<ContactTenure> contacts,
        List<ContractTerm> contracts,
        Map<String, NavigableMap<LocalDate, Double>> attributes) {

    public AccountSnapshot {
        customFields = customFields == null ? Map.of() : Map.copyOf(customFields);
        contacts = List.copyOf(contacts);
        contracts = List.copyOf(contracts);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The attribute's latest value on a day from {@code from} to {@code day}, or {@code null} when it had none. */
    public Double attribute(String name, LocalDate from, LocalDate day) {
        NavigableMap<LocalDate, Double> values = attributes.get(name);
        Map.Entry<LocalDate, Double> latest = values == null ? null : values.floorEntry(day);
        return latest == null || latest.getKey().isBefore(from) ? null : latest.getValue();
    }

    /**
     * Whether the account had churned by the day, from facts dated on or before it: no contract was in force that day,
     * and a contract had ended or a churn event said the customer left. {@code null} while it was a customer, and
     * for an account that never had a contract nor a churn event (a prospect, or one whose contracts are not
     * imported). The lifecycle stage is a label without a date, so it does not decide.
     */
    public Churn churnOn(LocalDate day, Collection<LocalDate> churnEvents) {
        LocalDate lastEnd = null;
        for (ContractTerm contract : contracts) {
            if (contract.inForceOn(day)) {
                return null;
            }
            if (contract.end() != null
                    && !contract.end().isAfter(day)
                    && (lastEnd == null || contract.end().isAfter(lastEnd))) {
                lastEnd = contract.end();
            }
        }
        LocalDate lastEvent = null;
        for (LocalDate event : churnEvents) {
            if (!event.isAfter(day) && (lastEvent == null || event.isAfter(lastEvent))) {
                lastEvent = event;
            }
        }
        if (lastEvent != null && (lastEnd == null || !lastEvent.isBefore(lastEnd))) {
            return new Churn(lastEvent, "churn event on " + lastEvent + "; no contract in force since");
        }
        if (lastEnd != null) {
            return new Churn(lastEnd, "last contract ended on " + lastEnd + "; no contract in force since");
        }
        return null;
    }

    /** A contact's role and when they joined and left ({@code null} while still there). */
    public record ContactTenure(String role, LocalDate joinedAt, LocalDate leftAt) {

        public boolean presentOn(LocalDate day) {
            return !joinedAt.isAfter(day) && (leftAt == null || leftAt.isAfter(day));
        }
    }

    /** A contract's term (start inclusive, end exclusive), ARR, seats and status. */
    public record ContractTerm(LocalDate start, LocalDate end, BigDecimal arr, Integer seats, String status) {

        /**
         * Whether the contract was in force on the day: ended or cancelled contracts count only up to their end; one
         * without an end runs until it is ended.
         */
        public boolean inForceOn(LocalDate day) {
            return !start.isAfter(day) && (end == null || day.isBefore(end));
        }
    }
}
