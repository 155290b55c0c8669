package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The customer journey (lifecycle stages in order, each with an entry rule) as a versioned YAML document, every
 * account's stage and its history, and moves by hand; the lifecycle module's API for stages.
 */
@Service
public class LifecycleManagement {

    /** Longest a move by hand holds the account in its stage against the rules. */
    static final int MAXIMUM_HOLD_DAYS = 365;

    static final String SHIPPED = "lifecycle/customer-journey.yaml";
    static final String SHIPPED_AUTHOR = "Steward (shipped default)";

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);

    private final Journeys journeys;
    private final AccountStages stages;
    private final AccountMilestones milestones;
    private final EvaluationRequests requests;
    private final AccountSnapshots snapshots;
    private final SegmentEvaluation evaluation;
    private final AccountFactsReader reader;
    private final AccountManagement accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LifecycleManagement(
            Journeys journeys,
            AccountStages stages,
            AccountMilestones milestones,
            EvaluationRequests requests,
            AccountSnapshots snapshots,
            SegmentEvaluation evaluation,
            AccountFactsReader reader,
            AccountManagement accounts,
            ApplicationEventPublisher events,
            Clock clock) {
        this.journeys = journeys;
        this.stages = stages;
        this.milestones = milestones;
        this.requests = requests;
        this.snapshots = snapshots;
        this.evaluation = evaluation;
        this.reader = reader;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * One stage of the journey in force (its exit rule {@code null} when it has none), with the accounts in it now,
     * their ARR and median days there.
     */
    public record StageSummary(
            String key,
            String name,
            String description,
            String entry,
            String exit,
            long accounts,
            BigDecimal arr,
            Long medianDays,
            long movedByHand) {}

    /** The journey in force: its version and stages in order; {@code version} is null before one is published. */
    public record Journey(
            String name, Integer version, String description, List<StageSummary> stages, Onboarding onboarding) {}

    /** How many of the new customers have done a milestone, and how many have it overdue. */
    public record MilestoneSummary(String key, String name, int dueDays, long done, long overdue) {}

    /**
     * Onboarding across the customers whose first contract started in the last {@value #ONBOARDING_WINDOW_DAYS} days:
     * how many there are, how many have done every milestone, how many have one overdue, each milestone's counts, and
     * the median time to value (days from the first contract to the first-value milestone) of those who reached it;
     * {@code null} when none has.
     */
    public record Onboarding(
            int windowDays,
            long accounts,
            long allDone,
            long withOverdue,
            List<MilestoneSummary> milestones,
            Long medianTimeToValueDays,
            long reachedValue) {}

    /** The customers whose onboarding the Lifecycle page sums up: first contract within this many days. */
    static final int ONBOARDING_WINDOW_DAYS = 365;

    /** The journey in force with each stage's accounts now. */
    public Journey journey() {
        VersionedDocuments.Published<SegmentProblem> published = published();
        if (published == null) {
            return new Journey(Journeys.NAME, null, "", List.of(), null);
        }
        JourneyDocument document = read(published.text().yaml()).document();
        if (document == null) {
            return new Journey(Journeys.NAME, published.text().version().version(), "", List.of(), null);
        }
        LocalDate today = LocalDate.now(clock);
        List<StageSummary> summaries = new ArrayList<>();
        for (JourneyDocument.Stage stage : document.stages()) {
            List<AccountStages.Stay> in = stages.in(stage.key());
            List<Long> days = in.stream()
                    .map(stay -> days(stay.enteredAt(), today))
                    .sorted()
                    .toList();
            BigDecimal arr = in.isEmpty()
                    ? BigDecimal.ZERO
                    : accounts.totalArr(
                            in.stream().map(s -> new AccountId(s.account())).toList());
            summaries.add(new StageSummary(
                    stage.key(),
                    stage.name(),
                    stage.description(),
                    stage.entry(),
                    stage.exit(),
                    in.size(),
                    arr,
                    days.isEmpty() ? null : days.get(days.size() / 2),
                    in.stream().filter(AccountStages.Stay::manual).count()));
        }
        return new Journey(
                document.name(),
                published.text().version().version(),
                document.description(),
                summaries,
                onboarding(document, today));
    }

    private Onboarding onboarding(JourneyDocument document, LocalDate today) {
        List<JourneyDocument.Milestone> checklist = document.milestones();
        if (checklist.isEmpty()) {
            return null;
        }
        Map<UUID, LocalDate> starts = snapshots.firstContractsBetween(today.minusDays(ONBOARDING_WINDOW_DAYS), today);
        Map<UUID, Map<String, AccountMilestones.Completion>> completed =
                starts.isEmpty() ? Map.of() : milestones.completed(starts.keySet());
        long allDone = 0;
        long withOverdue = 0;
        long[] done = new long[checklist.size()];
        long[] overdue = new long[checklist.size()];
        List<Long> timesToValue = new ArrayList<>();
        JourneyDocument.Milestone firstValue = checklist.stream()
                .filter(JourneyDocument.Milestone::firstValue)
                .findFirst()
                .orElse(null);
        for (Map.Entry<UUID, LocalDate> account : starts.entrySet()) {
            Map<String, AccountMilestones.Completion> completions = completed.getOrDefault(account.getKey(), Map.of());
            OnboardingProgress progress = OnboardingProgress.of(checklist, completions, account.getValue(), today);
            allDone += progress.done() ? 1 : 0;
            withOverdue += progress.overdue() > 0 ? 1 : 0;
            for (int i = 0; i < checklist.size(); i++) {
                JourneyDocument.Milestone milestone = checklist.get(i);
                if (completions.containsKey(milestone.key())) {
                    done[i]++;
                } else if (account.getValue().plusDays(milestone.dueDays()).isBefore(today)) {
                    overdue[i]++;
                }
            }
            if (firstValue != null && completions.containsKey(firstValue.key())) {
                timesToValue.add(ChronoUnit.DAYS.between(
                        account.getValue(), completions.get(firstValue.key()).on()));
            }
        }
        List<MilestoneSummary> summaries = new ArrayList<>();
        for (int i = 0; i < checklist.size(); i++) {
            JourneyDocument.Milestone milestone = checklist.get(i);
            summaries.add(
                    new MilestoneSummary(milestone.key(), milestone.name(), milestone.dueDays(), done[i], overdue[i]));
        }
        timesToValue.sort(null);
        return new Onboarding(
                ONBOARDING_WINDOW_DAYS,
                starts.size(),
                allDone,
                withOverdue,
                summaries,
                timesToValue.isEmpty() ? null : timesToValue.get(timesToValue.size() / 2),
                timesToValue.size());
    }

    /** An account in a stage now: how long it has been there, and why. */
    public record StageMember(
            UUID accountId,
            String name,
            BigDecimal arr,
            Instant enteredAt,
            long days,
            String cause,
            String movedBy,
            String reason,
            LocalDate holdUntil) {}

    /** Accounts one answer lists at most: the API's page size limit. */
    static final int MAXIMUM_LISTED = 500;

    static final dev.steward.core.PageLimit LISTED = new dev.steward.core.PageLimit(200, MAXIMUM_LISTED);

    /** How many accounts are in a stage now, and up to the limit of them: longest there first, then largest ARR. */
    public record StageMembers(long total, List<StageMember> accounts) {}

    /** The accounts in a stage of the journey in force now: longest there first, then largest ARR. */
    public StageMembers members(String stageKey, int limit) {
        LISTED.of(limit);
        JourneyDocument document = publishedDocument();
        if (document == null || document.stage(stageKey) == null) {
            throw new NotFoundException("stage", stageKey);
        }
        List<AccountStages.Stay> in = stages.in(stageKey);
        Map<UUID, Account> found = accounts
                .findAll(in.stream().map(s -> new AccountId(s.account())).toList())
                .stream()
                .collect(Collectors.toMap(a -> a.id().value(), Function.identity()));
        LocalDate today = LocalDate.now(clock);
        List<StageMember> members = new ArrayList<>();
        for (AccountStages.Stay stay : in) {
            Account account = found.get(stay.account());
            if (account != null) {
                members.add(new StageMember(
                        stay.account(),
                        account.name(),
                        account.arr(),
                        stay.enteredAt(),
                        days(stay.enteredAt(), today),
                        stay.cause(),
                        stay.movedBy(),
                        stay.reason(),
                        stay.holdUntil()));
            }
        }
        members.sort(java.util.Comparator.comparingLong(StageMember::days)
                .reversed()
                .thenComparing(StageMember::arr, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return new StageMembers(members.size(), List.copyOf(members.subList(0, Math.min(limit, members.size()))));
    }

    /**
     * One stay of an account in a stage, for its timeline; {@code endedByExitRule}: a hold by hand that the stage's exit
     * rule ended before its day.
     */
    public record StageStay(
            String stage,
            String stageName,
            Instant enteredAt,
            Instant leftAt,
            long days,
            String cause,
            String movedBy,
            String reason,
            LocalDate holdUntil,
            boolean endedByExitRule) {}

    /**
     * An account's stage now ({@code null}: none), every stay newest first, the stages it may be moved to, and its
     * onboarding milestones with how many are done and overdue and its time to value (days from its first contract to
     * the first-value milestone; {@code null} until that is done).
     */
    public record AccountJourney(
            UUID accountId,
            StageStay current,
            List<StageStay> history,
            List<StageOption> stages,
            List<MilestoneStatus> milestones,
            long milestonesDone,
            long milestonesOverdue,
            Long timeToValueDays) {}

    /**
     * One onboarding milestone of an account: due on a day ({@code null} without a contract), done on a day by
     * someone with a note, and its status: done, overdue, due, or no contract.
     */
    public record MilestoneStatus(
            String key,
            String name,
            boolean firstValue,
            LocalDate dueOn,
            LocalDate completedOn,
            String completedBy,
            String note,
            String status) {}

    /** A stage an account may be moved to by hand. */
    public record StageOption(String key, String name) {}

    public AccountJourney of(UUID accountId) {
        accounts.get(new AccountId(accountId));
        LocalDate today = LocalDate.now(clock);
        List<StageStay> history = stages.history(accountId).stream()
                .map(stay -> new StageStay(
                        stay.stage(),
                        stay.stageName(),
                        stay.enteredAt(),
                        stay.leftAt(),
                        stay.leftAt() == null
                                ? days(stay.enteredAt(), today)
                                : days(
                                        stay.enteredAt(),
                                        stay.leftAt().atZone(clock.getZone()).toLocalDate()),
                        stay.cause(),
                        stay.movedBy(),
                        stay.reason(),
                        stay.holdUntil(),
                        stay.endedByExitRule()))
                .toList();
        StageStay current = history.isEmpty() || history.get(0).leftAt() != null ? null : history.get(0);
        JourneyDocument document = publishedDocument();
        List<StageOption> options = document == null
                ? List.of()
                : document.stages().stream()
                        .map(s -> new StageOption(s.key(), s.name()))
                        .toList();
        List<JourneyDocument.Milestone> checklist = document == null ? List.of() : document.milestones();
        Map<String, AccountMilestones.Completion> completed =
                milestones.completed(Set.of(accountId)).getOrDefault(accountId, Map.of());
        LocalDate start = snapshots.firstContractStarts(Set.of(accountId)).get(accountId);
        List<MilestoneStatus> statuses = new ArrayList<>();
        Long timeToValue = null;
        for (JourneyDocument.Milestone milestone : checklist) {
            AccountMilestones.Completion done = completed.get(milestone.key());
            LocalDate due = start == null ? null : start.plusDays(milestone.dueDays());
            String status =
                    done != null ? "done" : due == null ? "no contract" : due.isBefore(today) ? "overdue" : "due";
            statuses.add(new MilestoneStatus(
                    milestone.key(),
                    milestone.name(),
                    milestone.firstValue(),
                    due,
                    done == null ? null : done.on(),
                    done == null ? null : done.by(),
                    done == null ? null : done.note(),
                    status));
            if (milestone.firstValue() && done != null && start != null) {
                timeToValue = ChronoUnit.DAYS.between(start, done.on());
            }
        }
        OnboardingProgress progress = OnboardingProgress.of(checklist, completed, start, today);
        return new AccountJourney(
                accountId, current, history, options, statuses, progress.completed(), progress.overdue(), timeToValue);
    }

    /** An onboarding milestone an account has not done by its due day. */
    public record OverdueMilestone(UUID account, String key, String name, LocalDate dueOn) {}

    /**
     * The onboarding milestones of the journey in force that these accounts have overdue today (not done, due day
     * passed), oldest due first; only accounts whose first contract started in the last
     * {@value #ONBOARDING_WINDOW_DAYS} days count, as on the Lifecycle page: a customer of many years is not
     * onboarding. Two statements for all the accounts.
     */
    public List<OverdueMilestone> overdueMilestones(Collection<UUID> accountIds) {
        List<JourneyDocument.Milestone> checklist = accountIds.isEmpty() ? List.of() : publishedMilestones();
        if (checklist.isEmpty()) {
            return List.of();
        }
        LocalDate today = LocalDate.now(clock);
        Map<UUID, LocalDate> starts = new HashMap<>(snapshots.firstContractStarts(accountIds));
        starts.values().removeIf(start -> start.isBefore(today.minusDays(ONBOARDING_WINDOW_DAYS)));
        if (starts.isEmpty()) {
            return List.of();
        }
        Map<UUID, Map<String, AccountMilestones.Completion>> completed = milestones.completed(starts.keySet());
        List<OverdueMilestone> overdue = new ArrayList<>();
        starts.forEach((account, start) -> {
            Map<String, AccountMilestones.Completion> done = completed.getOrDefault(account, Map.of());
            for (JourneyDocument.Milestone milestone : checklist) {
                LocalDate due = start.plusDays(milestone.dueDays());
                if (!done.containsKey(milestone.key()) && due.isBefore(today)) {
                    overdue.add(new OverdueMilestone(account, milestone.key(), milestone.name(), due));
                }
            }
        });
        overdue.sort(java.util.Comparator.comparing(OverdueMilestone::dueOn)
                .thenComparing(OverdueMilestone::account)
                .thenComparing(OverdueMilestone::key));
        return overdue;
    }

    /**
     * Records that the account completed a milestone of the journey in force, on a day (today when none is given; not
     * in the future, not before its first contract started), with an optional note; the account's stage is then
     * decided again within seconds. ADMIN, MANAGER and CSM.
     */
    @Transactional
    public AccountJourney complete(UUID accountId, String key, LocalDate on, String note, User author) {
        requireWorker(author, "complete milestones");
        accounts.get(new AccountId(accountId));
        JourneyDocument.Milestone milestone = milestone(key);
        LocalDate today = LocalDate.now(clock);
        LocalDate day = on == null ? today : on;
        LocalDate start = snapshots.firstContractStarts(Set.of(accountId)).get(accountId);
        if (day.isAfter(today)) {
            throw new InvalidInputException("completedOn", "is " + day + ", after today (" + today + ")");
        }
        if (start != null && day.isBefore(start)) {
            throw new InvalidInputException(
                    "completedOn", "is " + day + ", before the account's first contract started (" + start + ")");
        }
        if (note != null && note.length() > 500) {
            throw new InvalidInputException("note", "has " + note.length() + " characters; at most 500");
        }
        milestones.complete(
                accountId,
                milestone.key(),
                new AccountMilestones.Completion(
                        day, author.displayName(), note == null || note.isBlank() ? null : note.strip()),
                clock.instant());
        requests.note(Set.of(accountId));
        events.publishEvent(new MilestonesChanged(Set.of(accountId)));
        return of(accountId);
    }

    /** One onboarding milestone of the journey in force: its key, name and due day after the first contract. */
    public record ChecklistItem(String key, String name, int dueDays) {}

    /** The onboarding checklist of the journey in force; empty when none is published or it has no milestones. */
    public List<ChecklistItem> checklist() {
        JourneyDocument document = publishedDocument();
        return document == null
                ? List.of()
                : document.milestones().stream()
                        .map(m -> new ChecklistItem(m.key(), m.name(), m.dueDays()))
                        .toList();
    }

    /** A milestone completion brought in from elsewhere (the demo company, an importer). */
    public record ImportedCompletion(UUID account, String milestone, LocalDate on, String note) {}

    /**
     * Records milestone completions in bulk, as {@code by}, in one statement; the accounts' stages are then decided
     * again. Refused whole when one names a milestone the journey in force does not have or a day after today.
     */
    @Transactional
    public int importCompletions(List<ImportedCompletion> completions, String by) {
        Set<String> keys = new java.util.HashSet<>();
        checklist().forEach(item -> keys.add(item.key()));
        LocalDate today = LocalDate.now(clock);
        for (int i = 0; i < completions.size(); i++) {
            ImportedCompletion completion = completions.get(i);
            if (!keys.contains(completion.milestone())) {
                throw new InvalidInputException(
                        "completions[" + i + "].milestone",
                        "the journey in force has no milestone '" + completion.milestone() + "'; it has " + keys);
            }
            if (completion.on() == null || completion.on().isAfter(today)) {
                throw new InvalidInputException(
                        "completions[" + i + "].on", "must be a day up to today (" + today + ")");
            }
        }
        milestones.completeAll(completions, by, clock.instant());
        Set<UUID> accounts = new java.util.HashSet<>();
        completions.forEach(c -> accounts.add(c.account()));
        requests.note(accounts);
        events.publishEvent(new MilestonesChanged(accounts));
        return completions.size();
    }

    /** Takes back a milestone's completion; the account's stage is then decided again. ADMIN, MANAGER and CSM. */
    @Transactional
    public AccountJourney undo(UUID accountId, String key, User author) {
        requireWorker(author, "complete milestones");
        accounts.get(new AccountId(accountId));
        JourneyDocument.Milestone milestone = milestone(key);
        if (!milestones.undo(accountId, milestone.key())) {
            throw new NotFoundException("The account has not completed the milestone " + key + ".");
        }
        requests.note(Set.of(accountId));
        events.publishEvent(new MilestonesChanged(Set.of(accountId)));
        return of(accountId);
    }

    private JourneyDocument.Milestone milestone(String key) {
        JourneyDocument document = publishedDocument();
        List<JourneyDocument.Milestone> checklist = document == null ? List.of() : document.milestones();
        return checklist.stream()
                .filter(m -> m.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("The journey in force has no milestone " + key + "; its"
                        + " milestones are "
                        + checklist.stream().map(JourneyDocument.Milestone::key).toList() + "."));
    }

    private void requireWorker(User author, String action) {
        if (author.role() == Role.VIEWER) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not " + action + "; ADMIN, MANAGER and CSM may");
        }
    }

    /**
     * Moves an account to a stage by hand, with a reason; the journey's rules leave it there until {@code holdUntil}
     * (after today, at most {@value #MAXIMUM_HOLD_DAYS} days ahead), or until the stage's exit rule holds for it, then
     * decide again. Refused when the exit rule holds already: the hold would end at once.
     */
    @Transactional
    public AccountJourney move(UUID accountId, String stageKey, String reason, LocalDate holdUntil, User author) {
        requireEditor(author, "move accounts between stages");
        accounts.get(new AccountId(accountId));
        JourneyDocument document = publishedDocument();
        if (document == null) {
            throw new InvalidInputException("stage", "no journey is published; publish one before moving accounts");
        }
        JourneyDocument.Stage stage = document.stage(stageKey);
        if (stage == null) {
            String nearest = Conditions.nearest(
                    stageKey == null ? "" : stageKey,
                    document.stages().stream().map(JourneyDocument.Stage::key).toList());
            throw new InvalidInputException(
                    "stage",
                    "no stage has the key '" + stageKey + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The stages are "
                            + document.stages().stream()
                                    .map(JourneyDocument.Stage::key)
                                    .toList());
        }
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "is required: say why the account belongs in " + stage.name());
        }
        if (reason.length() > 500) {
            throw new InvalidInputException("reason", "has " + reason.length() + " characters; at most 500");
        }
        LocalDate today = LocalDate.now(clock);
        if (holdUntil == null || !holdUntil.isAfter(today) || holdUntil.isAfter(today.plusDays(MAXIMUM_HOLD_DAYS))) {
            throw new InvalidInputException(
                    "holdUntil",
                    "must be a day after today (" + today + ") and at most " + MAXIMUM_HOLD_DAYS
                            + " days ahead: until then the journey's rules leave the account in this stage");
        }
        evaluation.lockMembership();
        Map<UUID, AccountStages.Stay> current = stages.current(Set.of(accountId));
        AccountStages.Stay stay = current.get(accountId);
        Instant at = clock.instant();
        AccountStages.Stay held = new AccountStages.Stay(
                accountId,
                stage.key(),
                stage.name(),
                at,
                null,
                "manual",
                author.displayName(),
                reason.strip(),
                holdUntil);
        if (evaluation.exitHolds(evaluation.journey(), stage.key(), accountId, held)) {
            throw new InvalidInputException(
                    "stage",
                    "the exit rule of " + stage.name() + " (" + stage.exit() + ") already holds for this account, so"
                            + " the hold would end at once; choose another stage, or change the exit rule");
        }
        if (stay != null) {
            stages.leave(Set.of(accountId), at, Set.of(accountId));
        }
        stages.enter(List.of(held));
        events.publishEvent(new StageChanged(
                List.of(new StageChanged.Change(
                        new AccountId(accountId), stay == null ? null : stay.stage(), stage.key(), "manual")),
                at));
        return of(accountId);
    }

    /**
     * When stages began to be known: the first journey's publication, or the earliest stay imported from before it.
     * Days in a stage count from then on.
     */
    public Instant trackedSince() {
        Instant published = journeys.history(Journeys.NAME).stream()
                .map(DocumentVersion::publishedAt)
                .filter(java.util.Objects::nonNull)
                .min(java.util.Comparator.naturalOrder())
                .orElse(null);
        Instant imported = published == null ? null : stages.earliestImported();
        return imported != null && imported.isBefore(published) ? imported : published;
    }

    /** The most stays one import may bring. */
    public static final int MAXIMUM_IMPORTED_STAYS = 200_000;

    /**
     * A stay from before Steward kept stages: the account was in the stage from the start of {@code enteredOn} until
     * the start of {@code leftOn} ({@code null}: still there, for the last stay of an account Steward has no stage
     * of yet).
     */
    public record ImportedStay(UUID accountId, String stage, LocalDate enteredOn, LocalDate leftOn) {}

    /**
     * Brings in accounts' stage history from before Steward kept it (another CS platform's, or reconstructed), so that
     * the journey's flow, times in stage and the account timelines reach back. Stays are kept as facts with the cause
     * {@code imported}, {@code by} whom and why. What Steward recorded wins: an imported stay is cut where the account's
     * first recorded stay begins, and one in the same stage that reaches it moves that stay's start back instead of
     * being kept apart. Refused whole, naming the stay and field, when a stay names an account that does not exist or
     * that has imported history already, a stage the journey in force does not have, no day or a day after today, a
     * stay that does not end after it begins or overlaps another of the account, an open stay that is not the account's
     * last, or more than {@value #MAXIMUM_IMPORTED_STAYS} stays. Answers the stays written.
     */
    @Transactional
    public int importHistory(List<ImportedStay> stays, String by, String reason) {
        return importHistory(stays, by, reason, false);
    }

    /**
     * As {@link #importHistory(List, String, String)}; with {@code replace}, the stays Steward's rules recorded for these
     * accounts are dropped first and the imported history stands alone (for accounts loaded moments before, whose
     * rule stays only reflect the order their records arrived in); an account moved by hand is then refused. The
     * accounts' stages are decided again within seconds, from the imported ones.
     */
    @Transactional
    public int importHistory(List<ImportedStay> stays, String by, String reason, boolean replace) {
        if (stays.size() > MAXIMUM_IMPORTED_STAYS) {
            throw new InvalidInputException(
                    "stays", "has " + stays.size() + " stays; at most " + MAXIMUM_IMPORTED_STAYS + " an import");
        }
        JourneyDocument document = publishedDocument();
        if (document == null) {
            throw new InvalidInputException("stays", "no journey is published; publish one before importing stages");
        }
        LocalDate today = LocalDate.now(clock);
        Map<UUID, List<Integer>> byAccount = new LinkedHashMap<>();
        for (int i = 0; i < stays.size(); i++) {
            ImportedStay stay = stays.get(i);
            String at = "stays[" + i + "]";
            if (stay.accountId() == null) {
                throw new InvalidInputException(at + ".accountId", "is required");
            }
            if (stay.stage() == null || document.stage(stay.stage()) == null) {
                String nearest = Conditions.nearest(
                        stay.stage() == null ? "" : stay.stage(),
                        document.stages().stream()
                                .map(JourneyDocument.Stage::key)
                                .toList());
                throw new InvalidInputException(
                        at + ".stage",
                        "no stage of the journey in force has the key '" + stay.stage() + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
            }
            if (stay.enteredOn() == null || stay.enteredOn().isAfter(today)) {
                throw new InvalidInputException(at + ".enteredOn", "must be a day up to today (" + today + ")");
            }
            if (stay.leftOn() != null
                    && (stay.leftOn().isAfter(today) || !stay.leftOn().isAfter(stay.enteredOn()))) {
                throw new InvalidInputException(
                        at + ".leftOn",
                        "must be after enteredOn (" + stay.enteredOn() + ") and up to today (" + today + ")");
            }
            byAccount.computeIfAbsent(stay.accountId(), k -> new ArrayList<>()).add(i);
        }
        Set<UUID> known = accounts
                .findAll(byAccount.keySet().stream().map(AccountId::new).toList())
                .stream()
                .map(a -> a.id().value())
                .collect(Collectors.toSet());
        evaluation.lockMembership();
        Set<UUID> imported = stages.withStayBy(byAccount.keySet(), "imported");
        if (replace) {
            Set<UUID> moved = stages.withStayBy(byAccount.keySet(), "manual");
            if (!moved.isEmpty()) {
                UUID account = moved.iterator().next();
                throw new InvalidInputException(
                        "stays[" + byAccount.get(account).get(0) + "].accountId",
                        "the account " + account + " was moved by hand; its stages cannot be replaced");
            }
            stages.dropRuleStays(byAccount.keySet());
        }
        Map<UUID, AccountStages.Stay> first = stages.firstRecorded(byAccount.keySet());
        java.time.ZoneId zone = clock.getZone();
        List<AccountStages.Stay> rows = new ArrayList<>();
        byAccount.forEach((account, indexes) -> {
            String at = "stays[" + indexes.get(0) + "]";
            if (!known.contains(account)) {
                throw new InvalidInputException(at + ".accountId", "no account has the id " + account);
            }
            if (imported.contains(account)) {
                throw new InvalidInputException(
                        at + ".accountId", "the account " + account + " has imported stage history already");
            }
            List<Integer> ordered = new ArrayList<>(indexes);
            ordered.sort(java.util.Comparator.comparing(i -> stays.get(i).enteredOn()));
            for (int k = 0; k < ordered.size(); k++) {
                ImportedStay stay = stays.get(ordered.get(k));
                boolean last = k == ordered.size() - 1;
                if (stay.leftOn() == null && !last) {
                    throw new InvalidInputException(
                            "stays[" + ordered.get(k) + "].leftOn",
                            "is required: only the account's last stay may be open");
                }
                if (!last && stays.get(ordered.get(k + 1)).enteredOn().isBefore(stay.leftOn())) {
                    throw new InvalidInputException(
                            "stays[" + ordered.get(k + 1) + "].enteredOn",
                            "overlaps the account's stay in " + stay.stage() + " until " + stay.leftOn());
                }
            }
            AccountStages.Stay recorded = first.get(account);
            for (int k = 0; k < ordered.size(); k++) {
                ImportedStay stay = stays.get(ordered.get(k));
                JourneyDocument.Stage stage = document.stage(stay.stage());
                Instant entered = stay.enteredOn().atStartOfDay(zone).toInstant();
                Instant left = stay.leftOn() == null
                        ? null
                        : stay.leftOn().atStartOfDay(zone).toInstant();
                if (recorded != null) {
                    if (!entered.isBefore(recorded.enteredAt())) {
                        break;
                    }
                    if (left == null || left.isAfter(recorded.enteredAt())) {
                        left = recorded.enteredAt();
                    }
                    if (left.equals(recorded.enteredAt()) && stage.key().equals(recorded.stage())) {
                        stages.startEarlier(account, recorded.enteredAt(), entered);
                        break;
                    }
                }
                rows.add(new AccountStages.Stay(
                        account, stage.key(), stage.name(), entered, left, "imported", by, reason, null));
            }
        });
        stages.insertHistory(rows);
        if (replace) {
            requests.note(byAccount.keySet());
        }
        return rows.size();
    }

    /** Whether a user may save and publish the journey and move accounts by hand. */
    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    /** Checks a journey document without saving it. */
    public SegmentValidation validate(String yaml) {
        JourneyDocuments.Check check = read(yaml);
        return new SegmentValidation(check.isValid(), check.problems());
    }

    /** Saves the YAML, exactly as written, as the journey's next version, a draft, with its problems. */
    @Transactional
    public DocumentText<SegmentProblem> saveDraft(String yaml, User author) {
        requireEditor(author, "save the journey");
        JourneyDocuments.Check check = read(yaml);
        return insert(yaml, DocumentVersion.Status.DRAFT, check.problems(), author.id(), author.displayName());
    }

    /** Makes the version the journey in force; every account's stage is then decided again within seconds. */
    @Transactional
    public DocumentVersion publish(int version, User author) {
        requireEditor(author, "publish the journey");
        if (journeys.publish(
                Journeys.NAME, version, "The journey", yaml -> read(yaml).problems(), clock.instant())) {
            events.publishEvent(new JourneyPublished(version));
        }
        return version(version).version();
    }

    /** The journey's versions, newest first. */
    public List<DocumentVersion> versions() {
        return journeys.history(Journeys.NAME);
    }

    public DocumentText<SegmentProblem> version(int version) {
        return journeys.version(Journeys.NAME, version, "The journey");
    }

    public String diff(int from, int to) {
        return VersionedDocuments.diff(Journeys.NAME, version(from), version(to));
    }

    /** Publishes the shipped journey unless a journey exists; how a fresh Steward gets its stages. */
    @Transactional
    boolean importIfEmpty() {
        VersionedDocuments<SegmentProblem> documents = journeys.documents();
        documents.create(Journeys.NAME, clock.instant());
        documents.lock(Journeys.NAME).orElseThrow();
        if (!documents.history(Journeys.NAME).isEmpty()) {
            return false;
        }
        String yaml;
        try {
            yaml = new ClassPathResource(SHIPPED).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JourneyDocuments.Check check = read(yaml);
        if (!check.isValid()) {
            throw new IllegalStateException("The shipped journey is invalid: " + check.problems());
        }
        DocumentText<SegmentProblem> saved =
                insert(yaml, DocumentVersion.Status.PUBLISHED, List.of(), null, SHIPPED_AUTHOR);
        events.publishEvent(new JourneyPublished(saved.version().version()));
        return true;
    }

    private DocumentText<SegmentProblem> insert(
            String yaml, DocumentVersion.Status status, List<SegmentProblem> problems, UUID authorId, String author) {
        return version(journeys.insert(Journeys.NAME, yaml, status, problems, authorId, author, clock.instant()));
    }

    /** The published version of the journey in force, or {@code null} before one is published. */
    VersionedDocuments.Published<SegmentProblem> published() {
        return journeys.published(Journeys.NAME).orElse(null);
    }

    /** The milestones of the journey in force, read again only when its text changes: a cockpit asks on every view. */
    private List<JourneyDocument.Milestone> publishedMilestones() {
        VersionedDocuments.Published<SegmentProblem> published = published();
        if (published == null) {
            return List.of();
        }
        String yaml = published.text().yaml();
        ReadMilestones read = readMilestones;
        if (read == null || !read.yaml().equals(yaml)) {
            JourneyDocument document = read(yaml).document();
            read = new ReadMilestones(yaml, document == null ? List.of() : document.milestones());
            readMilestones = read;
        }
        return read.milestones();
    }

    private record ReadMilestones(String yaml, List<JourneyDocument.Milestone> milestones) {}

    private volatile ReadMilestones readMilestones;

    /** The journey in force, or {@code null} before one is published. */
    JourneyDocument publishedDocument() {
        VersionedDocuments.Published<SegmentProblem> published = published();
        return published == null ? null : read(published.text().yaml()).document();
    }

    /** Reads and checks a journey document against the account attributes that exist now. */
    JourneyDocuments.Check read(String yaml) {
        return new JourneyDocuments(SegmentVariables.declareForStages(reader.attributeNames())).read(yaml);
    }

    private long days(Instant from, LocalDate today) {
        return ChronoUnit.DAYS.between(from.atZone(clock.getZone()).toLocalDate(), today);
    }

    private void requireEditor(User author, String action) {
        if (!mayEdit(author)) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not " + action + "; ADMIN and MANAGER may");
        }
    }
}
