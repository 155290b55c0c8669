package dev.steward.ingest.salesforce;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.InvalidInputException;
import dev.steward.core.SecretBox;
import dev.steward.ingest.Source;
import dev.steward.ingest.salesforce.SalesforceStore.Credentials;
import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.salesforce.SalesforceStore.Flow;
import dev.steward.ingest.salesforce.SalesforceStore.Settings;
import dev.steward.ingest.salesforce.SalesforceStore.WriteBackFields;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Salesforce sources: a connection to an org (OAuth 2: the web-server flow, whose refresh token Steward keeps, or the
 * JWT bearer flow for servers), tried before it is kept, its secrets sealed; pulls on a schedule or at once (one at a
 * time per source, across instances), each feed in its own sync run, the first pull reading everything and the next
 * ones what changed since each feed's cursor, within the connection's share of the org's daily API allowance.
 */
@Service
class SalesforceSources {

    /** The write-back's custom fields as given (null: unchanged, or the default). */
    record FieldsInput(
            @Nullable String score,
            @Nullable String color,
            @Nullable String trend,
            @Nullable String csm,
            @Nullable String link) {}

    /** What an administrator gives to connect Salesforce, or to change a connection (null: unchanged). */
    record ConnectionInput(
            @Nullable String flow,
            @Nullable String loginUrl,
            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String refreshToken,
            @Nullable String username,
            @Nullable String privateKey,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable String roleField,
            @Nullable Integer allowancePercent,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused,
            @Nullable Boolean writeBack,
            @Nullable String stewardUrl,
            @Nullable FieldsInput fields) {}

    /** An authorization under way: where the administrator gives consent, and the address Salesforce sends them back to. */
    record AuthorizationView(String name, String authorizeUrl, String redirectUri, String state) {}

    /** A run of the source with the org's daily API requests as Salesforce last reported them in it. */
    record RunView(@JsonUnwrapped SyncRuns.Run run, SalesforceStore.@Nullable Allowance allowance) {}

    /** A Salesforce source as shown: never its secrets. */
    record SalesforceView(
            String name,
            Flow flow,
            String loginUrl,
            String instanceUrl,
            String clientId,
            @Nullable String username,
            @Nullable String organizationId,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable String roleField,
            int allowancePercent,
            SalesforceStore.@Nullable Allowance allowance,
            boolean writeBack,
            @Nullable String stewardUrl,
            WriteBackFields fields,
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

    private final SalesforceStore store;
    private final FeedCursors cursors;
    private final SalesforceApi api;
    private final SalesforcePulls pulls;
    private final SalesforceWriteBack writeBack;
    private final SyncRuns runs;
    private final SecretBox secrets;
    private final PullSources pullSources;
    private final OneTimeTask<SalesforceJobs.Pull> pullTask;
    private final SalesforceProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    SalesforceSources(
            SalesforceStore store,
            FeedCursors cursors,
            SalesforceApi api,
            SalesforcePulls pulls,
            SalesforceWriteBack writeBack,
            SyncRuns runs,
            SecretBox secrets,
            PullSources pullSources,
            OneTimeTask<SalesforceJobs.Pull> salesforcePullTask,
            SalesforceProperties properties,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.cursors = cursors;
        this.api = api;
        this.pulls = pulls;
        this.writeBack = writeBack;
        this.runs = runs;
        this.secrets = secrets;
        this.pullSources = pullSources;
        this.pullTask = salesforcePullTask;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Connects an org with credentials Steward can use at once: the JWT bearer flow (consumer key, user, private key),
     * or the web-server flow with a refresh token obtained before. An access token is asked for and the org's limits
     * read with it first; nothing is kept when Salesforce refuses (422 naming the field, with Salesforce's reason).
     * Unless paused, the first pull (everything) starts at once.
     */
    SalesforceView create(String name, ConnectionInput input) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 30);
        Flow flow = flow(input.flow());
        Settings settings = settings(name, flow, input, null);
        Credentials credentials = switch (flow) {
            case jwt_bearer -> new Credentials(null, null, privateKey(input.privateKey()));
            case web_server -> {
                if (blank(input.refreshToken())) {
                    throw new InvalidInputException(
                            "refreshToken",
                            "is missing: start an authorization instead (POST /api/v1/salesforce/authorizations), and"
                                    + " Salesforce gives Steward one once you consent");
                }
                yield new Credentials(
                        required(input.clientSecret(), "clientSecret", "the connected app's consumer secret"),
                        PullSources.token(input.refreshToken().strip(), "refreshToken"),
                        null);
            }
        };
        SalesforceApi.Session session =
                check(settings, credentials, flow == Flow.jwt_bearer ? "privateKey" : "refreshToken");
        return connect(name, settings, credentials, session, every, Boolean.TRUE.equals(input.paused()));
    }

    /**
     * Starts the web-server flow: keeps what was given (the consumer secret sealed) under a random state, and answers
     * where the administrator gives consent; Salesforce sends them back to {@code redirectUri} with a code.
     */
    AuthorizationView authorize(String name, ConnectionInput input, String redirectUri) {
        pullSources.requireNewName(name);
        int every = PullSources.every(input.everyMinutes(), 30);
        Settings settings = settings(name, Flow.web_server, input, null);
        String secret = required(input.clientSecret(), "clientSecret", "the connected app's consumer secret");
        String state =
                store.startAuthorization(name, settings, secrets.seal(secret), every, redirectUri, clock.instant());
        return new AuthorizationView(
                name, SalesforceApi.authorizeUrl(settings, redirectUri, state), redirectUri, state);
    }

    /**
     * Completes the web-server flow: the code Salesforce sent back is exchanged for tokens, the org tried with them,
     * and the source made (the refresh token sealed). A state unknown or older than {@code authorization-time} is
     * refused (422 naming {@code state}).
     */
    SalesforceView complete(String state, String code) {
        SalesforceStore.Authorization a = store.takeAuthorization(
                        state, clock.instant().minus(properties.authorizationTime()))
                .orElseThrow(() -> new InvalidInputException(
                        "state",
                        "names no authorization under way (it was used, or is older than an hour): start again"));
        pullSources.requireNewName(a.name());
        String clientSecret = secrets.open(a.sealedSecret());
        SalesforceApi.Session session;
        try {
            session = api.exchangeCode(a.settings(), clientSecret, code, a.redirectUri());
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException("code", "Salesforce refused: " + e.getMessage());
        }
        if (session.refreshToken() == null) {
            throw new InvalidInputException(
                    "code",
                    "Salesforce gave no refresh token: add the scope refresh_token (Perform requests at any time) to"
                            + " the connected app");
        }
        Credentials credentials = new Credentials(clientSecret, session.refreshToken(), null);
        usage(session, "code");
        return connect(a.name(), a.settings(), credentials, session, a.everyMinutes(), false);
    }

    /** Makes the source (the session it was tried with gives the org's address); the first pull starts unless paused. */
    private SalesforceView connect(
            String name,
            Settings given,
            Credentials credentials,
            SalesforceApi.Session session,
            int every,
            boolean paused) {
        pullSources.connect(
                name,
                Source.Kind.salesforce,
                withSession(given, session),
                seal(credentials),
                every,
                paused,
                pullTask,
                new SalesforceJobs.Pull(SyncRuns.Trigger.schedule));
        return get(name);
    }

    /** Changes a connection; new credentials are tried first. */
    SalesforceView update(String name, ConnectionInput input) {
        Source source = source(name);
        PullConnections.Connection<Settings> current =
                store.connection(source.id()).orElseThrow();
        Settings settings = settings(name, current.settings().flow(), input, current.settings());
        Credentials credentials = credentials(current.secret());
        boolean newCredentials = !blank(input.privateKey())
                || !blank(input.refreshToken())
                || !blank(input.clientSecret())
                || !blank(input.clientId())
                || !blank(input.username())
                || !blank(input.loginUrl());
        if (newCredentials) {
            credentials = new Credentials(
                    blank(input.clientSecret())
                            ? credentials.clientSecret()
                            : input.clientSecret().strip(),
                    blank(input.refreshToken())
                            ? credentials.refreshToken()
                            : PullSources.token(input.refreshToken().strip(), "refreshToken"),
                    blank(input.privateKey()) ? credentials.privateKey() : privateKey(input.privateKey()));
            SalesforceApi.Session session =
                    check(settings, credentials, settings.flow() == Flow.jwt_bearer ? "privateKey" : "refreshToken");
            settings = withSession(settings, session);
            api.forget(source.id());
        }
        pullSources.reconnect(
                current, settings, seal(credentials), newCredentials, input.everyMinutes(), input.paused());
        return get(name);
    }

    SalesforceView get(String name) {
        Source source = source(name);
        PullConnections.Connection<Settings> c = store.connection(source.id()).orElseThrow();
        List<SyncRuns.Run> latest = runs.latest(source.id(), 20);
        Settings s = c.settings();
        return new SalesforceView(
                source.name(),
                s.flow(),
                s.loginUrl(),
                s.instanceUrl(),
                s.clientId(),
                s.username(),
                s.organizationId(),
                s.accountsSource(),
                s.externalIdField(),
                s.roleField(),
                s.allowancePercent(),
                store.latestAllowance(source.id()).orElse(null),
                s.writeBack(),
                s.stewardUrl(),
                s.fields(),
                c.everyMinutes(),
                c.paused(),
                c.nextSyncAt(),
                c.checkedAt(),
                PullSources.feeds(feeds(s).stream().map(Feed::name).toList(), cursors.all(source.id()), latest),
                latest,
                pullSources.pending(pullTask, source.id()));
    }

    List<SalesforceView> all() {
        return pullSources.all(Source.Kind.salesforce).stream()
                .map(s -> get(s.name()))
                .toList();
    }

    /** Starts a pull now; 409 while one runs or is about to. */
    void pullNow(String name) {
        pullSources.pullNow(pullTask, source(name), new SalesforceJobs.Pull(SyncRuns.Trigger.manual));
    }

    /** Schedules the pulls that are due; the job of every minute. */
    int scheduleDue() {
        return pullSources.scheduleDue(
                Source.Kind.salesforce, pullTask, new SalesforceJobs.Pull(SyncRuns.Trigger.schedule));
    }

    /**
     * Pulls every feed of the source in turn, each in its own run: Accounts first, because Contacts and Opportunities
     * name them; then the write-back when the connection asks. A failed or stopped feed stops the pull, and the next
     * one reads it again from its cursor.
     */
    void pull(UUID sourceId, SyncRuns.Trigger trigger) {
        PullConnections.Connection<Settings> connection =
                store.connection(sourceId).orElse(null);
        if (connection == null) {
            return;
        }
        SalesforceApi.Org org = api.org(sourceId, connection.settings(), credentials(connection.secret()));
        pullSources.pull(
                sourceId,
                Settings.class,
                feeds(connection.settings()),
                (source, c, feed) -> feed == Feed.write_back
                        ? writeBack.push(source, c.settings(), org, trigger)
                        : pulls.pull(source, c.settings(), org, feed, trigger));
    }

    /** The latest runs, each with the allowance Salesforce reported in it. */
    List<RunView> runs(String name, int limit) {
        return runs.latest(source(name).id(), limit).stream()
                .map(r -> new RunView(r, store.allowance(r.id()).orElse(null)))
                .toList();
    }

    private static List<Feed> feeds(Settings settings) {
        return Arrays.stream(Feed.values())
                .filter(f -> f != Feed.write_back || settings.writeBack())
                .toList();
    }

    /** An access token from these credentials, and the org's limits read with it; 422 naming {@code field} if refused. */
    private SalesforceApi.Session check(Settings settings, Credentials credentials, String field) {
        SalesforceApi.Session session;
        try {
            session = api.authorize(settings, credentials);
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException(field, "Salesforce refused: " + e.getMessage());
        }
        usage(session, field);
        return session;
    }

    private SalesforceApi.Usage usage(SalesforceApi.Session session, String field) {
        try {
            return api.check(session);
        } catch (VendorHttp.Refused e) {
            throw new InvalidInputException(field, "Salesforce refused: " + e.getMessage());
        }
    }

    /** The settings from what was given over the current ones (none: a new connection). */
    private Settings settings(String name, Flow flow, ConnectionInput input, @Nullable Settings current) {
        String loginUrl = blank(input.loginUrl())
                ? current == null ? "https://login.salesforce.com" : current.loginUrl()
                : url(input.loginUrl(), "loginUrl");
        String clientId = blank(input.clientId())
                ? current == null ? null : current.clientId()
                : input.clientId().strip();
        if (clientId == null) {
            throw new InvalidInputException("clientId", "is missing: the connected app's consumer key");
        }
        if (clientId.length() > 300 || clientId.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("clientId", "is not a consumer key (at most 300 characters, no spaces)");
        }
        String username = blank(input.username())
                ? current == null ? null : current.username()
                : input.username().strip();
        if (flow == Flow.jwt_bearer && username == null) {
            throw new InvalidInputException("username", "is missing: the Salesforce user Steward acts as");
        }
        String stewardUrl = input.stewardUrl() == null
                ? current == null ? null : current.stewardUrl()
                : blank(input.stewardUrl()) ? null : url(input.stewardUrl(), "stewardUrl");
        boolean writeBack = input.writeBack() == null ? current != null && current.writeBack() : input.writeBack();
        if (writeBack && stewardUrl == null) {
            throw new InvalidInputException(
                    "stewardUrl",
                    "is missing: Steward's address as people open it (https://steward.example.com), for the link to"
                            + " each account written back");
        }
        int percent = input.allowancePercent() == null
                ? current == null ? properties.allowancePercent() : current.allowancePercent()
                : input.allowancePercent();
        if (percent < 1 || percent > 100) {
            throw new InvalidInputException(
                    "allowancePercent", "must be from 1 to 100 (the share of the org's daily API requests)");
        }
        WriteBackFields fields = fields(input.fields(), current == null ? WriteBackFields.DEFAULTS : current.fields());
        return new Settings(
                loginUrl,
                current == null ? loginUrl : current.instanceUrl(),
                flow,
                clientId,
                username,
                current == null ? null : current.organizationId(),
                input.accountsSource() == null
                        ? current == null ? null : current.accountsSource()
                        : PullSources.accountsSource(input.accountsSource(), name, "the Accounts' external id field"),
                input.externalIdField() == null
                        ? current == null ? null : current.externalIdField()
                        : field(input.externalIdField(), "externalIdField"),
                input.roleField() == null
                        ? current == null ? null : current.roleField()
                        : field(input.roleField(), "roleField"),
                percent,
                writeBack,
                stewardUrl,
                fields);
    }

    private static Settings withSession(Settings s, SalesforceApi.Session session) {
        return new Settings(
                s.loginUrl(),
                session.instanceUrl(),
                s.flow(),
                s.clientId(),
                s.username(),
                session.organizationId() == null ? s.organizationId() : session.organizationId(),
                s.accountsSource(),
                s.externalIdField(),
                s.roleField(),
                s.allowancePercent(),
                s.writeBack(),
                s.stewardUrl(),
                s.fields());
    }

    private static WriteBackFields fields(@Nullable FieldsInput input, WriteBackFields current) {
        if (input == null) {
            return current;
        }
        return new WriteBackFields(
                fieldOr(input.score(), current.score(), "fields.score"),
                fieldOr(input.color(), current.color(), "fields.color"),
                fieldOr(input.trend(), current.trend(), "fields.trend"),
                fieldOr(input.csm(), current.csm(), "fields.csm"),
                fieldOr(input.link(), current.link(), "fields.link"));
    }

    private static String fieldOr(@Nullable String given, String current, String name) {
        String field = field(given, name);
        return field == null ? current : field;
    }

    /** A field's API name ({@code Crm_Id__c}); null when empty. */
    private static @Nullable String field(@Nullable String given, String name) {
        if (blank(given)) {
            return null;
        }
        String field = given.strip();
        if (!SalesforceRecords.FIELD.matcher(field).matches()) {
            throw new InvalidInputException(
                    name, "must be a field's API name as Salesforce shows it (letters, digits and _, e.g. Crm_Id__c)");
        }
        return field;
    }

    /** An https address (http only on this machine, for tests), without a trailing slash. */
    private static String url(String given, String name) {
        String url = given.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        boolean local = uri != null
                && "http".equals(uri.getScheme())
                && List.of("localhost", "127.0.0.1").contains(String.valueOf(uri.getHost()));
        if (uri == null
                || url.length() > 300
                || uri.getHost() == null
                || !("https".equals(uri.getScheme())
                        || local
                        || name.equals("stewardUrl") && "http".equals(uri.getScheme()))
                || uri.getQuery() != null
                || uri.getFragment() != null) {
            throw new InvalidInputException(
                    name,
                    name.equals("stewardUrl")
                            ? "must be Steward's address as people open it, e.g. https://steward.example.com"
                            : "must be an https address, e.g. https://login.salesforce.com or https://acme.my.salesforce.com");
        }
        return url;
    }

    private static Flow flow(@Nullable String given) {
        if (blank(given)) {
            return Flow.jwt_bearer;
        }
        try {
            return Flow.valueOf(given.strip().toLowerCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("flow", "must be jwt_bearer or web_server");
        }
    }

    private static String privateKey(@Nullable String given) {
        String pem = required(given, "privateKey", "the private key (PEM) whose certificate the connected app holds");
        try {
            SalesforceApi.privateKey(pem);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("privateKey", e.getMessage());
        }
        return pem;
    }

    private static String required(@Nullable String given, String field, String what) {
        if (blank(given)) {
            throw new InvalidInputException(field, "is missing: " + what);
        }
        return given.strip();
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private String seal(Credentials credentials) {
        return secrets.seal(json.writeValueAsString(credentials));
    }

    /** The org of a source, for a request outside its pulls (its field mapping's describe and preview). */
    SalesforceApi.Org org(String name) {
        Source source = source(name);
        PullConnections.Connection<Settings> connection =
                store.connection(source.id()).orElseThrow();
        return api.org(source.id(), connection.settings(), credentials(connection.secret()));
    }

    private Credentials credentials(@Nullable String sealed) {
        return sealed == null
                ? new Credentials(null, null, null)
                : json.readValue(secrets.open(sealed), Credentials.class);
    }

    private Source source(String name) {
        return pullSources.source(name, Source.Kind.salesforce, "Salesforce source");
    }
}
