package dev.steward.outreach;

import dev.steward.core.Conditions;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageWindow;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides measure and product-event triggers: which accounts are past the trigger's line now, and which of them just
 * crossed it. Like alert rules, a trigger fires once per crossing — when an account goes past, not while it stays
 * there — and again only after the account came back and went past again; an account whose value is not known
 * (no score with that measure, no usage tracked) neither crosses nor recovers. The side each account was on is kept
 * per journey and trigger ({@code outreach_crossing}); the first time an account is seen (at publication, which takes
 * stock of every account) its side is only recorded, so that a journey published today does not treat what was
 * already so as news. A scorecard measure is read as segment and alert conditions read it ({@code health.measures}
 * through {@link AccountConditions}); a usage metric over its last 30 days combined by its aggregation; an event as
 * whether its metric counted anything in the trigger's days.
 */
@Component
class JourneyCrossings {

    /** The days a usage metric's value is taken over. */
    static final int METRIC_DAYS = 30;

    private final AccountConditions conditions;
    private final UsageRecorder usage;
    private final JdbcClient jdbc;
    private final Clock clock;

    JourneyCrossings(AccountConditions conditions, UsageRecorder usage, JdbcClient jdbc, Clock clock) {
        this.conditions = conditions;
        this.usage = usage;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether a journey's trigger is decided here. */
    static boolean decides(JourneyDocument.Trigger trigger) {
        return trigger.crossing() != null;
    }

    /**
     * Which of these accounts are past the trigger's line today ({@code true}), on this side of it ({@code false});
     * accounts whose value is not known are left out.
     */
    Map<UUID, Boolean> sides(JourneyDocument.Crossing crossing, Collection<UUID> accounts, LocalDate today) {
        Map<UUID, Boolean> sides = new HashMap<>();
        if (accounts.isEmpty()) {
            return sides;
        }
        if (!crossing.metric()) {
            String text =
                    "health.measures[\"" + crossing.key().replace("\\", "\\\\").replace("\"", "\\\"") + "\"] "
                            + (crossing.below() ? "<" : ">") + " " + Double.toString(crossing.value());
            Conditions.Compiled compiled = conditions.declarations().compile(text);
            conditions.outcomes(compiled, text, accounts, today).forEach((account, outcome) -> {
                if (outcome.error() == null) {
                    sides.put(account, outcome.holds());
                }
            });
            return sides;
        }
        int days = crossing.isEvent() ? crossing.within() : METRIC_DAYS;
        LocalDate from = today.minusDays(days - 1L);
        boolean max = !crossing.isEvent()
                && usage.metrics().stream()
                        .filter(m -> m.key().equals(crossing.key()))
                        .anyMatch(m -> m.aggregation() == UsageMetric.Aggregation.max);
        usage.windows(accounts, List.of(crossing.key()), from, today).forEach((account, window) -> {
            Boolean side = side(crossing, window, from, max);
            if (side != null) {
                sides.put(account, side);
            }
        });
        return sides;
    }

    private static @Nullable Boolean side(
            JourneyDocument.Crossing crossing, UsageWindow window, LocalDate from, boolean max) {
        if (window.trackedSince() == null) {
            return null; // no usage at all: no data, not "no use"
        }
        double total = 0;
        double highest = 0;
        for (double value : window.values(crossing.key())) {
            if (!Double.isNaN(value)) {
                total += value;
                highest = Math.max(highest, value);
            }
        }
        if (crossing.isEvent()) {
            if (crossing.did()) {
                return total > 0;
            }
            // "Did not" is only known for an account tracked over every day of the window.
            return window.trackedSince().isAfter(from) ? null : total == 0;
        }
        double value = max ? highest : total;
        return crossing.below() ? value < crossing.value() : value > crossing.value();
    }

    /**
     * Records where these accounts are now for the journey's trigger and answers those that crossed since they were
     * last seen, in the caller's transaction. Two evaluations at once decide each crossing once: the side is changed
     * only from what it was read as.
     */
    Set<UUID> crossed(EmailJourneys.Active journey, Collection<UUID> accounts) {
        JourneyDocument.Crossing crossing = journey.document().trigger().crossing();
        Set<UUID> crossed = new LinkedHashSet<>();
        if (crossing == null || accounts.isEmpty()) {
            return crossed;
        }
        Instant now = clock.instant();
        String trigger = crossing.describe();
        Map<UUID, Boolean> sides = sides(crossing, accounts, LocalDate.ofInstant(now, clock.getZone()));
        if (sides.isEmpty()) {
            return crossed;
        }
        Map<UUID, Boolean> before = new HashMap<>();
        jdbc.sql("""
                        select account_id, past from outreach_crossing
                         where journey_id = ? and trigger = ? and account_id = any(?)""")
                .params(journey.id(), trigger, sides.keySet().toArray(UUID[]::new))
                .query(rs -> {
                    before.put(rs.getObject(1, UUID.class), rs.getBoolean(2));
                });
        for (Map.Entry<UUID, Boolean> side : sides.entrySet()) {
            UUID account = side.getKey();
            boolean past = side.getValue();
            Boolean was = before.get(account);
            if (was == null) {
                jdbc.sql("""
                                insert into outreach_crossing (journey_id, trigger, account_id, past, since)
                                values (?, ?, ?, ?, ?) on conflict do nothing""")
                        .params(journey.id(), trigger, account, past, Timestamp.from(now))
                        .update();
            } else if (was != past) {
                int changed = jdbc.sql("""
                                update outreach_crossing set past = ?, since = ?
                                 where journey_id = ? and trigger = ? and account_id = ? and past = ?""")
                        .params(past, Timestamp.from(now), journey.id(), trigger, account, was)
                        .update();
                if (changed > 0 && past) {
                    crossed.add(account);
                }
            }
        }
        return crossed;
    }
}
