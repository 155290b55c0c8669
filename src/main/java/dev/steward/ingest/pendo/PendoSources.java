package dev.steward.ingest.pendo;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.pendo.PendoStore.Feed;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Pendo sources: a connection (the data environment and an integration key) tested before it is kept, its key
 * encrypted; the mapping of Pendo's features, pages and track types to usage metrics; pulls on a schedule or at once
 * (one at a time per source, across instances), each feed in its own sync run, the first back-filling the months asked
 * for and the next ones going on from each feed's cursor.
 */
@Service
class PendoSources {

    /** Where active visitors and minutes in the app go unless an administrator names other metrics. */
    static final String VISITORS_METRIC = "active_users";

    static final String MINUTES_METRIC = "minutes_in_app";

    /** What an administrator gives to connect Pendo, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String region,
            @Nullable String integrationKey,
            @Nullable String timeZone,
            @Nullable Integer backfillMonths,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** One mapping as given: a feature, page or track type ({@code kind}: features, pages, track_events) → a metric. */
    record MappingInput(String kind, String id, @Nullable String name, String metric) {}

    /** A Pendo item as the mapping shows it: the metric it counts as, or null when it is not mapped. */
    record ItemView(
            String kind, String id, String name, @Nullable String metric) {}

    /** A Pendo source as shown: never its key. */
    record PendoView(
            String name,
            String region,
            String apiHost,
            String timeZone,
            int backfillMonths,
            String accountsSource,
            String visitorsMetric,
            String minutesMetric,
            List<PendoStore.Mapping> mappings,
            Map<String, String> accountFields,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt,
            List<PullSources.Feed> feeds,
            List<PendoStore.HeldAccount> heldAccounts,
            List<SyncRuns.Run> latestRuns,
            boolean pullPending) {

        /** Whether a pull is waiting to start or running. */
        public boolean running() {
            return pullPending || latestRuns.stream().anyMatch(SyncRuns.Run::running);
        }

        /** The account fields Pendo may fill, in the order the page shows them. */
        public List<String> accountFieldNames() {
            return ACCOUNT_FIELDS;
        }
    }

    private final PendoStore store;
    private final PendoApi api;
    private final PendoPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final UsageRecorder usage;
    private final OneTimeTask<PendoJobs.Pull> pullTask;

    PendoSources(
            PendoStore store,
            PendoApi api,
            PendoPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            UsageRecorder usage,
            OneTimeTask<PendoJobs.Pull> pendoPullTask) {
        this.store = store;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.usage = usage;
        this.pullTask = pendoPullTask;
    }

    /**
     * Connects Pendo: the key is tried first; nothing is kept when Pendo refuses it (422 naming {@code
     * integrationKey}, with Pendo's reason). Unless paused, the first pull (the back-fill) starts at once.
     */
    PendoView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 1440);
        PendoApi.Region region = region(input.region(), PendoApi.Region.us);
        String zone = timeZone(input.timeZone(), "UTC");
        int months = backfillMonths(input.backfillMonths(), 3);
        String accountsSource = accountsSource(input.accountsSource(), name);
        if (input.integrationKey() == null || input.integrationKey().isBlank()) {
            throw new InvalidInputException(
                    "integrationKey",
                    "is missing: an integration key (Pendo: Settings → Integrations → Integration Keys)");
        }
        PendoApi.Credentials credentials = new PendoApi.Credentials(
                region, PullSources.token(input.integrationKey().strip(), "integrationKey"));
        check(credentials);
        ensureMetrics(List.of(new UsageMetric(
                MINUTES_METRIC,
                "Minutes in app",
                "Minutes the account's visitors spent in the app that day (Pendo's numMinutes)",
                "minutes",
                UsageMetric.Aggregation.sum)));
        pullSources.connect(
                name,
                Source.Kind.pendo,
                new PendoStore.Settings(
                        region, zone, months, accountsSource, VISITORS_METRIC, MINUTES_METRIC, List.of(), Map.of()),
                secrets.seal(credentials.key()),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new PendoJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; a new region or key is tried first. */
    PendoView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<PendoStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        PendoStore.Settings s = current.settings();
        boolean reach = input.region() != null
                || input.integrationKey() != null && !input.integrationKey().isBlank();
        String secret = current.secret();
        PendoApi.Region region = region(input.region(), s.region());
        if (reach) {
            PendoApi.Credentials credentials = new PendoApi.Credentials(
                    region,
                    input.integrationKey() != null && !input.integrationKey().isBlank()
                            ? PullSources.token(input.integrationKey().strip(), "integrationKey")
                            : secrets.open(current.secret()));
            check(credentials);
            secret = secrets.seal(credentials.key());
        }
        pullSources.reconnect(
                current,
                new PendoStore.Settings(
                        region,
                        timeZone(input.timeZone(), s.timeZone()),
                        backfillMonths(input.backfillMonths(), s.backfillMonths()),
                        input.accountsSource() == null
                                ? s.accountsSource()
                                : accountsSource(input.accountsSource(), source.name()),
                        s.visitorsMetric(),
                        s.minutesMetric(),
                        s.mappings(),
                        s.accountFields()),
                secret,
                reach,
                input.everyMinutes(),
                input.paused());
        return get(name);
    }

    PendoView get(String name) {
        Source source = source(name);
        PullConnections.Connection<PendoStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        Map<String, String> cursors = new HashMap<>();
        store.cursors(source.id()).forEach((feed, day) -> cursors.put(feed.name(), day));
        PendoStore.Settings s = c.settings();
        return new PendoView(
                source.name(),
                s.region().name(),
                s.region().host(),
                s.timeZone(),
                s.backfillMonths(),
                s.accountsSource(),
                s.visitorsMetric(),
                s.minutesMetric(),
                s.mappings(),
                s.accountFields(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(Arrays.stream(Feed.values()).map(Feed::name).toList(), cursors, latest),
                store.heldAccounts(source.id(), 20),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<PendoView> all() {
        return pullSources.all(Source.Kind.pendo).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /**
     * The subscription's features, pages and track types (asked of Pendo now), each with the metric it is mapped to;
     * mapped items Pendo no longer lists come last, so that their mapping can still be removed.
     */
    List<ItemView> items(String name) {
        Source source = source(name);
        PullConnections.Connection<PendoStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        PendoApi.Credentials credentials = credentials(c);
        Map<String, PendoStore.Mapping> mapped = new LinkedHashMap<>();
        c.settings().mappings().forEach(m -> mapped.put(m.kind() + "/" + m.id(), m));
        List<ItemView> items = new ArrayList<>();
        for (Feed kind : List.of(Feed.features, Feed.pages, Feed.track_events)) {
            List<PendoApi.Item> listed;
            try {
                listed = api.items(source.id(), credentials, itemPath(kind));
            } catch (VendorHttp.Refused e) {
                if (kind != Feed.track_events || e.status() != 404) {
                    throw new InvalidInputException(
                            "mapping", "Pendo did not list its " + noun(kind) + "s: " + e.getMessage());
                }
                listed = List.of(); // a subscription that lists no track types
            }
            for (PendoApi.Item item : listed) {
                PendoStore.Mapping m = mapped.remove(kind + "/" + item.id());
                items.add(new ItemView(kind.name(), item.id(), item.name(), m == null ? null : m.metric()));
            }
        }
        mapped.values().forEach(m -> items.add(new ItemView(m.kind().name(), m.id(), m.name(), m.metric())));
        return items;
    }

    /**
     * Replaces the mapping. Each item counts as one metric (a key of the catalog, or a new one, added as a sum of
     * events named after the item); a metric takes items of one kind only, and not the activity's metrics. Refused as
     * a whole with every problem, each naming its entry ({@code mappings[i].metric}). A feed whose mapping changed is
     * read again from the back-fill's first day on the next pull.
     */
    PendoView map(String name, List<MappingInput> given) {
        Source source = source(name);
        PullConnections.Connection<PendoStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        PendoStore.Settings s = c.settings();
        List<FieldError> problems = new ArrayList<>();
        List<PendoStore.Mapping> mappings = new ArrayList<>();
        Map<String, Feed> kindOfMetric = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            MappingInput m = given.get(i);
            String at = "mappings[" + i + "]";
            Feed kind = kind(m.kind());
            String id = m.id() == null ? "" : m.id().strip();
            String metric = m.metric() == null ? "" : m.metric().strip();
            if (kind == null) {
                problems.add(FieldError.of(at + ".kind", "must be features, pages or track_events"));
                continue;
            }
            if (id.isEmpty() || id.length() > 200) {
                problems.add(FieldError.of(at + ".id", "must name the Pendo " + noun(kind) + " (its id)"));
                continue;
            }
            if (!seen.add(kind + "/" + id)) {
                problems.add(FieldError.of(at + ".id", "the " + noun(kind) + " " + id + " is mapped twice"));
                continue;
            }
            String why = metricProblem(metric, s);
            if (why != null) {
                problems.add(FieldError.of(at + ".metric", why));
                continue;
            }
            Feed other = kindOfMetric.putIfAbsent(metric, kind);
            if (other != null && other != kind) {
                problems.add(FieldError.of(
                        at + ".metric",
                        "'" + metric + "' already counts " + noun(other) + "s; a metric counts items of one kind"));
                continue;
            }
            String itemName =
                    m.name() == null || m.name().isBlank() ? id : m.name().strip();
            mappings.add(new PendoStore.Mapping(
                    kind, id, itemName.length() > 200 ? itemName.substring(0, 200) : itemName, metric));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Set<String> known = usage.metrics().stream().map(UsageMetric::key).collect(Collectors.toSet());
        List<UsageMetric> added = new ArrayList<>();
        Set<String> adding = new java.util.HashSet<>();
        for (PendoStore.Mapping m : mappings) {
            if (!known.contains(m.metric()) && adding.add(m.metric())) {
                added.add(new UsageMetric(
                        m.metric(),
                        m.name(),
                        "Events of the Pendo " + noun(m.kind()) + " " + m.name(),
                        "events",
                        UsageMetric.Aggregation.sum));
            }
        }
        ensureMetrics(added);
        for (Feed kind : List.of(Feed.features, Feed.pages, Feed.track_events)) {
            if (!Objects.equals(
                    pairs(s.of(kind)),
                    pairs(mappings.stream().filter(m -> m.kind() == kind).toList()))) {
                store.resetCursor(source.id(), kind);
            }
        }
        pullSources.reconnect(c, s.withMappings(mappings), c.secret(), false, null, null);
        return get(name);
    }

    /** The account fields Pendo's account metadata may fill, in the order the page shows them. */
    static final List<String> ACCOUNT_FIELDS = List.of("tier", "industry", "region", "employees");

    /**
     * Replaces the account fields Pendo fills: Steward's field (tier, industry, region, employees) → the Pendo
     * metadata field, as {@code group.field} (agent.plan, custom.segment…); a blank one is not filled. Refused as a
     * whole, each problem naming its field. Only accounts Steward has are changed, and only those fields.
     */
    PendoView accountFields(String name, Map<String, String> given) {
        Source source = source(name);
        PullConnections.Connection<PendoStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<FieldError> problems = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        given.forEach((field, pendoField) -> {
            String from = pendoField == null ? "" : pendoField.strip();
            if (!ACCOUNT_FIELDS.contains(field)) {
                problems.add(FieldError.of(field, "is not an account field Pendo may fill (" + ACCOUNT_FIELDS + ")"));
            } else if (!from.isEmpty() && !from.matches("[A-Za-z0-9_]{1,50}\\.[A-Za-z0-9_ -]{1,100}")) {
                problems.add(FieldError.of(
                        field, "must name a Pendo account metadata field as group.field, such as agent.plan"));
            } else if (!from.isEmpty()) {
                fields.put(field, from);
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        pullSources.reconnect(c, c.settings().withAccountFields(fields), c.secret(), false, null, null);
        return get(name);
    }

    /** The keys of the usage metric catalog: what an item may count as. */
    List<String> metricKeys() {
        return usage.metrics().stream().map(UsageMetric::key).toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new PendoJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(Source.Kind.pendo, pullTask, new PendoJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /** Pulls every feed of the source in turn, each in its own run; a failed feed stops the pull. */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        pullSources.pull(
                sourceId,
                PendoStore.Settings.class,
                List.of(Feed.values()),
                (source, c, feed) -> pulls.pull(source, c.settings(), credentials(c), feed, trigger));
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    private PendoApi.Credentials credentials(PullConnections.Connection<PendoStore.Settings> c) {
        return new PendoApi.Credentials(c.settings().region(), secrets.open(c.secret()));
    }

    /** Refused when Pendo does not take the key (422 naming the field, with Pendo's reason). */
    private void check(PendoApi.Credentials credentials) {
        try {
            api.check(credentials);
        } catch (VendorHttp.Refused e) {
            String field = e.status() == 401 || e.status() == 403 ? "integrationKey" : "region";
            throw new InvalidInputException(field, "Pendo refused: " + e.getMessage());
        }
    }

    private void ensureMetrics(List<UsageMetric> wanted) {
        Set<String> known = usage.metrics().stream().map(UsageMetric::key).collect(Collectors.toSet());
        for (UsageMetric metric : wanted) {
            if (!known.contains(metric.key())) {
                try {
                    usage.addMetric(metric);
                } catch (ConflictException e) {
                    // added meanwhile
                }
            }
        }
    }

    private static @Nullable String metricProblem(String metric, PendoStore.Settings s) {
        if (metric.isEmpty()) {
            return "is missing: the metric the item's events count as, such as feature.reports";
        }
        if (metric.length() > 100 || !metric.matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*")) {
            return "must be lower case words joined by '_' or '.', such as feature.reports";
        }
        if (metric.equals(s.visitorsMetric()) || metric.equals(s.minutesMetric())) {
            return "'" + metric + "' holds the source's active visitors or minutes; choose another metric";
        }
        return UsageMetric.reservedReason(metric);
    }

    private static Map<String, String> pairs(List<PendoStore.Mapping> mappings) {
        Map<String, String> pairs = new HashMap<>();
        mappings.forEach(m -> pairs.put(m.id(), m.metric()));
        return pairs;
    }

    private static @Nullable Feed kind(@Nullable String given) {
        if (given == null) {
            return null;
        }
        return switch (given.strip()) {
            case "features", "feature" -> Feed.features;
            case "pages", "page" -> Feed.pages;
            case "track_events", "trackEvents", "track_event" -> Feed.track_events;
            default -> null;
        };
    }

    static String noun(Feed kind) {
        return switch (kind) {
            case features -> "feature";
            case pages -> "page";
            case track_events -> "track event";
            case activity -> "activity";
            case accounts -> "account";
        };
    }

    private static String itemPath(Feed kind) {
        return switch (kind) {
            case features -> "feature";
            case pages -> "page";
            default -> "tracktype";
        };
    }

    private static PendoApi.Region region(@Nullable String given, PendoApi.Region fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        try {
            return PendoApi.Region.valueOf(given.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "region",
                    "must be us (app.pendo.io), eu (app.eu.pendo.io), us1 (us1.app.pendo.io) or jp (app.jp.pendo.io)");
        }
    }

    private static String timeZone(@Nullable String given, String fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(given.strip()).getId();
        } catch (DateTimeException e) {
            throw new InvalidInputException(
                    "timeZone", "is not a time zone: give the subscription's, such as UTC or America/New_York");
        }
    }

    private static int backfillMonths(@Nullable Integer given, int fallback) {
        int months = given == null ? fallback : given;
        if (months < 0 || months > 24) {
            throw new InvalidInputException("backfillMonths", "must be from 0 (from today) to 24 months");
        }
        return months;
    }

    private static String accountsSource(@Nullable String given, String self) {
        String source = PullSources.accountsSource(given, self, "Pendo's account ids");
        return source == null ? UsageRecorder.DEFAULT_SOURCE : source;
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.pendo, "Pendo source");
    }
}
