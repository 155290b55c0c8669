package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ranking rule's edges: part days, ties, silence never broken, a drop that is also a turn to Red. */
class CockpitPrioritiesTests {

    private static final Instant NOW = Instant.parse("2026-03-18T10:15:30Z");

    private final Map<UUID, CockpitPriorities.Account> accounts = new LinkedHashMap<>();

    @Test
    void aPartDayOverdueCountsWholeAndTiesGoToTheLargerArrThenTheName() {
        UUID small = account("Zeta", 10_000, "green");
        UUID large = account("Alpha", 10_000, "green");
        UUID larger = account("Beta", 20_000, "green");
        List<Cockpit.Priority> ranked = CockpitPriorities.rank(book(
                List.of(
                        cta(small, "One hour late", NOW.minus(Duration.ofHours(1))),
                        cta(large, "One hour late too", NOW.minus(Duration.ofHours(1))),
                        // Half a day late at twice the ARR weighs as one day at twice the ARR.
                        cta(larger, "Half a day late", NOW.minus(Duration.ofHours(12)))),
                Map.of(),
                Map.of()));
        assertThat(ranked)
                .extracting(Cockpit.Priority::accountName, Cockpit.Priority::reason, Cockpit.Priority::weight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "Beta",
                                "CTA “Half a day late” is 1 day overdue (due Tue 17 Mar)",
                                new BigDecimal("20000")),
                        org.assertj.core.groups.Tuple.tuple(
                                "Alpha",
                                "CTA “One hour late too” is 1 day overdue (due Wed 18 Mar)",
                                new BigDecimal("10000")),
                        org.assertj.core.groups.Tuple.tuple(
                                "Zeta",
                                "CTA “One hour late” is 1 day overdue (due Wed 18 Mar)",
                                new BigDecimal("10000")));
    }

    @Test
    void anAccountNeverTouchedWeighsAsAYearOfSilenceAndOneThatTurnedRedIsNotListedForItsDropToo() {
        UUID silent = account("Quiet Co", 1_000, "green");
        UUID red = account("Falling Co", 5_000, "red");
        Map<UUID, CockpitPriorities.Score> now = Map.of(red, new CockpitPriorities.Score(20, "red"));
        Map<UUID, CockpitPriorities.Score> before = Map.of(red, new CockpitPriorities.Score(80, "green"));
        List<Cockpit.Priority> ranked = CockpitPriorities.rank(new CockpitPriorities.Book(
                NOW,
                ZoneOffset.UTC,
                accounts,
                Map.of(),
                List.of(),
                now,
                before,
                List.of(new CockpitPriorities.Renewal(red, LocalDate.parse("2026-03-18"))),
                List.of(),
                List.of(),
                Map.of(red, NOW.minus(Duration.ofDays(1)))));
        assertThat(ranked)
                .extracting(Cockpit.Priority::kind, Cockpit.Priority::reason, Cockpit.Priority::rankedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "turned_red",
                                "Health turned Red this week: Green (80) on Wed 11 Mar, 20 now",
                                "Tier 3 of 9 (Turned Red this week); weight $5,000 = 5,000"),
                        org.assertj.core.groups.Tuple.tuple(
                                "renewal_at_risk",
                                "Renews today (Wed 18 Mar) at Red health",
                                "Tier 5 of 9 (Renewals in 120 days, not Green); weight $5,000 ÷ 1 day = 5,000"),
                        org.assertj.core.groups.Tuple.tuple(
                                "no_touch",
                                "No meeting or note recorded",
                                "Tier 8 of 9 (No touch in 30 days); weight 365 × $1,000 = 365,000"));
        assertThat(silent).isNotNull();
    }

    private UUID account(String name, long arr, String color) {
        UUID id = UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        accounts.put(id, new CockpitPriorities.Account(id, name, null, BigDecimal.valueOf(arr), color));
        return id;
    }

    private static CockpitPriorities.OpenCta cta(UUID account, String title, Instant due) {
        return new CockpitPriorities.OpenCta(UUID.randomUUID(), account, title, due);
    }

    private CockpitPriorities.Book book(
            List<CockpitPriorities.OpenCta> ctas,
            Map<UUID, CockpitPriorities.Score> now,
            Map<UUID, CockpitPriorities.Score> before) {
        Map<UUID, Instant> touched = new LinkedHashMap<>();
        accounts.keySet().forEach(id -> touched.put(id, NOW.minus(Duration.ofDays(2))));
        return new CockpitPriorities.Book(
                NOW, ZoneOffset.UTC, accounts, Map.of(), ctas, now, before, List.of(), List.of(), List.of(), touched);
    }
}
