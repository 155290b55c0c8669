package dev.steward.lifecycle;

import com.google.common.collect.ImmutableMap;
import dev.steward.core.Conditions;
import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final Segments segments;
    private final SegmentMemberships memberships;
    private final EvaluationRequests requests;
    private final AccountFactsReader reader;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final Clock clock;

    SegmentEvaluation(
            Segments segments,
            SegmentMemberships memberships,
            EvaluationRequests requests,
            AccountFactsReader reader,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            Clock clock) {
        this.segments = segments;
        this.memberships = memberships;
        this.requests = requests;
        this.reader = reader;
        this.events = events;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What an evaluation did: accounts evaluated, entries and exits recorded, and how long it took. */
    record Run(int accounts, int entered, int left, long millis) {}

    /** Evaluates every account's membership of every published segment. */
    Run evaluateAll() {
        long started = System.nanoTime();
        SegmentRules rules = rules();
        if (rules.rules().isEmpty()) {
            return new Run(0, 0, 0, 0);
        }
        AtomicInteger accounts = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        AtomicInteger left = new AtomicInteger();
        reader.eachBatch(ids -> {
            int[] counts = evaluate(rules, ids);
            accounts.addAndGet(counts[0]);
            entered.addAndGet(counts[1]);
            left.addAndGet(counts[2]);
        });
        Run run = new Run(accounts.get(), entered.get(), left.get(), (System.nanoTime() - started) / 1_000_000);
        log.info(
                "Segments evaluated for {} accounts in {} ms: {} entries, {} exits",
                run.accounts(),
                run.millis(),
                run.entered(),
                run.left());
        return run;
    }

    /**
     * Evaluates the accounts whose membership was asked to be decided again (see {@link EvaluationRequests}), a batch
     * per transaction that both takes the requests and records the decisions, until none wait.
     */
    Run evaluateRequested() {
        long started = System.nanoTime();
        // Compiled when the first request is taken: this runs every second, mostly to find that none waits.
        SegmentRules[] rules = {null};
        int[] total = new int[3];
        while (true) {
            int[] counts = transactions.execute(status -> {
                lockMembership();
                Set<UUID> ids = requests.take(AccountFactsReader.BATCH);
                if (ids.isEmpty()) {
                    return null;
                }
                if (rules[0] == null) {
                    rules[0] = rules();
                }
                // With no rule segment there is nothing to decide and no account's facts are read.
                return rules[0].rules().isEmpty() ? new int[3] : evaluate(rules[0], List.copyOf(ids));
            });
            if (counts == null) {
                return new Run(total[0], total[1], total[2], (System.nanoTime() - started) / 1_000_000);
            }
            for (int i = 0; i < 3; i++) {
                total[i] += counts[i];
            }
        }
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
    Selection select(Conditions.Compiled condition, int sampleSize) {
        LocalDate today = LocalDate.now(clock);
        List<Segments.Published> published = segments.published();
        Map<UUID, String> names = new HashMap<>();
        published.forEach(p -> names.put(p.id(), p.text().version().name()));
        int[] counts = new int[3];
        BigDecimal[] arr = {BigDecimal.ZERO};
        String[] firstError = {null};
        List<Match> sample = new ArrayList<>();
        Comparator<Match> largest = Comparator.comparing(Match::arr).reversed().thenComparing(Match::name);
        reader.eachBatch(ids -> {
            Map<UUID, List<String>> in = segmentsOf(names, ids);
            for (AccountFacts facts : reader.read(ids, today)) {
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
        List<Segments.Published> published = segments.published();
        if (published.isEmpty()) {
            return SegmentRules.of(List.of());
        }
        Conditions conditions = SegmentVariables.declare(reader.attributeNames());
        List<SegmentRules.Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        published.forEach(p -> names.add(p.text().version().name()));
        SegmentDocuments documents = new SegmentDocuments(conditions, names);
        for (Segments.Published p : published) {
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

    /** Evaluates a batch in one transaction; answers accounts evaluated, entries and exits. */
    private int[] evaluate(SegmentRules rules, List<UUID> ids) {
        return transactions.execute(status -> {
            lockMembership();
            LocalDate today = LocalDate.now(clock);
            Instant at = clock.instant();
            List<AccountFacts> facts = reader.read(ids, today);
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
            for (AccountFacts account : facts) {
                UUID id = account.account().id().value();
                for (SegmentRules.Rule rule : decide(rules, account, today, in.getOrDefault(id, List.of()))) {
                    wanted.computeIfAbsent(rule.id(), k -> new HashSet<>()).add(id);
                }
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
            return new int[] {facts.size(), entered, left};
        });
    }

    /**
     * The rule segments the account belongs in, deciding each after the segments its condition reads, given the
     * static segments it is in.
     */
    static List<SegmentRules.Rule> decide(
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
        return in;
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
