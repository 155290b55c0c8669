package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.Churn;
import dev.steward.customer.LifecycleStage;
import dev.steward.lifecycle.LifecycleBenchmark.BenchSegments;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * Conditions are decided without CEL's runtime where they can be (see {@code DirectConditions}): every outcome must be
 * the one CEL gives — the benchmark's 20 segments, the shipped journey's entry rules and the demo's territory rules,
 * on accounts with every value present or absent (no health, no renewal date, no ARR, no owner, churned or not).
 */
class ConditionPathsTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 3, 18);

    private static final List<String> EXTRA = List.of(
            "account.employees < 100.5 || account.arr == 20000.0",
            "!(account.tier in [\"SMB\", \"Mid-Market\"]) && -account.employees < -50",
            "account.customFields[\"plan\"] == \"gold\" || has(account.customFields.seats)",
            "account.customFields[\"seats\"] >= 10 && account.tier != \"SMB\"",
            "health.score > 50 == (health.color == \"green\")",
            "account.arr >= 150000 || account.daysToRenewal in [0, 30, 90]",
            "size(segments) > 2 || account.name.startsWith(\"A\")");

    @Test
    void everyConditionHoldsExactlyWhereCelSaysItDoes() throws IOException {
        Conditions segments = SegmentVariables.declare(List.of("logins"));
        Conditions stages = SegmentVariables.declareForStages(List.of("logins"));
        List<Conditions.Compiled> forSegments = new ArrayList<>();
        BenchSegments.ALL.forEach(s -> forSegments.add(segments.compile(s.condition())));
        for (String rule : List.of(
                "account.tier == \"Enterprise\"",
                "account.tier == \"Mid-Market\" && account.region == \"EMEA\"",
                "account.tier == \"Mid-Market\"")) {
            forSegments.add(segments.compile(rule));
        }
        forSegments.forEach(c -> assertThat(c.isDirect()).isTrue());
        EXTRA.forEach(text -> forSegments.add(segments.compile(text)));
        assertThat(forSegments).allSatisfy(c -> assertThat(c.problems()).isEmpty());
        // Calls such as size() and startsWith() are left to CEL.
        assertThat(forSegments.get(forSegments.size() - 1).isDirect()).isFalse();

        String yaml = new ClassPathResource(LifecycleManagement.SHIPPED).getContentAsString(StandardCharsets.UTF_8);
        JourneyDocument journey = new JourneyDocuments(stages).read(yaml).document();
        List<Conditions.Compiled> forStages = new ArrayList<>();
        journey.stages().forEach(stage -> forStages.add(stages.compile(stage.entry())));
        forStages.forEach(c -> assertThat(c.isDirect()).isTrue());

        Random random = new Random(13);
        List<String> names =
                BenchSegments.ALL.stream().map(BenchSegments.Segment::name).toList();
        int decided = 0;
        int undecided = 0;
        for (int i = 0; i < 5_000; i++) {
            AccountFacts facts = facts(random);
            List<String> in = new ArrayList<>();
            names.forEach(name -> {
                if (random.nextInt(4) == 0) {
                    in.add(name);
                }
            });
            Map<String, Object> values = SegmentVariables.of(facts, TODAY, in);
            for (Conditions.Compiled condition : forSegments) {
                Conditions.Outcome outcome = condition.evaluate(values);
                assertThat(outcome).as("%s on %s", condition, values).isEqualTo(condition.evaluateWithCel(values));
                if (outcome.error() == null) {
                    decided++;
                } else {
                    undecided++;
                }
            }
            Map<String, Object> withStage = SegmentVariables.withStage(
                    SegmentVariables.of(facts, TODAY, in),
                    pick(random, null, "onboarding", "adoption", "renewal"),
                    random.nextBoolean() ? null : (long) random.nextInt(200),
                    random.nextBoolean(),
                    random.nextInt(5),
                    random.nextInt(3));
            for (Conditions.Compiled condition : forStages) {
                assertThat(condition.evaluate(withStage))
                        .as("%s on %s", condition, withStage)
                        .isEqualTo(condition.evaluateWithCel(withStage));
            }
        }
        // Both kinds were met: conditions decided, and conditions CEL cannot decide (an absent value read).
        assertThat(decided).isGreaterThan(50_000);
        assertThat(undecided).isGreaterThan(1_000);
    }

    private static AccountFacts facts(Random random) {
        Map<String, Object> custom = new HashMap<>();
        if (random.nextBoolean()) {
            custom.put("plan", pick(random, "gold", "silver"));
        }
        if (random.nextBoolean()) {
            custom.put("seats", random.nextBoolean() ? (Object) random.nextInt(20) : (Object) 12.5);
        }
        Account account = new Account(
                new AccountId(UUID.randomUUID()),
                pick(random, "Acme", "Globex"),
                null,
                pick(random, null, "Enterprise", "Mid-Market", "SMB"),
                pick(random, null, "Financial Services", "Healthcare", "Energy", "Retail"),
                pick(random, null, "EMEA", "APAC", "LATAM", "North America"),
                pick(random, null, 50, 99, 100, 20_000, 25_000),
                null,
                null,
                pick(random, null, LifecycleStage.ONBOARDING, LifecycleStage.ADOPTION, LifecycleStage.GROWTH),
                custom,
                Map.of(),
                pick(
                        random,
                        null,
                        BigDecimal.ZERO,
                        new BigDecimal("19999.99"),
                        BigDecimal.valueOf(20_000),
                        BigDecimal.valueOf(50_000),
                        BigDecimal.valueOf(150_000)),
                pick(
                        random,
                        null,
                        TODAY.minusDays(10),
                        TODAY,
                        TODAY.plusDays(90),
                        TODAY.plusDays(91),
                        TODAY.plusDays(120),
                        TODAY.plusDays(300)),
                random.nextInt(4) == 0
                        ? null
                        : new Account.Health(
                                pick(random, 30.0, 49.9, 50.0, 75.0, 90.0),
                                pick(random, "red", "yellow", "green", "black"),
                                pick(random, null, -12.0, -10.0, -5.0, 0.0, 5.0, 8.0)),
                random.nextInt(5) == 0 ? new Churn(TODAY.minusDays(3), "budget") : null,
                null,
                1,
                Instant.EPOCH,
                Instant.EPOCH);
        Map<String, Double> attributes = random.nextBoolean() ? Map.of("logins", 12.0) : Map.of();
        return new AccountFacts(
                account,
                pick(random, null, "csm1@steward.local", "csm2@steward.local", "csm9@steward.local"),
                attributes,
                pick(random, null, 0.5, 0.75, 0.9),
                pick(random, null, TODAY.minusDays(30), TODAY.minusDays(89), TODAY.minusDays(400)),
                pick(random, null, TODAY, TODAY.minusDays(14), TODAY.minusDays(20)));
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
