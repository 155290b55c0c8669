package dev.steward.ingest.intercom;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.intercom.IntercomStore.Feed;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Intercom sources: a connection (the workspace's region and an access token) tested before it is kept, its token
 * encrypted; pulls on a schedule or at once (one at a time per source, across instances), each feed in its own sync
 * run, the first pull reading everything and the next ones what changed since each feed's watermark.
 */
@Service
class IntercomSources {

    /** What an administrator gives to connect Intercom, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String region,
            @Nullable String accessToken,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** An Intercom source as shown: never its token, only whom it acts as in which workspace. */
    record IntercomView(
            String name,
            String region,
            String apiHost,
            String signedInAs,
            @Nullable String workspace,
            @Nullable String accountsSource,
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

    private final IntercomStore store;
    private final IntercomApi api;
    private final IntercomPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final OneTimeTask<IntercomJobs.Pull> pullTask;

    IntercomSources(
            IntercomStore store,
            IntercomApi api,
            IntercomPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<IntercomJobs.Pull> intercomPullTask) {
        this.store = store;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = intercomPullTask;
    }

    /**
     * Connects Intercom: the token is tried first (whom it acts as); nothing is kept when Intercom refuses it (422
     * naming {@code accessToken}, with Intercom's reason). Unless paused, the first pull (everything) starts at once.
     */
    IntercomView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 60);
        IntercomApi.Region region = region(input.region(), IntercomApi.Region.us);
        if (input.accessToken() == null || input.accessToken().isBlank()) {
            throw new InvalidInputException(
                    "accessToken", "is missing: an access token (Developer Hub → your app → Authentication)");
        }
        IntercomApi.Credentials credentials = new IntercomApi.Credentials(
                region, PullSources.token(input.accessToken().strip(), "accessToken"));
        IntercomApi.Me me = check(credentials);
        IntercomStore.Settings settings = new IntercomStore.Settings(
                region, signedInAs(me), me.workspace(), accountsSource(input.accountsSource(), name));
        pullSources.connect(
                name,
                Source.Kind.intercom,
                settings,
                secrets.seal(credentials.token()),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new IntercomJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; a new region or token is tried first. */
    IntercomView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<IntercomStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        IntercomStore.Settings settings = current.settings();
        boolean reach = input.region() != null
                || input.accessToken() != null && !input.accessToken().isBlank();
        String secret = current.secret();
        if (reach) {
            IntercomApi.Credentials credentials = new IntercomApi.Credentials(
                    region(input.region(), settings.region()),
                    input.accessToken() != null && !input.accessToken().isBlank()
                            ? PullSources.token(input.accessToken().strip(), "accessToken")
                            : secrets.open(current.secret()));
            IntercomApi.Me me = check(credentials);
            settings = new IntercomStore.Settings(
                    credentials.region(), signedInAs(me), me.workspace(), settings.accountsSource());
            secret = secrets.seal(credentials.token());
        }
        pullSources.reconnect(
                current,
                new IntercomStore.Settings(
                        settings.region(),
                        settings.signedInAs(),
                        settings.workspace(),
                        input.accountsSource() == null
                                ? settings.accountsSource()
                                : accountsSource(input.accountsSource(), source.name())),
                secret,
                reach,
                input.everyMinutes(),
                input.paused());
        return get(name);
    }

    IntercomView get(String name) {
        Source source = source(name);
        PullConnections.Connection<IntercomStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        Map<String, String> watermarks = new HashMap<>();
        store.watermarks(source.id()).forEach((feed, watermark) -> watermarks.put(feed.name(), watermark));
        IntercomStore.Settings s = c.settings();
        return new IntercomView(
                source.name(),
                s.region().name(),
                s.region().host(),
                s.signedInAs(),
                s.workspace(),
                s.accountsSource(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(Arrays.stream(Feed.values()).map(Feed::name).toList(), watermarks, latest),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<IntercomView> all() {
        return pullSources.all(Source.Kind.intercom).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new IntercomJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(
                Source.Kind.intercom, pullTask, new IntercomJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /**
     * Pulls every feed of the source in turn, each in its own run: companies first, because the rest name them. A
     * failed feed stops the pull, and the next one reads it again from its watermark.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        pullSources.pull(
                sourceId,
                IntercomStore.Settings.class,
                List.of(Feed.values()),
                (source, c, feed) -> pulls.pull(
                        source,
                        c,
                        new IntercomApi.Credentials(c.settings().region(), secrets.open(c.secret())),
                        feed,
                        trigger));
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    /** Whom the token acts as; refused when Intercom does not take it (422 naming the field, with Intercom's reason). */
    private IntercomApi.Me check(IntercomApi.Credentials credentials) {
        try {
            return api.me(credentials);
        } catch (VendorHttp.Refused e) {
            String field = e.status() == 401 || e.status() == 403 ? "accessToken" : "region";
            throw new InvalidInputException(field, "Intercom refused: " + e.getMessage());
        }
    }

    private static String signedInAs(IntercomApi.Me me) {
        return (me.name().isBlank() ? "teammate " + me.id() : me.name())
                + (me.email() == null ? "" : " <" + me.email() + ">");
    }

    private static IntercomApi.Region region(@Nullable String given, IntercomApi.Region fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        try {
            return IntercomApi.Region.valueOf(given.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "region", "must be us (api.intercom.io), eu (api.eu.intercom.io) or au (api.au.intercom.io)");
        }
    }

    private static @Nullable String accountsSource(@Nullable String given, @Nullable String self) {
        return PullSources.accountsSource(given, self, "companies' company_id");
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.intercom, "Intercom source");
    }
}
