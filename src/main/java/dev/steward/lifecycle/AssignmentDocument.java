package dev.steward.lifecycle;

import java.math.BigDecimal;
import java.util.List;

/**
 * The assignment rules as published: teams (a manager and their CSMs), territories in order (the first whose rule
 * holds owns the account; the last has no rule and takes the rest) each with the pool of people who own its accounts,
 * and the weights of the workload figure. People are named by their email.
 */
record AssignmentDocument(
        String name, String description, List<Team> teams, List<Territory> territories, Workload workload) {

    AssignmentDocument {
        teams = List.copyOf(teams);
        territories = List.copyOf(territories);
    }

    /** A manager and the CSMs who report to them. */
    record Team(String key, String name, String manager, List<String> members) {

        Team {
            members = List.copyOf(members);
        }
    }

    /**
     * A territory: the accounts its rule ({@code null} for the last, which takes the rest) selects, owned by the
     * members of its team or by the people it names.
     */
    record Territory(String key, String name, String description, String rule, String team, List<String> owners) {

        Territory {
            owners = List.copyOf(owners);
        }
    }

    /**
     * How much one account weighs in its owner's load: a base for every account, more for Red and Yellow health and a
     * renewal within {@code renewalDays}, and so much per 100,000 of ARR.
     */
    record Workload(
            BigDecimal account,
            BigDecimal red,
            BigDecimal yellow,
            BigDecimal renewal,
            int renewalDays,
            BigDecimal per100kArr) {

        static final Workload DEFAULT = new Workload(
                BigDecimal.ONE, BigDecimal.valueOf(3), BigDecimal.ONE, BigDecimal.valueOf(2), 90, BigDecimal.ONE);
    }

    Team team(String key) {
        return teams.stream().filter(t -> t.key().equals(key)).findFirst().orElse(null);
    }

    /** The emails of the people who own a territory's accounts: its team's members or the people it names. */
    List<String> pool(Territory territory) {
        if (territory.team() != null) {
            Team team = team(territory.team());
            return team == null ? List.of() : team.members();
        }
        return territory.owners();
    }
}
