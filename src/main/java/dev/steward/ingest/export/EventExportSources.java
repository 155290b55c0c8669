package dev.steward.ingest.export;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.TranslatedEvents.Vendor;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Amplitude and Mixpanel export sources: a connection (the project's region and credentials) tried before it is kept,
 * its secret encrypted; pulls on a schedule or at once (one at a time per source, across instances), the first
 * back-filling {@code backfillDays} days, the next ones each complete day since. The source is also an event source
 * like a Segment one: its mapping counts events as metrics, and a write key of it takes the same vendor's events sent
 * to Steward's Amplitude or Mixpanel endpoints, stored once with the exported ones.
 */
@Service
class EventExportSources {

    /** Days the first pull reads by default, and at most. */
    static final int DEFAULT_BACKFILL_DAYS = 90;

    static final int MAX_BACKFILL_DAYS = 365;

    /**
     * What an administrator gives to connect an export, or to change one (null: unchanged). Amplitude: {@code apiKey}
     * and {@code secretKey}; Mixpanel: {@code projectId}, a service account's {@code username} and {@code secret}.
     */
    record ConnectionInput(
            @Nullable String vendor,
            @Nullable String region,
            @Nullable String apiKey,
            @Nullable String secretKey,
            @Nullable String projectId,
            @Nullable String username,
            @Nullable String secret,
            @Nullable String groupKey,
            @Nullable Integer backfillDays,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** An export source as shown: never its secret. */
    record ExportView(
            String name,
            String vendor,
            String region,
            String apiHost,
            String signedInAs,
            @Nullable String projectId,
            String groupKey,
            int backfillDays,
            @Nullable LocalDate pulledThrough,
            LocalDate nextDay,
            LocalDate lastCompleteDay,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt,
            List<PullSources.Feed> feeds,
            List<SyncRuns.Run> latestRuns,
            boolean pullPending) {

        /** Whether a pull is waiting to start or running. */
        public boolean running() {
            return pullPending || latestRuns.stream().anyMatch(SyncRuns.Run::running);
        }
    }

    private final EventExportStore store;
    private final EventExportApi api;
    private final EventExportPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final Sources sources;
    private final PullSources pullSources;
    private final OneTimeTask<EventExportJobs.Pull> pullTask;
    private final Clock clock;

    EventExportSources(
            EventExportStore store,
            EventExportApi api,
            EventExportPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            Sources sources,
            PullSources pullSources,
            OneTimeTask<EventExportJobs.Pull> eventExportPullTask,
            Clock clock) {
        this.store = store;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.sources = sources;
        this.pullSources = pullSources;
        this.pullTask = eventExportPullTask;
        this.clock = clock;
    }

    /**
     * Connects an export: the credentials are tried first (the first hour of yesterday is asked for); nothing is kept
     * when the vendor refuses them (422 naming the field, with the vendor's reason). Unless paused, the first pull
     * (the back-fill) starts at once.
     */
    ExportView create(String name, ConnectionInput input) {
        Vendor vendor = vendor(input.vendor());
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 60);
        int backfill = backfillDays(input.backfillDays(), DEFAULT_BACKFILL_DAYS);
        String groupKey = groupKey(input.groupKey());
        EventExportApi.Credentials credentials = credentials(vendor, input, null);
        check(credentials);
        pullSources.connect(
                name,
                Source.Kind.valueOf(vendor.name()),
                new EventExportStore.Settings(
                        vendor, credentials.region(), credentials.user(), credentials.projectId(), backfill),
                secrets.seal(credentials.secret()),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new EventExportJobs.Pull(SyncRuns.Trigger.schedule));
        if (groupKey != null) {
            ObjectNode settings = JsonNodeFactory.instance.objectNode();
            settings.put("groupKey", groupKey);
            sources.updateSettings(name, settings);
        }
        return get(name);
    }

    /** Changes a connection; new credentials or a new region are tried first. */
    ExportView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<EventExportStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        EventExportStore.Settings settings = current.settings();
        if (input.vendor() != null && vendor(input.vendor()) != settings.vendor()) {
            throw new InvalidInputException(
                    "vendor",
                    "is " + settings.vendor() + " for this source; connect another source for another vendor");
        }
        boolean reach = input.region() != null
                || present(input.apiKey())
                || present(input.secretKey())
                || present(input.projectId())
                || present(input.username())
                || present(input.secret());
        String secret = current.secret();
        if (reach) {
            EventExportApi.Credentials credentials = credentials(settings.vendor(), input, current);
            check(credentials);
            settings = new EventExportStore.Settings(
                    settings.vendor(),
                    credentials.region(),
                    credentials.user(),
                    credentials.projectId(),
                    settings.backfillDays());
            secret = secrets.seal(credentials.secret());
        }
        if (input.backfillDays() != null) {
            settings = new EventExportStore.Settings(
                    settings.vendor(),
                    settings.region(),
                    settings.user(),
                    settings.projectId(),
                    backfillDays(input.backfillDays(), settings.backfillDays()));
        }
        String groupKey = groupKey(input.groupKey());
        if (groupKey != null) {
            ObjectNode sourceSettings =
                    source.settings() != null && source.settings().isObject()
                            ? ((ObjectNode) source.settings()).deepCopy()
                            : JsonNodeFactory.instance.objectNode();
            sourceSettings.put("groupKey", groupKey);
            sources.updateSettings(name, sourceSettings);
        }
        pullSources.reconnect(current, settings, secret, reach, input.everyMinutes(), input.paused());
        return get(name);
    }

    ExportView get(String name) {
        Source source = source(name);
        PullConnections.Connection<EventExportStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        EventExportStore.Settings s = c.settings();
        LocalDate through = store.pulledThrough(source.id()).orElse(null);
        EventExportApi.Credentials credentials =
                new EventExportApi.Credentials(s.vendor(), s.region(), s.user(), "", s.projectId());
        return new ExportView(
                source.name(),
                s.vendor().name(),
                s.region(),
                credentials.host(),
                s.vendor() == Vendor.amplitude ? "API key " + s.user() : "service account " + s.user(),
                s.projectId(),
                groupKeyOf(source),
                s.backfillDays(),
                through,
                pulls.firstDay(source.id(), s.backfillDays()),
                pulls.lastCompleteDay(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(
                        List.of(EventExportPulls.FEED),
                        through == null ? Map.of() : Map.of(EventExportPulls.FEED, through.toString()),
                        latest),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    /** The export sources of one vendor, or of both. */
    List<ExportView> all(@Nullable String vendor) {
        List<Vendor> vendors = vendor == null || vendor.isBlank() ? List.of(Vendor.values()) : List.of(vendor(vendor));
        return vendors.stream()
                .flatMap(v -> pullSources.all(Source.Kind.valueOf(v.name())).stream())
                .filter(s -> store.connection(s.id()).isPresent())
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new EventExportJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        int started = 0;
        for (Vendor vendor : Vendor.values()) {
            started += pullSources.scheduleDue(
                    Source.Kind.valueOf(vendor.name()), pullTask, new EventExportJobs.Pull(SyncRuns.Trigger.schedule));
        }
        return started;
    }

    /** Pulls every complete day not pulled yet, in one run. */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        pullSources.pull(
                sourceId,
                EventExportStore.Settings.class,
                List.of(EventExportPulls.FEED),
                (source, c, feed) -> pulls.pull(
                        source,
                        c,
                        new EventExportApi.Credentials(
                                c.settings().vendor(),
                                c.settings().region(),
                                c.settings().user(),
                                secrets.open(c.secret()),
                                c.settings().projectId()),
                        trigger));
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    /**
     * Tries the credentials: the first hour of yesterday (UTC) is asked for (of Mixpanel, yesterday's first event) and
     * read to the end (an Amplitude 404, no data, is an answer too); refused when the vendor does not take them, as a 422 naming the field.
     */
    private void check(EventExportApi.Credentials credentials) {
        LocalDate yesterday =
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        try {
            api.read(null, credentials, yesterday, 0, null, (file, number, line) -> {});
        } catch (VendorHttp.Refused e) {
            String vendor = credentials.vendor() == Vendor.amplitude ? "Amplitude" : "Mixpanel";
            String field;
            if (e.status() == 401 || e.status() == 403) {
                field = credentials.vendor() == Vendor.amplitude ? "secretKey" : "secret";
            } else if (e.status() == 400 && credentials.vendor() == Vendor.mixpanel) {
                field = "projectId";
            } else {
                field = "region";
            }
            throw new InvalidInputException(field, vendor + " refused: " + e.getMessage());
        }
    }

    /** The credentials given, the current ones standing in for those not given. */
    private EventExportApi.Credentials credentials(
            Vendor vendor,
            ConnectionInput input,
            PullConnections.@Nullable Connection<EventExportStore.Settings> current) {
        EventExportStore.Settings s = current == null ? null : current.settings();
        String region = region(vendor, input.region(), s == null ? "us" : s.region());
        if (vendor == Vendor.amplitude) {
            String apiKey = given(
                    input.apiKey(),
                    s == null ? null : s.user(),
                    "apiKey",
                    "the project's API key" + " (Settings → Projects → your project → General)");
            String secretKey = given(
                    input.secretKey(),
                    current == null ? null : secrets.open(current.secret()),
                    "secretKey",
                    "the project's secret key (next to its API key)");
            return new EventExportApi.Credentials(vendor, region, apiKey, secretKey, null);
        }
        String projectId = given(
                input.projectId(),
                s == null ? null : s.projectId(),
                "projectId",
                "the project's id" + " (Project Settings → Overview)");
        if (!projectId.matches("\\d{1,20}")) {
            throw new InvalidInputException("projectId", "must be the project's id, a number (Project Settings)");
        }
        String username = given(
                input.username(),
                s == null ? null : s.user(),
                "username",
                "a service account's user" + " name (Organization Settings → Service Accounts)");
        String secret = given(
                input.secret(),
                current == null ? null : secrets.open(current.secret()),
                "secret",
                "the service account's secret, shown once when it was created");
        return new EventExportApi.Credentials(vendor, region, username, secret, projectId);
    }

    private static String given(@Nullable String value, @Nullable String current, String field, String what) {
        if (present(value)) {
            return PullSources.token(value.strip(), field);
        }
        if (current != null) {
            return current;
        }
        throw new InvalidInputException(field, "is missing: " + what);
    }

    private static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static Vendor vendor(@Nullable String given) {
        try {
            return Vendor.valueOf(given == null ? "" : given.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("vendor", "must be amplitude or mixpanel");
        }
    }

    private static String region(Vendor vendor, @Nullable String given, String fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        String region = given.strip().toLowerCase(Locale.ROOT);
        Map<String, String> hosts =
                vendor == Vendor.amplitude ? EventExportApi.AMPLITUDE_HOSTS : EventExportApi.MIXPANEL_HOSTS;
        if (!hosts.containsKey(region)) {
            throw new InvalidInputException(
                    "region",
                    vendor == Vendor.amplitude
                            ? "must be us (amplitude.com) or eu (analytics.eu.amplitude.com)"
                            : "must be us (data.mixpanel.com), eu (data-eu.mixpanel.com) or in (data-in.mixpanel.com)");
        }
        return region;
    }

    private static int backfillDays(@Nullable Integer given, int fallback) {
        int days = given == null ? fallback : given;
        if (days < 1 || days > MAX_BACKFILL_DAYS) {
            throw new InvalidInputException(
                    "backfillDays",
                    "must be from 1 to " + MAX_BACKFILL_DAYS + " days (Amplitude exports a year at most)");
        }
        return days;
    }

    private static @Nullable String groupKey(@Nullable String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String key = given.strip();
        if (key.length() > 100) {
            throw new InvalidInputException("groupKey", "must be at most 100 characters");
        }
        return key;
    }

    private static String groupKeyOf(Source source) {
        String key = source.settings() == null
                ? null
                : source.settings().path("groupKey").asString(null);
        return key == null || key.isBlank() ? "company_id" : key;
    }

    private Source source(String name) {
        return sources.find(name)
                .filter(s -> s.kind() == Source.Kind.amplitude || s.kind() == Source.Kind.mixpanel)
                .filter(s -> store.connection(s.id()).isPresent())
                .orElseThrow(() -> new NotFoundException("Amplitude or Mixpanel export source", name));
    }
}
