package dev.steward.insight;

import dev.steward.activity.Timeline;
import dev.steward.health.HealthScoring;
import dev.steward.playbook.CtaRecords;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * When customers turned Red and how soon someone acted on it: the one definition CSM productivity and adoption share.
 * A Red change is a change of an account's stored color to Red; its first action is the first touch (meeting or note)
 * or person's work on a CTA of the account (see {@link CtaRecords#PERSON_KINDS}) from the start of that day.
 */
@Component
class RedResponses {

    /** How far back a stored color is looked for to tell that the first day of a period changed it. */
    static final int LOOK_BACK_DAYS = 31;

    private final Timeline timeline;
    private final CtaRecords ctas;
    private final HealthScoring health;
    private final Clock clock;

    RedResponses(Timeline timeline, CtaRecords ctas, HealthScoring health, Clock clock) {
        this.timeline = timeline;
        this.ctas = ctas;
        this.health = health;
        this.clock = clock;
    }

    /**
     * The changes to Red of these accounts on the days from {@code first} to {@code last}, each with its first action
     * before {@code until}, oldest first per account; accounts without a change are left out.
     */
    Map<UUID, List<CsmProductivity.RedChange>> redChanges(
            List<UUID> accounts, LocalDate first, LocalDate last, Instant until) {
        List<HealthScoring.ColorChange> reds = new ArrayList<>();
        Set<UUID> asked = new HashSet<>(accounts);
        for (HealthScoring.ColorChange change : health.colorChanges(accounts, first, last, LOOK_BACK_DAYS)) {
            if (change.to().equals("red") && asked.contains(change.account())) {
                reds.add(change);
            }
        }
        List<UUID> redAccounts =
                reds.stream().map(HealthScoring.ColorChange::account).toList();
        List<Instant> since = reds.stream()
                .map(change -> change.day().atStartOfDay(clock.getZone()).toInstant())
                .toList();
        List<Instant> firstTouches = timeline.firstTouches(redAccounts, since, until);
        List<Instant> firstWork = ctas.firstActions(redAccounts, since, until);
        Map<UUID, List<CsmProductivity.RedChange>> changes = new LinkedHashMap<>();
        for (int i = reds.size() - 1; i >= 0; i--) {
            // Oldest first.
            changes.computeIfAbsent(redAccounts.get(i), a -> new ArrayList<>())
                    .add(new CsmProductivity.RedChange(
                            reds.get(i).day(), since.get(i), earlier(firstTouches.get(i), firstWork.get(i))));
        }
        return changes;
    }

    private static @Nullable Instant earlier(@Nullable Instant a, @Nullable Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
