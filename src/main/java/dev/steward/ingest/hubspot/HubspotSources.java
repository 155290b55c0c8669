package dev.steward.ingest.hubspot;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.hubspot.HubspotStore.Feed;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * HubSpot sources: a connection (a private app's access token) tested before it is kept, its token encrypted; pulls on
 * a schedule or at once (one at a time per source, across instances), each feed in its own sync run, the first pull
 * reading everything and the next ones what changed since each feed's cursor.
 */
@Service
class HubspotSources {

    /** A property's internal name as HubSpot's API shows it (lower case, words joined by {@code _}). */
    private static final Pattern PROPERTY = Pattern.compile("[a-z0-9_]{1,100}");

    /** What an administrator gives to connect HubSpot, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String token,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl) {}

    /** A HubSpot source as shown: never its token, only the portal it belongs to. */
    record HubspotView(
            String name,
            long portalId,
            String uiDomain,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            boolean writeBack,
            @Nullable String stewardUrl,
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

    private final HubspotStore store;
    private final FeedCursors cursors;
    private final HubspotApi api;
    private final HubspotPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final OneTimeTask<HubspotJobs.Pull> pullTask;
    private final HubspotWriteBack writeBack;

    HubspotSources(
            HubspotStore store,
            FeedCursors cursors,
            HubspotApi api,
            HubspotPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<HubspotJobs.Pull> hubspotPullTask,
            HubspotWriteBack writeBack) {
        this.store = store;
        this.cursors = cursors;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = hubspotPullTask;
        this.writeBack = writeBack;
    }

    /**
     * Connects HubSpot: the token is tried first (whose portal it is); nothing is kept when HubSpot refuses it (422
     * naming {@code token}, with HubSpot's reason). Unless paused, the first pull (everything) starts at once.
     */
    HubspotView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 30);
        if (input.token() == null || input.token().isBlank()) {
            throw new InvalidInputException(
                    "token",
                    "is missing: a private app's access token (HubSpot → Settings → Integrations → Private apps)");
        }
        String token = PullSources.token(input.token().strip(), "token");
        HubspotApi.Portal portal = check(token);
        String stewardUrl = stewardUrl(input.stewardUrl());
        HubspotStore.Settings settings = new HubspotStore.Settings(
                portal.portalId(),
                portal.uiDomain(),
                accountsSource(input.accountsSource(), name),
                externalIdProperty(input.externalIdProperty()),
                writeBack(input.writeBack(), false, stewardUrl),
                stewardUrl);
        pullSources.connect(
                name,
                Source.Kind.hubspot,
                settings,
                secrets.seal(token),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new HubspotJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; a new token is tried first. */
    HubspotView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<HubspotStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        HubspotStore.Settings s = current.settings();
        boolean newToken = input.token() != null && !input.token().isBlank();
        String secret = current.secret();
        long portalId = s.portalId();
        String uiDomain = s.uiDomain();
        if (newToken) {
            String token = PullSources.token(input.token().strip(), "token");
            HubspotApi.Portal portal = check(token);
            portalId = portal.portalId();
            uiDomain = portal.uiDomain();
            secret = secrets.seal(token);
        }
        String stewardUrl = input.stewardUrl() == null ? s.stewardUrl() : stewardUrl(input.stewardUrl());
        pullSources.reconnect(
                current,
                new HubspotStore.Settings(
                        portalId,
                        uiDomain,
                        input.accountsSource() == null
                                ? s.accountsSource()
                                : accountsSource(input.accountsSource(), source.name()),
                        input.externalIdProperty() == null
                                ? s.externalIdProperty()
                                : externalIdProperty(input.externalIdProperty()),
                        writeBack(input.writeBack(), s.writeBack(), stewardUrl),
                        stewardUrl),
                secret,
                newToken,
                input.everyMinutes(),
                input.paused());
        return get(name);
    }

    HubspotView get(String name) {
        Source source = source(name);
        PullConnections.Connection<HubspotStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        HubspotStore.Settings s = c.settings();
        return new HubspotView(
                source.name(),
                s.portalId(),
                s.uiDomain(),
                s.accountsSource(),
                s.externalIdProperty(),
                s.writeBack(),
                s.stewardUrl(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(feeds(s).stream().map(Feed::name).toList(), cursors.all(source.id()), latest),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<HubspotView> all() {
        return pullSources.all(Source.Kind.hubspot).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new HubspotJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(Source.Kind.hubspot, pullTask, new HubspotJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /**
     * Pulls every feed of the source in turn, each in its own run: companies first, because contacts and deals name
     * them. A failed feed stops the pull, and the next one reads it again from its cursor.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        HubspotStore.Settings settings = store.connection(sourceId)
                .map(PullConnections.Connection::settings)
                .orElse(null);
        if (settings == null) {
            return;
        }
        pullSources.pull(
                sourceId,
                HubspotStore.Settings.class,
                feeds(settings),
                (source, c, feed) -> feed == Feed.write_back
                        ? writeBack.push(source, c.settings(), secrets.open(c.secret()), trigger)
                        : pulls.pull(source, c, secrets.open(c.secret()), feed, trigger));
    }

    /** The feeds of a pull: the searches, then the write-back when the connection asks for it. */
    private static List<Feed> feeds(HubspotStore.Settings settings) {
        return Arrays.stream(Feed.values())
                .filter(f -> f != Feed.write_back || settings.writeBack())
                .toList();
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    /** Whose the token is; refused when HubSpot does not take it (422 naming the token, with HubSpot's reason). */
    private HubspotApi.Portal check(String token) {
        try {
            return api.portal(token);
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException("token", "HubSpot refused: " + e.getMessage());
        }
    }

    /** Writing back needs Steward's address, for the link to each account. */
    private static boolean writeBack(@Nullable Boolean given, boolean current, @Nullable String stewardUrl) {
        boolean writeBack = given == null ? current : given;
        if (writeBack && stewardUrl == null) {
            throw new InvalidInputException(
                    "stewardUrl",
                    "is missing: Steward's address as people open it (https://steward.example.com), for the link to"
                            + " each account written back");
        }
        return writeBack;
    }

    private static @Nullable String stewardUrl(@Nullable String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String url = given.strip().replaceAll("/+$", "");
        if (!url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?") || url.length() > 300) {
            throw new InvalidInputException(
                    "stewardUrl", "must be Steward's address as people open it, e.g. https://steward.example.com");
        }
        return url;
    }

    private static @Nullable String externalIdProperty(@Nullable String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String property = given.strip();
        if (!PROPERTY.matcher(property).matches()) {
            throw new InvalidInputException(
                    "externalIdProperty",
                    "must be a company property's internal name as HubSpot shows it (lower case, e.g. crm_id)");
        }
        return property;
    }

    private static @Nullable String accountsSource(@Nullable String given, @Nullable String self) {
        return PullSources.accountsSource(given, self, "the companies' external id property");
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.hubspot, "HubSpot source");
    }
}
