package dev.steward.ingest.hubspot;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.hubspot.HubspotStore.Feed;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullAuthorizations;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

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

    /** What an administrator gives to connect an OAuth app of HubSpot's (null: the default). */
    record AppInput(
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String scopes,
            @Nullable String accountsSource,
            @Nullable String externalIdProperty,
            @Nullable Integer everyMinutes,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl) {}

    /** An authorization under way: where the administrator gives consent, and the address HubSpot sends them back to. */
    record AuthorizationView(String name, String authorizeUrl, String redirectUri, String state) {}

    /** The scopes Steward asks an OAuth app for: reading the CRM, and writing health back when it does. */
    static final String READ_SCOPES =
            "oauth crm.objects.companies.read crm.objects.contacts.read crm.objects.deals.read";

    static final String WRITE_SCOPES = "crm.objects.companies.write crm.schemas.companies.write";

    private static final Pattern SCOPES = Pattern.compile("[a-z0-9._-]{1,100}( [a-z0-9._-]{1,100}){0,49}");

    /** A HubSpot source as shown: never its token, only the portal it belongs to (and an OAuth app's client id). */
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
            boolean pullPending,
            @Nullable String clientId,
            @Nullable String scopes) {

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
    private final PullAuthorizations authorizations;
    private final HubspotProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    HubspotSources(
            HubspotStore store,
            FeedCursors cursors,
            HubspotApi api,
            HubspotPulls pulls,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<HubspotJobs.Pull> hubspotPullTask,
            HubspotWriteBack writeBack,
            PullAuthorizations authorizations,
            HubspotProperties properties,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.cursors = cursors;
        this.api = api;
        this.pulls = pulls;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = hubspotPullTask;
        this.writeBack = writeBack;
        this.authorizations = authorizations;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
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

    /**
     * Starts connecting an OAuth app: keeps what was given (the client secret sealed) under a random state, and answers
     * where the administrator gives consent; HubSpot sends them back to {@code redirectUri} with a code.
     */
    AuthorizationView authorize(String name, AppInput input, String redirectUri) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 30);
        String clientId = required(input.clientId(), "clientId", "the app's client id (HubSpot → the app → Auth)");
        String clientSecret =
                required(input.clientSecret(), "clientSecret", "the app's client secret (HubSpot → the app → Auth)");
        String stewardUrl = stewardUrl(input.stewardUrl());
        boolean write = writeBack(input.writeBack(), false, stewardUrl);
        String scopes = scopes(input.scopes(), write);
        HubspotStore.Settings settings = new HubspotStore.Settings(
                0,
                "app.hubspot.com",
                accountsSource(input.accountsSource(), name),
                externalIdProperty(input.externalIdProperty()),
                write,
                stewardUrl,
                clientId,
                scopes);
        String state = authorizations.start(
                Source.Kind.hubspot,
                name,
                new HubspotStore.Pending(settings, every, redirectUri),
                secrets.seal(clientSecret),
                clock.instant());
        return new AuthorizationView(name, api.authorizeUrl(clientId, redirectUri, scopes, state), redirectUri, state);
    }

    /**
     * Completes an OAuth app's connection: the code HubSpot sent back is exchanged for tokens, the portal asked with
     * them, and the source made (the client secret and refresh token sealed); unless paused, the first pull starts. A
     * state unknown, used or older than {@code authorization-time} is refused (422 naming {@code state}); a code
     * HubSpot refuses too (naming {@code code}).
     */
    HubspotView complete(String state, String code) {
        PullAuthorizations.Authorization<HubspotStore.Pending> a = authorizations
                .take(
                        Source.Kind.hubspot,
                        state,
                        clock.instant().minus(properties.authorizationTime()),
                        HubspotStore.Pending.class)
                .orElseThrow(() -> new InvalidInputException(
                        "state",
                        "names no authorization under way (it was used, or is older than an hour): start again"));
        pullSources.requireNewName(a.name());
        HubspotStore.Settings given = a.details().settings();
        String clientSecret = secrets.open(a.sealedSecret());
        HubspotApi.Session session;
        try {
            session =
                    api.exchangeCode(given.clientId(), clientSecret, a.details().redirectUri(), code);
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException("code", "HubSpot refused: " + e.getMessage());
        }
        HubspotApi.Portal portal;
        try {
            portal = api.portal(session.accessToken());
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException("code", "HubSpot refused the access token it gave: " + e.getMessage());
        }
        HubspotStore.Settings settings = new HubspotStore.Settings(
                portal.portalId(),
                portal.uiDomain(),
                given.accountsSource(),
                given.externalIdProperty(),
                given.writeBack(),
                given.stewardUrl(),
                given.clientId(),
                given.scopes());
        HubspotStore.AppSecret secret = new HubspotStore.AppSecret(clientSecret, session.refreshToken());
        String sealed = secrets.seal(json.writeValueAsString(secret));
        UUID id = pullSources.connect(
                a.name(),
                Source.Kind.hubspot,
                settings,
                sealed,
                a.details().everyMinutes(),
                true,
                pullTask,
                new HubspotJobs.Pull(SyncRuns.Trigger.schedule));
        // Kept paused until the pulls can use the access token just given; then on schedule, and the first pull now.
        api.use(id, app(settings, secret), session);
        pullSources.reconnect(store.connection(id).orElseThrow(), settings, sealed, true, null, false);
        pullSources.pullNow(pullTask, source(a.name()), new HubspotJobs.Pull(SyncRuns.Trigger.schedule));
        return get(a.name());
    }

    /** Changes a connection; a new token is tried first (and makes an OAuth app's connection a private app's). */
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
            s = s.privateApp();
            api.forget(source.id());
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
                        stewardUrl,
                        s.clientId(),
                        s.scopes()),
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
                pullSources.pending(pullTask, source.id()),
                s.clientId(),
                s.scopes());
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
                        ? writeBack.push(source, c.settings(), token(c), trigger)
                        : pulls.pull(source, c, token(c), feed, trigger));
    }

    /**
     * A private app's token; for an OAuth app's connection none (its requests carry the app's access token, see
     * {@link HubspotApi#use}).
     */
    private String token(PullConnections.Connection<HubspotStore.Settings> c) {
        String opened = secrets.open(c.secret());
        if (c.settings().clientId() == null) {
            return opened;
        }
        api.use(c.source(), app(c.settings(), json.readValue(opened, HubspotStore.AppSecret.class)), null);
        return "";
    }

    private static HubspotApi.App app(HubspotStore.Settings settings, HubspotStore.AppSecret secret) {
        return new HubspotApi.App(settings.clientId(), secret.clientSecret(), secret.refreshToken());
    }

    /** The scopes asked for: those given, else the reading ones (and the writing ones when health is written back). */
    private static String scopes(@Nullable String given, boolean writeBack) {
        if (given == null || given.isBlank()) {
            return writeBack ? READ_SCOPES + " " + WRITE_SCOPES : READ_SCOPES;
        }
        String scopes = given.strip().replaceAll("[\\s,]+", " ");
        if (!SCOPES.matcher(scopes).matches()) {
            throw new InvalidInputException(
                    "scopes", "must be HubSpot scopes separated by spaces, e.g. " + READ_SCOPES);
        }
        return scopes;
    }

    private static String required(@Nullable String given, String field, String what) {
        if (given == null || given.isBlank()) {
            throw new InvalidInputException(field, "is missing: " + what);
        }
        return given.strip();
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
