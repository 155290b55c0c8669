package dev.steward.ingest.quality;

import dev.steward.activity.ActivityHorizons;
import dev.steward.core.DataHorizon;
import dev.steward.customer.CustomerFreshness;
import dev.steward.usage.UsageRecorder;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where each source's data of each kind begins and ends: contracts by the day they started, activity by the time each
 * fact became true, usage per metric. Read from what the modules keep as facts are written, so it costs a few small
 * queries. Backtests use the same horizons to know what they cannot know.
 */
@Component
class DataHorizons {

    /**
     * One kind of data from one source: its first and last day, and how many days before today the last one is (0
     * when it is today or later).
     */
    record Row(String kind, String source, LocalDate first, LocalDate last, long daysAgo) {}

    private final CustomerFreshness customer;
    private final ActivityHorizons activity;
    private final UsageRecorder usage;
    private final Clock clock;

    DataHorizons(CustomerFreshness customer, ActivityHorizons activity, UsageRecorder usage, Clock clock) {
        this.customer = customer;
        this.activity = activity;
        this.usage = usage;
        this.clock = clock;
    }

    /** Every kind and source with data, the longest ended first. */
    List<Row> all() {
        LocalDate today = LocalDate.now(clock);
        List<DataHorizon> horizons = new ArrayList<>(customer.contractHorizons());
        horizons.addAll(activity.all());
        usage.spans()
                .forEach((metric, span) -> horizons.add(new DataHorizon("usage", metric, span.first(), span.last())));
        return horizons.stream()
                .map(h -> new Row(
                        h.kind(),
                        h.source(),
                        h.first(),
                        h.last(),
                        Math.max(0, ChronoUnit.DAYS.between(h.last(), today))))
                .sorted(Comparator.comparing(Row::daysAgo)
                        .reversed()
                        .thenComparing(Row::kind)
                        .thenComparing(Row::source))
                .toList();
    }
}
