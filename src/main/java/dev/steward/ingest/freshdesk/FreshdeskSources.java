package dev.steward.ingest.freshdesk;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.freshdesk.FreshdeskStore.Feed;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Freshdesk sources: a connection (the helpdesk's domain, its plan and an API key) tested before it is kept, its key
 * encrypted; pulls on a schedule or at once (one at a time per source, across instances), each feed in its own sync
 * run, the first pull reading everything and the next ones what changed since each feed's watermark.
 */
@Service
class FreshdeskSources {

    /** A helpdesk's subdomain, as in {@code acme.freshdesk.com}. */
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** A custom field's name as Freshdesk's API shows it (its label in lower case, words joined by {@code _}). */
    private static final Pattern FIELD = Pattern.compile("[a-z0-9_]{1,100}");

    /** What an administrator gives to connect Freshdesk, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String domain,
            @Nullable String plan,
            @Nullable String apiKey,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** A Freshdesk source as shown: never its API key, only whose it is. */
    record FreshdeskView(
            String name,
            String domain,
            String apiHost,
            String plan,
            String signedInAs,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
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

    private final FreshdeskStore store;
    private final FeedCursors cursors;
    private final FreshdeskApi api;
    private final FreshdeskPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final OneTimeTask<FreshdeskJobs.Pull> pullTask;

    FreshdeskSources(
            FreshdeskStore store,
            FeedCursors cursors,
            FreshdeskApi api,
            FreshdeskPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<FreshdeskJobs.Pull> freshdeskPullTask) {
        this.store = store;
        this.cursors = cursors;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = freshdeskPullTask;
    }

    /**
     * Connects Freshdesk: the key is tried first (whose it is); nothing is kept when Freshdesk refuses it (422 naming
     * {@code apiKey}, with Freshdesk's reason). Unless paused, the first pull (everything) starts at once.
     */
    FreshdeskView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 60);
        if (input.domain() == null || input.domain().isBlank()) {
            throw new InvalidInputException("domain", "is missing: your helpdesk's address, e.g. acme.freshdesk.com");
        }
        FreshdeskApi.Plan plan = plan(input.plan(), FreshdeskApi.Plan.growth);
        if (input.apiKey() == null || input.apiKey().isBlank()) {
            throw new InvalidInputException(
                    "apiKey", "is missing: an agent's API key (Freshdesk → your profile → View API key)");
        }
        FreshdeskApi.Credentials credentials = new FreshdeskApi.Credentials(
                domain(input.domain()), PullSources.token(input.apiKey().strip(), "apiKey"));
        FreshdeskApi.Me me = check(credentials);
        FreshdeskStore.Settings settings = new FreshdeskStore.Settings(
                credentials.domain(),
                plan,
                signedInAs(me),
                accountsSource(input.accountsSource(), name),
                externalIdField(input.externalIdField()));
        pullSources.connect(
                name,
                Source.Kind.freshdesk,
                settings,
                secrets.seal(credentials.apiKey()),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new FreshdeskJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; a new domain or key is tried first. */
    FreshdeskView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<FreshdeskStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        FreshdeskStore.Settings s = current.settings();
        boolean newKey = input.apiKey() != null && !input.apiKey().isBlank();
        boolean reach = newKey || input.domain() != null && !input.domain().isBlank();
        String secret = current.secret();
        String domain = s.domain();
        String signedInAs = s.signedInAs();
        if (reach) {
            FreshdeskApi.Credentials credentials = new FreshdeskApi.Credentials(
                    input.domain() == null || input.domain().isBlank() ? s.domain() : domain(input.domain()),
                    newKey ? PullSources.token(input.apiKey().strip(), "apiKey") : secrets.open(current.secret()));
            signedInAs = signedInAs(check(credentials));
            domain = credentials.domain();
            secret = secrets.seal(credentials.apiKey());
        }
        pullSources.reconnect(
                current,
                new FreshdeskStore.Settings(
                        domain,
                        plan(input.plan(), s.plan()),
                        signedInAs,
                        input.accountsSource() == null
                                ? s.accountsSource()
                                : accountsSource(input.accountsSource(), source.name()),
                        input.externalIdField() == null
                                ? s.externalIdField()
                                : externalIdField(input.externalIdField())),
                secret,
                reach,
                input.everyMinutes(),
                input.paused());
        return get(name);
    }

    FreshdeskView get(String name) {
        Source source = source(name);
        PullConnections.Connection<FreshdeskStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        FreshdeskStore.Settings s = c.settings();
        return new FreshdeskView(
                source.name(),
                s.domain(),
                s.domain() + ".freshdesk.com",
                s.plan().name(),
                s.signedInAs(),
                s.accountsSource(),
                s.externalIdField(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(
                        Arrays.stream(Feed.values()).map(Feed::name).toList(), cursors.all(source.id()), latest),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<FreshdeskView> all() {
        return pullSources.all(Source.Kind.freshdesk).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new FreshdeskJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(
                Source.Kind.freshdesk, pullTask, new FreshdeskJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /**
     * Pulls every feed of the source in turn, each in its own run: companies first, because the rest name them, and
     * tickets before the ratings that name them. A failed feed stops the pull, and the next one reads it again from
     * its watermark.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        pullSources.pull(
                sourceId,
                FreshdeskStore.Settings.class,
                List.of(Feed.values()),
                (source, c, feed) -> pulls.pull(
                        source,
                        c,
                        new FreshdeskApi.Credentials(c.settings().domain(), secrets.open(c.secret())),
                        feed,
                        trigger));
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    /** Whose the key is; refused when Freshdesk does not take it (422 naming the field, with Freshdesk's reason). */
    private FreshdeskApi.Me check(FreshdeskApi.Credentials credentials) {
        try {
            return api.me(credentials);
        } catch (VendorHttp.Refused e) {
            String field = e.status() == 401 || e.status() == 403 ? "apiKey" : "domain";
            throw new InvalidInputException(field, "Freshdesk refused: " + e.getMessage());
        }
    }

    private static String signedInAs(FreshdeskApi.Me me) {
        return (me.name().isBlank() ? "agent " + me.id() : me.name())
                + (me.email() == null ? "" : " <" + me.email() + ">");
    }

    /** The subdomain of a helpdesk given as {@code acme}, {@code acme.freshdesk.com} or its address. */
    static String domain(String given) {
        String domain = given.strip()
                .toLowerCase(Locale.ROOT)
                .replaceFirst("^https?://", "")
                .replaceFirst("[/?#].*$", "")
                .replaceFirst("\\.freshdesk\\.com$", "");
        if (!DOMAIN.matcher(domain).matches()) {
            throw new InvalidInputException(
                    "domain", "must be your helpdesk's Freshdesk address, e.g. acme.freshdesk.com (or just acme)");
        }
        return domain;
    }

    private static FreshdeskApi.Plan plan(@Nullable String given, FreshdeskApi.Plan fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        try {
            return FreshdeskApi.Plan.valueOf(given.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "plan", "must be trial (50 calls a minute), growth (200), pro (400) or enterprise (700)");
        }
    }

    private static @Nullable String externalIdField(@Nullable String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        String field = given.strip();
        if (!FIELD.matcher(field).matches()) {
            throw new InvalidInputException(
                    "externalIdField",
                    "must be a company field's name as Freshdesk's API shows it (lower case, e.g. crm_id)");
        }
        return field;
    }

    private static @Nullable String accountsSource(@Nullable String given, @Nullable String self) {
        return PullSources.accountsSource(given, self, "the companies' external id field");
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.freshdesk, "Freshdesk source");
    }
}
