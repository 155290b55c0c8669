package dev.steward.lifecycle;

import dev.steward.core.BenchCompany;
import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.DocumentVersion;
import dev.steward.core.SubCommand;
import dev.steward.core.VersionedDocuments;
import dev.steward.health.HealthScoring;
import dev.steward.health.ScoringRun;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code bench lifecycle}: with 20 rule segments published on the demo company (default 100,000 accounts, scored for
 * today and 30 days before, so that trends exist), the full evaluation of every account's membership of every segment
 * ({@link SegmentEvaluation#evaluateAll()}), against a baseline in the same run: the same 20 conditions written as SQL
 * over the account table, one query each selecting the ids of the matching accounts. Each segment's members must be
 * exactly the accounts its query selects, or the benchmark fails.
 */
@Component
class LifecycleBenchmark implements SubCommand {

    /** Issue 13's target for a full evaluation of 100,000 accounts. */
    private static final double TARGET_SECONDS_PER_100K = 5;

    private static final double TARGET_RATIO = 1.5;

    /** Evaluations of every account waiting or running. */
    private static final String SCHEDULED_EVALUATIONS =
            "select count(*) from scheduled_tasks where task_name = '" + MembershipJobs.EVALUATE_ALL + "'";

    private final BenchCompany company;
    private final dev.steward.customer.AccountManagement accounts;
    private final HealthScoring scoring;
    private final SegmentEvaluation evaluation;
    private final AccountFactsReader reader;
    private final VersionedDocuments<SegmentProblem> segments;
    private final SegmentMemberships memberships;
    private final EvaluationRequests requests;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final Clock clock;

    LifecycleBenchmark(
            BenchCompany company,
            dev.steward.customer.AccountManagement accounts,
            HealthScoring scoring,
            SegmentEvaluation evaluation,
            AccountFactsReader reader,
            VersionedDocuments<SegmentProblem> segments,
            SegmentMemberships memberships,
            EvaluationRequests requests,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            DataSource dataSource,
            Clock clock) {
        this.company = company;
        this.accounts = accounts;
        this.scoring = scoring;
        this.evaluation = evaluation;
        this.reader = reader;
        this.segments = segments;
        this.memberships = memberships;
        this.requests = requests;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench lifecycle";
    }

    @Override
    public String usage() {
        return "[--small] [--accounts 100000] [--runs 3] --steward.database.data-dir=/tmp/bench-lifecycle  time the"
                + " evaluation of every account against 20 rule segments against the same conditions as 20 SQL"
                + " queries; loads the demo company into an empty database, or reuses one already loaded there; one"
                + " run empties the membership table, evaluates every account (recording every entry: the figure),"
                + " evaluates every account again (nothing changes), then runs the 20 queries and checks that each"
                + " segment has exactly as many members as its query selects";
    }

    private static final BenchRuns.Figure UNCHANGED = new BenchRuns.Figure("unchanged_s", "s", 2, 2);
    private static final BenchRuns.Figure SECONDS = new BenchRuns.Figure("seconds", "s", 2, 2);

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        // CI's size: one chunk of the demo load, so that the whole benchmark takes well under a minute.
        int count = options.getInt("accounts", small ? 500 : 100_000);
        BenchRuns runs = BenchRuns.start("lifecycle", options);
        company.loadUnlessPresent(count, 42);
        LocalDate today = LocalDate.now(clock);
        // The re-scores and evaluations the load asked for run in the background: none may compete with the runs.
        waitUntilQuiet();
        scoreUnlessScored(today);
        analyze();
        waitUntilQuiet();
        Map<UUID, BenchSegments.Segment> published = publish();
        SegmentRules rules = evaluation.rules();
        if (rules.rules().size() != BenchSegments.ALL.size()) {
            throw new IllegalStateException("expected " + BenchSegments.ALL.size()
                    + " rule segments to evaluate, found " + rules.rules().size());
        }
        System.out.printf(
                "%d rule segments published (%d read other segments); decided in the order %s%n",
                rules.rules().size(),
                BenchSegments.ALL.stream()
                        .filter(s -> !SegmentDocuments.references(s.condition()).isEmpty())
                        .count(),
                rules.rules().stream().map(SegmentRules.Rule::name).toList());

        // The warm-up: each part once, for the JIT and the caches; then the phases of an evaluation timed apart.
        clearMembership();
        SegmentEvaluation.Run first = evaluation.evaluateAll();
        SegmentEvaluation.Run again = evaluation.evaluateAll();
        Baseline baseline = baseline(published, today);
        System.out.printf(
                "Warm-up: first evaluation %.2f s (%,d accounts, %,d entries), again %.2f s (%,d entries, %,d exits),"
                        + " baseline %.2f s%n",
                first.millis() / 1000.0,
                first.accounts(),
                first.entered(),
                again.millis() / 1000.0,
                again.entered(),
                again.left(),
                baseline.seconds());
        compareMembers(published, baseline);
        phases(rules, today);

        for (int r = 0; r < runs.count(); r++) {
            clearMembership();
            long scheduledBefore = scheduledEvaluations();
            first = evaluation.evaluateAll();
            again = evaluation.evaluateAll();
            baseline = baseline(published, today);
            long expected =
                    baseline.ids().values().stream().mapToLong(Set::size).sum();
            System.out.printf(
                    "Run %d: first evaluation of %,d accounts %.2f s (%,d entries, %,d stage moves, %,d owners"
                            + " recorded, %,d changed owner); again %.2f s (%,d entries,"
                            + " %,d exits); 20 SQL queries %.2f s (%,d ids)%n",
                    r + 1,
                    first.accounts(),
                    first.millis() / 1000.0,
                    first.entered(),
                    first.moved(),
                    ownerFacts(),
                    first.reassigned(),
                    again.millis() / 1000.0,
                    again.entered(),
                    again.left(),
                    baseline.seconds(),
                    expected);
            if (first.entered() != expected || again.entered() != 0 || again.left() != 0 || again.reassigned() != 0) {
                throw new IllegalStateException("run " + (r + 1) + " recorded " + first.entered()
                        + " entries where the queries select " + expected + ", then " + again.entered()
                        + " entries, " + again.left() + " exits and " + again.reassigned()
                        + " owner changes where nothing changed");
            }
            compareCounts(published, baseline);
            if (scheduledBefore + scheduledEvaluations() > 0) {
                System.out.println("WARN an evaluation job was due during this run: it may have competed with it");
            }
            runs.record(r, UNCHANGED, again.millis() / 1000.0, baseline.seconds());
            runs.record(r, SECONDS, first.millis() / 1000.0, baseline.seconds());
        }
        System.out.println("seconds: the first evaluation of every account, on an empty membership table (every entry"
                + " recorded); unchanged_s: the same evaluation again, when nothing changes (nothing written)");
        System.out.println("Baseline: the 20 conditions as SQL over the account table (with the owner's email and the"
                + " latest score's coverage where a condition reads them), one query each, every matching id read");
        freshness(published);
        runs.summary();
        BenchRuns.Series figure = runs.series(SECONDS.name());
        double per100k = figure.values().median() * 100_000 / Math.max(1, first.accounts());
        // Below 10,000 accounts the fixed cost of an evaluation (compiling the segments) says more than the accounts
        // do.
        if (first.accounts() >= 10_000 && per100k > TARGET_SECONDS_PER_100K) {
            System.out.printf(
                    "WARN median %.2f s per 100,000 accounts is above the target of %.0f s%n",
                    per100k, TARGET_SECONDS_PER_100K);
        }
        if (figure.ratio() > TARGET_RATIO) {
            System.out.printf(
                    "WARN ratio %.2f is above the required %.1f (the goal is 1.0)%n", figure.ratio(), TARGET_RATIO);
        }
        runs.benchLines();
        return 0;
    }

    /**
     * Scores every account for 30 days ago and then for today unless the earlier day has scores (a reused database),
     * so that conditions on color, score, 30-day trend and coverage have something to read.
     */
    private void scoreUnlessScored(LocalDate today) {
        long scored = jdbc.sql("select count(*) from health_score where day = ?")
                .param(today.minusDays(30))
                .query(Long.class)
                .single();
        if (scored > 0) {
            System.out.printf("Reusing the scores of %,d accounts for %s and later%n", scored, today.minusDays(30));
            return;
        }
        for (LocalDate day : List.of(today.minusDays(30), today)) {
            ScoringRun run = scoring.rescoreAll(day);
            System.out.printf(
                    "Scored %,d accounts for %s in %.1f s%n", run.scored() + run.churned(), day, run.millis() / 1000.0);
        }
    }

    /**
     * Publishes the benchmark's segments (those not published already with the same text), straight into the
     * segment tables: publishing through {@link SegmentManagement} would start one evaluation job per segment, and
     * the benchmark evaluates itself. Each document is checked as publishing checks it first.
     */
    private Map<UUID, BenchSegments.Segment> publish() {
        Set<String> names = new HashSet<>();
        BenchSegments.ALL.forEach(s -> names.add(s.name()));
        Map<String, String> current = new HashMap<>();
        for (VersionedDocuments.Published<SegmentProblem> p : segments.published()) {
            String name = p.text().version().name();
            if (!names.contains(name)) {
                throw new IllegalStateException("this database has a published segment of its own (" + name
                        + "); start on a fresh data directory");
            }
            current.put(name, p.text().yaml());
        }
        SegmentDocuments documents = new SegmentDocuments(SegmentVariables.declare(reader.attributeNames()), names);
        Map<UUID, BenchSegments.Segment> published = new LinkedHashMap<>();
        transactions.executeWithoutResult(status -> {
            for (BenchSegments.Segment segment : BenchSegments.ALL) {
                String yaml = segment.yaml();
                SegmentCheck check = documents.read(yaml, segment.name());
                if (!check.isValid()) {
                    throw new IllegalStateException(
                            "segment " + segment.name() + " does not validate: " + check.problems());
                }
                segments.create(segment.name(), clock.instant());
                UUID id = segments.lock(segment.name()).orElseThrow();
                if (!yaml.equals(current.get(segment.name()))) {
                    int version = segments.insertVersion(
                            id,
                            yaml,
                            DocumentVersion.Status.DRAFT,
                            List.of(),
                            null,
                            "bench lifecycle",
                            clock.instant());
                    segments.publish(id, version, clock.instant());
                }
                published.put(id, segment);
            }
        });
        return published;
    }

    /**
     * Until no re-score or segment evaluation waits or runs (the load asks for re-scores, which ask for evaluations),
     * twice in a row a second apart, saying what it waits for every ten seconds.
     */
    private void waitUntilQuiet() throws InterruptedException {
        long started = System.nanoTime();
        long nextSay = started;
        int quiet = 0;
        while (quiet < 2) {
            long rescores = jdbc.sql("select count(*) from health_rescore_request")
                    .query(Long.class)
                    .single();
            // Jobs running, such as the re-score of requested accounts, which asks for evaluations when it ends.
            long jobs = scheduledEvaluations()
                    + jdbc.sql("select count(*) from scheduled_tasks where picked")
                            .query(Long.class)
                            .single();
            long waiting = requests.waiting();
            quiet = rescores + jobs + waiting == 0 ? quiet + 1 : 0;
            if (System.nanoTime() - started > 30L * 60 * 1_000_000_000L) {
                throw new IllegalStateException(rescores + " re-score requests, " + jobs + " evaluation jobs and "
                        + waiting + " evaluation requests still wait after 30 minutes");
            }
            if (quiet == 0 && System.nanoTime() >= nextSay) {
                System.out.printf(
                        "Waiting for %,d re-score requests, %d jobs and %,d evaluation requests%n",
                        rescores, jobs, waiting);
                nextSay = System.nanoTime() + 10_000_000_000L;
            }
            Thread.sleep(1_000);
        }
    }

    /** Accounts changed one after another to measure how soon their segments and owner follow. */
    private static final int FRESHNESS_CHANGES = 40;

    /**
     * Freshness, as a user sees it: accounts moved one after another to the Enterprise tier through the API's own
     * write path, each timed from the moment its write committed until it is a member of the Enterprise segment and,
     * when the demo's assignment rules are in force, owned within the enterprise territory. Prints p50, p95 and max;
     * issue 13 asks for 5 s at p95. Run after the measured runs (it changes accounts).
     */
    private void freshness(Map<UUID, BenchSegments.Segment> published) throws InterruptedException {
        UUID enterprise = published.entrySet().stream()
                .filter(e -> e.getValue().name().equals("Enterprise"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        boolean territories = jdbc.sql("select count(*) from account_ownership where territory = 'enterprise'")
                        .query(Long.class)
                        .single()
                > 0;
        List<UUID> sample =
                jdbc.sql("""
                        select id from account where tier is distinct from 'Enterprise' and churn_reason is null
                         order by id limit ?""").param(FRESHNESS_CHANGES).query(UUID.class).list();
        Map<UUID, Long> written = new HashMap<>();
        Map<UUID, Double> seconds = new HashMap<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (UUID id : sample) {
            dev.steward.customer.Account a = accounts.get(new dev.steward.customer.AccountId(id));
            accounts.replace(
                    a.id(),
                    a.version(),
                    new dev.steward.customer.AccountInput(
                            null,
                            a.name(),
                            a.parentId() == null ? null : a.parentId().value(),
                            null,
                            "Enterprise",
                            a.industry(),
                            a.region(),
                            a.employees(),
                            a.ownerId(),
                            null,
                            a.lifecycleStage(),
                            a.customFields(),
                            a.externalIds()));
            written.put(id, System.nanoTime());
            settled(enterprise, territories, written, seconds);
            Thread.sleep(100);
        }
        while (seconds.size() < written.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            settled(enterprise, territories, written, seconds);
        }
        List<Double> sorted = seconds.values().stream().sorted().toList();
        if (sorted.size() < written.size()) {
            System.out.printf(
                    "WARN freshness: %d of %d changed accounts were not decided within 60 s%n",
                    written.size() - sorted.size(), written.size());
        }
        if (sorted.isEmpty()) {
            return;
        }
        System.out.printf(
                "Freshness: %d accounts moved to the Enterprise tier one by one; their segment%s followed in p50 %.2f s,"
                        + " p95 %.2f s, max %.2f s (target: 5 s at p95)%n",
                sorted.size(),
                territories ? " and owner" : "",
                sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1)),
                sorted.get(sorted.size() - 1));
    }

    /** Records, for each changed account not yet seen decided, the seconds since its write if it is decided now. */
    private void settled(UUID enterprise, boolean territories, Map<UUID, Long> written, Map<UUID, Double> seconds) {
        List<UUID> waiting =
                written.keySet().stream().filter(id -> !seconds.containsKey(id)).toList();
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        jdbc.sql("""
                        select m.account_id from account_segment_membership m
                         where m.segment_id = :segment and m.left_at is null and m.account_id = any(:ids)
                           and (not :territories or exists (
                                 select 1 from account_ownership o
                                  where o.account_id = m.account_id and o.left_at is null
                                    and o.territory = 'enterprise'))""")
                .param("segment", enterprise)
                .param("ids", new org.springframework.jdbc.support.SqlArrayValue("uuid", waiting.toArray()))
                .param("territories", territories)
                .query(UUID.class)
                .list()
                .forEach(id -> seconds.put(id, (now - written.get(id)) / 1e9));
    }

    private long ownerFacts() {
        return jdbc.sql("select count(*) from account_ownership where left_at is null")
                .query(Long.class)
                .single();
    }

    private long scheduledEvaluations() {
        return jdbc.sql(SCHEDULED_EVALUATIONS).query(Long.class).single();
    }

    /**
     * Empties membership, stages and owner facts, so that each measured run records every entry, every account's stage
     * and every account's owner (by the demo's assignment rules).
     */
    private void clearMembership() {
        jdbc.sql("truncate account_segment_membership, account_stage, account_ownership")
                .update();
        jdbc.sql("analyze account_segment_membership").update();
        jdbc.sql("analyze account_stage").update();
        jdbc.sql("analyze account_ownership").update();
    }

    /**
     * Times the phases of an evaluation apart, once: reading every account's facts, then deciding every account (CEL)
     * with the facts in memory. What is left of a full evaluation is comparing with current members and writing.
     */
    private void phases(SegmentRules rules, LocalDate today) {
        long started = System.nanoTime();
        List<AccountFacts> facts = new ArrayList<>();
        AccountFactsReader.Reads reads = AccountFactsReader.Reads.of(
                rules.rules().stream().map(rule -> rule.document().condition()));
        reader.eachBatch(ids -> facts.addAll(reader.read(ids, today, reads)));
        long read = System.nanoTime();
        long decisions = 0;
        for (AccountFacts account : facts) {
            decisions +=
                    SegmentEvaluation.decide(rules, account, today, List.of()).size();
        }
        long decided = System.nanoTime();
        System.out.printf(
                "Phases, warm: reading the facts of %,d accounts %.2f s; deciding %d segments for each (CEL) %.2f s,"
                        + " %,d memberships%n",
                facts.size(), (read - started) / 1e9, rules.rules().size(), (decided - read) / 1e9, decisions);
    }

    /** The ids each segment's query selected, and how long the 20 queries took. */
    record Baseline(Map<UUID, Set<UUID>> ids, double seconds) {}

    private Baseline baseline(Map<UUID, BenchSegments.Segment> published, LocalDate today) throws Exception {
        Map<UUID, Set<UUID>> ids = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.setFetchSize(10_000);
            for (Map.Entry<UUID, BenchSegments.Segment> segment : published.entrySet()) {
                Set<UUID> selected = new HashSet<>();
                try (ResultSet rows = statement.executeQuery(BenchSegments.query(segment.getValue(), today))) {
                    while (rows.next()) {
                        selected.add(rows.getObject(1, UUID.class));
                    }
                }
                ids.put(segment.getKey(), selected);
            }
            connection.commit();
        }
        return new Baseline(ids, (System.nanoTime() - started) / 1e9);
    }

    /** Every segment's current members against the accounts its query selects: the same accounts, or a failure. */
    private void compareMembers(Map<UUID, BenchSegments.Segment> published, Baseline baseline) {
        Map<UUID, Set<UUID>> members = memberships.current(published.keySet(), null);
        System.out.printf("%-28s %9s %9s%n", "segment", "members", "SQL");
        List<String> different = new ArrayList<>();
        for (Map.Entry<UUID, BenchSegments.Segment> segment : published.entrySet()) {
            Set<UUID> in = members.get(segment.getKey());
            Set<UUID> selected = baseline.ids().get(segment.getKey());
            boolean same = in.equals(selected);
            System.out.printf(
                    "%-28s %,9d %,9d%s%n",
                    segment.getValue().name(), in.size(), selected.size(), same ? "" : "  DIFFERENT");
            if (!same) {
                Set<UUID> onlyMembers = new HashSet<>(in);
                onlyMembers.removeAll(selected);
                Set<UUID> onlySql = new HashSet<>(selected);
                onlySql.removeAll(in);
                different.add(segment.getValue().name() + " (" + onlyMembers.size() + " members not selected, e.g. "
                        + onlyMembers.stream().limit(3).toList() + "; " + onlySql.size()
                        + " selected not members, e.g. "
                        + onlySql.stream().limit(3).toList() + ")");
            }
        }
        if (!different.isEmpty()) {
            throw new IllegalStateException("segment members differ from what SQL selects: " + different);
        }
    }

    private void compareCounts(Map<UUID, BenchSegments.Segment> published, Baseline baseline) {
        Map<UUID, Long> counts = memberships.counts();
        List<String> different = new ArrayList<>();
        published.forEach((id, segment) -> {
            long members = counts.getOrDefault(id, 0L);
            if (members != baseline.ids().get(id).size()) {
                different.add(segment.name() + ": " + members + " members, SQL "
                        + baseline.ids().get(id).size());
            }
        });
        if (!different.isEmpty()) {
            throw new IllegalStateException("segment member counts differ from SQL: " + different);
        }
    }

    private void analyze() {
        jdbc.sql("analyze").update();
    }

    /** The 20 segments: a CEL condition each, and the same selection as a SQL condition over the account table. */
    static final class BenchSegments {

        /**
         * A segment: its name, what it is for, its CEL condition and its SQL condition over {@code account a} (with
         * {@code u.email}, the owner's, and {@code c.coverage}, the latest score's); {@code {Name}} stands for another
         * segment's SQL condition, as CEL's {@code "Name" in segments} stands for its membership.
         */
        record Segment(String name, String description, String condition, String sql) {

            String yaml() {
                return "name: " + name + "\ndescription: " + description + "\ncondition: |\n  " + condition + "\n";
            }
        }

        private static final String CSM1 = "csm1@steward.local";

        static final List<Segment> ALL = List.of(
                new Segment(
                        "Enterprise", "The Enterprise tier", "account.tier == \"Enterprise\"", "a.tier = 'Enterprise'"),
                new Segment(
                        "Mid-Market", "The Mid-Market tier", "account.tier == \"Mid-Market\"", "a.tier = 'Mid-Market'"),
                new Segment("SMB", "The SMB tier", "account.tier == \"SMB\"", "a.tier = 'SMB'"),
                new Segment(
                        "At risk",
                        "Red, or Yellow and falling",
                        "health.color == \"red\" || (health.color == \"yellow\" && health.trend < -5)",
                        "a.health_color = 'red' or (a.health_color = 'yellow' and a.health_trend < -5)"),
                new Segment(
                        "At-risk Enterprise",
                        "Enterprise accounts at risk",
                        "\"Enterprise\" in segments && \"At risk\" in segments",
                        "{Enterprise} and {At risk}"),
                new Segment(
                        "Renewing this quarter",
                        "Customers whose renewal is in the next 90 days",
                        "has(account.daysToRenewal) && account.daysToRenewal >= 0 && account.daysToRenewal <= 90"
                                + " && !account.churned",
                        "a.renewal_date - :today between 0 and 90 and a.churn_reason is null"),
                new Segment(
                        "Renewal at risk",
                        "Renewing this quarter with a score under 50",
                        "\"Renewing this quarter\" in segments && health.score < 50",
                        "{Renewing this quarter} and a.health_score < 50"),
                new Segment(
                        "Strategic logos",
                        "The largest contracts and companies",
                        "account.arr >= 150000 || account.employees >= 20000",
                        "a.current_arr >= 150000 or a.employees >= 20000"),
                new Segment(
                        "EMEA financial services",
                        "Banks and insurers in EMEA",
                        "account.region == \"EMEA\" && account.industry == \"Financial Services\"",
                        "a.region = 'EMEA' and a.industry = 'Financial Services'"),
                new Segment(
                        "APAC and LATAM growth",
                        "Established customers in APAC and LATAM",
                        "account.region in [\"APAC\", \"LATAM\"] && account.lifecycleStage in [\"adoption\","
                                + " \"growth\"]",
                        "a.region in ('APAC', 'LATAM') and lower(a.lifecycle_stage) in ('adoption', 'growth')"),
                new Segment(
                        "Onboarding",
                        "Customers in their first 90 days",
                        "account.lifecycleStage == \"onboarding\"",
                        "lower(a.lifecycle_stage) = 'onboarding'"),
                new Segment(
                        "Expansion candidates",
                        "Green and rising, below Enterprise, not renewing soon",
                        "health.color == \"green\" && health.trend >= 5 && account.tier != \"Enterprise\""
                                + " && account.daysToRenewal > 90",
                        "a.health_color = 'green' and a.health_trend >= 5 and a.tier <> 'Enterprise'"
                                + " and a.renewal_date - :today > 90"),
                new Segment(
                        "Thin data",
                        "Scores from too little data",
                        "health.coverage < 0.75 || health.color == \"black\"",
                        "c.coverage < 0.75 or a.health_color = 'black'"),
                new Segment(
                        "Book of csm1",
                        "The accounts csm1 owns",
                        "account.owner == \"" + CSM1 + "\"",
                        "u.email = '" + CSM1 + "'"),
                new Segment(
                        "Former customers", "Accounts that churned", "account.churned", "a.churn_reason is not null"),
                new Segment(
                        "Declining Mid-Market",
                        "Mid-Market accounts that lost 10 points or more in 30 days",
                        "\"Mid-Market\" in segments && health.trend <= -10",
                        "{Mid-Market} and a.health_trend <= -10"),
                new Segment(
                        "Small team big contract",
                        "Under 100 employees and 20,000 or more ARR",
                        "account.employees < 100 && account.arr >= 20000",
                        "a.employees < 100 and a.current_arr >= 20000"),
                new Segment(
                        "North America regulated",
                        "Customers in regulated industries in North America",
                        "account.region == \"North America\" && account.industry in [\"Healthcare\", \"Financial"
                                + " Services\", \"Energy\"] && !account.churned",
                        "a.region = 'North America' and a.industry in ('Healthcare', 'Financial Services', 'Energy')"
                                + " and a.churn_reason is null"),
                new Segment(
                        "Executive attention",
                        "At-risk Enterprise or renewals at risk, 50,000 ARR or more",
                        "(\"At-risk Enterprise\" in segments || \"Renewal at risk\" in segments) && account.arr >= 50000",
                        "({At-risk Enterprise} or {Renewal at risk}) and a.current_arr >= 50000"),
                new Segment(
                        "Enterprise team at risk",
                        "At-risk accounts of the Enterprise CSMs",
                        "account.owner in [\"csm1@steward.local\", \"csm2@steward.local\", \"csm3@steward.local\"]"
                                + " && \"At risk\" in segments",
                        "u.email in ('csm1@steward.local', 'csm2@steward.local', 'csm3@steward.local')"
                                + " and {At risk}"));

        private static final Pattern REFERENCE = Pattern.compile("\\{([^}]+)}");

        private BenchSegments() {}

        /** The segment's SQL condition with the conditions of the segments it reads written in. */
        static String condition(Segment segment) {
            Matcher reference = REFERENCE.matcher(segment.sql());
            StringBuilder sql = new StringBuilder();
            while (reference.find()) {
                Segment other = ALL.stream()
                        .filter(s -> s.name().equals(reference.group(1)))
                        .findFirst()
                        .orElseThrow();
                // Not in a segment is "not in", even where its condition is unknown (null) for the account.
                reference.appendReplacement(
                        sql, Matcher.quoteReplacement("coalesce((" + condition(other) + "), false)"));
            }
            reference.appendTail(sql);
            return sql.toString();
        }

        /** The query selecting the ids of the segment's accounts on the day. */
        static String query(Segment segment, LocalDate today) {
            String where = condition(segment).replace(":today", "date '" + today + "'");
            return "select a.id from account a"
                    + (where.contains("u.email") ? " left join app_user u on u.id = a.owner_id" : "")
                    + (where.contains("c.coverage")
                            ? " left join lateral (select s.coverage from health_score s where s.account_id = a.id"
                                    + " and s.day <= date '" + today + "' order by s.day desc limit 1) c on true"
                            : "")
                    + " where " + where;
        }
    }
}
