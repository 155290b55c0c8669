package dev.steward.customer;

import dev.steward.core.BulkReads;
import dev.steward.customer.AccountSnapshot.ContactTenure;
import dev.steward.customer.AccountSnapshot.ContractTerm;
import java.math.BigDecimal;
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
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads accounts many at a time for scoring (ids in key order, then snapshots of a chunk), and records each account's
 * current health and journey stage on the account so that lists can sort and filter by them without reaching into the
 * health or lifecycle module.
 */
@Service
public class AccountSnapshots {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ObjectMapper json;

    AccountSnapshots(JdbcClient jdbc, JdbcTemplate template, ObjectMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** Up to {@code limit} account ids after {@code after} ({@code null}: from the start), in id order. */
    public List<UUID> ids(UUID after, int limit) {
        // Two statements rather than "after is null or id > after", which would keep the planner off the index.
        if (after == null) {
            return jdbc.sql("select id from account order by id limit ?")
                    .param(limit)
                    .query(UUID.class)
                    .list();
        }
        return jdbc.sql("select id from account where id > ? order by id limit ?")
                .params(after, limit)
                .query(UUID.class)
                .list();
    }

    /** The accounts whose first contract started from one day to another (both included), with that day. */
    public Map<UUID, LocalDate> firstContractsBetween(LocalDate from, LocalDate to) {
        Map<UUID, LocalDate> starts = new HashMap<>();
        jdbc.sql("""
                        select account_id, min(start_date) from contract group by account_id
                        having min(start_date) between ? and ?""").params(from, to).query(rs -> {
            starts.put(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class));
        });
        return starts;
    }

    /** The accounts (not churned) whose next renewal falls from one day to another (both included), with that day. */
    public Map<UUID, LocalDate> renewingBetween(LocalDate from, LocalDate to) {
        Map<UUID, LocalDate> renewals = new HashMap<>();
        jdbc.sql("select id, renewal_date from account where renewal_date between ? and ? and churned_on is null")
                .params(from, to)
                .query(rs -> {
                    renewals.put(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class));
                });
        return renewals;
    }

    /** An account and a day. */
    public record AccountDay(UUID account, LocalDate day) {}

    /**
     * Every renewal day that fell from one day to another (both included): the distinct end days of accounts'
     * contracts that ran or still run (not cancelled ones), oldest first, whatever happened at them (renewed, churned): what a renewal playbook replayed over the
     * past would have seen ahead of it.
     */
    public List<AccountDay> contractEndsBetween(LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select distinct account_id, end_date from contract
                         where end_date between ? and ? and status in ('ACTIVE', 'ENDED')
                         order by end_date, account_id""")
                .params(from, to)
                .query((rs, n) -> new AccountDay(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class)))
                .list();
    }

    /**
     * How many accounts' first contract started in each calendar quarter, by the quarter's first day, oldest first;
     * quarters without one are left out.
     */
    public NavigableMap<LocalDate, Long> firstContractQuarters() {
        NavigableMap<LocalDate, Long> quarters = new TreeMap<>();
        jdbc.sql("""
                        select cast(date_trunc('quarter', first_start) as date), count(*)
                          from (select min(start_date) as first_start from contract group by account_id) firsts
                         group by 1""").query(rs -> {
            quarters.put(rs.getObject(1, LocalDate.class), rs.getLong(2));
        });
        return quarters;
    }

    /** The day each of these accounts' first contract started; accounts without a contract are left out. */
    public Map<UUID, LocalDate> firstContractStarts(Collection<UUID> ids) {
        Map<UUID, LocalDate> starts = new HashMap<>();
        jdbc.sql("select account_id, min(start_date) from contract where account_id = any(?) group by account_id")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(rs -> {
                    starts.put(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class));
                });
        return starts;
    }

    /**
     * These accounts with everything whose score moves with theirs: the accounts above them (whose scores roll theirs
     * up) and every account below those (which their roll-ups read).
     */
    public Set<UUID> withFamilies(Collection<UUID> ids) {
        return new HashSet<>(jdbc.sql("""
                        with recursive up(id) as (
                            select unnest(cast(:ids as uuid[]))
                            union
                            select a.parent_id from account a join up on a.id = up.id where a.parent_id is not null),
                        down(id) as (
                            select id from up
                            union
                            select a.id from account a join down on a.parent_id = down.id)
                        select id from down where id in (select id from account)""")
                .param("ids", ids.toArray(new UUID[0]))
                .query(UUID.class)
                .list());
    }

    /** These accounts and every account below them. */
    public Set<UUID> withDescendants(Collection<UUID> ids) {
        return new HashSet<>(jdbc.sql("""
                        with recursive down(id) as (
                            select id from account where id = any(cast(:ids as uuid[]))
                            union
                            select a.id from account a join down on a.parent_id = down.id)
                        select id from down""")
                .param("ids", ids.toArray(new UUID[0]))
                .query(UUID.class)
                .list());
    }

    /** The accounts that exist among these ids, with their contacts and contracts. */
    public Map<UUID, AccountSnapshot> read(Collection<UUID> ids) {
        Object[] array = ids.toArray();
        Map<UUID, List<ContactTenure>> contacts = new HashMap<>();
        BulkReads.query(
                template,
                "select account_id, role, joined_at, left_at from contact where account_id = any(:ids)",
                Map.of("ids", new SqlArrayValue("uuid", array)),
                rs -> {
                    contacts.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new ContactTenure(
                                    rs.getString(2),
                                    rs.getObject(3, LocalDate.class),
                                    rs.getObject(4, LocalDate.class)));
                });
        Map<UUID, List<ContractTerm>> contracts = new HashMap<>();
        BulkReads.query(
                template,
                "select account_id, start_date, end_date, arr, seats, status from contract where account_id = any(:ids)",
                Map.of("ids", new SqlArrayValue("uuid", array)),
                rs -> {
                    contracts
                            .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new ContractTerm(
                                    rs.getObject(2, LocalDate.class),
                                    rs.getObject(3, LocalDate.class),
                                    rs.getBigDecimal(4),
                                    (Integer) rs.getObject(5),
                                    rs.getString(6)));
                });
        Map<UUID, Map<String, NavigableMap<LocalDate, Double>>> attributes = new HashMap<>();
        BulkReads.query(
                template,
                "select account_id, name, as_of, value from account_attribute where account_id = any(:ids)",
                Map.of("ids", new SqlArrayValue("uuid", array)),
                rs -> {
                    attributes
                            .computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new TreeMap<>())
                            .put(rs.getObject(3, LocalDate.class), rs.getDouble(4));
                });
        Map<UUID, AccountSnapshot> snapshots = new HashMap<>();
        BulkReads.query(template, """
                        select id, name, parent_id, tier, industry, region, employees, lifecycle_stage, current_arr,
                               custom_fields::text, health_color
                          from account where id = any(:ids)""", Map.of("ids", new SqlArrayValue("uuid", array)), rs -> {
            UUID id = rs.getObject(1, UUID.class);
            String fields = rs.getString(10);
            snapshots.put(
                    id,
                    new AccountSnapshot(
                            id,
                            rs.getString(2),
                            rs.getObject(3, UUID.class),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            (Integer) rs.getObject(7),
                            rs.getString(8),
                            rs.getBigDecimal(9),
                            "{}".equals(fields) ? Map.of() : json.readValue(fields, FIELDS),
                            rs.getString(11),
                            contacts.getOrDefault(id, List.of()),
                            contracts.getOrDefault(id, List.of()),
                            attributes.getOrDefault(id, Map.of())));
        });
        return snapshots;
    }

    /** The accounts that exist among these ids, with their attributes only (no contacts, no contracts). */
    public Map<UUID, AccountSnapshot> readAttributes(Collection<UUID> ids) {
        Map<UUID, AccountSnapshot> snapshots = new HashMap<>();
        BulkReads.query(template, """
                        select id, name, parent_id, tier, industry, region, employees, lifecycle_stage, current_arr,
                               custom_fields::text, health_color
                          from account where id = any(:ids)""", Map.of("ids", new SqlArrayValue("uuid", ids.toArray())), rs -> {
            UUID id = rs.getObject(1, UUID.class);
            String fields = rs.getString(10);
            snapshots.put(
                    id,
                    new AccountSnapshot(
                            id,
                            rs.getString(2),
                            rs.getObject(3, UUID.class),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            (Integer) rs.getObject(7),
                            rs.getString(8),
                            rs.getBigDecimal(9),
                            "{}".equals(fields) ? Map.of() : json.readValue(fields, FIELDS),
                            rs.getString(11),
                            List.of(),
                            List.of(),
                            Map.of()));
        });
        return snapshots;
    }

    /** An account's name and segment (tier), for reports over many accounts. */
    public record Label(UUID id, String name, String tier) {}

    /** Every account's name and tier, in one read. */
    public List<Label> labels() {
        return jdbc.sql("select id, name, tier from account")
                .query((rs, row) -> new Label(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list();
    }

    /**
     * The current health of accounts as the health module computed it, kept on the account for lists: the score and
     * color that count (an override's where one is in force), the change of the computed score over 30 days, and the
     * computed score and color beside them.
     */
    public record Health(
            UUID account,
            double score,
            String color,
            Double trend30,
            double computedScore,
            String computedColor,
            boolean overridden) {

        /** The health of an account without an override: the computed one. */
        public Health(UUID account, double score, String color, Double trend30) {
            this(account, score, color, trend30, score, color, false);
        }
    }

    /** An account that is no longer a customer, as the health module found when it left it unscored. */
    public record Churned(UUID account, Churn churn) {}

    /**
     * Records that these accounts had churned by today: they carry the churn instead of a health score and color, so
     * that lists show them apart and count them out of "at risk"; rows that did not change are left alone.
     */
    public void recordChurn(List<Churned> churned) {
        if (churned.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update account a
                           set health_score = null, health_color = null, health_trend = null,
                               health_computed_score = null, health_computed_color = null, health_overridden = false,
                               churned_on = c.since, churn_reason = c.reason, unscored_reason = null
                          from unnest(:ids, :since, :reasons) as c(id, since, reason)
                         where a.id = c.id
                           and (a.health_score, a.health_color, a.health_trend, a.churned_on, a.churn_reason,
                                a.unscored_reason)
                               is distinct from (null, null, null, c.since, c.reason, null)""")
                .param(
                        "ids",
                        new SqlArrayValue(
                                "uuid", churned.stream().map(Churned::account).toArray()))
                .param(
                        "since",
                        new SqlArrayValue(
                                "date",
                                churned.stream()
                                        .map(c ->
                                                java.sql.Date.valueOf(c.churn().since()))
                                        .toArray()))
                .param(
                        "reasons",
                        new SqlArrayValue(
                                "text",
                                churned.stream().map(c -> c.churn().reason()).toArray()))
                .update();
    }

    /**
     * Records the journey stage each of these accounts is in now, as the lifecycle module decided it, so that the
     * accounts list shows and filters by it; rows that did not change are left alone, and neither the account's version
     * nor its update time moves (the stage is not a field of the record).
     */
    public void recordStages(Map<UUID, JourneyStage> stages) {
        if (stages.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(stages.keySet());
        jdbc.sql("""
                        update account a set journey_stage = s.stage, journey_stage_name = s.name
                          from unnest(:ids, :stages, :names) as s(id, stage, name)
                         where a.id = s.id
                           and (a.journey_stage, a.journey_stage_name) is distinct from (s.stage, s.name)""")
                .param("ids", new SqlArrayValue("uuid", ids.toArray()))
                .param(
                        "stages",
                        new SqlArrayValue(
                                "text",
                                ids.stream().map(id -> stages.get(id).key()).toArray()))
                .param(
                        "names",
                        new SqlArrayValue(
                                "text",
                                ids.stream().map(id -> stages.get(id).name()).toArray()))
                .update();
    }

    /** Records that these accounts are in no journey stage now (see {@link #recordStages}). */
    public void recordNoStage(Collection<UUID> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update account set journey_stage = null, journey_stage_name = null
                         where id = any(:ids) and journey_stage is not null""")
                .param("ids", new SqlArrayValue("uuid", accounts.toArray()))
                .update();
    }

    /**
     * Records that these accounts are customers that no scorecard scores, and why (which scorecards are published and
     * what they apply to): they carry neither health nor churn, so that lists show them as not scored and say why;
     * rows that did not change are left alone.
     */
    public void recordUnscored(List<UUID> accounts, String reason) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update account a
                           set health_score = null, health_color = null, health_trend = null,
                               health_computed_score = null, health_computed_color = null, health_overridden = false,
                               churned_on = null, churn_reason = null, unscored_reason = :reason
                         where a.id = any(:ids)
                           and (a.health_score, a.health_color, a.health_trend, a.churned_on, a.churn_reason,
                                a.unscored_reason)
                               is distinct from (null, null, null, null, null, :reason)""")
                .param("ids", new SqlArrayValue("uuid", accounts.toArray()))
                .param("reason", reason)
                .update();
    }

    /**
     * Accounts that share the values of some segment attributes, counted: the attributes left out read {@code null},
     * and {@code formerCustomer} says whether they were former customers when health was last recorded (see {@link
     * #recordChurn}).
     */
    public record Profiles(
            String tier,
            String industry,
            String region,
            Integer employees,
            String lifecycleStage,
            BigDecimal arr,
            Map<String, Object> customFields,
            boolean formerCustomer,
            long accounts,
            BigDecimal totalArr,
            @Nullable String label) {}

    /** The columns of the attributes {@link #profiles} can count by, by the names conditions use. */
    private static final Map<String, String> PROFILE_COLUMNS = Map.of(
            "tier", "tier",
            "industry", "industry",
            "region", "region",
            "employees", "employees",
            "lifecycleStage", "lifecycle_stage",
            "arr", "current_arr",
            "customFields", "custom_fields");

    /**
     * Every account counted by the values of these attributes ({@code tier}, {@code industry}, {@code region},
     * {@code employees}, {@code lifecycleStage}, {@code arr}, {@code customFields}) and by whether it was a former
     * customer, in one grouped read: as many rows as there are combinations, however many accounts.
     */
    public List<Profiles> profiles(Set<String> attributes) {
        return profiles(attributes, Map.of());
    }

    /**
     * As {@link #profiles(Set)}, counted apart also by a label given to some accounts ({@link Profiles#label()};
     * {@code null} for the others): health labels each account with the segments it is in that scorecards name.
     */
    public List<Profiles> profiles(Set<String> attributes, Map<UUID, String> labels) {
        for (String attribute : attributes) {
            if (!PROFILE_COLUMNS.containsKey(attribute)) {
                throw new IllegalArgumentException("cannot count accounts by " + attribute);
            }
        }
        List<String> columns =
                List.of("tier", "industry", "region", "employees", "lifecycleStage", "arr", "customFields");
        StringBuilder select = new StringBuilder("select ");
        for (String column : columns) {
            select.append(attributes.contains(column) ? "a." + PROFILE_COLUMNS.get(column) : "null")
                    .append(" as ")
                    .append(PROFILE_COLUMNS.get(column))
                    .append(", ");
        }
        select.append("a.churn_reason is not null as former, count(*) as accounts,")
                .append(" coalesce(sum(a.current_arr), 0) as total_arr,")
                .append(labels.isEmpty() ? " null::text as label" : " g.label")
                .append(" from account a")
                .append(labels.isEmpty() ? "" : " left join unnest(:ids, :labels) as g(id, label) on g.id = a.id")
                .append(" group by 1, 2, 3, 4, 5, 6, 7, 8, 11");
        List<UUID> ids = new ArrayList<>(labels.keySet());
        var statement = jdbc.sql(select.toString());
        if (!labels.isEmpty()) {
            statement = statement
                    .param("ids", new SqlArrayValue("uuid", ids.toArray()))
                    .param(
                            "labels",
                            new SqlArrayValue(
                                    "text", ids.stream().map(labels::get).toArray()));
        }
        return statement
                .query((rs, row) -> {
                    String fields = rs.getString("custom_fields");
                    return new Profiles(
                            rs.getString("tier"),
                            rs.getString("industry"),
                            rs.getString("region"),
                            (Integer) rs.getObject("employees"),
                            rs.getString("lifecycle_stage"),
                            rs.getBigDecimal("current_arr"),
                            fields == null || "{}".equals(fields) ? Map.of() : json.readValue(fields, FIELDS),
                            rs.getBoolean("former"),
                            rs.getLong("accounts"),
                            rs.getBigDecimal("total_arr"),
                            rs.getString("label"));
                })
                .list();
    }

    /** Records accounts' current health, and so that they are customers; rows that did not change are left alone. */
    public void recordHealth(List<Health> health) {
        if (health.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        update account a set health_score = h.score, health_color = h.color, health_trend = h.trend,
                                             health_computed_score = h.computed_score,
                                             health_computed_color = h.computed_color,
                                             health_overridden = h.overridden,
                                             churned_on = null, churn_reason = null, unscored_reason = null
                          from unnest(:ids, :scores, :colors, :trends, :computedScores, :computedColors, :overridden)
                               as h(id, score, color, trend, computed_score, computed_color, overridden)
                         where a.id = h.id
                           and (a.health_score, a.health_color, a.health_trend, a.health_computed_score,
                                a.health_computed_color, a.health_overridden, a.churned_on, a.churn_reason,
                                a.unscored_reason)
                               is distinct from (h.score, h.color, h.trend, h.computed_score, h.computed_color,
                                                 h.overridden, null, null, null)""")
                .param(
                        "ids",
                        new SqlArrayValue(
                                "uuid", health.stream().map(Health::account).toArray()))
                .param(
                        "scores",
                        new SqlArrayValue(
                                "float4",
                                health.stream().map(h -> (float) h.score()).toArray()))
                .param(
                        "colors",
                        new SqlArrayValue(
                                "text", health.stream().map(Health::color).toArray()))
                .param(
                        "trends",
                        new SqlArrayValue(
                                "float4",
                                health.stream()
                                        .map(h -> h.trend30() == null ? null : (float) (double) h.trend30())
                                        .toArray()))
                .param(
                        "computedScores",
                        new SqlArrayValue(
                                "float4",
                                health.stream()
                                        .map(h -> (float) h.computedScore())
                                        .toArray()))
                .param(
                        "computedColors",
                        new SqlArrayValue(
                                "text",
                                health.stream().map(Health::computedColor).toArray()))
                .param(
                        "overridden",
                        new SqlArrayValue(
                                "bool", health.stream().map(Health::overridden).toArray()))
                .update();
    }
}
