package dev.steward.backtest;

import dev.steward.activity.ActivityHorizons;
import dev.steward.core.DataHorizon;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.CustomerFreshness;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where the data that decides churn ends: each source's horizon (the last day any of its facts became true, no later
 * than today) and the latest of them among the sources that deliver contracts or churn events. What became of an
 * account after its sources' horizon is unknown: an export whose facts end two years ago says nothing about last year.
 * Facts entered one at a time through the API or the pages (source {@value AccountManagement#DEFAULT_SOURCE}) are kept
 * current by the people who enter them, so that source's horizon is today.
 */
@Component
class OutcomeHorizons {

    private final CustomerFreshness customer;
    private final ActivityHorizons activity;

    OutcomeHorizons(CustomerFreshness customer, ActivityHorizons activity) {
        this.customer = customer;
        this.activity = activity;
    }

    /**
     * What the data can tell as of today.
     *
     * @param bySource each source's horizon: its last fact of any kind
     * @param knownUntil the latest horizon of a source that delivers contracts or churn events; today when none does
     * @param firstDay the first day a contract started or a churn event happened; {@code null} without either
     * @param deciding the horizons of the contracts and churn events, by kind and source, for people to read
     */
    record Known(
            Map<String, LocalDate> bySource, LocalDate knownUntil, LocalDate firstDay, List<DataHorizon> deciding) {

        /**
         * What the data of these sources can tell: for a backtest of some accounts, where their own contracts and churn
         * events end rather than where any source's do. Unchanged when none of them decides churn.
         */
        Known narrowedTo(Set<String> sources) {
            List<DataHorizon> theirs =
                    deciding.stream().filter(h -> sources.contains(h.source())).toList();
            if (theirs.isEmpty()) {
                return this;
            }
            LocalDate until = null;
            LocalDate first = null;
            for (DataHorizon horizon : theirs) {
                LocalDate ends = bySource.get(horizon.source());
                until = until == null || ends.isAfter(until) ? ends : until;
                first = first == null || horizon.first().isBefore(first) ? horizon.first() : first;
            }
            return new Known(bySource, until, first, theirs);
        }
    }

    Known read(LocalDate today) {
        List<DataHorizon> all = new ArrayList<>();
        customer.contractHorizons().forEach(h -> all.add(h.until(today)));
        activity.all().forEach(h -> all.add(h.until(today)));
        Map<String, LocalDate> bySource = new HashMap<>();
        for (DataHorizon horizon : all) {
            bySource.merge(horizon.source(), horizon.last(), (a, b) -> a.isAfter(b) ? a : b);
        }
        bySource.computeIfPresent(AccountManagement.DEFAULT_SOURCE, (source, last) -> today);
        List<DataHorizon> deciding = new ArrayList<>();
        LocalDate knownUntil = null;
        LocalDate firstDay = null;
        for (DataHorizon horizon : all) {
            if (!horizon.kind().equals(CustomerFreshness.CONTRACTS)
                    && !horizon.kind().equals(ActivityHorizons.CHURN_EVENTS)) {
                continue;
            }
            deciding.add(horizon);
            LocalDate sourceEnds = bySource.get(horizon.source());
            knownUntil = knownUntil == null || sourceEnds.isAfter(knownUntil) ? sourceEnds : knownUntil;
            firstDay = firstDay == null || horizon.first().isBefore(firstDay) ? horizon.first() : firstDay;
        }
        return new Known(
                Map.copyOf(bySource), knownUntil == null ? today : knownUntil, firstDay, List.copyOf(deciding));
    }
}
