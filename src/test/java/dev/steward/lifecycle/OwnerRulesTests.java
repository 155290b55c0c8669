package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.Conditions;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * How owners are decided, without a database: the document's checks, territories in order, round robin by the fewest
 * accounts in the territory, owners kept while they fit, pins by hand and on the record, people who leave.
 */
class OwnerRulesTests {

    private static final User ADA = user("ada@example.com", Role.CSM, true);
    private static final User BEN = user("ben@example.com", Role.CSM, true);
    private static final User CY = user("cy@example.com", Role.CSM, true);
    private static final User OLD = user("old@example.com", Role.CSM, false);
    private static final User VIEW = user("view@example.com", Role.VIEWER, true);
    private static final User MIA = user("mia@example.com", Role.MANAGER, true);

    private final Conditions conditions = SegmentVariables.declare(List.of());
    private final Map<String, User> people = new HashMap<>();

    {
        for (User u : List.of(ADA, BEN, CY, OLD, VIEW, MIA)) {
            people.put(u.email(), u);
        }
    }

    private static final String RULES = """
            name: Books
            teams:
              - key: enterprise
                name: Enterprise
                manager: mia@example.com
                members: [ada@example.com, ben@example.com]
            territories:
              - key: enterprise
                name: Enterprise
                rule: account.tier == "Enterprise"
                team: enterprise
              - key: rest
                name: Rest
                owners: [cy@example.com]
            """;

    @Test
    void theDocumentNamesEveryProblemAndOnlyAValidOneIsRead() {
        AssignmentDocuments documents = new AssignmentDocuments(conditions, people);
        assertThat(documents.read(RULES).isValid()).isTrue();
        assertThat(documents.read(RULES).document().workload()).isEqualTo(AssignmentDocument.Workload.DEFAULT);

        AssignmentDocuments.Check check = documents.read("""
                name: Books
                teams:
                  - key: enterprise
                    name: Enterprise
                    manager: view@example.com
                    members: [old@example.com]
                territories:
                  - key: enterprise
                    name: Enterprise
                    team: enterprise
                    owners: [ada@example.com]
                  - key: rest
                    name: Rest
                    owners: []
                workload:
                  red: -1
                  renewalDays: 400
                """);
        assertThat(check.isValid()).isFalse();
        assertThat(check.problems())
                .extracting(SegmentProblem::field)
                .containsExactly(
                        "teams[0].manager",
                        "teams[0].members[0]",
                        "territories[0].rule",
                        "territories[0]",
                        "territories[1].owners",
                        "workload.red",
                        "workload.renewalDays");
        assertThat(check.problems().get(0).reason()).contains("VIEWER");
        assertThat(check.problems().get(1).reason()).contains("disabled");
        assertThat(check.problems().get(4).reason()).contains("without an owner");
        assertThat(documents.read("name: Books\nterritories: []\n").problems())
                .extracting(SegmentProblem::reason)
                .anySatisfy(r -> assertThat(r).contains("without an owner"));
    }

    @Test
    void newAccountsGoRoundRobinToWhoeverHasFewestInTheirTerritory() {
        OwnerRules rules = rules();
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        counts.put("enterprise", new HashMap<>(Map.of(ADA.id(), 2)));
        List<UUID> owners = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            owners.add(rules.decide(null, null, enterprise(), counts, Set.of()).owner());
        }
        // Ben had none: he takes two to even up, then they alternate in the pool's order.
        assertThat(owners).containsExactly(BEN.id(), BEN.id(), ADA.id(), BEN.id());
        assertThat(rules.decide(null, null, Map.of("account", Map.of("tier", "SMB")), counts, Set.of()))
                .isEqualTo(OwnerRules.Decision.byRule(CY.id(), "rest", "rule"));
    }

    @Test
    void anOwnerWhoFitsStaysAndPinsHoldUntilTheirOwnerLeaves() {
        OwnerRules rules = rules();
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        // First sight of an account whose record names Ada: she is in the pool, so she keeps it, by the rules.
        assertThat(rules.decide(ADA.id(), null, enterprise(), counts, Set.of()))
                .isEqualTo(OwnerRules.Decision.byRule(ADA.id(), "enterprise", "rule"));
        AccountOwnerships.Ownership ruled = ownership(ADA, "enterprise", "rule", false);
        assertThat(rules.decide(ADA.id(), ruled, enterprise(), counts, Set.of()))
                .isNull();
        // Cy on the record does not fit Enterprise — but a change on the record is someone's decision: pinned.
        assertThat(rules.decide(CY.id(), ruled, enterprise(), counts, Set.of()))
                .isEqualTo(new OwnerRules.Decision(CY.id(), null, "record", true));
        AccountOwnerships.Ownership pinned = ownership(CY, null, "manual", true);
        assertThat(rules.decide(CY.id(), pinned, enterprise(), counts, Set.of()))
                .isNull();
        // Cy leaves: the pin goes, and the rules give the account to the enterprise pool.
        assertThat(rules.decide(CY.id(), pinned, enterprise(), counts, Set.of(CY.id()))
                        .territory())
                .isEqualTo("enterprise");
        // Ada leaves: Ben is the only one left in the pool.
        assertThat(rules.decide(ADA.id(), ruled, enterprise(), counts, Set.of(ADA.id()))
                        .owner())
                .isEqualTo(BEN.id());
        // Nobody is left in the pool: the account keeps whom it has.
        assertThat(rules.decide(ADA.id(), ruled, enterprise(), counts, Set.of(ADA.id(), BEN.id())))
                .isNull();
    }

    @Test
    void withoutRulesOwnersAreKeptAsTheRecordsHaveThemAndNeverPinned() {
        OwnerRules none = OwnerRules.none();
        Map<String, Map<UUID, Integer>> counts = new HashMap<>();
        assertThat(none.decide(ADA.id(), null, Map.of(), counts, Set.of()))
                .isEqualTo(new OwnerRules.Decision(ADA.id(), null, "record", false));
        AccountOwnerships.Ownership recorded = ownership(ADA, null, "record", false);
        assertThat(none.decide(ADA.id(), recorded, Map.of(), counts, Set.of())).isNull();
        assertThat(none.decide(BEN.id(), recorded, Map.of(), counts, Set.of()))
                .isEqualTo(new OwnerRules.Decision(BEN.id(), null, "record", false));
        assertThat(none.decide(null, recorded, Map.of(), counts, Set.of()))
                .isEqualTo(new OwnerRules.Decision(null, null, "record", false));
    }

    private OwnerRules rules() {
        AssignmentDocuments.Check check = new AssignmentDocuments(conditions, people).read(RULES);
        return OwnerRules.of(check.document(), conditions, people);
    }

    private static Map<String, Object> enterprise() {
        return Map.of("account", Map.of("tier", "Enterprise"));
    }

    private static AccountOwnerships.Ownership ownership(User owner, String territory, String cause, boolean pinned) {
        return new AccountOwnerships.Ownership(
                UUID.randomUUID(),
                owner.id(),
                territory,
                Instant.parse("2026-03-01T00:00:00Z"),
                null,
                cause,
                pinned ? "Mia" : null,
                pinned ? "Because" : null,
                pinned);
    }

    private static User user(String email, Role role, boolean enabled) {
        return new User(UUID.nameUUIDFromBytes(email.getBytes()), email, email, role, enabled);
    }
}
