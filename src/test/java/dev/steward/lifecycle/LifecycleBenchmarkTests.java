package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.LifecycleStage;
import dev.steward.lifecycle.LifecycleBenchmark.BenchSegments;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The 20 segments {@code bench lifecycle} publishes, and the SQL it compares their members with. */
class LifecycleBenchmarkTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 18);

    private final Conditions conditions = SegmentVariables.declare(List.of());
    private final Set<String> names =
            BenchSegments.ALL.stream().map(BenchSegments.Segment::name).collect(Collectors.toSet());

    @Test
    void everySegmentIsADocumentThatPublishingAccepts() {
        SegmentDocuments documents = new SegmentDocuments(conditions, names);
        assertThat(names).hasSize(20);
        for (BenchSegments.Segment segment : BenchSegments.ALL) {
            SegmentCheck check = documents.read(segment.yaml(), segment.name());
            assertThat(check.problems()).as(segment.name()).isEmpty();
            assertThat(check.document().isRule()).as(segment.name()).isTrue();
        }
        assertThat(BenchSegments.ALL.stream()
                        .filter(s -> !SegmentDocuments.references(s.condition()).isEmpty())
                        .map(BenchSegments.Segment::name))
                .containsExactlyInAnyOrder(
                        "At-risk Enterprise",
                        "Renewal at risk",
                        "Declining Mid-Market",
                        "Executive attention",
                        "Enterprise team at risk");
    }

    @Test
    void aLargeEnterpriseAccountInTroubleRenewingNextMonthIsInTenSegments() {
        SegmentRules rules = SegmentRules.of(BenchSegments.ALL.stream()
                .map(s -> new SegmentRules.Rule(
                        UUID.randomUUID(),
                        new SegmentDocument(s.name(), s.description(), SegmentDocument.Kind.RULE, s.condition()),
                        conditions.compile(s.condition())))
                .toList());
        Account account = new Account(
                new AccountId(UUID.randomUUID()),
                "Acme",
                null,
                "Enterprise",
                "Financial Services",
                "EMEA",
                25_000,
                UUID.randomUUID(),
                null,
                LifecycleStage.RENEWAL,
                Map.of(),
                Map.of(),
                BigDecimal.valueOf(200_000),
                TODAY.plusDays(30),
                new Account.Health(30, "red", -12.0),
                null,
                null,
                1,
                Instant.EPOCH,
                Instant.EPOCH);
        AccountFacts facts = new AccountFacts(account, "csm1@steward.local", Map.of(), 0.9, null);
        assertThat(SegmentEvaluation.decide(rules, facts, TODAY, List.of()).stream()
                        .map(SegmentRules.Rule::name))
                .containsExactlyInAnyOrder(
                        "Enterprise",
                        "At risk",
                        "At-risk Enterprise",
                        "Renewing this quarter",
                        "Renewal at risk",
                        "Strategic logos",
                        "EMEA financial services",
                        "Book of csm1",
                        "Executive attention",
                        "Enterprise team at risk");
    }

    @Test
    void aQueryWritesInTheConditionsOfTheSegmentsItReadsAndJoinsOnlyWhatItReads() {
        BenchSegments.Segment executive = segment("Executive attention");
        assertThat(BenchSegments.query(executive, TODAY))
                .isEqualTo("select a.id from account a where (coalesce((coalesce((a.tier = 'Enterprise'), false) and"
                        + " coalesce((a.health_color = 'red' or (a.health_color = 'yellow' and a.health_trend < -5)),"
                        + " false)), false) or coalesce((coalesce((a.renewal_date - date '2026-03-18' between 0 and 90"
                        + " and a.churn_reason is null), false) and a.health_score < 50), false)) and a.current_arr >="
                        + " 50000");
        assertThat(BenchSegments.query(segment("Enterprise team at risk"), TODAY))
                .contains(" left join app_user u on u.id = a.owner_id")
                .doesNotContain("health_score s");
        assertThat(BenchSegments.query(segment("Thin data"), TODAY))
                .contains("s.day <= date '2026-03-18' order by s.day desc limit 1) c on true")
                .doesNotContain("app_user");
    }

    private static BenchSegments.Segment segment(String name) {
        return BenchSegments.ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
