package dev.steward.customer;

import dev.steward.core.BulkReads;
import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.FieldError;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Account attributes over time: numbers such as tenure or monthly charges, each true as of a day, written in bulk
 * (from a snapshot of customers, or by an integration) and read by scoring as of any day. A value written again for
 * the same account, name and day replaces the one stored.
 */
@Service
public class AccountAttributes {

    /** The kind of record in {@link AccountRecordsChanged} when attributes change. */
    public static final String KIND = "attribute";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final BulkUpserts bulk;
    private final AccountManagement accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountAttributes(
            JdbcClient jdbc,
            JdbcTemplate template,
            BulkUpserts bulk,
            AccountManagement accounts,
            ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.bulk = bulk;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /** Bulk upsert of records built in code; the key of a record is its account, name and day. */
    @Transactional
    public BulkResult upsert(String source, List<AttributeInput> records, boolean atomic) {
        return bulk.upsert(
                records, Set.of(), atomic, AccountAttributes::keyOf, AccountAttributes::rules, c -> write(source, c));
    }

    /** Bulk upsert of a JSON body: {@code {"records": [...]}}. */
    @Transactional
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                AttributeInput.class,
                AccountAttributes::keyOf,
                AccountAttributes::rules,
                c -> write(source, c));
    }

    /** The names of every attribute any account has, sorted. */
    public List<String> names() {
        return jdbc.sql("select distinct name from account_attribute order by name")
                .query(String.class)
                .list();
    }

    /** An account's attributes, each name's values by day. */
    public Map<String, NavigableMap<LocalDate, Double>> of(AccountId account) {
        accounts.get(account);
        return read(List.of(account.value())).getOrDefault(account.value(), Map.of());
    }

    /** These accounts' attributes, each name's values by day, for scoring as of any day. */
    public Map<UUID, Map<String, NavigableMap<LocalDate, Double>>> read(Collection<UUID> ids) {
        Map<UUID, Map<String, NavigableMap<LocalDate, Double>>> values = new HashMap<>();
        BulkReads.query(
                template,
                "select account_id, name, as_of, value from account_attribute where account_id = any(:ids)",
                Map.of("ids", new SqlArrayValue("uuid", ids.toArray())),
                rs -> {
                    values.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                            .put(rs.getObject(3, LocalDate.class), rs.getDouble(4));
                });
        return values;
    }

    private static String keyOf(AttributeInput input) {
        String account = input.accountId() != null ? input.accountId().toString() : "ext:" + input.accountExternalId();
        return account + "/" + input.name() + "/" + input.asOf();
    }

    private static List<FieldError> rules(AttributeInput input) {
        List<FieldError> errors = new ArrayList<>();
        BulkAccountNames.checkNamedOnce(input.accountId(), input.accountExternalId(), errors);
        if (input.value() != null && !Double.isFinite(input.value())) {
            errors.add(FieldError.of("value", "must be a finite number, got " + input.value()));
        }
        return errors;
    }

    private List<RecordResult> write(String source, List<Candidate<AttributeInput>> candidates) {
        BulkAccountNames named = BulkAccountNames.lookup(
                accounts,
                source,
                candidates.stream().map(c -> c.record().accountId()).toList(),
                candidates.stream().map(c -> c.record().accountExternalId()).toList());
        List<RecordResult> results = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        List<Candidate<AttributeInput>> accepted = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate<AttributeInput> candidate : candidates) {
            AttributeInput input = candidate.record();
            AccountId account = named.find(input.accountId(), input.accountExternalId());
            if (account == null) {
                results.add(RecordResult.rejected(
                        candidate.index(),
                        candidate.externalId(),
                        List.of(named.missing(input.accountId(), input.accountExternalId()))));
                continue;
            }
            if (!seen.add(account.value() + "/" + input.name() + "/" + input.asOf())) {
                results.add(RecordResult.rejected(
                        candidate.index(),
                        candidate.externalId(),
                        List.of(FieldError.of(
                                "asOf", "the same account, name and day appears more than once in this batch"))));
                continue;
            }
            rows.add(new Object[] {account.value(), input.name(), input.asOf(), input.value()});
            accepted.add(candidate);
        }
        Map<String, BulkResult.Status> written = new HashMap<>();
        if (!rows.isEmpty()) {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.sql("""
                            insert into account_attribute as a (account_id, name, as_of, value, source, updated_at)
                            select v.*, :source, cast(:now as timestamptz)
                              from unnest(:accounts, :names, :days, :values) as v(account_id, name, as_of, value)
                            on conflict (account_id, name, as_of) do update
                               set value = excluded.value, source = excluded.source, updated_at = excluded.updated_at
                             where a.value is distinct from excluded.value
                            returning account_id, name, as_of, (xmax = 0) as inserted""")
                    .param(
                            "accounts",
                            new SqlArrayValue(
                                    "uuid", rows.stream().map(r -> r[0]).toArray()))
                    .param(
                            "names",
                            new SqlArrayValue(
                                    "text", rows.stream().map(r -> r[1]).toArray()))
                    .param(
                            "days",
                            new SqlArrayValue(
                                    "date", rows.stream().map(r -> r[2]).toArray()))
                    .param(
                            "values",
                            new SqlArrayValue(
                                    "float8", rows.stream().map(r -> r[3]).toArray()))
                    .param("source", source)
                    .param("now", now)
                    .query(rs -> {
                        written.put(
                                rs.getObject(1, UUID.class) + "/" + rs.getString(2) + "/"
                                        + rs.getObject(3, LocalDate.class),
                                rs.getBoolean(4) ? BulkResult.Status.created : BulkResult.Status.updated);
                    });
            Set<UUID> touched = new HashSet<>();
            rows.forEach(r -> touched.add((UUID) r[0]));
            events.publishEvent(new AccountRecordsChanged(KIND, touched));
        }
        for (int i = 0; i < accepted.size(); i++) {
            Object[] row = rows.get(i);
            BulkResult.Status status =
                    written.getOrDefault(row[0] + "/" + row[1] + "/" + row[2], BulkResult.Status.unchanged);
            results.add(
                    RecordResult.stored(accepted.get(i).index(), accepted.get(i).externalId(), status, null));
        }
        return results;
    }
}
