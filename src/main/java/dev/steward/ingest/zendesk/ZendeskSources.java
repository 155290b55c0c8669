package dev.steward.ingest.zendesk;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import dev.steward.ingest.zendesk.ZendeskStore.Export;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Zendesk sources: a connection (subdomain and an administrator's email and API token, or an OAuth access token)
 * tested before it is kept, its token encrypted; pulls on a schedule or at once (one at a time per source, across
 * instances: a db-scheduler job named by the source), the first one reading everything, the next ones from each
 * export's stored cursor, each export in its own sync run.
 */
@Service
class ZendeskSources {

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** What an administrator gives to connect Zendesk, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String subdomain,
            @Nullable String email,
            @Nullable String apiToken,
            @Nullable String accessToken,
            @Nullable String escalationTag,
            @Nullable String accountsSource,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    /** A Zendesk source as shown: never its token, only how Steward signs in and as whom. */
    record ZendeskView(
            String name,
            String subdomain,
            String auth,
            @Nullable String email,
            String signedInAs,
            String escalationTag,
            @Nullable String accountsSource,
            int everyMinutes,
            boolean paused,
            @Nullable Instant nextSyncAt,
            Instant checkedAt,
            List<PullSources.Feed> exports,
            List<SyncRuns.Run> latestRuns,
            boolean pullPending) {

        /** Whether a pull is waiting to start or running. */
        public boolean running() {
            return pullPending || latestRuns.stream().anyMatch(SyncRuns.Run::running);
        }
    }

    private final ZendeskStore store;
    private final ZendeskApi api;
    private final ZendeskPulls pulls;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final OneTimeTask<ZendeskJobs.Pull> pullTask;

    ZendeskSources(
            ZendeskStore store,
            ZendeskApi api,
            ZendeskPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<ZendeskJobs.Pull> zendeskPullTask) {
        this.store = store;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = zendeskPullTask;
    }

    /**
     * Connects Zendesk: the credentials are tried first (who they sign in as); nothing is kept when Zendesk refuses
     * them (422 naming the field, with Zendesk's reason). Unless paused, the first pull (everything) starts at once.
     */
    ZendeskView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 60);
        ZendeskApi.Credentials credentials = credentials(input, null, null);
        String signedInAs = check(credentials);
        ZendeskStore.Settings settings = new ZendeskStore.Settings(
                credentials.subdomain(),
                credentials.oauth(),
                credentials.email(),
                signedInAs,
                escalationTag(input.escalationTag(), ZendeskRecords.ESCALATION_TAG),
                accountsSource(input.accountsSource(), name));
        pullSources.connect(
                name,
                Source.Kind.zendesk,
                settings,
                secrets.seal(credentials.secret()),
                every,
                Boolean.TRUE.equals(input.paused()),
                pullTask,
                new ZendeskJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; a new subdomain, email or token is tried first. */
    ZendeskView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<ZendeskStore.Settings> current =
                store.connection(source.id()).orElseThrow();
        ZendeskStore.Settings settings = current.settings();
        boolean reach = input.subdomain() != null
                || input.email() != null
                || input.apiToken() != null
                || input.accessToken() != null;
        String secret = current.secret();
        String signedInAs = settings.signedInAs();
        ZendeskApi.Credentials credentials = credentials(current);
        if (reach) {
            credentials = credentials(input, settings, secrets.open(current.secret()));
            signedInAs = check(credentials);
            secret = secrets.seal(credentials.secret());
        }
        pullSources.reconnect(
                current,
                new ZendeskStore.Settings(
                        credentials.subdomain(),
                        credentials.oauth(),
                        credentials.email(),
                        signedInAs,
                        escalationTag(input.escalationTag(), settings.escalationTag()),
                        input.accountsSource() == null
                                ? settings.accountsSource()
                                : accountsSource(input.accountsSource(), source.name())),
                secret,
                reach,
                input.everyMinutes(),
                input.paused());
        return get(name);
    }

    ZendeskView get(String name) {
        Source source = source(name);
        PullConnections.Connection<ZendeskStore.Settings> c =
                store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        Map<String, String> cursors = new HashMap<>();
        store.cursors(source.id()).forEach((e, cursor) -> cursors.put(e.name(), cursor));
        List<PullSources.Feed> exports = PullSources.feeds(
                Arrays.stream(Export.values()).map(Export::name).toList(), cursors, latest);
        ZendeskStore.Settings s = c.settings();
        return new ZendeskView(
                source.name(),
                s.subdomain(),
                s.oauth() ? "oauth" : "token",
                s.email(),
                s.signedInAs(),
                s.escalationTag(),
                s.accountsSource(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                exports,
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<ZendeskView> all() {
        return pullSources.all(Source.Kind.zendesk).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new ZendeskJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(Source.Kind.zendesk, pullTask, new ZendeskJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /**
     * Pulls every export of the source in turn, each in its own run, from its stored cursor. Organizations come first
     * because the rest name them: a failed export stops the pull, and the next one resumes where each stopped.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        pullSources.pull(
                sourceId,
                ZendeskStore.Settings.class,
                List.of(Export.values()),
                (source, c, export) -> pulls.pull(source, c, credentials(c), export, trigger));
    }

    List<SyncRuns.Run> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit);
    }

    /** Who the credentials sign in as; refused unless Zendesk knows them as an administrator (422 naming the field). */
    private String check(ZendeskApi.Credentials credentials) {
        String tokenField = credentials.oauth() ? "accessToken" : "apiToken";
        ZendeskApi.Me me;
        try {
            me = api.me(credentials);
        } catch (VendorHttp.Refused e) {
            String field = e.status() == 401 || e.status() == 403 ? tokenField : "subdomain";
            throw new InvalidInputException(field, "Zendesk refused: " + e.getMessage());
        }
        if (me.id() == null) {
            throw new InvalidInputException(
                    tokenField,
                    "Zendesk refused: it took these credentials for an anonymous user"
                            + (credentials.oauth() ? "" : " (check the email and the API token)"));
        }
        if (!"admin".equals(me.role())) {
            throw new InvalidInputException(
                    credentials.oauth() ? "accessToken" : "email",
                    "Zendesk refused: " + me.name() + " is "
                            + (me.role().isEmpty() ? "not an administrator" : "an " + me.role())
                            + "; Zendesk's incremental exports need an administrator's credentials");
        }
        return me.name() + (me.email() == null ? "" : " <" + me.email() + ">");
    }

    private ZendeskApi.Credentials credentials(PullConnections.Connection<ZendeskStore.Settings> c) {
        ZendeskStore.Settings s = c.settings();
        return new ZendeskApi.Credentials(s.subdomain(), s.email(), secrets.open(c.secret()), s.oauth());
    }

    /**
     * The credentials a form or request gives, over the stored ones: the subdomain ("acme", or acme.zendesk.com or
     * its URL), then either an email with an API token, or an OAuth access token.
     */
    private static ZendeskApi.Credentials credentials(
            ConnectionInput input, ZendeskStore.@Nullable Settings current, @Nullable String currentSecret) {
        String subdomain = input.subdomain() != null
                ? subdomain(input.subdomain())
                : current == null ? subdomain(null) : current.subdomain();
        boolean oauth = input.accessToken() != null && !input.accessToken().isBlank()
                || input.apiToken() == null && input.email() == null && current != null && current.oauth();
        if (input.accessToken() != null
                && !input.accessToken().isBlank()
                && input.apiToken() != null
                && !input.apiToken().isBlank()) {
            throw new InvalidInputException(
                    "accessToken", "give either an API token (with its email) or an OAuth" + " access token, not both");
        }
        if (oauth) {
            String token = input.accessToken() != null && !input.accessToken().isBlank()
                    ? input.accessToken().strip()
                    : currentSecret;
            if (token == null || token.isBlank()) {
                throw new InvalidInputException("accessToken", "is missing");
            }
            return new ZendeskApi.Credentials(subdomain, null, PullSources.token(token, "accessToken"), true);
        }
        String email = input.email() != null ? input.email().strip() : current == null ? null : current.email();
        if (email == null || email.isEmpty()) {
            throw new InvalidInputException("email", "is missing: the email of the administrator the API token is for");
        }
        if (email.length() > 320 || !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new InvalidInputException("email", "is not an email address");
        }
        String token = input.apiToken() != null && !input.apiToken().isBlank()
                ? input.apiToken().strip()
                : current != null && !current.oauth() ? currentSecret : null;
        if (token == null || token.isBlank()) {
            throw new InvalidInputException(
                    "apiToken", "is missing: an API token (Admin Center → Apps and integrations → Zendesk API)");
        }
        return new ZendeskApi.Credentials(subdomain, email, PullSources.token(token, "apiToken"), false);
    }

    private static String subdomain(@Nullable String given) {
        if (given == null || given.isBlank()) {
            throw new InvalidInputException("subdomain", "is missing: the part before .zendesk.com");
        }
        String subdomain = given.strip().toLowerCase(Locale.ROOT).replaceFirst("^https?://", "");
        subdomain = subdomain.replaceFirst("/.*$", "").replaceFirst("\\.zendesk\\.com$", "");
        if (!SUBDOMAIN.matcher(subdomain).matches()) {
            throw new InvalidInputException(
                    "subdomain", "must be your Zendesk subdomain, the part before .zendesk.com (letters, digits, '-')");
        }
        return subdomain;
    }

    private static String escalationTag(@Nullable String given, String fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        String tag = given.strip().toLowerCase(Locale.ROOT);
        if (tag.length() > 80 || tag.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(
                    "escalationTag", "must be one Zendesk tag (no spaces, at most 80 characters)");
        }
        return tag;
    }

    private static @Nullable String accountsSource(@Nullable String given, @Nullable String self) {
        return PullSources.accountsSource(given, self, "organizations' external_id");
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.zendesk, "Zendesk source");
    }
}
