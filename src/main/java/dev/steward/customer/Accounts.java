package dev.steward.customer;

import dev.steward.core.Cursor;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Stores accounts and their external ids; set-based statements so that bulk writes stay fast. */
@Repository
class Accounts {

    private static final String COLUMNS = """
            select a.*,
                   (select jsonb_object_agg(e.source, e.external_id) from account_external_id e
                     where e.account_id = a.id) as external_ids""";
    private static final String SELECT = COLUMNS + " from account a ";

    /**
     * Sortable fields, the SQL expression each sorts by, the type its cursor value is cast to, and, where it differs,
     * the expression it sorts by descending.
     */
    private static final Map<String, String[]> SORTS = Map.of(
            "name", new String[] {"lower(a.name)", "text"},
            "arr", new String[] {"a.current_arr", "numeric"},
            "employees", new String[] {"coalesce(a.employees, -1)", "integer"},
            "renewalDate", new String[] {"coalesce(a.renewal_date, date '9999-12-31')", "date"},
            "createdAt", new String[] {"a.created_at", "timestamptz"},
            "updatedAt", new String[] {"a.updated_at", "timestamptz"},
            // Accounts not scored yet come last whichever way the list is sorted: they are not the healthiest or the
            // sickest, just unknown.
            "healthScore",
                    new String[] {
                        "coalesce(a.health_score, 'Infinity')", "real", "coalesce(a.health_score, '-Infinity')"
                    },
            "healthTrend",
                    new String[] {
                        "coalesce(a.health_trend, 'Infinity')", "real", "coalesce(a.health_trend, '-Infinity')"
                    });

    /** The colors the health filter takes. */
    private static final List<String> HEALTH_COLORS = List.of("green", "yellow", "red", "black");

    /** What the health filter takes for former customers, which carry no color. */
    private static final String CHURNED = "churned";

    /**
     * What the health filter takes for customers without a health score: no published scorecard applied to them when
     * they were last scored, or they have not been scored yet.
     */
    private static final String UNSCORED = "unscored";

    /** What the health filter takes for customers no published scorecard applied to at their last re-score. */
    private static final String NO_SCORECARD = Account.Unscored.NO_SCORECARD;

    /** Counting this many rows takes about a millisecond; a never-analysed table estimates -1 and is counted. */
    static final long COUNTED_UP_TO = 10_000;

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    Accounts(JdbcClient jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    Optional<Account> find(UUID id) {
        return jdbc.sql(SELECT + " where a.id = ?").param(id).query(this::map).optional();
    }

    List<Account> findAll(Collection<UUID> ids) {
        return jdbc.sql(SELECT + " where a.id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(this::map)
                .list();
    }

    BigDecimal totalArr(Collection<UUID> ids) {
        return jdbc.sql("select coalesce(sum(current_arr), 0) from account where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(BigDecimal.class)
                .single();
    }

    BigDecimal totalArr() {
        return jdbc.sql("select coalesce(sum(current_arr), 0) from account")
                .query(BigDecimal.class)
                .single();
    }

    boolean exists(UUID id) {
        return jdbc.sql("select exists (select 1 from account where id = ?)")
                .param(id)
                .query(Boolean.class)
                .single();
    }

    Set<UUID> existing(Collection<UUID> ids) {
        return Set.copyOf(jdbc.sql("select id from account where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query(UUID.class)
                .list());
    }

    List<Account> children(UUID parentId) {
        return jdbc.sql(SELECT + " where a.parent_id = ? order by lower(a.name), a.id")
                .param(parentId)
                .query(this::map)
                .list();
    }

    /** The chain of ancestors from the account's parent up to the root. */
    List<Account> ancestors(UUID id) {
        List<UUID> chain = jdbc.sql("""
                        with recursive up(id, parent_id, depth) as (
                            select id, parent_id, 0 from account where id = ?
                            union all
                            select a.id, a.parent_id, up.depth + 1 from account a join up on a.id = up.parent_id
                             where up.depth < 100)
                        select id from up where depth > 0 order by depth""").param(id).query(UUID.class).list();
        Map<UUID, Account> byId = new HashMap<>();
        findAll(chain).forEach(a -> byId.put(a.id().value(), a));
        return chain.stream().map(byId::get).toList();
    }

    /**
     * Parent links of the given accounts and all their ancestors, so that a cycle can be detected in memory before
     * any change is written.
     */
    Map<UUID, UUID> parentLinksAbove(Collection<UUID> ids) {
        Map<UUID, UUID> links = new HashMap<>();
        jdbc.sql("""
                        with recursive up(id, parent_id, depth) as (
                            select id, parent_id, 0 from account where id = any(?)
                            union all
                            select a.id, a.parent_id, up.depth + 1 from account a join up on a.id = up.parent_id
                             where up.depth < 1000)
                        select distinct id, parent_id from up""")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query((rs, n) -> links.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        return links;
    }

    /**
     * A page of accounts; {@code members}, when given, keeps only those accounts (a segment's members). The journey
     * stage filter reads the stage recorded on the account, so it needs neither a join nor a list of members. The page
     * says how many accounts match on all pages: counted when a filter is set, estimated like {@link #total()} when
     * none is.
     */
    Page<Account> list(AccountQuery query, Set<UUID> members) {
        String sort = query.sort() == null || query.sort().isBlank() ? "name" : query.sort();
        boolean descending = sort.startsWith("-");
        String field = descending ? sort.substring(1) : sort;
        String[] order = SORTS.get(field);
        if (order == null) {
            throw new InvalidInputException(
                    "sort",
                    "cannot sort by '" + field + "'; use one of " + SORTS.keySet()
                            + ", with a leading '-' for descending");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String filters = filters(query, members, params);
        Map<String, Object> filterValues = new LinkedHashMap<>(params);
        StringBuilder sql = new StringBuilder(COLUMNS)
                .append(", k.sort_key::text as sort_key from account a, lateral (select ")
                .append(descending && order.length > 2 ? order[2] : order[0])
                .append(" as sort_key) k where true")
                .append(filters);
        if (query.cursor() != null && !query.cursor().isBlank()) {
            Cursor cursor = Cursor.decode(query.cursor());
            sql.append(" and (k.sort_key, a.id) ")
                    .append(descending ? "<" : ">")
                    .append(" (cast(:after as ")
                    .append(order[1])
                    .append("), :afterId)");
            params.put("after", cursor.sortValue());
            params.put("afterId", cursor.id());
        }
        String direction = descending ? " desc" : "";
        int limit = query.effectiveLimit();
        sql.append(" order by k.sort_key")
                .append(direction)
                .append(", a.id")
                .append(direction)
                .append(" limit ")
                .append(limit + 1);
        List<Object[]> rows = jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> new Object[] {map(rs, n), rs.getString("sort_key")})
                .list();
        List<Account> items = new ArrayList<>(rows.size());
        rows.stream().limit(limit).forEach(r -> items.add((Account) r[0]));
        String next = null;
        if (rows.size() > limit) {
            Object[] last = rows.get(limit - 1);
            next = new Cursor((String) last[1], ((Account) last[0]).id().value()).encode();
        }
        Page.Total total = members == null && !query.filtered()
                ? total()
                : new Page.Total(
                        jdbc.sql("select count(*) from account a where true" + filters)
                                .params(filterValues)
                                .query(Long.class)
                                .single(),
                        false);
        return new Page<>(items, next, total);
    }

    /** The conditions of the query's filters on {@code account a}, each starting with " and", their values in params. */
    private static String filters(AccountQuery query, Set<UUID> members, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        if (query.search() != null && !query.search().isBlank()) {
            String search = query.search().trim();
            // The trigram index answers searches of three characters or more. A shorter one holds no trigram, so
            // the index would hand back every row to recheck; the expression hides it and the sort order is walked.
            sql.append(search.length() < 3 ? " and (a.name || '')" : " and a.name")
                    .append(" ilike :search escape '\\'");
            params.put(
                    "search",
                    "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (query.tier() != null && !query.tier().isBlank()) {
            sql.append(" and a.tier = :tier");
            params.put("tier", query.tier());
        }
        if (query.ownerId() != null) {
            sql.append(" and a.owner_id = :owner");
            params.put("owner", query.ownerId());
        }
        if (!query.owners().isEmpty()) {
            sql.append(" and a.owner_id = any(:owners)");
            params.put("owners", new SqlArrayValue("uuid", query.owners().toArray()));
        }
        if (query.stage() != null && !query.stage().isBlank()) {
            sql.append(" and a.journey_stage = :journeyStage");
            params.put("journeyStage", query.stage().strip());
        }
        if (query.lifecycleStage() != null) {
            sql.append(" and a.lifecycle_stage = :lifecycleStage");
            params.put("lifecycleStage", query.lifecycleStage().name());
        }
        if (query.minArr() != null) {
            sql.append(" and a.current_arr >= :minArr");
            params.put("minArr", query.minArr());
        }
        if (query.maxArr() != null) {
            sql.append(" and a.current_arr <= :maxArr");
            params.put("maxArr", query.maxArr());
        }
        if (!query.health().isEmpty()) {
            List<String> colors = new ArrayList<>();
            boolean churned = false;
            boolean unscored = false;
            boolean noScorecard = false;
            for (String color : query.health()) {
                String value = color.strip().toLowerCase(Locale.ROOT);
                if (value.equals(CHURNED)) {
                    churned = true;
                } else if (value.equals(UNSCORED)) {
                    unscored = true;
                } else if (value.equals(NO_SCORECARD)) {
                    noScorecard = true;
                } else if (HEALTH_COLORS.contains(value)) {
                    colors.add(value);
                } else {
                    throw new InvalidInputException(
                            "health",
                            "'" + color + "' is not a health color; use one or more of " + HEALTH_COLORS + ", '"
                                    + CHURNED + "' for former customers, '" + UNSCORED
                                    + "' for customers without a score or '" + NO_SCORECARD
                                    + "' for those no scorecard applies to");
                }
            }
            String column = query.healthBasis() == AccountQuery.HealthBasis.COMPUTED
                    ? "a.health_computed_color"
                    : "a.health_color";
            // A former customer has no health color, so "red,yellow" (at risk) never lists one.
            sql.append(" and (")
                    .append(column)
                    .append(" = any(:health)")
                    .append(churned ? " or a.churn_reason is not null" : "")
                    .append(unscored ? " or (a.health_color is null and a.churn_reason is null)" : "")
                    .append(noScorecard ? " or a.unscored_reason is not null" : "")
                    .append(")");
            params.put("health", new SqlArrayValue("text", colors.toArray()));
        }
        if (members != null) {
            sql.append(" and a.id = any(:members)");
            params.put("members", new SqlArrayValue("uuid", members.toArray()));
        }
        if (query.parentId() != null) {
            sql.append(" and a.parent_id = :parent");
            params.put("parent", query.parentId());
        }
        return sql.toString();
    }

    long count() {
        return jdbc.sql("select count(*) from account").query(Long.class).single();
    }

    /**
     * The segments (tiers) accounts have, in order: a walk down the tier index that reads one row per tier, however many
     * accounts there are.
     */
    List<String> tiers() {
        return jdbc.sql("""
                        with recursive t(tier) as (
                            (select tier from account where tier is not null order by tier limit 1)
                            union all
                            select (select a.tier from account a where a.tier > t.tier order by a.tier limit 1)
                              from t where t.tier is not null)
                        select tier from t where tier is not null""").query(String.class).list();
    }

    /**
     * The number of accounts, counted exactly while that is cheap; beyond {@link #COUNTED_UP_TO} PostgreSQL's
     * estimate from its statistics (kept current by autovacuum), rounded to thousands since it is not exact.
     * Counting 100,000 rows took longer than the rest of the list page.
     */
    Page.Total total() {
        long estimate = jdbc.sql("select reltuples::bigint from pg_class where oid = 'account'::regclass")
                .query(Long.class)
                .single();
        return estimate < COUNTED_UP_TO
                ? new Page.Total(count(), false)
                : new Page.Total(Math.round(estimate / 1000.0) * 1000, true);
    }

    /** Row to write: an account's stored fields. */
    record Row(
            UUID id,
            String name,
            UUID parentId,
            String tier,
            String industry,
            String region,
            Integer employees,
            UUID ownerId,
            LifecycleStage lifecycleStage,
            Map<String, Object> customFields) {}

    void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into account (id, name, parent_id, tier, industry, region, employees, owner_id,
                                             lifecycle_stage, custom_fields, created_at, updated_at)
                        select v.id, v.name, v.parent_id, v.tier, v.industry, v.region, v.employees, v.owner_id,
                               v.stage, v.custom::jsonb, :at, :at
                          from unnest(:ids, :names, :parents, :tiers, :industries, :regions, :employees, :owners,
                                      :stages, :customs)
                               as v(id, name, parent_id, tier, industry, region, employees, owner_id, stage, custom)""").params(columns(rows)).update();
    }

    /** Updates the rows that differ from what is stored and returns the ids of those that changed. */
    Set<UUID> updateChanged(List<Row> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                        update account a
                           set name = v.name, parent_id = v.parent_id, tier = v.tier, industry = v.industry,
                               region = v.region, employees = v.employees, owner_id = v.owner_id,
                               lifecycle_stage = v.stage, custom_fields = v.custom::jsonb,
                               version = a.version + 1, updated_at = :at
                          from unnest(:ids, :names, :parents, :tiers, :industries, :regions, :employees, :owners,
                                      :stages, :customs)
                               as v(id, name, parent_id, tier, industry, region, employees, owner_id, stage, custom)
                         where a.id = v.id
                           and (a.name, a.parent_id, a.tier, a.industry, a.region, a.employees, a.owner_id,
                                a.lifecycle_stage, a.custom_fields)
                               is distinct from
                               (v.name, v.parent_id, v.tier, v.industry, v.region, v.employees, v.owner_id,
                                v.stage, v.custom::jsonb)
                        returning a.id""").params(columns(rows)).query(UUID.class).list());
    }

    /** Replaces one account's fields if it is still at the expected version; false when it was not. */
    boolean update(Row row, long expectedVersion) {
        Map<String, Object> params = columns(List.of(row));
        params.put("expected", expectedVersion);
        return jdbc.sql("""
                        update account a
                           set name = v.name, parent_id = v.parent_id, tier = v.tier, industry = v.industry,
                               region = v.region, employees = v.employees, owner_id = v.owner_id,
                               lifecycle_stage = v.stage, custom_fields = v.custom::jsonb,
                               version = a.version + 1, updated_at = :at
                          from unnest(:ids, :names, :parents, :tiers, :industries, :regions, :employees, :owners,
                                      :stages, :customs)
                               as v(id, name, parent_id, tier, industry, region, employees, owner_id, stage, custom)
                         where a.id = v.id and a.version = :expected""").params(params).update() == 1;
    }

    /**
     * Gives accounts the owners decided for them, each at its next version; answers the accounts whose owner changed
     * (those that already had it, or that are gone, are left alone).
     */
    Set<UUID> setOwners(Map<UUID, UUID> owners, java.time.Instant at) {
        if (owners.isEmpty()) {
            return Set.of();
        }
        List<UUID> ids = new ArrayList<>(owners.keySet());
        return new java.util.HashSet<>(jdbc.sql("""
                        update account a set owner_id = o.owner_id, version = a.version + 1, updated_at = :at
                          from unnest(:ids, :owners) as o(id, owner_id)
                         where a.id = o.id and a.owner_id is distinct from o.owner_id
                        returning a.id""")
                .param("at", Timestamp.from(at))
                .param("ids", new SqlArrayValue("uuid", ids.toArray()))
                .param(
                        "owners",
                        new SqlArrayValue("uuid", ids.stream().map(owners::get).toArray()))
                .query(UUID.class)
                .list());
    }

    /** How many current customers (not churned) have no owner. */
    long unowned() {
        return jdbc.sql("select count(*) from account where owner_id is null and churn_reason is null")
                .query(Long.class)
                .single();
    }

    /** Current customers (not churned) with an owner, or only those of these owners when some are named. */
    List<BookAccount> books(Collection<UUID> ownerIds) {
        String sql = "select id, name, owner_id, current_arr, health_color, renewal_date from account"
                + " where owner_id is not null and churn_reason is null"
                + (ownerIds == null ? "" : " and owner_id = any(?)");
        var statement = jdbc.sql(sql);
        if (ownerIds != null) {
            statement = statement.param(new SqlArrayValue("uuid", ownerIds.toArray()));
        }
        return statement
                .query((rs, row) -> new BookAccount(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getObject("owner_id", UUID.class),
                        rs.getBigDecimal("current_arr"),
                        rs.getString("health_color"),
                        rs.getObject("renewal_date", LocalDate.class)))
                .list();
    }

    /** Makes the account's children top-level accounts, each at its next version. */
    void detachChildren(UUID parentId, java.time.Instant at) {
        jdbc.sql("update account set parent_id = null, version = version + 1, updated_at = ? where parent_id = ?")
                .params(Timestamp.from(at), parentId)
                .update();
    }

    boolean delete(UUID id, long expectedVersion) {
        return jdbc.sql("delete from account where id = ? and version = ?")
                        .params(id, expectedVersion)
                        .update()
                == 1;
    }

    /** The account's version; an account deleted meanwhile (a change racing a delete) is not found. */
    long version(UUID id) {
        return jdbc.sql("select version from account where id = ?")
                .param(id)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("account", id));
    }

    /** Account ids for external ids of one source; ids not known are absent from the map. */
    Map<String, UUID> idsByExternalId(String source, Collection<String> externalIds) {
        Map<String, UUID> found = new HashMap<>();
        if (externalIds.isEmpty()) {
            return found;
        }
        jdbc.sql("select external_id, account_id from account_external_id where source = ? and external_id = any(?)")
                .params(source, new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> found.put(rs.getString(1), rs.getObject(2, UUID.class)))
                .list();
        return found;
    }

    /**
     * The accounts whose custom field {@code domain} or {@code website} names one of these domains (lower case, no
     * scheme, no "www.", no path), by domain. A scan of the accounts: called once per page of a connector's pull.
     */
    Map<String, Set<UUID>> idsByDomain(Collection<String> domains) {
        Map<String, Set<UUID>> found = new HashMap<>();
        if (domains.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select d.domain, a.id
                          from account a
                          cross join lateral (values (a.custom_fields ->> 'domain'), (a.custom_fields ->> 'website'))
                               as f(value)
                          join unnest(?) as d(domain)
                            on lower(regexp_replace(f.value, '^([a-z][a-z0-9+.-]*://)?(www\\.)?([^/:?#]+).*$', '\\3', 'i'))
                               = d.domain
                         where f.value is not null""").param(new SqlArrayValue("text", domains.toArray())).query(rs -> {
            found.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>())
                    .add(rs.getObject(2, UUID.class));
        });
        return found;
    }

    /** Owners of (source, external id) pairs, keyed "source\u0000externalId". */
    Map<String, UUID> ownersOfExternalIds(List<String> sources, List<String> externalIds) {
        Map<String, UUID> found = new HashMap<>();
        if (sources.isEmpty()) {
            return found;
        }
        jdbc.sql("""
                        select e.source, e.external_id, e.account_id
                          from account_external_id e
                          join unnest(?, ?) as k(source, external_id)
                            on e.source = k.source and e.external_id = k.external_id""")
                .params(new SqlArrayValue("text", sources.toArray()), new SqlArrayValue("text", externalIds.toArray()))
                .query((rs, n) -> found.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getObject(3, UUID.class)))
                .list();
        return found;
    }

    /**
     * Links external ids to accounts, in key order so that writers linking the same ids queue rather than deadlock.
     * The primary key on (source, external id) decides between writers: a pair another account holds is left to it.
     * Returns how many pairs were linked.
     */
    int linkExternalIds(List<UUID> accountIds, List<String> sources, List<String> externalIds) {
        if (accountIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                        insert into account_external_id (source, external_id, account_id)
                        select * from unnest(?, ?, ?) as v(source, external_id, account_id)
                         order by v.source, v.external_id
                        on conflict (source, external_id) do nothing""")
                .params(
                        new SqlArrayValue("text", sources.toArray()),
                        new SqlArrayValue("text", externalIds.toArray()),
                        new SqlArrayValue("uuid", accountIds.toArray()))
                .update();
    }

    /**
     * Replaces an account's external ids; false when another account took one of them since they were checked, and
     * then the caller must not commit.
     */
    boolean replaceExternalIds(UUID accountId, Map<String, String> externalIds) {
        jdbc.sql("delete from account_external_id where account_id = ?")
                .param(accountId)
                .update();
        List<UUID> ids = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> values = new ArrayList<>();
        externalIds.forEach((source, value) -> {
            ids.add(accountId);
            sources.add(source);
            values.add(value);
        });
        return linkExternalIds(ids, sources, values) == ids.size();
    }

    private Map<String, Object> columns(List<Row> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n], parents = new UUID[n], owners = new UUID[n];
        String[] names = new String[n], tiers = new String[n], industries = new String[n], regions = new String[n];
        String[] stages = new String[n], customs = new String[n];
        Integer[] employees = new Integer[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id();
            names[i] = row.name();
            parents[i] = row.parentId();
            tiers[i] = row.tier();
            industries[i] = row.industry();
            regions[i] = row.region();
            employees[i] = row.employees();
            owners[i] = row.ownerId();
            stages[i] =
                    row.lifecycleStage() == null ? null : row.lifecycleStage().name();
            customs[i] = json.writeValueAsString(row.customFields());
        }
        Map<String, Object> params = new HashMap<>();
        params.put("ids", new SqlArrayValue("uuid", (Object[]) ids));
        params.put("names", new SqlArrayValue("text", (Object[]) names));
        params.put("parents", new SqlArrayValue("uuid", (Object[]) parents));
        params.put("tiers", new SqlArrayValue("text", (Object[]) tiers));
        params.put("industries", new SqlArrayValue("text", (Object[]) industries));
        params.put("regions", new SqlArrayValue("text", (Object[]) regions));
        params.put("employees", new SqlArrayValue("int4", (Object[]) employees));
        params.put("owners", new SqlArrayValue("uuid", (Object[]) owners));
        params.put("stages", new SqlArrayValue("text", (Object[]) stages));
        params.put("customs", new SqlArrayValue("text", (Object[]) customs));
        params.put("at", Timestamp.from(clock.instant()));
        return params;
    }

    private Account map(ResultSet rs, int row) throws SQLException {
        UUID parent = rs.getObject("parent_id", UUID.class);
        String stage = rs.getString("lifecycle_stage");
        String journeyStage = rs.getString("journey_stage");
        String externalIds = rs.getString("external_ids");
        Timestamp created = rs.getTimestamp("created_at");
        Timestamp updated = rs.getTimestamp("updated_at");
        java.sql.Date renewal = rs.getDate("renewal_date");
        BigDecimal arr = rs.getBigDecimal("current_arr");
        return new Account(
                new AccountId(rs.getObject("id", UUID.class)),
                rs.getString("name"),
                parent == null ? null : new AccountId(parent),
                rs.getString("tier"),
                rs.getString("industry"),
                rs.getString("region"),
                (Integer) rs.getObject("employees"),
                rs.getObject("owner_id", UUID.class),
                journeyStage == null ? null : new JourneyStage(journeyStage, rs.getString("journey_stage_name")),
                stage == null ? null : LifecycleStage.valueOf(stage),
                json.readValue(rs.getString("custom_fields"), new TypeReference<Map<String, Object>>() {}),
                externalIds == null
                        ? Map.of()
                        : json.readValue(externalIds, new TypeReference<Map<String, String>>() {}),
                arr,
                renewal == null ? null : renewal.toLocalDate(),
                health(rs),
                churn(rs),
                unscored(rs),
                rs.getLong("version"),
                created.toInstant(),
                updated.toInstant());
    }

    private static Account.Health health(ResultSet rs) throws SQLException {
        String color = rs.getString("health_color");
        if (color == null) {
            return null;
        }
        Object trend = rs.getObject("health_trend");
        double score = decimal(rs.getFloat("health_score"));
        Object computedScore = rs.getObject("health_computed_score");
        String computedColor = rs.getString("health_computed_color");
        return new Account.Health(
                score,
                color,
                trend == null ? null : decimal((Float) trend),
                rs.getBoolean("health_overridden"),
                computedScore == null ? score : decimal((Float) computedScore),
                computedColor == null ? color : computedColor);
    }

    private static Churn churn(ResultSet rs) throws SQLException {
        String reason = rs.getString("churn_reason");
        java.sql.Date since = rs.getDate("churned_on");
        return reason == null ? null : new Churn(since == null ? null : since.toLocalDate(), reason);
    }

    private static Account.Unscored unscored(ResultSet rs) throws SQLException {
        if (rs.getString("health_color") != null || rs.getString("churn_reason") != null) {
            return null;
        }
        String reason = rs.getString("unscored_reason");
        return reason != null
                ? new Account.Unscored(Account.Unscored.NO_SCORECARD, reason)
                : new Account.Unscored(
                        Account.Unscored.PENDING,
                        "Not scored yet: a new account is scored within seconds of its creation, every account daily"
                                + " and whenever a scorecard is published.");
    }

    /** A stored real as the decimal it was written as: 72.3, not 72.30000305175781. */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
