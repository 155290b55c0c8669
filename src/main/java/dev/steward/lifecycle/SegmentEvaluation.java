package dev.steward.lifecycle;

import com.google.common.collect.ImmutableMap;
import dev.steward.core.Conditions;
import dev.steward.core.JobChanged;
import dev.steward.core.LockRetries;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides which accounts are in each published rule segment and records the changes as facts (entered, left) with
 * {@link SegmentEntered} and {@link SegmentLeft}: for every account after a publication, and for a few accounts when
 * their facts or scores change (see {@link EvaluationRequests}). One evaluation runs at a time across instances, so two never record the same change.
 */
@Component
class SegmentEvaluation {

    private static final Logger log = LoggerFactory.getLogger(SegmentEvaluation.class);

    private final VersionedDocuments<SegmentProblem> segments;
    private final SegmentMemberships memberships;
    private final EvaluationRequests requests;
    private final Journeys journeys;
    private final AccountStages stages;
    private final AccountMilestones milestones;
    private final OwnerDecisions owners;
    private final AccountFactsReader reader;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final Clock clock;

    SegmentEvaluation(
            VersionedDocuments<SegmentProblem> segments,
            SegmentMemberships memberships,
            EvaluationRequests requests,
            Journeys journeys,
            AccountStages stages,
            AccountMilestones milestones,
            OwnerDecisions owners,
            AccountFactsReader reader,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            Clock clock) {
        this.segments = segments;
        this.memberships = memberships;
        this.requests = requests;
        this.journeys = journeys;
        this.stages = stages;
        this.milestones = milestones;
        this.owners = owners;
        this.reader = reader;
        this.events = events;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * What an evaluation did: accounts evaluated, segment entries and exits recorded, stage moves recorded, accounts
     * that changed owner, and how long it took.
     */
    record Run(int accounts, int entered, int left, int moved, int reassigned, long millis) {}

    /** Evaluates every account's membership of every published segment. */
    Run evaluateAll() {
        long started = System.nanoTime();
        SegmentRules rules = rules();
        JourneyRules journey = journey();
        OwnerRules assignment = owners.rules();
        if (rules.rules().isEmpty() && journey.isEmpty() && assignment.isEmpty()) {
            return new Run(0, 0, 0, 0, 0, 0);
        }
        int[] total = new int[5];
        OwnerDecisions.TerritoryCounts counts = new OwnerDecisions.TerritoryCounts();
        reader.eachBatch(ids -> add(
                total,
                LockRetries.retry(
                        "Segment, stage and owner decisions",
                        () -> evaluate(rules, journey, assignment, ids, counts),
                        counts::forget)));
        Run run = new Run(total[0], total[1], total[2], total[3], total[4], (System.nanoTime() - started) / 1_000_000);
        log.info(
                "Segments, stages and owners evaluated for {} accounts in {} ms: {} entries, {} exits, {} stage moves,"
                        + " {} owner changes",
                run.accounts(),
                run.millis(),
                run.entered(),
                run.left(),
                run.moved(),
                run.reassigned());
        return announced(run);
    }

    /**
     * Evaluates the accounts whose membership was asked to be decided again (see {@link EvaluationRequests}), a batch
     * per transaction that both takes the requests and records the decisions, until none wait.
     */
    Run evaluateRequested() {
        long started = System.nanoTime();
        // Compiled when the first request is taken: this runs every second, mostly to find that none waits.
        SegmentRules[] rules = {null};
        JourneyRules[] journey = {null};
        OwnerRules[] assignment = {null};
        OwnerDecisions.TerritoryCounts territories = new OwnerDecisions.TerritoryCounts();
        int[] total = new int[5];
        while (true) {
            int[] counts = LockRetries.retry(
                    "Requested segment, stage and owner decisions",
                    () -> transactions.execute(status -> {
                        lockMembership();
                        Set<UUID> ids = requests.take(AccountFactsReader.BATCH);
                        if (ids.isEmpty()) {
                            return null;
                        }
                        if (rules[0] == null) {
                            rules[0] = rules();
                            journey[0] = journey();
                            assignment[0] = owners.rules();
                        }
                        // With no rule segment, journey or assignment rules nothing is decided and no account's facts
                        // are read.
                        return rules[0].rules().isEmpty() && journey[0].isEmpty() && assignment[0].isEmpty()
                                ? new int[5]
                                : evaluate(rules[0], journey[0], assignment[0], List.copyOf(ids), territories);
                    }),
                    territories::forget);
            if (counts == null) {
                return announced(new Run(
                        total[0], total[1], total[2], total[3], total[4], (System.nanoTime() - started) / 1_000_000));
            }
            add(total, counts);
        }
    }

    /**
     * An evaluation that moved accounts to another stage or another owner changed what people see as theirs: the
     * audit trail records it as the job's entry (segment entries and exits are kept as membership facts).
     */
    private Run announced(Run run) {
        if (run.moved() + run.reassigned() > 0) {
            transactions.executeWithoutResult(status -> events.publishEvent(new JobChanged(
                    "EVALUATE",
                    "/lifecycle",
                    200,
                    run.accounts() + " accounts evaluated: " + run.moved() + " stage moves, " + run.reassigned()
                            + " owner changes, " + run.entered() + " segment entries, " + run.left() + " exits")));
        }
        return run;
    }

    /** One account matched by a preview: its id, name and ARR. */
    record Match(UUID account, String name, BigDecimal arr) {}

    /** What a condition selects on current data: how many accounts, their ARR, the largest by ARR, and failures. */
    record Selection(
            int evaluated, int matched, BigDecimal arr, List<Match> sample, int undecided, String firstError) {}

    /**
     * Which accounts the condition selects on current data, without recording anything: what a draft would do if it
     * were published. {@code segments} holds each account's current segments.
     */
    Selection select(Conditions.Compiled condition, String text, int sampleSize) {
        AccountFactsReader.Reads reads = AccountFactsReader.Reads.of(java.util.stream.Stream.of(text));
        LocalDate today = LocalDate.now(clock);
        List<VersionedDocuments.Published<SegmentProblem>> published = segments.published();
        Map<UUID, String> names = new HashMap<>();
        published.forEach(p -> names.put(p.id(), p.text().version().name()));
        int[] counts = new int[3];
        BigDecimal[] arr = {BigDecimal.ZERO};
        String[] firstError = {null};
        List<Match> sample = new ArrayList<>();
        Comparator<Match> largest = Comparator.comparing(Match::arr).reversed().thenComparing(Match::name);
        reader.eachBatch(ids -> {
            Map<UUID, List<String>> in = segmentsOf(names, ids);
            for (AccountFacts facts : reader.read(ids, today, reads)) {
                UUID id = facts.account().id().value();
                counts[0]++;
                Conditions.Outcome outcome =
                        condition.evaluate(SegmentVariables.of(facts, today, in.getOrDefault(id, List.of())));
                if (outcome.error() != null && !outcome.error().contains("key")) {
                    counts[2]++;
                    if (firstError[0] == null) {
                        firstError[0] = facts.account().name() + ": " + outcome.error();
                    }
                }
                if (outcome.holds()) {
                    counts[1]++;
                    BigDecimal value = facts.account().arr() == null
                            ? BigDecimal.ZERO
                            : facts.account().arr();
                    arr[0] = arr[0].add(value);
                    sample.add(new Match(id, facts.account().name(), value));
                    if (sample.size() > sampleSize * 4) {
                        sample.sort(largest);
                        sample.subList(sampleSize, sample.size()).clear();
                    }
                }
            }
        });
        sample.sort(largest);
        return new Selection(
                counts[0],
                counts[1],
                arr[0],
                List.copyOf(sample.subList(0, Math.min(sampleSize, sample.size()))),
                counts[2],
                firstError[0]);
    }

    /** The published segments, compiled against today's attribute names. */
    SegmentRules rules() {
        List<VersionedDocuments.Published<SegmentProblem>> published = segments.published();
        if (published.isEmpty()) {
            return SegmentRules.of(List.of());
        }
        Conditions conditions = SegmentVariables.declare(reader.attributeNames());
        List<SegmentRules.Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        published.forEach(p -> names.add(p.text().version().name()));
        SegmentDocuments documents = new SegmentDocuments(conditions, names);
        for (VersionedDocuments.Published<SegmentProblem> p : published) {
            SegmentCheck check = documents.read(p.text().yaml(), null);
            if (check.document() == null) {
                // Published valid, but an attribute it reads has gone since: it keeps its members until fixed.
                log.warn("Segment {} is not evaluated: {}", p.text().version().name(), check.problems());
                continue;
            }
            SegmentDocument document = check.document();
            rules.add(new SegmentRules.Rule(
                    p.id(), document, document.isRule() ? conditions.compile(document.condition()) : null));
        }
        return SegmentRules.of(rules);
    }

    private static void add(int[] total, int[] counts) {
        for (int i = 0; i < total.length; i++) {
            total[i] += counts[i];
        }
    }

    /** The journey in force, compiled against today's attribute names; none when it is not published or not valid. */
    JourneyRules journey() {
        return journeys.published(Journeys.NAME)
                .map(p -> {
                    Conditions conditions = SegmentVariables.declareForStages(reader.attributeNames());
                    JourneyDocuments.Check check =
                            new JourneyDocuments(conditions).read(p.text().yaml());
                    if (!check.isValid()) {
                        // Published valid, but an attribute it reads has gone since: stages stay as they are.
                        log.warn("The journey is not evaluated: {}", check.problems());
                        return JourneyRules.none();
                    }
                    return JourneyRules.of(check.document(), conditions);
                })
                .orElse(JourneyRules.none());
    }

    /**
     * Evaluates a batch in one transaction; answers accounts evaluated, segment entries and exits, stage moves and
     * owner changes. Owners are decided last, on the segments just decided (a territory may read them); a segment or
     * stage that reads the owner sees a change on the account's next evaluation, which the change asks for.
     */
    private int[] evaluate(
            SegmentRules rules,
            JourneyRules journey,
            OwnerRules assignment,
            List<UUID> ids,
            OwnerDecisions.TerritoryCounts counts) {
        return transactions.execute(status -> {
            lockMembership();
            LocalDate today = LocalDate.now(clock);
            Instant at = clock.instant();
            List<AccountFacts> facts = reader.read(ids, today, reads(rules, journey, assignment));
            List<UUID> found = facts.stream().map(f -> f.account().id().value()).toList();
            List<UUID> all = rules.ordered().stream().map(SegmentRules.Rule::id).toList();
            Map<UUID, Set<UUID>> current = memberships.current(all, found);
            Map<UUID, List<String>> in = new HashMap<>();
            Map<UUID, Set<UUID>> wanted = new HashMap<>();
            for (SegmentRules.Rule rule : rules.ordered()) {
                if (!rule.document().isRule()) {
                    current.get(rule.id())
                            .forEach(account -> in.computeIfAbsent(account, k -> new ArrayList<>())
                                    .add(rule.name()));
                }
            }
            Map<UUID, List<String>> segmentNames = new HashMap<>();
            // Each account's values, with all its segments, made once for its segments, its stage and its owner.
            Map<UUID, Map<String, Object>> variables = new HashMap<>();
            for (AccountFacts account : facts) {
                UUID id = account.account().id().value();
                List<String> names = new ArrayList<>(in.getOrDefault(id, List.of()));
                Decided decided = decideWithValues(rules, account, today, in.getOrDefault(id, List.of()));
                for (SegmentRules.Rule rule : decided.in()) {
                    wanted.computeIfAbsent(rule.id(), k -> new HashSet<>()).add(id);
                    names.add(rule.name());
                }
                segmentNames.put(id, names);
                variables.put(id, decided.variables());
            }
            int entered = 0;
            int left = 0;
            for (SegmentRules.Rule rule : rules.rules()) {
                Set<UUID> want = wanted.getOrDefault(rule.id(), Set.of());
                Set<UUID> have = current.get(rule.id());
                Set<UUID> enter = new HashSet<>(want);
                enter.removeAll(have);
                Set<UUID> leave = new HashSet<>(have);
                leave.removeAll(want);
                Set<UUID> recordedIn = memberships.enter(rule.id(), enter, at);
                Set<UUID> recordedOut = memberships.leave(rule.id(), leave, at);
                publish(rule.name(), recordedIn, recordedOut, at);
                entered += recordedIn.size();
                left += recordedOut.size();
            }
            int moved = journey.isEmpty() ? 0 : stages(journey, facts, variables, today, at);
            int reassigned = owners.decide(
                    assignment, facts, variables::get, at, Set.of(), null, null, readsOwner(rules, journey), counts);
            return new int[] {facts.size(), entered, left, moved, reassigned};
        });
    }

    /**
     * The rule segments the account belongs in, deciding each after the segments its condition reads, given the
     * static segments it is in.
     */
    static List<SegmentRules.Rule> decide(
            SegmentRules rules, AccountFacts account, LocalDate today, List<String> staticSegments) {
        return decideWithValues(rules, account, today, staticSegments).in();
    }

    /** The rule segments an account belongs in, and its values with every segment it is in (immutable). */
    record Decided(List<SegmentRules.Rule> in, Map<String, Object> variables) {}

    /** {@link #decide}, answering the account's values with all its segments as well. */
    static Decided decideWithValues(
            SegmentRules rules, AccountFacts account, LocalDate today, List<String> staticSegments) {
        List<String> names = new ArrayList<>(staticSegments);
        // The account's values are made once; only the segments it is in so far change from one rule to the next. CEL
        // takes an immutable map as it is, where it would copy any other for every condition.
        Map<String, Object> values = SegmentVariables.of(account, today, names);
        Map<String, Object> variables = ImmutableMap.copyOf(values);
        List<SegmentRules.Rule> in = new ArrayList<>();
        for (SegmentRules.Rule rule : rules.rules()) {
            if (rule.condition().evaluate(variables).holds()) {
                in.add(rule);
                names.add(rule.name());
                values.put(SegmentVariables.SEGMENTS, List.copyOf(names));
                variables = ImmutableMap.copyOf(values);
            }
        }
        return new Decided(in, variables);
    }

    /**
     * Moves each account to the stage the journey's rules put it in, unless a person moved it by hand and the hold has
     * not run out, nor been ended by its stage's exit rule; records the moves and announces them with
     * {@link StageChanged}. Answers how many moved.
     */
    private int stages(
            JourneyRules journey,
            List<AccountFacts> facts,
            Map<UUID, Map<String, Object>> variables,
            LocalDate today,
            Instant at) {
        Map<UUID, AccountStages.Stay> current = stages.current(variables.keySet());
        Map<UUID, Map<String, AccountMilestones.Completion>> completed = milestones.completed(variables.keySet());
        List<StageChanged.Change> changes = new ArrayList<>();
        List<UUID> leaving = new ArrayList<>();
        List<UUID> exited = new ArrayList<>();
        List<AccountStages.Stay> entering = new ArrayList<>();
        for (AccountFacts account : facts) {
            UUID id = account.account().id().value();
            AccountStages.Stay stay = current.get(id);
            boolean held = stay != null && stay.manual() && today.isBefore(stay.holdUntil());
            if (held && !journey.hasExit(stay.stage())) {
                continue;
            }
            Map<String, Object> values = stageValues(
                    journey,
                    account,
                    new HashMap<>(variables.get(id)),
                    stay,
                    completed.getOrDefault(id, Map.of()),
                    today);
            if (held && !journey.exits(stay.stage(), values)) {
                continue;
            }
            JourneyDocument.Stage decided = journey.decide(values);
            String from = stay == null ? null : stay.stage();
            String to = decided == null ? null : decided.key();
            if (held) {
                // The hold ends even when the rules put the account back in the same stage: it is then there by rule.
                exited.add(id);
            } else if (Objects.equals(from, to)) {
                continue;
            } else if (stay != null) {
                leaving.add(id);
            }
            if (decided != null) {
                entering.add(
                        new AccountStages.Stay(id, decided.key(), decided.name(), at, null, "rule", null, null, null));
            }
            if (!Objects.equals(from, to)) {
                changes.add(new StageChanged.Change(new AccountId(id), from, to, "rule"));
            }
        }
        // Set-based, a statement each for the whole batch: a first evaluation moves every account.
        Set<UUID> entered = new HashSet<>();
        entering.forEach(stay -> entered.add(stay.account()));
        stages.leave(leaving, at, entered);
        stages.endHolds(exited, at);
        stages.enter(entering);
        if (!changes.isEmpty()) {
            events.publishEvent(new StageChanged(changes, at));
        }
        return changes.size();
    }

    /** Which of the dearer facts any condition, entry, exit or territory rule reads. */
    private static AccountFactsReader.Reads reads(SegmentRules rules, JourneyRules journey, OwnerRules assignment) {
        return AccountFactsReader.Reads.of(java.util.stream.Stream.of(
                        rules.rules().stream().map(rule -> rule.document().condition()),
                        journey.isEmpty()
                                ? java.util.stream.Stream.<String>empty()
                                : journey.document().stages().stream()
                                        .flatMap(stage -> java.util.stream.Stream.of(stage.entry(), stage.exit())),
                        assignment.territories().stream().map(t -> t.territory().rule()))
                .flatMap(s -> s));
    }

    /** Whether a segment condition or stage entry rule reads the account's owner, and so must see a change of it. */
    private static boolean readsOwner(SegmentRules rules, JourneyRules journey) {
        return rules.rules().stream()
                        .anyMatch(rule -> rule.document().condition().contains("owner"))
                || (!journey.isEmpty()
                        && journey.document().stages().stream()
                                .anyMatch(stage -> stage.entry().contains("owner")));
    }

    /**
     * Decides these accounts' owners by the assignment rules now, in the caller's transaction and under the membership
     * lock, on their current segments; {@code excluded} people get none of them. Answers how many changed owner.
     */
    int decideOwners(Collection<UUID> accounts, Set<UUID> excluded, String by, String reason) {
        lockMembership();
        LocalDate today = LocalDate.now(clock);
        Map<UUID, String> names = new HashMap<>();
        segments.published().forEach(p -> names.put(p.id(), p.text().version().name()));
        OwnerRules assignment = owners.rules();
        OwnerDecisions.TerritoryCounts counts = new OwnerDecisions.TerritoryCounts();
        int changed = 0;
        List<UUID> all = List.copyOf(accounts);
        for (int from = 0; from < all.size(); from += AccountFactsReader.BATCH) {
            List<UUID> batch = all.subList(from, Math.min(all.size(), from + AccountFactsReader.BATCH));
            changed += owners.decide(
                    assignment,
                    reader.read(batch, today),
                    segmentsOf(names, batch),
                    today,
                    clock.instant(),
                    excluded,
                    by,
                    reason,
                    true,
                    counts);
        }
        return changed;
    }

    /**
     * What the journey's entry and exit rules read of an account: a segment condition's variables (with the segments
     * it is in) and the stage it is in, for how many days, and its onboarding milestones.
     */
    private Map<String, Object> stageValues(
            JourneyRules journey,
            AccountFacts account,
            List<String> segmentNames,
            AccountStages.Stay stay,
            Map<String, AccountMilestones.Completion> completed,
            LocalDate today) {
        return stageValues(journey, account, SegmentVariables.of(account, today, segmentNames), stay, completed, today);
    }

    /** {@link #stageValues} on the account's segment condition values already made (a mutable copy). */
    private Map<String, Object> stageValues(
            JourneyRules journey,
            AccountFacts account,
            Map<String, Object> values,
            AccountStages.Stay stay,
            Map<String, AccountMilestones.Completion> completed,
            LocalDate today) {
        OnboardingProgress progress =
                OnboardingProgress.of(journey.document().milestones(), completed, account.firstContractStart(), today);
        return ImmutableMap.copyOf(SegmentVariables.withStage(
                values,
                stay == null ? null : stay.stage(),
                stay == null
                        ? null
                        : ChronoUnit.DAYS.between(
                                stay.enteredAt().atZone(clock.getZone()).toLocalDate(), today),
                progress.done(),
                progress.completed(),
                progress.overdue()));
    }

    /**
     * Whether the exit rule of a stage holds now for an account that is in the given stay ({@code null}: in none): a
     * hold by hand in that stage would end at once.
     */
    boolean exitHolds(JourneyRules journey, String stage, UUID account, AccountStages.Stay stay) {
        if (!journey.hasExit(stage)) {
            return false;
        }
        LocalDate today = LocalDate.now(clock);
        List<AccountFacts> facts = reader.read(List.of(account), today);
        if (facts.isEmpty()) {
            return false;
        }
        Map<UUID, String> names = new HashMap<>();
        segments.published().forEach(p -> names.put(p.id(), p.text().version().name()));
        Map<String, Object> values = stageValues(
                journey,
                facts.get(0),
                segmentsOf(names, List.of(account)).getOrDefault(account, List.of()),
                stay,
                milestones.completed(List.of(account)).getOrDefault(account, Map.of()),
                today);
        return journey.exits(stage, values);
    }

    /**
     * The condition's outcome for each of these accounts on the day, over everything a journey's entry rule reads (a
     * segment condition's variables, the segments the account is in, its stage and days in it, its onboarding); accounts
     * that do not exist are left out.
     */
    Map<UUID, Conditions.Outcome> outcomes(
            Conditions.Compiled condition, String text, List<UUID> ids, LocalDate today) {
        Map<UUID, Conditions.Outcome> outcomes = new HashMap<>();
        outcomes(Map.of(text, condition), ids, today).forEach((id, each) -> outcomes.put(id, each.get(text)));
        return outcomes;
    }

    /**
     * Each condition's outcome, by its text, for each of these accounts on the day, each account's facts read once for
     * all of them; accounts that do not exist are left out.
     */
    Map<UUID, Map<String, Conditions.Outcome>> outcomes(
            Map<String, Conditions.Compiled> conditions, List<UUID> ids, LocalDate today) {
        JourneyRules journey = journey();
        Map<UUID, String> names = new HashMap<>();
        segments.published().forEach(p -> names.put(p.id(), p.text().version().name()));
        AccountFactsReader.Reads reads = AccountFactsReader.Reads.of(conditions.keySet().stream());
        boolean onboarding = conditions.keySet().stream().anyMatch(text -> text.contains("onboarding"));
        Map<UUID, Map<String, Conditions.Outcome>> outcomes = new HashMap<>();
        for (int from = 0; from < ids.size(); from += AccountFactsReader.BATCH) {
            List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + AccountFactsReader.BATCH));
            List<AccountFacts> facts = reader.read(batch, today, reads);
            Map<UUID, List<String>> in = segmentsOf(names, batch);
            Map<UUID, AccountStages.Stay> stays = stages.current(batch);
            Map<UUID, Map<String, AccountMilestones.Completion>> completed =
                    onboarding ? milestones.completed(batch) : Map.of();
            for (AccountFacts account : facts) {
                UUID id = account.account().id().value();
                Map<String, Object> values = journey.isEmpty()
                        ? SegmentVariables.withStage(
                                SegmentVariables.of(account, today, in.getOrDefault(id, List.of())),
                                stays.containsKey(id) ? stays.get(id).stage() : null,
                                stays.containsKey(id)
                                        ? ChronoUnit.DAYS.between(
                                                stays.get(id)
                                                        .enteredAt()
                                                        .atZone(clock.getZone())
                                                        .toLocalDate(),
                                                today)
                                        : null,
                                false,
                                0,
                                0)
                        : stageValues(
                                journey,
                                account,
                                in.getOrDefault(id, List.of()),
                                stays.get(id),
                                completed.getOrDefault(id, Map.of()),
                                today);
                Map<String, Conditions.Outcome> each = new HashMap<>();
                conditions.forEach((text, condition) -> each.put(text, condition.evaluate(values)));
                outcomes.put(id, each);
            }
        }
        return outcomes;
    }

    /** Waits until no other transaction records membership, then holds that until this one ends. */
    void lockMembership() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('segment membership'))")
                .query()
                .singleValue();
    }

    /** Announces entries and exits, in the transaction that records them. */
    void publish(String segment, Collection<UUID> entered, Collection<UUID> left, Instant at) {
        if (!entered.isEmpty()) {
            events.publishEvent(new SegmentEntered(
                    segment, entered.stream().sorted().map(AccountId::new).toList(), at));
        }
        if (!left.isEmpty()) {
            events.publishEvent(new SegmentLeft(
                    segment, left.stream().sorted().map(AccountId::new).toList(), at));
        }
    }

    private Map<UUID, List<String>> segmentsOf(Map<UUID, String> names, List<UUID> accounts) {
        Map<UUID, List<String>> in = new HashMap<>();
        memberships
                .current(names.keySet(), accounts)
                .forEach((segment, members) -> members.forEach(account ->
                        in.computeIfAbsent(account, k -> new ArrayList<>()).add(names.get(segment))));
        return in;
    }
}
