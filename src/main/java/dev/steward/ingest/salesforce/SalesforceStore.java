package dev.steward.ingest.salesforce;

import dev.steward.ingest.Source;
import dev.steward.ingest.sync.PullAuthorizations;
import dev.steward.ingest.sync.PullConnections;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Salesforce connections (settings, the sealed credentials, the schedule), the authorizations under way (OAuth 2
 * web-server flow) and the daily API allowance each run saw; each feed's cursor, how each Account became an account,
 * the parents Accounts name and what was written back are kept as every pulled source's are.
 */
@Repository
class SalesforceStore {

    /** What Steward pulls from Salesforce, in this order (Accounts before what names them), and the write-back. */
    enum Feed {
        accounts("Account"),
        contacts("Contact"),
        opportunities("Opportunity"),
        /** Not a query: the health of the Accounts' accounts written back, when the connection asks. */
        write_back("");

        private final String object;

        Feed(String object) {
            this.object = object;
        }

        /** The sObject the feed reads. */
        String object() {
            return object;
        }
    }

    /** How Steward gets its access token: a user's consent once (with refresh), or a signed JWT (servers). */
    enum Flow {
        web_server,
        jwt_bearer
    }

    /** The custom Account fields the write-back fills (their API names). */
    record WriteBackFields(String score, String color, String trend, String csm, String link) {

        static final WriteBackFields DEFAULTS = new WriteBackFields(
                "Steward_Health_Score__c",
                "Steward_Health_Color__c",
                "Steward_Health_Trend__c",
                "Steward_CSM__c",
                "Steward_Link__c");
    }

    /**
     * A connection's settings as stored (the secrets are kept apart, sealed): where to log in and the org's own
     * address, the flow with its consumer key (and the user a JWT names), the org's id, the source whose external ids
     * the Accounts' field {@code externalIdField} holds, the Contact field holding a buying role, the share of the
     * daily API allowance a pull may use (percent), and the write-back.
     */
    record Settings(
            String loginUrl,
            String instanceUrl,
            Flow flow,
            String clientId,
            @Nullable String username,
            @Nullable String organizationId,
            @Nullable String accountsSource,
            @Nullable String externalIdField,
            @Nullable String roleField,
            int allowancePercent,
            boolean writeBack,
            @Nullable String stewardUrl,
            WriteBackFields fields) {}

    /** The secrets of a connection, sealed together: the client secret and refresh token, or the private key (PEM). */
    record Credentials(
            @Nullable String clientSecret,
            @Nullable String refreshToken,
            @Nullable String privateKey) {}

    /** An authorization under way: the source to make once Salesforce sends the administrator back with a code. */
    record Authorization(
            String state, String name, Settings settings, String sealedSecret, int everyMinutes, String redirectUri) {}

    /** The org's daily API requests as Salesforce last reported them: used of the allowance. */
    record Allowance(long used, long allowance, Instant reportedAt) {

        /** The share used, in percent (one decimal). */
        public double percent() {
            return allowance == 0 ? 0 : Math.round(used * 1000.0 / allowance) / 10.0;
        }
    }

    private final JdbcClient jdbc;
    private final PullConnections connections;
    private final PullAuthorizations authorizations;

    SalesforceStore(JdbcClient jdbc, PullConnections connections, PullAuthorizations authorizations) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.authorizations = authorizations;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    /** Keeps an authorization under way (see PullAuthorizations); answers its state. */
    String startAuthorization(
            String name, Settings settings, String sealedSecret, int everyMinutes, String redirectUri, Instant at) {
        return authorizations.start(
                Source.Kind.salesforce, name, new Pending(settings, everyMinutes, redirectUri), sealedSecret, at);
    }

    /** The authorization under way with this state, started after {@code since}; taken (a state is used once). */
    Optional<Authorization> takeAuthorization(String state, Instant since) {
        return authorizations
                .take(Source.Kind.salesforce, state, since, Pending.class)
                .map(a -> authorization(state, a.name(), a.details(), a.sealedSecret()));
    }

    /** What Salesforce last reported of the org's daily API requests during a run. */
    void saveAllowance(UUID source, UUID run, Allowance a) {
        jdbc.sql("""
                        insert into ingest_salesforce_allowance (run_id, source_id, used, allowance, reported_at)
                        values (?, ?, ?, ?, ?)
                        on conflict (run_id) do update set used = excluded.used, allowance = excluded.allowance,
                            reported_at = excluded.reported_at""")
                .params(run, source, a.used(), a.allowance(), Timestamp.from(a.reportedAt()))
                .update();
    }

    /** The latest report of the org's daily API requests, if a run saw one. */
    Optional<Allowance> latestAllowance(UUID source) {
        return jdbc.sql("""
                        select used, allowance, reported_at from ingest_salesforce_allowance where source_id = ?
                        order by reported_at desc, run_id desc limit 1""")
                .param(source)
                .query((rs, n) -> new Allowance(
                        rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                .optional();
    }

    /** The allowance reported in a run, if any. */
    Optional<Allowance> allowance(UUID run) {
        return jdbc.sql("select used, allowance, reported_at from ingest_salesforce_allowance where run_id = ?")
                .param(run)
                .query((rs, n) -> new Allowance(
                        rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                .optional();
    }

    /** An authorization's settings and schedule as stored. */
    private record Pending(Settings settings, int everyMinutes, String redirectUri) {}

    private static Authorization authorization(String state, String name, Pending p, String secret) {
        return new Authorization(state, name, p.settings(), secret, p.everyMinutes(), p.redirectUri());
    }
}
