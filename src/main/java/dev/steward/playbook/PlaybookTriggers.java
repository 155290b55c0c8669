package dev.steward.playbook;

import dev.steward.core.Conditions;
import dev.steward.customer.Account;
import dev.steward.customer.AccountDeleted;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.HealthColorsChanged;
import dev.steward.health.HealthOverridden;
import dev.steward.health.HealthOverride;
import dev.steward.health.HealthScored;
import dev.steward.health.HealthScoring;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.lifecycle.SegmentEntered;
import dev.steward.lifecycle.SegmentLeft;
import dev.steward.lifecycle.StageChanged;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Finds the facts that fire playbooks: as they happen (a health color, a stage or segment entered or left, a new score
 * that makes a condition hold), after each commit; and, for the time-based triggers (a renewal ahead, days in a stage,
 * a condition, a schedule, an invoice overdue, no meeting), when the daily evaluation or a publication asks.
 * {@link ActivityTriggers} finds the facts of the triggers that read activity and contacts.
 */
@Component
class PlaybookTriggers {

    /** What tells a churned account, which no playbook fires for. */
    private static final String CHURNED = "account.churned";

    private final Playbooks playbooks;
    private final PlaybookRunner runner;
    private final Ctas ctas;
    private final AccountSnapshots snapshots;
    private final AccountManagement accounts;
    private final AccountConditions conditions;
    private final ActivityTriggers activity;
    private final ActivityRequests requests;
    private final HealthScoring health;
    private final Clock clock;

    PlaybookTriggers(
            Playbooks playbooks,
            PlaybookRunner runner,
            Ctas ctas,
            AccountSnapshots snapshots,
            AccountManagement accounts,
            AccountConditions conditions,
            ActivityTriggers activity,
            ActivityRequests requests,
            HealthScoring health,
            Clock clock) {
        this.playbooks = playbooks;
        this.runner = runner;
        this.ctas = ctas;
        this.snapshots = snapshots;
        this.accounts = accounts;
        this.conditions = conditions;
        this.activity = activity;
        this.requests = requests;
        this.health = health;
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(HealthColorsChanged changed) {
        List<Playbooks.Active> active = active(PlaybookDocument.TriggerType.HEALTH_COLOR);
        for (Playbooks.Active playbook : active) {
            String color = playbook.document().trigger().color();
            List<PlaybookRunner.Candidate> candidates = changed.changes().stream()
                    .filter(c -> c.to() != null && c.to().value().equals(color))
                    .map(c -> new PlaybookRunner.Candidate(
                            c.account().value(),
                            "color:" + color + ":" + changed.day(),
                            "Health turned " + color
                                    + (c.from() == null
                                            ? ""
                                            : " from " + c.from().value()) + " on " + changed.day() + " (score "
                                    + Math.round(c.score()) + ")",
                            c.score(),
                            color))
                    .toList();
            runner.fire(playbook, candidates);
        }
    }

    /**
     * A person who sets an override of an account's color to the trigger's color fires it as a computed change would:
     * someone judged the account Red, and the Red playbook applies.
     */
    @ApplicationModuleListener
    void on(HealthOverridden overridden) {
        HealthOverride override = overridden.override();
        if (overridden.endedBy() != null || override.color() == null) {
            return;
        }
        String color = override.color().value();
        LocalDate day = override.createdAt().atZone(clock.getZone()).toLocalDate();
        for (Playbooks.Active playbook : active(PlaybookDocument.TriggerType.HEALTH_COLOR)) {
            if (color.equals(playbook.document().trigger().color())) {
                runner.fire(
                        playbook,
                        List.of(new PlaybookRunner.Candidate(
                                override.account(),
                                "color:" + color + ":" + day,
                                "Health set to " + color + " by " + override.author() + ": " + override.reason(),
                                override.score(),
                                color)));
            }
        }
    }

    /** Condition triggers follow new scores within seconds; a re-score of every account is left to the daily run. */
    @ApplicationModuleListener
    void on(HealthScored scored) {
        if (scored.everyAccount() || scored.accounts().isEmpty()) {
            return;
        }
        // The playbooks in force are read (and compiled) once per scoring run, not once per trigger type.
        for (Playbooks.Active playbook : playbooks.active()) {
            if (playbook.trigger() == PlaybookDocument.TriggerType.CONDITION) {
                runner.fire(playbook, conditionHolds(playbook, scored.accounts()));
            } else if (playbook.trigger() == PlaybookDocument.TriggerType.SCORE_DROP) {
                runner.fire(playbook, scoreDrops(playbook, scored.accounts()));
            }
        }
    }

    @ApplicationModuleListener
    void on(StageChanged changed) {
        for (Playbooks.Active playbook : active(PlaybookDocument.TriggerType.STAGE_ENTERED)) {
            String stage = playbook.document().trigger().stage();
            runner.fire(
                    playbook,
                    changed.changes().stream()
                            .filter(c -> stage.equals(c.to()))
                            .map(c -> new PlaybookRunner.Candidate(
                                    c.account().value(),
                                    "stage:" + stage + ":" + changed.at(),
                                    "Entered the stage " + stage + " (" + c.cause() + ")",
                                    null,
                                    null))
                            .toList());
        }
    }

    @ApplicationModuleListener
    void on(SegmentEntered entered) {
        segment(
                PlaybookDocument.TriggerType.SEGMENT_ENTERED,
                entered.segment(),
                entered.accounts(),
                entered.at(),
                "Entered");
    }

    @ApplicationModuleListener
    void on(SegmentLeft left) {
        segment(PlaybookDocument.TriggerType.SEGMENT_LEFT, left.segment(), left.accounts(), left.at(), "Left");
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        ctas.deleteAccount(deleted.account().value());
        requests.deleteAccount(deleted.account().value());
    }

    private void segment(
            PlaybookDocument.TriggerType type, String segment, List<AccountId> members, Instant at, String verb) {
        for (Playbooks.Active playbook : active(type)) {
            if (!segment.equals(playbook.document().trigger().segment())) {
                continue;
            }
            runner.fire(
                    playbook,
                    members.stream()
                            .map(a -> new PlaybookRunner.Candidate(
                                    a.value(),
                                    type.value() + ":" + segment + ":" + at,
                                    verb + " the segment " + segment,
                                    null,
                                    null))
                            .toList());
        }
    }

    /** Runs every time-based playbook in force on today's data. */
    PlaybookRunner.Fired evaluateDaily() {
        return evaluate(playbooks.active().stream()
                .filter(p -> p.trigger().isTimeBased())
                .toList());
    }

    /** Runs one playbook's time-based trigger now (after it is published); nothing for one fired by events. */
    PlaybookRunner.Fired evaluate(String name) {
        return evaluate(playbooks.active().stream()
                .filter(p -> p.name().equals(name) && p.trigger().isTimeBased())
                .limit(1)
                .toList());
    }

    /**
     * Fires these time-based playbooks on today's data, in their order. Conditions and schedules are decided in one pass
     * over the accounts ({@link #perAccount}); renewals and days in a stage come from one query each.
     */
    private PlaybookRunner.Fired evaluate(List<Playbooks.Active> timeBased) {
        List<Playbooks.Active> perAccount =
                timeBased.stream().filter(PlaybookTriggers::decidedPerAccount).toList();
        Map<UUID, List<PlaybookRunner.Candidate>> decided = perAccount(perAccount);
        PlaybookRunner.Fired total = PlaybookRunner.Fired.NONE;
        for (Playbooks.Active playbook : timeBased) {
            List<PlaybookRunner.Candidate> candidates =
                    decidedPerAccount(playbook) ? decided.get(playbook.id()) : timeBased(playbook);
            total = total.plus(runner.fire(playbook, candidates));
        }
        return total;
    }

    private static boolean decidedPerAccount(Playbooks.Active playbook) {
        return playbook.trigger() == PlaybookDocument.TriggerType.CONDITION
                || playbook.trigger() == PlaybookDocument.TriggerType.SCHEDULE;
    }

    /**
     * The facts of condition and schedule triggers that would fire, by playbook id, in one pass over every account: a
     * batch at a time, the accounts each playbook has already fired for with today's fact, and those it could make no
     * CTA for (an open CTA of it, or its cooldown: see {@link PlaybookRunner#held}), are left out first (a few queries
     * per batch), then the facts of the rest are read once for every condition and {@code when} of these playbooks.
     * Accounts that the runner would leave out without a trace are left out here: churned ones, and those the {@code
     * when} condition leaves out; one the {@code when} condition fails on is kept, for the runner to record the failure.
     */
    private Map<UUID, List<PlaybookRunner.Candidate>> perAccount(List<Playbooks.Active> playbooks) {
        Map<UUID, List<PlaybookRunner.Candidate>> candidates = new HashMap<>();
        if (playbooks.isEmpty()) {
            return candidates;
        }
        LocalDate today = LocalDate.now(clock);
        Map<UUID, String> facts = new HashMap<>();
        Map<String, Conditions.Compiled> texts = new HashMap<>();
        texts.put(CHURNED, conditions.declarations().compile(CHURNED));
        for (Playbooks.Active playbook : playbooks) {
            candidates.put(playbook.id(), new ArrayList<>());
            facts.put(playbook.id(), factKey(playbook.document().trigger(), today));
            if (playbook.condition() != null) {
                texts.put(playbook.document().trigger().condition(), playbook.condition());
            }
            if (playbook.when() != null) {
                texts.put(playbook.document().when(), playbook.when());
            }
        }
        Instant at = clock.instant();
        conditions.eachBatch(ids -> {
            Map<UUID, Set<UUID>> fired = runner.fired(facts, ids);
            runner.held(playbooks, ids, at)
                    .forEach((playbook, held) -> fired.get(playbook).addAll(held));
            List<UUID> undecided = ids.stream()
                    .filter(id -> fired.values().stream().anyMatch(accounts -> !accounts.contains(id)))
                    .toList();
            Map<UUID, Map<String, Conditions.Outcome>> outcomes =
                    undecided.isEmpty() ? Map.of() : conditions.outcomes(texts, undecided, today);
            for (UUID id : undecided) {
                Map<String, Conditions.Outcome> outcome = outcomes.get(id);
                // Gone since the batch was listed, or churned.
                if (outcome == null || outcome.get(CHURNED).holds()) {
                    continue;
                }
                for (Playbooks.Active playbook : playbooks) {
                    PlaybookDocument document = playbook.document();
                    if (fired.get(playbook.id()).contains(id)) {
                        continue;
                    }
                    if (playbook.condition() != null) {
                        Conditions.Outcome holds =
                                outcome.get(document.trigger().condition());
                        if (!holds.holds()) {
                            continue;
                        }
                    }
                    if (playbook.when() != null && PlaybookRunner.leavesOut(outcome.get(document.when()))) {
                        continue;
                    }
                    candidates.get(playbook.id()).add(candidate(document.trigger(), id, today));
                }
            }
        });
        return candidates;
    }

    /** The facts of a time-based trigger on today's data. */
    List<PlaybookRunner.Candidate> timeBased(Playbooks.Active playbook) {
        PlaybookDocument.Trigger trigger = playbook.document().trigger();
        LocalDate today = LocalDate.now(clock);
        Instant now = clock.instant();
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        switch (trigger.type()) {
            case RENEWAL ->
                snapshots
                        .renewingBetween(today, today.plusDays(trigger.days()))
                        .forEach((account, day) -> candidates.add(new PlaybookRunner.Candidate(
                                account,
                                "renewal:" + day,
                                "Renews on " + day + ", in " + ChronoUnit.DAYS.between(today, day) + " days",
                                null,
                                null)));
            case DAYS_IN_STAGE -> {
                Instant entered = now.minus(trigger.days(), ChronoUnit.DAYS);
                conditions.inStage(trigger.stage()).stream()
                        .filter(stay -> !stay.since().isAfter(entered))
                        .forEach(stay -> candidates.add(new PlaybookRunner.Candidate(
                                stay.account(),
                                "days_in_stage:" + trigger.stage() + ":" + stay.since(),
                                "In the stage " + trigger.stage() + " for " + ChronoUnit.DAYS.between(stay.since(), now)
                                        + " days",
                                null,
                                null)));
            }
            case CONDITION -> conditions.eachBatch(ids -> candidates.addAll(conditionHolds(playbook, ids)));
            case SCHEDULE ->
                conditions.eachBatch(ids -> ids.forEach(id -> candidates.add(candidate(trigger, id, today))));
            case INVOICE_OVERDUE, NO_MEETING -> candidates.addAll(activity.timeBased(playbook));
            case SCORE_DROP -> conditions.eachBatch(ids -> candidates.addAll(scoreDrops(playbook, ids)));
            default -> {}
        }
        return candidates;
    }

    /**
     * The accounts among these whose score that counts now is the trigger's points or more below their latest stored
     * score on or before the day the trigger's days ago, as facts of today; churned accounts and accounts without a
     * score then or now are left out.
     */
    List<PlaybookRunner.Candidate> scoreDrops(Playbooks.Active playbook, Collection<UUID> ids) {
        PlaybookDocument.Trigger trigger = playbook.document().trigger();
        LocalDate today = LocalDate.now(clock);
        LocalDate before = today.minusDays(trigger.days());
        Map<UUID, Double> then = health.scoresAsOf(ids, before);
        if (then.isEmpty()) {
            return List.of();
        }
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        for (Account account :
                accounts.findAll(then.keySet().stream().map(AccountId::new).toList())) {
            if (account.health() == null || account.churn() != null) {
                continue;
            }
            double was = then.get(account.id().value());
            double now = account.health().score();
            if (was - now >= trigger.points()) {
                candidates.add(new PlaybookRunner.Candidate(
                        account.id().value(),
                        "score_drop:" + today,
                        "Score fell " + Math.round(was - now) + " points in " + trigger.days() + " days (from "
                                + Math.round(was) + " on or before " + before + " to " + Math.round(now) + ")",
                        now,
                        account.health().color()));
            }
        }
        return candidates;
    }

    /** The accounts among these for which the trigger's condition holds today, as facts of today. */
    private List<PlaybookRunner.Candidate> conditionHolds(Playbooks.Active playbook, Collection<UUID> ids) {
        LocalDate today = LocalDate.now(clock);
        PlaybookDocument.Trigger trigger = playbook.document().trigger();
        return conditions.holding(playbook.condition(), trigger.condition(), ids, today).stream()
                .map(id -> candidate(trigger, id, today))
                .toList();
    }

    /** The fact of a condition (it holds today) or of a schedule (this period) for an account. */
    private static PlaybookRunner.Candidate candidate(PlaybookDocument.Trigger trigger, UUID account, LocalDate today) {
        String fact = trigger.type() == PlaybookDocument.TriggerType.CONDITION
                ? "The condition holds: " + trigger.condition()
                : "Scheduled every " + trigger.every() + " (" + period(trigger, today) + ")";
        return new PlaybookRunner.Candidate(account, factKey(trigger, today), fact, null, null);
    }

    /** The key of today's fact of a condition or schedule trigger: the same all day, or all period. */
    private static String factKey(PlaybookDocument.Trigger trigger, LocalDate today) {
        return trigger.type() == PlaybookDocument.TriggerType.CONDITION
                ? "condition:" + today
                : "schedule:" + period(trigger, today);
    }

    private static String period(PlaybookDocument.Trigger trigger, LocalDate today) {
        return "quarter".equals(trigger.every())
                ? today.getYear() + "-Q" + today.get(IsoFields.QUARTER_OF_YEAR)
                : today.getYear() + "-" + String.format(Locale.ROOT, "%02d", today.getMonthValue());
    }

    /**
     * The facts a draft's trigger would fire for on current data: for an event trigger, the accounts that are where
     * the event would put them (of that health color, in that stage or segment; for leaving a segment, none can be
     * told); for one that follows activity, the facts of the last days that would fire it had they just been
     * recorded (see {@link ActivityTriggers}).
     */
    List<PlaybookRunner.Candidate> current(Playbooks.Active playbook, Predicate<UUID> inSegment) {
        PlaybookDocument.Trigger trigger = playbook.document().trigger();
        if (trigger.type().isTimeBased()) {
            return timeBased(playbook);
        }
        if (trigger.type().followsActivity()) {
            return activity.everyAccount(playbook);
        }
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        switch (trigger.type()) {
            case HEALTH_COLOR ->
                conditions.eachBatch(ids -> {
                    for (Account account :
                            accounts.findAll(ids.stream().map(AccountId::new).toList())) {
                        if (account.health() != null
                                && trigger.color().equals(account.health().color())) {
                            candidates.add(new PlaybookRunner.Candidate(
                                    account.id().value(),
                                    "color:" + trigger.color() + ":" + today,
                                    "Health is " + trigger.color(),
                                    account.health().score(),
                                    trigger.color()));
                        }
                    }
                });
            case STAGE_ENTERED ->
                conditions
                        .inStage(trigger.stage())
                        .forEach(stay -> candidates.add(new PlaybookRunner.Candidate(
                                stay.account(), "stage:" + trigger.stage(), "In the stage", null, null)));
            case SEGMENT_ENTERED ->
                conditions.eachBatch(ids -> ids.stream()
                        .filter(inSegment)
                        .forEach(id -> candidates.add(new PlaybookRunner.Candidate(
                                id, "segment", "In the segment " + trigger.segment(), null, null))));
            default -> {}
        }
        return candidates;
    }

    AccountConditions conditions() {
        return conditions;
    }

    private List<Playbooks.Active> active(PlaybookDocument.TriggerType type) {
        return playbooks.active().stream().filter(p -> p.trigger() == type).toList();
    }
}
