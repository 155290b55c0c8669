package dev.steward.identity;

import dev.steward.core.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: who changed what, when and from where, one entry per change a person or an API key asked for,
 * kept in order and chained by hash (see the migration of {@code audit_entry}); entries can be listed, searched,
 * exported as CSV, and the chain verified from the first entry to the last.
 */
@Service
public class AuditTrail {

    /** The hash the first entry is chained to. */
    static final String GENESIS = "0".repeat(64);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Serialises writers of the chain (any constant: only this class takes it). */
    private static final long LOCK = 0x5374_6577_4175_6431L;

    /** One entry, as listed and exported. */
    public record Entry(
            long seq,
            Instant at,
            String actor,
            String actorKind,
            @Nullable String address,
            String action,
            String target,
            int status,
            @Nullable String detail,
            String prevHash,
            String hash) {}

    /** What to list: any of the parts may be null (no limit). */
    public record Filter(
            @Nullable String actor,
            @Nullable String text,
            @Nullable Instant from,
            @Nullable Instant to) {}

    /** The outcome of a verification: how many entries were checked, and the first that breaks the chain, if any. */
    public record Verification(
            long checked, @Nullable Long brokenAt, @Nullable String reason) {

        public boolean intact() {
            return brokenAt == null;
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    AuditTrail(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /** Appends an entry, chained to the last one, in a transaction of its own. */
    public Entry record(
            String actor,
            String actorKind,
            @Nullable String address,
            String action,
            String target,
            int status,
            @Nullable String detail) {
        return ownTransaction.execute(tx -> {
            lock();
            return append(actor, actorKind, address, action, target, status, detail);
        });
    }

    private void lock() {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(LOCK).query().singleValue();
    }

    /** Appends an entry chained to the last one, in the caller's transaction, which holds the chain's lock. */
    private Entry append(
            String actor,
            String actorKind,
            @Nullable String address,
            String action,
            String target,
            int status,
            @Nullable String detail) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long[] seq = {0};
        String[] prev = {GENESIS};
        jdbc.sql("select seq, hash from audit_entry order by seq desc limit 1").query(rs -> {
            seq[0] = rs.getLong("seq");
            prev[0] = rs.getString("hash");
        });
        long next = seq[0] + 1;
        String hash = hash(prev[0], next, at, actor, actorKind, address, action, target, status, detail);
        jdbc.sql("""
                        insert into audit_entry (seq, at, actor, actor_kind, address, action, target, status,
                                                 detail, prev_hash, hash)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        next,
                        Timestamp.from(at),
                        actor,
                        actorKind,
                        address,
                        action,
                        target,
                        status,
                        detail,
                        prev[0],
                        hash)
                .update();
        return new Entry(next, at, actor, actorKind, address, action, target, status, detail, prev[0], hash);
    }

    /** The action of the entry that anchors the chain's start after older entries were removed. */
    static final String RETAIN = "RETAIN";

    /** The actor of entries written by Steward's own jobs. */
    static final String STEWARD = "steward";

    /**
     * Removes the entries older than {@code cutoff}, in one transaction: first an entry is appended that anchors the
     * chain's new start — the last sequence number removed and its hash, which the first entry kept is chained to —
     * then the entries up to that number are removed (the only removal the database lets through). Answers the
     * anchor, or null when no entry is that old. The newest entry is never removed, so the chain is never empty.
     */
    public @Nullable Entry retain(Instant cutoff) {
        return ownTransaction.execute(tx -> {
            lock();
            Long through = jdbc.sql("select max(seq) from audit_entry where at < ? and seq < (select max(seq) from"
                            + " audit_entry)")
                    .param(Timestamp.from(cutoff))
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            if (through == null) {
                return null;
            }
            String hashThrough = jdbc.sql("select hash from audit_entry where seq = ?")
                    .param(through)
                    .query(String.class)
                    .single();
            long first = jdbc.sql("select min(seq) from audit_entry")
                    .query(Long.class)
                    .single();
            Entry anchor = append(
                    STEWARD,
                    "job",
                    null,
                    RETAIN,
                    "audit_entry",
                    200,
                    JSON.writeValueAsString(Map.of(
                            "removedFrom", first,
                            "removedThrough", through,
                            "hashThrough", hashThrough,
                            "olderThan", cutoff.toString())));
            jdbc.sql("select set_config('steward.audit_retain_through', ?, true)")
                    .param(Long.toString(through))
                    .query()
                    .singleValue();
            jdbc.sql("delete from audit_entry where seq <= ?").param(through).update();
            return anchor;
        });
    }
    /** The newest entries first that match the filter, at most {@code limit}, older than {@code before} if given. */
    public List<Entry> list(Filter filter, @Nullable Long before, int limit) {
        StringBuilder sql = new StringBuilder("select * from audit_entry where true");
        List<Object> params = new ArrayList<>();
        where(filter, sql, params);
        if (before != null) {
            sql.append(" and seq < ?");
            params.add(before);
        }
        sql.append(" order by seq desc limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(AuditTrail::entry).list();
    }

    /** Every entry matching the filter, oldest first, as CSV (streamed: any number of entries). */
    public void csv(Filter filter, Writer out) {
        StringBuilder sql = new StringBuilder("select * from audit_entry where true");
        List<Object> params = new ArrayList<>();
        where(filter, sql, params);
        sql.append(" order by seq");
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord(
                    "seq",
                    "at",
                    "actor",
                    "actor_kind",
                    "address",
                    "action",
                    "target",
                    "status",
                    "detail",
                    "prev_hash",
                    "hash");
            jdbc.sql(sql.toString()).params(params).query(rs -> {
                Entry e = entry(rs, 0);
                try {
                    csv.printRecord(
                            e.seq(),
                            e.at(),
                            e.actor(),
                            e.actorKind(),
                            e.address(),
                            e.action(),
                            e.target(),
                            e.status(),
                            e.detail(),
                            e.prevHash(),
                            e.hash());
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the whole chain in order and recomputes each hash: the first entry whose sequence number skips, whose
     * previous hash is not the hash of the entry before, or whose own hash does not match its fields, breaks it.
     */
    public Verification verify() {
        Map<Long, String> anchors = new HashMap<>();
        jdbc.sql("select detail from audit_entry where action = ? and actor_kind = 'job'")
                .param(RETAIN)
                .query(String.class)
                .list()
                .forEach(detail -> {
                    JsonNode anchor = JSON.readTree(detail);
                    anchors.put(
                            anchor.path("removedThrough").asLong(),
                            anchor.path("hashThrough").asString(""));
                });
        long[] checked = {0};
        long[] expected = {1};
        String[] prev = {GENESIS};
        Long[] broken = {null};
        String[] reason = {null};
        jdbc.sql("select * from audit_entry order by seq").withFetchSize(1_000).query(rs -> {
            if (broken[0] != null) {
                return;
            }
            Entry e = entry(rs, 0);
            if (checked[0] == 0 && e.seq() > 1) {
                // The oldest entries were removed by retention: an anchor on the chain says where it starts now.
                if (e.prevHash().equals(anchors.get(e.seq() - 1))) {
                    expected[0] = e.seq();
                    prev[0] = e.prevHash();
                } else {
                    broken[0] = e.seq();
                    reason[0] = "entries 1 to " + (e.seq() - 1) + " are missing, and no retention entry on the trail"
                            + " removed them";
                    return;
                }
            }
            checked[0]++;
            if (e.seq() != expected[0]) {
                broken[0] = e.seq();
                reason[0] =
                        "entry " + expected[0] + " is missing: the entry after " + (expected[0] - 1) + " is " + e.seq();
            } else if (!e.prevHash().equals(prev[0])) {
                broken[0] = e.seq();
                reason[0] = "entry " + e.seq() + " is not chained to the entry before it (an entry was changed,"
                        + " removed or inserted)";
            } else if (!e.hash()
                    .equals(hash(
                            e.prevHash(),
                            e.seq(),
                            e.at(),
                            e.actor(),
                            e.actorKind(),
                            e.address(),
                            e.action(),
                            e.target(),
                            e.status(),
                            e.detail()))) {
                broken[0] = e.seq();
                reason[0] = "entry " + e.seq() + " does not match its hash: it was changed after it was written";
            }
            expected[0]++;
            prev[0] = e.hash();
        });
        return new Verification(checked[0], broken[0], reason[0]);
    }

    private static void where(Filter filter, StringBuilder sql, List<Object> params) {
        if (filter.actor() != null && !filter.actor().isBlank()) {
            sql.append(" and actor = ?");
            params.add(filter.actor().strip());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            sql.append(" and (target ilike ? or action ilike ? or detail ilike ?)");
            String like = "%"
                    + filter.text()
                            .strip()
                            .replace("\\", "\\\\")
                            .replace("%", "\\%")
                            .replace("_", "\\_") + "%";
            params.add(like);
            params.add(like);
            params.add(like);
        }
        if (filter.from() != null) {
            sql.append(" and at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and at < ?");
            params.add(Timestamp.from(filter.to()));
        }
    }

    static String hash(
            String prev,
            long seq,
            Instant at,
            String actor,
            String actorKind,
            @Nullable String address,
            String action,
            String target,
            int status,
            @Nullable String detail) {
        // Each field on its own line, with its length first, so that no two different entries give the same text.
        StringBuilder text = new StringBuilder(prev).append('\n').append(seq).append('\n');
        for (String part : new String[] {
            at.truncatedTo(ChronoUnit.MICROS).toString(),
            actor,
            actorKind,
            address,
            action,
            target,
            Integer.toString(status),
            detail
        }) {
            text.append(part == null ? -1 : part.length())
                    .append(':')
                    .append(part == null ? "" : part)
                    .append('\n');
        }
        return Digests.sha256Hex(text.toString());
    }

    private static Entry entry(ResultSet rs, int n) throws SQLException {
        return new Entry(
                rs.getLong("seq"),
                rs.getTimestamp("at").toInstant(),
                rs.getString("actor"),
                rs.getString("actor_kind"),
                rs.getString("address"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getInt("status"),
                rs.getString("detail"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
