package dev.steward.activity;

import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import dev.steward.core.NotFoundException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.BulkAccountNames;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Labelled snapshots of customers: for each account of a snapshot, whether it churned within the snapshot's horizon
 * after its day, as churn datasets come (one row per customer, a churned yes/no). A backtest of a snapshot judges the
 * scores of that one day against the labels.
 */
@Service
public class ChurnLabels {

    /** A snapshot: its name, day and horizon, how many accounts it labels and how many of them churned. */
    public record Snapshot(String name, LocalDate asOf, int horizonDays, long accounts, long churned) {}

    private final JdbcClient jdbc;
    private final BulkUpserts bulk;
    private final AccountManagement accounts;
    private final Clock clock;

    ChurnLabels(JdbcClient jdbc, BulkUpserts bulk, AccountManagement accounts, Clock clock) {
        this.jdbc = jdbc;
        this.bulk = bulk;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Bulk upsert of labels built in code; a label's key is its snapshot and account. */
    @Transactional
    public BulkResult upsert(String source, List<ChurnLabelInput> records, boolean atomic) {
        return bulk.upsert(records, Set.of(), atomic, ChurnLabels::keyOf, ChurnLabels::rules, c -> write(source, c));
    }

    /** Bulk upsert of a JSON body: {@code {"records": [...]}}. */
    @Transactional
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body, atomic, ChurnLabelInput.class, ChurnLabels::keyOf, ChurnLabels::rules, c -> write(source, c));
    }

    /** Every snapshot, newest day first. */
    public List<Snapshot> snapshots() {
        return jdbc.sql("""
                        select snapshot, min(as_of), min(horizon_days), count(*), count(*) filter (where churned)
                          from churn_label group by snapshot order by min(as_of) desc, snapshot""")
                .query((rs, n) -> new Snapshot(
                        rs.getString(1), rs.getObject(2, LocalDate.class), rs.getInt(3), rs.getLong(4), rs.getLong(5)))
                .list();
    }

    /** One snapshot. */
    public Snapshot snapshot(String name) {
        return snapshots().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("labelled snapshot", name));
    }

    /** Each labelled account of the snapshot, and whether it churned within the horizon. */
    public Map<UUID, Boolean> labels(String snapshot) {
        Map<UUID, Boolean> labels = new HashMap<>();
        jdbc.sql("select account_id, churned from churn_label where snapshot = ?")
                .param(snapshot)
                .query(rs -> {
                    labels.put(rs.getObject(1, UUID.class), rs.getBoolean(2));
                });
        return labels;
    }

    private static String keyOf(ChurnLabelInput input) {
        String account = input.accountId() != null ? input.accountId().toString() : "ext:" + input.accountExternalId();
        return input.snapshot() + "/" + account;
    }

    private static List<FieldError> rules(ChurnLabelInput input) {
        List<FieldError> errors = new ArrayList<>();
        BulkAccountNames.checkNamedOnce(input.accountId(), input.accountExternalId(), errors);
        return errors;
    }

    private List<RecordResult> write(String source, List<Candidate<ChurnLabelInput>> candidates) {
        BulkAccountNames named = BulkAccountNames.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());
        // Every label of a snapshot has its day and horizon: the first stored, or else the first of this batch.
        Map<String, Snapshot> snapshots = new HashMap<>();
        snapshots().forEach(s -> snapshots.put(s.name(), s));
        List<RecordResult> results = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        List<Candidate<ChurnLabelInput>> accepted = new ArrayList<>();
        for (Candidate<ChurnLabelInput> candidate : candidates) {
            ChurnLabelInput input = candidate.record();
            AccountId account = named.find(input.accountId(), input.accountExternalId());
            List<FieldError> errors = new ArrayList<>();
            if (account == null) {
                errors.add(named.missing(input.accountId(), input.accountExternalId()));
            }
            Snapshot snapshot = snapshots.computeIfAbsent(
                    input.snapshot(), name -> new Snapshot(name, input.asOf(), input.horizonDays(), 0, 0));
            if (!snapshot.asOf().equals(input.asOf())) {
                errors.add(FieldError.of(
                        "asOf",
                        "snapshot '" + snapshot.name() + "' is of " + snapshot.asOf() + ", not " + input.asOf()));
            }
            if (snapshot.horizonDays() != input.horizonDays()) {
                errors.add(FieldError.of(
                        "horizonDays",
                        "snapshot '" + snapshot.name() + "' labels churn within " + snapshot.horizonDays()
                                + " days, not " + input.horizonDays()));
            }
            if (!errors.isEmpty()) {
                results.add(RecordResult.rejected(candidate.index(), candidate.externalId(), errors));
                continue;
            }
            rows.add(new Object[] {input.snapshot(), account.value(), input.asOf(), input.horizonDays(), input.churned()
            });
            accepted.add(candidate);
        }
        Map<String, BulkResult.Status> written = new HashMap<>();
        if (!rows.isEmpty()) {
            jdbc.sql("""
                            insert into churn_label as l (snapshot, account_id, as_of, horizon_days, churned, source,
                                                          updated_at)
                            select v.*, :source, cast(:now as timestamptz)
                              from unnest(:snapshots, :accounts, :days, :horizons, :churned)
                                   as v(snapshot, account_id, as_of, horizon_days, churned)
                            on conflict (snapshot, account_id) do update
                               set churned = excluded.churned, source = excluded.source,
                                   updated_at = excluded.updated_at
                             where l.churned is distinct from excluded.churned
                            returning snapshot, account_id, (xmax = 0) as inserted""")
                    .param(
                            "snapshots",
                            new SqlArrayValue(
                                    "text", rows.stream().map(r -> r[0]).toArray()))
                    .param(
                            "accounts",
                            new SqlArrayValue(
                                    "uuid", rows.stream().map(r -> r[1]).toArray()))
                    .param(
                            "days",
                            new SqlArrayValue(
                                    "date", rows.stream().map(r -> r[2]).toArray()))
                    .param(
                            "horizons",
                            new SqlArrayValue(
                                    "int4", rows.stream().map(r -> r[3]).toArray()))
                    .param(
                            "churned",
                            new SqlArrayValue(
                                    "bool", rows.stream().map(r -> r[4]).toArray()))
                    .param("source", source)
                    .param("now", Timestamp.from(clock.instant()))
                    .query(rs -> {
                        written.put(
                                rs.getString(1) + "/" + rs.getObject(2, UUID.class),
                                rs.getBoolean(3) ? BulkResult.Status.created : BulkResult.Status.updated);
                    });
        }
        for (int i = 0; i < accepted.size(); i++) {
            Object[] row = rows.get(i);
            results.add(RecordResult.stored(
                    accepted.get(i).index(),
                    accepted.get(i).externalId(),
                    written.getOrDefault(row[0] + "/" + row[1], BulkResult.Status.unchanged),
                    null));
        }
        return results;
    }
}
