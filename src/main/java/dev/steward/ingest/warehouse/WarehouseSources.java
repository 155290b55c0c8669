package dev.steward.ingest.warehouse;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.csv.TableImports;
import dev.steward.ingest.sync.SyncRuns;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Warehouse sources: a JDBC connection, tested before it is kept, its password encrypted; feeds, each a query whose
 * rows become daily usage or records of one kind, mapped as a CSV file's columns are and checked on a sample before
 * they are saved; pulls on a schedule or at once (one at a time per source, across instances: a db-scheduler job named
 * by the source), each incremental from its feed's watermark and kept in the sync-run history.
 */
@Service
class WarehouseSources {

    private static final Logger log = LoggerFactory.getLogger(WarehouseSources.class);

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** Rows a check reads: enough to see what the mapping makes of them, few enough to answer at once. */
    static final int SAMPLE_ROWS = 20;

    /** Most feeds per source. */
    static final int MAX_FEEDS = 20;

    /** What an administrator gives to connect a warehouse, or to change it (null: unchanged). */
    record ConnectionInput(
            @Nullable String jdbcUrl,
            @Nullable String user,
            @Nullable String password,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** A feed as given: its query, what its rows are, how its columns map, the watermark column for increments. */
    record FeedInput(
            @Nullable String name,
            @Nullable String query,
            @Nullable String entity,
            @Nullable JsonNode mapping,
            @Nullable String accountsSource,
            @Nullable String watermarkColumn) {}

    /** A feed as shown. */
    record FeedView(
            String name,
            String query,
            String entity,
            JsonNode mapping,
            String accountsSource,
            @Nullable String watermarkColumn,
            @Nullable String watermark,
            Instant updatedAt) {}

    /** A warehouse source as shown: never its password, only whether it has one. */
    record WarehouseView(
            String name,
            String jdbcUrl,
            @Nullable String user,
            boolean hasPassword,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt,
            List<FeedView> feeds,
            List<SyncRuns.Run> latestRuns,
            boolean pullPending) {

        /** Whether a pull is waiting to start or running. */
        public boolean running() {
            return pullPending || latestRuns.stream().anyMatch(SyncRuns.Run::running);
        }

        /** The URL as pages show it: a password given inside it is hidden. */
        public String shownUrl() {
            return PASSWORD_IN_URL.matcher(jdbcUrl).replaceAll("$1=…");
        }
    }

    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)(password|pwd|secret|token|private_key[a-z_]*)=[^&;]*");

    /** What a query and mapping give on a sample, before anything is saved. */
    record CheckView(List<Warehouse.Column> columns, TableImports.Check check) {}

    private final Sources sources;
    private final WarehouseStore store;
    private final SyncRuns runs;
    private final TableImports tables;
    private final SecretBox secrets;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final OneTimeTask<WarehouseJobs.Pull> pullTask;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration timeout;

    WarehouseSources(
            Sources sources,
            WarehouseStore store,
            SyncRuns runs,
            TableImports tables,
            SecretBox secrets,
            ObjectProvider<SchedulerClient> scheduler,
            OneTimeTask<WarehouseJobs.Pull> warehousePullTask,
            PlatformTransactionManager transactionManager,
            Clock clock,
            @Value("${steward.warehouse.statement-timeout:30m}") Duration timeout) {
        this.sources = sources;
        this.store = store;
        this.runs = runs;
        this.tables = tables;
        this.secrets = secrets;
        this.scheduler = scheduler;
        this.pullTask = warehousePullTask;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Connects a warehouse: the connection is tested first; nothing is kept when it fails (422 naming the field). */
    WarehouseView create(String name, ConnectionInput input) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "name",
                    "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (sources.find(name).isPresent()) {
            throw ConflictException.of("a source named '" + name + "' already exists");
        }
        Warehouse.Settings settings = settings(input, null);
        int every = every(input.everyMinutes(), 60);
        Warehouse.test(settings, input.password(), Duration.ofSeconds(15));
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            Source source = sources.create(name, Source.Kind.warehouse, null, Math.max(1, (every * 2 + 59) / 60));
            store.saveConnection(new WarehouseStore.Connection(
                    source.id(),
                    settings,
                    input.password() == null || input.password().isEmpty() ? null : secrets.seal(input.password()),
                    every,
                    Boolean.TRUE.equals(input.paused()),
                    now.plus(Duration.ofMinutes(every)),
                    now));
        });
        return get(name);
    }

    /** Changes a connection; a new URL, user or password is tested first. */
    WarehouseView update(String name, ConnectionInput input) {
        Source source = source(name);
        WarehouseStore.Connection current = store.connection(source.id()).orElseThrow();
        Warehouse.Settings settings = settings(input, current.settings());
        String password = input.password() != null ? input.password() : password(current);
        boolean reach = !settings.equals(current.settings()) || input.password() != null;
        if (reach) {
            Warehouse.test(settings, password, Duration.ofSeconds(15));
        }
        int every = every(input.everyMinutes(), current.everyMinutes());
        Instant now = clock.instant();
        store.saveConnection(new WarehouseStore.Connection(
                source.id(),
                settings,
                input.password() == null
                        ? current.secret()
                        : input.password().isEmpty() ? null : secrets.seal(input.password()),
                every,
                input.paused() == null ? current.paused() : input.paused(),
                every != current.everyMinutes() || current.nextSyncAt() == null
                        ? now.plus(Duration.ofMinutes(every))
                        : current.nextSyncAt(),
                reach ? now : current.checkedAt()));
        return get(name);
    }

    WarehouseView get(String name) {
        Source source = source(name);
        WarehouseStore.Connection c = store.connection(source.id()).orElseThrow();
        return new WarehouseView(
                source.name(),
                c.settings().jdbcUrl(),
                c.settings().user(),
                c.secret() != null,
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                store.feeds(source.id()).stream()
                        .map(f -> view(f, source.name()))
                        .toList(),
                runs.latest(source.id(), 20),
                scheduler
                        .getObject()
                        .getScheduledExecution(TaskInstanceId.of(
                                WarehouseJobs.PULL, source.id().toString()))
                        .isPresent());
    }

    List<WarehouseView> all() {
        return sources.all().stream()
                .filter(s -> s.kind() == Source.Kind.warehouse)
                .map(s -> get(s.name()))
                .toList();
    }

    /**
     * Runs the query on a sample of its rows and shows what the mapping (or, without one, the mapping suggested from
     * the column names) makes of them; nothing is stored.
     */
    CheckView check(String name, FeedInput input) {
        Source source = source(name);
        WarehouseStore.Connection c = store.connection(source.id()).orElseThrow();
        String entity = required(input.entity(), "entity");
        String query = query(input.query());
        try (Connection connection = Warehouse.connect(c.settings(), password(c), timeout)) {
            List<Warehouse.Column>[] columns = new List[1];
            TableImports.Table table = table("check", () -> {
                Warehouse.QueryRows rows =
                        Warehouse.run(connection, query, input.watermarkColumn(), null, SAMPLE_ROWS, timeout);
                columns[0] = rows.columns();
                return rows;
            });
            TableImports.Check check = tables.check(
                    accountsSource(source, input.accountsSource()), entity, input.mapping(), table, SAMPLE_ROWS);
            return new CheckView(columns[0], check);
        } catch (SQLException e) {
            throw new InvalidInputException("jdbcUrl", "cannot close the connection: " + e.getMessage());
        }
    }

    /**
     * Saves a feed after checking it on a sample: the query must run, the mapping fit its columns and the watermark
     * column be one of them; otherwise 422 naming each problem, and nothing is saved.
     */
    FeedView saveFeed(String name, FeedInput input) {
        Source source = source(name);
        String feedName = required(input.name(), "name");
        if (!NAME.matcher(feedName).matches()) {
            throw new InvalidInputException(
                    "name",
                    "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (store.feed(source.id(), feedName).isEmpty()
                && store.feeds(source.id()).size() >= MAX_FEEDS) {
            throw new InvalidInputException("name", "a source has at most " + MAX_FEEDS + " feeds");
        }
        CheckView checked = check(name, input);
        List<FieldError> problems = new ArrayList<>(checked.check().mappingProblems());
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        WarehouseStore.Feed feed = store.saveFeed(
                source.id(),
                feedName,
                query(input.query()),
                input.entity(),
                checked.check().mapping(),
                blankToNull(input.accountsSource()),
                blankToNull(input.watermarkColumn()),
                clock.instant());
        return view(feed, source.name());
    }

    void deleteFeed(String name, String feed) {
        Source source = source(name);
        if (!store.deleteFeed(source.id(), feed)) {
            throw new NotFoundException("feed", feed);
        }
    }

    /** Starts a pull of every feed now; 409 while one runs or is about to. */
    void pullNow(String name) {
        Source source = source(name);
        if (store.feeds(source.id()).isEmpty()) {
            throw ConflictException.of("the source '" + name + "' has no feed to pull yet: add one first");
        }
        boolean scheduled = scheduler
                .getObject()
                .scheduleIfNotExists(pullTask.schedulableInstance(
                        source.id().toString(), new WarehouseJobs.Pull(SyncRuns.Trigger.manual)));
        if (!scheduled) {
            throw ConflictException.of("a pull of '" + name + "' is running or about to start");
        }
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        int started = 0;
        Instant now = clock.instant();
        for (UUID source : store.due(now)) {
            if (scheduler
                    .getObject()
                    .scheduleIfNotExists(pullTask.schedulableInstance(
                            source.toString(), new WarehouseJobs.Pull(SyncRuns.Trigger.schedule)))) {
                started++;
            }
        }
        return started;
    }

    /**
     * Pulls every feed of the source in turn, each in its own run: rows since its watermark, imported as a CSV file's
     * rows would be (good rows stored, bad ones rejected and listed); a feed that fails does not stop the others.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        Source source = sources.find(sourceId).orElse(null);
        if (source == null) {
            return;
        }
        WarehouseStore.Connection c = store.connection(sourceId).orElseThrow();
        store.nextSyncAt(sourceId, clock.instant().plus(Duration.ofMinutes(c.everyMinutes())));
        runs.abandonRunning(sourceId, clock.instant());
        for (WarehouseStore.Feed feed : store.feeds(sourceId)) {
            pull(source, c, feed, trigger);
        }
    }

    private void pull(Source source, WarehouseStore.Connection c, WarehouseStore.Feed feed, SyncRuns.Trigger trigger) {
        Warehouse.Watermark since = feed.watermarkColumn() == null ? null : Warehouse.Watermark.parse(feed.watermark());
        UUID run = runs.start(source.id(), feed.name(), trigger, since == null ? null : since.value(), clock.instant());
        Warehouse.QueryRows[] last = new Warehouse.QueryRows[1];
        try (Connection connection = Warehouse.connect(c.settings(), password(c), timeout)) {
            TableImports.Outcome outcome = tables.run(
                    source,
                    accountsSource(source, feed.accountsSource()),
                    feed.entity(),
                    feed.mapping(),
                    table("feed " + feed.name(), () -> {
                        last[0] = Warehouse.run(connection, feed.query(), feed.watermarkColumn(), since, 0, timeout);
                        return last[0];
                    }));
            Warehouse.Watermark largest = last[0] == null ? null : last[0].largest();
            List<SyncRuns.RowError> errors = outcome.errors().stream()
                    .limit(SyncRuns.KEPT_ERRORS)
                    .map(e -> new SyncRuns.RowError(
                            e.where(), e.field() == null ? e.column() : e.field(), e.value(), e.reason()))
                    .toList();
            if (outcome.failure() != null) {
                runs.finish(
                        run, SyncRuns.State.failed, counts(outcome), null, errors, outcome.failure(), clock.instant());
                return;
            }
            Warehouse.Watermark next = largest == null ? since : largest;
            if (feed.watermarkColumn() != null && next != null) {
                store.watermark(feed.id(), next.toString());
            }
            runs.finish(
                    run,
                    outcome.rejected() > 0 ? SyncRuns.State.partial : SyncRuns.State.succeeded,
                    counts(outcome),
                    next == null ? null : next.value(),
                    errors,
                    null,
                    clock.instant());
        } catch (InvalidInputException e) {
            runs.finish(
                    run,
                    SyncRuns.State.failed,
                    new SyncRuns.Counts(0, 0, 0, 0, 0),
                    null,
                    List.of(),
                    String.join(
                            "; ", e.errors().stream().map(FieldError::toString).toList()),
                    clock.instant());
        } catch (RuntimeException | SQLException e) {
            log.warn("Pull of feed {} of {} failed", feed.name(), source.name(), e);
            runs.finish(
                    run,
                    SyncRuns.State.failed,
                    new SyncRuns.Counts(0, 0, 0, 0, 0),
                    null,
                    List.of(),
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    clock.instant());
        }
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    private static SyncRuns.Counts counts(TableImports.Outcome o) {
        return new SyncRuns.Counts(o.rows(), o.created(), o.updated(), o.unchanged(), o.rejected());
    }

    private interface Opener {
        TableImports.Rows open() throws Exception;
    }

    private static TableImports.Table table(String name, Opener opener) {
        return new TableImports.Table() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TableImports.Rows open() throws Exception {
                return opener.open();
            }
        };
    }

    /**
     * The source whose external ids name the accounts: the one given, else this one. Any name a record's source may
     * have is taken (accounts written through the API name their source freely); the check shows rows whose accounts
     * it does not know.
     */
    private static String accountsSource(Source source, @Nullable String given) {
        if (given == null || given.isBlank()) {
            return source.name();
        }
        if (given.strip().length() > 100) {
            throw new InvalidInputException("accountsSource", "must be at most 100 characters");
        }
        return given.strip();
    }

    private @Nullable String password(WarehouseStore.Connection c) {
        return c.secret() == null ? null : secrets.open(c.secret());
    }

    private Source source(String name) {
        Source source = sources.find(name)
                .filter(s -> s.kind() == Source.Kind.warehouse)
                .orElseThrow(() -> new NotFoundException("warehouse source", name));
        return source;
    }

    private static Warehouse.Settings settings(ConnectionInput input, Warehouse.@Nullable Settings current) {
        String url = input.jdbcUrl() != null ? input.jdbcUrl().strip() : current == null ? null : current.jdbcUrl();
        if (url == null || url.isEmpty()) {
            throw new InvalidInputException("jdbcUrl", "is missing; e.g. jdbc:postgresql://host:5432/analytics");
        }
        if (!url.startsWith("jdbc:") || url.length() > 2_000) {
            throw new InvalidInputException("jdbcUrl", "must be a JDBC URL (jdbc:…) of at most 2,000 characters");
        }
        String user = input.user() != null ? blankToNull(input.user()) : current == null ? null : current.user();
        if (user != null && user.length() > 200) {
            throw new InvalidInputException("user", "must be at most 200 characters");
        }
        if (input.password() != null && input.password().length() > 1_000) {
            throw new InvalidInputException("password", "must be at most 1,000 characters");
        }
        return new Warehouse.Settings(url, user);
    }

    private static int every(@Nullable Integer given, int fallback) {
        int every = given == null ? fallback : given;
        if (every < 5 || every > 10_080) {
            throw new InvalidInputException("everyMinutes", "must be from 5 (every five minutes) to 10080 (weekly)");
        }
        return every;
    }

    private static String query(@Nullable String query) {
        String q = required(query, "query");
        if (q.length() > 20_000) {
            throw new InvalidInputException("query", "must be at most 20,000 characters");
        }
        return q;
    }

    private static String required(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is missing");
        }
        return value.strip();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static FeedView view(WarehouseStore.Feed f, String sourceName) {
        Warehouse.Watermark w = Warehouse.Watermark.parse(f.watermark());
        return new FeedView(
                f.name(),
                f.query(),
                f.entity(),
                f.mapping(),
                f.accountsSource() == null ? sourceName : f.accountsSource(),
                f.watermarkColumn(),
                w == null ? null : w.value(),
                f.updatedAt());
    }
}
