package dev.steward.ingest.sync;

import dev.steward.ingest.Source;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * Connections being authorized through a vendor's consent page (OAuth 2 authorization code: Salesforce's web-server
 * flow, HubSpot's apps): what the administrator gave (each kind's own record, stored as JSON) and the client secret
 * sealed, under a random state that the vendor hands back with the code. A state is taken once, and only while young.
 */
@Repository
public class PullAuthorizations {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** An authorization taken back: the source's name, what was given, and the client secret as sealed. */
    public record Authorization<D>(String state, String name, D details, String sealedSecret) {}

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    PullAuthorizations(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Keeps an authorization under way; answers its state (24 random bytes, URL-safe), to send to the vendor. */
    public String start(Source.Kind kind, String name, Object details, String sealedSecret, Instant at) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("""
                        insert into ingest_pull_authorization (state, kind, name, settings, secret, started_at)
                        values (?, ?, ?, cast(? as jsonb), ?, ?)""")
                .params(state, kind.name(), name, json.writeValueAsString(details), sealedSecret, Timestamp.from(at))
                .update();
        return state;
    }

    /**
     * The authorization of this kind under way with this state, started after {@code since}; taken (a state is used
     * once). Those started before {@code since} are forgotten.
     */
    public <D> Optional<Authorization<D>> take(Source.Kind kind, String state, Instant since, Class<D> details) {
        Optional<Authorization<D>> found = jdbc.sql("""
                        delete from ingest_pull_authorization where state = ? and kind = ? and started_at >= ?
                        returning name, settings, secret""")
                .params(state, kind.name(), Timestamp.from(since))
                .query((rs, n) -> new Authorization<>(
                        state,
                        rs.getString("name"),
                        json.readValue(rs.getString("settings"), details),
                        rs.getString("secret")))
                .optional();
        jdbc.sql("delete from ingest_pull_authorization where kind = ? and started_at < ?")
                .params(kind.name(), Timestamp.from(since))
                .update();
        return found;
    }
}
