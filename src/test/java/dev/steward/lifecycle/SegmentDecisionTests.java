package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which rule segments an account belongs in, from its facts on a day. */
class SegmentDecisionTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 18);

    private final Conditions conditions = SegmentVariables.declare(List.of("tenure_months"));

    @Test
    void aSegmentThatReadsAnotherIsDecidedAfterItWhateverOrderTheyAreListedIn() {
        SegmentRules rules = SegmentRules.of(List.of(
                rule("Enterprise renewing", "\"Enterprise\" in segments && account.daysToRenewal <= 90"),
                rule("Enterprise", "account.tier == \"Enterprise\"")));
        assertThat(names(rules, account("Enterprise", TODAY.plusDays(60), null, Map.of()), List.of()))
                .containsExactly("Enterprise", "Enterprise renewing");
        assertThat(names(rules, account("Enterprise", TODAY.plusDays(200), null, Map.of()), List.of()))
                .containsExactly("Enterprise");
        assertThat(names(rules, account("SMB", TODAY.plusDays(60), null, Map.of()), List.of()))
                .isEmpty();
    }

    @Test
    void healthAttributesAndStaticSegmentsAreRead() {
        SegmentRules rules = SegmentRules.of(List.of(
                rule("Red veterans", "health.color == \"red\" && attribute.tenure_months >= 24.0"),
                rule("Logos at risk", "\"Logos\" in segments && health.score < 50.0")));
        Account.Health red = new Account.Health(31.5, "red", -12.0);
        assertThat(names(rules, account("SMB", null, red, Map.of("tenure_months", 30.0)), List.of("Logos")))
                .containsExactly("Red veterans", "Logos at risk");
        assertThat(names(rules, account("SMB", null, red, Map.of("tenure_months", 3.0)), List.of()))
                .isEmpty();
    }

    @Test
    void aValueTheAccountDoesNotHaveKeepsItOut() {
        SegmentRules rules = SegmentRules.of(List.of(
                rule("Renewing", "account.daysToRenewal < 120"),
                rule("Unscored or renewing", "!has(health.score) || account.daysToRenewal < 120")));
        assertThat(names(rules, account("SMB", null, null, Map.of()), List.of()))
                .containsExactly("Unscored or renewing");
    }

    private List<String> names(SegmentRules rules, AccountFacts facts, List<String> staticSegments) {
        List<String> names = new ArrayList<>();
        SegmentEvaluation.decide(rules, facts, TODAY, staticSegments).forEach(rule -> names.add(rule.name()));
        return names;
    }

    private SegmentRules.Rule rule(String name, String condition) {
        Conditions.Compiled compiled = conditions.compile(condition);
        assertThat(compiled.problems()).as(condition).isEmpty();
        return new SegmentRules.Rule(
                UUID.randomUUID(), new SegmentDocument(name, "", SegmentDocument.Kind.RULE, condition), compiled);
    }

    private static AccountFacts account(
            String tier, LocalDate renewal, Account.Health health, Map<String, Double> attributes) {
        Account account = new Account(
                new AccountId(UUID.randomUUID()),
                "Acme",
                null,
                tier,
                "Software",
                "EMEA",
                120,
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                BigDecimal.valueOf(50_000),
                renewal,
                health,
                null,
                null,
                1,
                Instant.EPOCH,
                Instant.EPOCH);
        return new AccountFacts(account, null, attributes, health == null ? null : 0.8, null);
    }
}
