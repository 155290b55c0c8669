package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The published assignment rules, compiled: which territory an account is in and who owns it. An owner stays while
 * they are in the pool of the account's territory, so balancing moves and hand-picked owners of a territory last; an
 * account without a fitting owner goes to the pool member with the fewest accounts in that territory (round robin, in
 * the pool's order on a tie). An owner set by hand or on the account record (by the API, an import, a CRM) is kept
 * until it is handed back to the rules.
 */
final class OwnerRules {

    /** A territory with its compiled rule ({@code null} for the last) and the ids of the people who may own its accounts. */
    record Territory(AssignmentDocument.Territory territory, Conditions.Compiled rule, List<UUID> pool) {

        String key() {
            return territory.key();
        }
    }

    /**
     * What to record for an account: its owner ({@code null} for none), territory, cause and whether the rules are to
     * leave it in place.
     */
    record Decision(UUID owner, String territory, String cause, boolean pinned) {

        static Decision byRule(UUID owner, String territory, String cause) {
            return new Decision(owner, territory, cause, false);
        }
    }

    private final AssignmentDocument document;
    private final List<Territory> territories;

    private OwnerRules(AssignmentDocument document, List<Territory> territories) {
        this.document = document;
        this.territories = List.copyOf(territories);
    }

    /** No assignment rules are in force: owners are kept as the account records have them, with their history. */
    static OwnerRules none() {
        return new OwnerRules(null, List.of());
    }

    /** The rules of a valid document; pools hold the enabled CSMs and managers it names. */
    static OwnerRules of(AssignmentDocument document, Conditions conditions, Map<String, User> people) {
        List<Territory> territories = new ArrayList<>();
        for (AssignmentDocument.Territory territory : document.territories()) {
            List<UUID> pool = new ArrayList<>();
            for (String email : document.pool(territory)) {
                User user = people.get(AssignmentDocuments.normal(email));
                if (user != null && user.enabled() && (user.role() == Role.CSM || user.role() == Role.MANAGER)) {
                    pool.add(user.id());
                }
            }
            territories.add(new Territory(
                    territory, territory.rule() == null ? null : conditions.compile(territory.rule()), pool));
        }
        return new OwnerRules(document, territories);
    }

    boolean isEmpty() {
        return territories.isEmpty();
    }

    AssignmentDocument document() {
        return document;
    }

    List<Territory> territories() {
        return territories;
    }

    Territory territory(String key) {
        return territories.stream().filter(t -> t.key().equals(key)).findFirst().orElse(null);
    }

    /** The first territory whose rule holds for the account, or the last; {@code null} without rules. */
    Territory territoryOf(Map<String, Object> variables) {
        for (Territory territory : territories) {
            if (territory.rule() == null || territory.rule().evaluate(variables).holds()) {
                return territory;
            }
        }
        return null;
    }

    /**
     * Decides an account's owner; {@code null} when nothing is to be recorded. {@code recorded} is the owner on the
     * account record, {@code current} the owner fact; {@code counts} (territory, owner, accounts) is updated with the
     * decision so that the next account of a batch sees it; {@code excluded} are people who are to own nothing more
     * (a CSM who leaves).
     */
    Decision decide(
            UUID recorded,
            AccountOwnerships.Ownership current,
            Map<String, Object> variables,
            Map<String, Map<UUID, Integer>> counts,
            Set<UUID> excluded) {
        if (current != null && !Objects.equals(recorded, current.owner()) && recorded != null) {
            // Changed on the record since the last decision: a person or a system meant it, against the rules if any.
            return new Decision(recorded, null, "record", !isEmpty());
        }
        if (current == null && recorded != null && isEmpty()) {
            return new Decision(recorded, null, "record", false);
        }
        if (current != null && recorded == null && isEmpty()) {
            return new Decision(null, null, "record", false);
        }
        if (isEmpty()) {
            return null;
        }
        UUID owner = current != null && Objects.equals(recorded, current.owner()) ? current.owner() : recorded;
        if (current != null && current.pinned() && owner != null && !excluded.contains(owner)) {
            return null;
        }
        Territory territory = territoryOf(variables);
        List<UUID> pool =
                territory.pool().stream().filter(p -> !excluded.contains(p)).toList();
        if (pool.isEmpty()) {
            // Everyone in the pool was disabled or is leaving: the account keeps whom it has until the rules name
            // someone.
            return null;
        }
        Map<UUID, Integer> inTerritory = counts.computeIfAbsent(territory.key(), k -> new HashMap<>());
        if (owner != null && pool.contains(owner)) {
            if (current != null && !current.pinned() && territory.key().equals(current.territory())) {
                return null;
            }
            move(counts, current, inTerritory, owner);
            return Decision.byRule(
                    owner, territory.key(), current != null && "balance".equals(current.cause()) ? "balance" : "rule");
        }
        UUID chosen = pool.get(0);
        for (UUID candidate : pool) {
            if (inTerritory.getOrDefault(candidate, 0) < inTerritory.getOrDefault(chosen, 0)) {
                chosen = candidate;
            }
        }
        move(counts, current, inTerritory, chosen);
        return Decision.byRule(chosen, territory.key(), "rule");
    }

    private static void move(
            Map<String, Map<UUID, Integer>> counts,
            AccountOwnerships.Ownership current,
            Map<UUID, Integer> inTerritory,
            UUID to) {
        if (current != null && current.territory() != null) {
            counts.getOrDefault(current.territory(), new HashMap<>()).merge(current.owner(), -1, Integer::sum);
        }
        inTerritory.merge(to, 1, Integer::sum);
    }
}
