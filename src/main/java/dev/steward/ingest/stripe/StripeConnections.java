package dev.steward.ingest.stripe;

import dev.steward.core.SecretBox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The API key (sealed at rest, see {@link SecretBox}) of each Stripe source that has one, the account it belongs to, and the source's latest backfill. */
@Repository
class StripeConnections {

    /** The Stripe account a source reads, as pages and the API show it: the key only by its last characters. */
    record Connection(
            String keyHint,
            @Nullable String accountId,
            @Nullable String accountName,
            Instant checkedAt) {}

    /** How far a backfill got: running, done or failed (then why), and what it applied so far. */
    record Backfill(
            String state,
            Instant startedAt,
            @Nullable Instant finishedAt,
            int customers,
            int subscriptions,
            int invoices,
            int rejected,
            @Nullable String failure) {

        public boolean running() {
            return state.equals("running");
        }
    }

    private final JdbcClient jdbc;
    private final SecretBox box;

    StripeConnections(JdbcClient jdbc, SecretBox box) {
        this.jdbc = jdbc;
        this.box = box;
    }

    void saveKey(UUID source, String apiKey, StripeApi.Account account, Instant at) {
        jdbc.sql("""
                        insert into ingest_stripe_api_key (source_id, api_key, key_hint, stripe_account_id,
                                                           stripe_account_name, checked_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (source_id) do update set api_key = excluded.api_key, key_hint = excluded.key_hint,
                            stripe_account_id = excluded.stripe_account_id,
                            stripe_account_name = excluded.stripe_account_name,
                            checked_at = excluded.checked_at""")
                .params(
                        source,
                        box.seal(apiKey),
                        hint(apiKey),
                        account.id().isEmpty() ? null : account.id(),
                        account.name(),
                        Timestamp.from(at))
                .update();
    }

    /** The source's API key, opened (a key stored before sealing began is read as it is). */
    Optional<String> key(UUID source) {
        return jdbc.sql("select api_key from ingest_stripe_api_key where source_id = ?")
                .param(source)
                .query(String.class)
                .optional()
                .map(k -> SecretBox.isSealed(k) ? box.open(k) : k);
    }

    Optional<Connection> connection(UUID source) {
        return jdbc.sql("select * from ingest_stripe_api_key where source_id = ?")
                .param(source)
                .query((rs, n) -> new Connection(
                        rs.getString("key_hint"),
                        rs.getString("stripe_account_id"),
                        rs.getString("stripe_account_name"),
                        rs.getTimestamp("checked_at").toInstant()))
                .optional();
    }

    void started(UUID source, Instant at) {
        jdbc.sql("""
                        insert into ingest_stripe_backfill (source_id, state, started_at) values (?, 'running', ?)
                        on conflict (source_id) do update set state = 'running', started_at = excluded.started_at,
                            finished_at = null, customers = 0, subscriptions = 0, invoices = 0, rejected = 0,
                            failure = null""").params(source, Timestamp.from(at)).update();
    }

    /** Adds what one page applied and rejected. */
    void progressed(UUID source, String kind, int applied, int rejected) {
        String column = switch (kind) {
            case "customers" -> "customers";
            case "subscriptions" -> "subscriptions";
            case "invoices" -> "invoices";
            default -> throw new IllegalArgumentException(kind);
        };
        jdbc.sql("update ingest_stripe_backfill set " + column + " = " + column
                        + " + ?, rejected = rejected + ? where source_id = ?")
                .params(applied, rejected, source)
                .update();
    }

    void finished(UUID source, Instant at, @Nullable String failure) {
        jdbc.sql("update ingest_stripe_backfill set state = ?, finished_at = ?, failure = ? where source_id = ?")
                .params(failure == null ? "done" : "failed", Timestamp.from(at), failure, source)
                .update();
    }

    Optional<Backfill> backfill(UUID source) {
        return jdbc.sql("select * from ingest_stripe_backfill where source_id = ?")
                .param(source)
                .query(StripeConnections::backfill)
                .optional();
    }

    private static Backfill backfill(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Backfill(
                rs.getString("state"),
                rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getInt("customers"),
                rs.getInt("subscriptions"),
                rs.getInt("invoices"),
                rs.getInt("rejected"),
                rs.getString("failure"));
    }

    /** "rk_live_…a1b2": the kind of key and its last four characters, never more. */
    static String hint(String apiKey) {
        int prefix = apiKey.indexOf('_', 3) + 1;
        return apiKey.substring(0, prefix) + "…" + apiKey.substring(Math.max(prefix, apiKey.length() - 4));
    }
}
