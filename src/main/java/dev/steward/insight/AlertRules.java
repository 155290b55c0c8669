package dev.steward.insight;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** The alert rules, the accounts each holds for now, and what they fired. */
@Repository
class AlertRules {

    private static final String COLUMNS = """
            id, owner_id, name, kind, condition, scope, figure, tier, figure_owner_id, operator, threshold, channels,
            delivery, webhook_topic, enabled, baseline_at, holding, last_value, evaluated_at, last_problem, created_at,
            updated_at""";

    private final JdbcClient jdbc;

    AlertRules(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<AlertRule> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from insight_alert_rule where id = ?")
                .param(id)
                .query(AlertRules::map)
                .optional();
    }

    /** One person's rules ({@code owner} {@code null}: everyone's), oldest first. */
    List<AlertRule> list(@Nullable UUID owner) {
        return owner == null
                ? jdbc.sql("select " + COLUMNS + " from insight_alert_rule order by created_at, id")
                        .query(AlertRules::map)
                        .list()
                : jdbc.sql("select " + COLUMNS + " from insight_alert_rule where owner_id = ? order by created_at, id")
                        .param(owner)
                        .query(AlertRules::map)
                        .list();
    }

    long countOwnedBy(UUID owner) {
        return jdbc.sql("select count(*) from insight_alert_rule where owner_id = ?")
                .param(owner)
                .query(Long.class)
                .single();
    }

    /** The enabled rules of a kind; with {@code baselined}, only those whose first evaluation is done. */
    List<AlertRule> enabled(AlertRule.Kind kind, boolean baselined) {
        return jdbc.sql("select " + COLUMNS + " from insight_alert_rule where enabled and kind = ?"
                        + (baselined ? " and baseline_at is not null" : "") + " order by created_at, id")
                .param(kind.name())
                .query(AlertRules::map)
                .list();
    }

    void insert(AlertRule rule) {
        jdbc.sql("""
                        insert into insight_alert_rule (id, owner_id, name, kind, condition, scope, figure, tier,
                            figure_owner_id, operator, threshold, channels, delivery, webhook_topic, enabled,
                            created_at, updated_at)
                        values (:id, :owner, :name, :kind, :condition, :scope, :figure, :tier, :figureOwner,
                            :operator, :threshold, :channels, :delivery, :topic, :enabled, :created, :updated)
                        """).params(parameters(rule)).update();
    }

    /**
     * Writes the rule's definition; when {@code restart}, also forgets what it held for, so that its next evaluation
     * is a first one again.
     */
    void update(AlertRule rule, boolean restart) {
        jdbc.sql("""
                        update insight_alert_rule
                           set name = :name, kind = :kind, condition = :condition, scope = :scope, figure = :figure,
                               tier = :tier, figure_owner_id = :figureOwner, operator = :operator,
                               threshold = :threshold, channels = :channels, delivery = :delivery,
                               webhook_topic = :topic, enabled = :enabled, updated_at = :updated
                        """
                        + (restart
                                ? ", baseline_at = null, holding = false, last_value = null, last_problem = null"
                                : "")
                        + " where id = :id")
                .params(parameters(rule))
                .update();
        if (restart) {
            jdbc.sql("delete from insight_alert_state where rule_id = ?")
                    .param(rule.id())
                    .update();
        }
    }

    private static Map<String, Object> parameters(AlertRule rule) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", rule.id());
        p.put("name", rule.name());
        p.put("kind", rule.kind().name());
        p.put("condition", rule.condition());
        p.put("scope", rule.scope() == null ? null : rule.scope().name());
        p.put("figure", rule.figure() == null ? null : rule.figure().name());
        p.put("tier", rule.tier());
        p.put("figureOwner", rule.figureOwnerId());
        p.put("operator", rule.operator() == null ? null : rule.operator().name());
        p.put("threshold", rule.threshold());
        p.put(
                "channels",
                new SqlArrayValue(
                        "text", rule.channels().stream().map(Enum::name).toArray()));
        p.put("delivery", rule.delivery().name());
        p.put("topic", rule.webhookTopic());
        p.put("enabled", rule.enabled());
        p.put("updated", Timestamp.from(rule.updatedAt()));
        p.put("owner", rule.ownerId());
        p.put("created", Timestamp.from(rule.createdAt()));
        return p;
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from insight_alert_rule where id = ?").param(id).update() > 0;
    }

    /**
     * Records that the first evaluation of the rule as last written ({@code version} its {@code updated_at}) is done;
     * false when the rule was changed or removed meanwhile, and what was decided is not to be reported.
     */
    boolean baselined(UUID rule, Instant version, Instant at) {
        return jdbc.sql("""
                        update insight_alert_rule set baseline_at = ?
                         where id = ? and updated_at = ? and baseline_at is null""")
                        .params(Timestamp.from(at), rule, Timestamp.from(version))
                        .update()
                > 0;
    }

    /**
     * Records a figure rule's evaluation, unless the rule was changed or evaluated by someone else since it was read
     * (then false, and nothing is written: a crossing is reported by one evaluation only).
     */
    boolean recordFigure(
            AlertRule rule,
            boolean holding,
            @Nullable BigDecimal value,
            @Nullable String problem,
            boolean baseline,
            Instant at) {
        return jdbc.sql("""
                        update insight_alert_rule
                           set holding = ?, last_value = ?, last_problem = ?, evaluated_at = ?,
                               baseline_at = case when ? then coalesce(baseline_at, ?) else baseline_at end
                         where id = ? and updated_at = ? and holding = ? and (baseline_at is null) = ?""")
                        .params(
                                holding,
                                value,
                                problem,
                                Timestamp.from(at),
                                baseline,
                                Timestamp.from(at),
                                rule.id(),
                                Timestamp.from(rule.updatedAt()),
                                rule.holding(),
                                rule.baselineAt() == null)
                        .update()
                > 0;
    }

    /**
     * Of these rules as read, those still as they were, each locked until the transaction ends: a change made
     * meanwhile (its states forgotten, to take stock afresh) is not overwritten by an evaluation of what it was, and a
     * change waits until the evaluation has recorded what it decided.
     */
    List<AlertRule> lockUnchanged(List<AlertRule> read) {
        if (read.isEmpty()) {
            return read;
        }
        Map<UUID, Instant> current = new HashMap<>();
        jdbc.sql("select id, updated_at from insight_alert_rule where id = any(?) order by id for share")
                .param(new SqlArrayValue(
                        "uuid", read.stream().map(AlertRule::id).toArray()))
                .query((rs, row) -> Map.entry(
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("updated_at").toInstant()))
                .list()
                .forEach(e -> current.put(e.getKey(), e.getValue()));
        return read.stream()
                .filter(rule -> rule.updatedAt().equals(current.get(rule.id())))
                .toList();
    }

    /** Notes why an account rule could not be evaluated ({@code null}: it could). */
    void recordProblem(UUID rule, @Nullable String problem, Instant at) {
        jdbc.sql("update insight_alert_rule set last_problem = ?, evaluated_at = ? where id = ?")
                .params(problem, Timestamp.from(at), rule)
                .update();
    }

    /** For each of these rules, which of these accounts it held for. */
    Map<UUID, Set<UUID>> holding(Collection<UUID> rules, Collection<UUID> accounts) {
        Map<UUID, Set<UUID>> holding = new HashMap<>();
        if (rules.isEmpty() || accounts.isEmpty()) {
            return holding;
        }
        jdbc.sql("select rule_id, account_id from insight_alert_state where rule_id = any(?) and account_id = any(?)")
                .params(new SqlArrayValue("uuid", rules.toArray()), new SqlArrayValue("uuid", accounts.toArray()))
                .query((rs, row) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list()
                .forEach(e -> holding.computeIfAbsent(e.getKey(), k -> new HashSet<>())
                        .add(e.getValue()));
        return holding;
    }

    /** Records that the rule holds for these accounts; answers those it did not hold for yet (they crossed). */
    Set<UUID> enter(UUID rule, Collection<UUID> accounts, Instant at) {
        if (accounts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        insert into insight_alert_state (rule_id, account_id, since)
                        select ?, unnest(?), ?
                        on conflict do nothing
                        returning account_id""")
                .params(rule, new SqlArrayValue("uuid", accounts.toArray()), Timestamp.from(at))
                .query(UUID.class)
                .list());
    }

    /** Records that the rule no longer holds for these accounts; answers those it did hold for (they recovered). */
    Set<UUID> leave(UUID rule, Collection<UUID> accounts) {
        if (accounts.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql(
                        "delete from insight_alert_state where rule_id = ? and account_id = any(?) returning account_id")
                .params(rule, new SqlArrayValue("uuid", accounts.toArray()))
                .query(UUID.class)
                .list());
    }

    /** How many accounts the rule holds for now. */
    long holdingCount(UUID rule) {
        return jdbc.sql("select count(*) from insight_alert_state where rule_id = ?")
                .param(rule)
                .query(Long.class)
                .single();
    }

    void addFirings(List<AlertFiring> firings) {
        if (firings.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        for (AlertFiring f : firings) {
            rows.add(new Object[] {
                f.id(),
                f.ruleId(),
                f.event().name(),
                f.accountId(),
                f.accountName(),
                f.value(),
                f.message(),
                Timestamp.from(f.firedAt())
            });
        }
        jdbc.sql("""
                        insert into insight_alert_firing (id, rule_id, event, account_id, account_name, value, message,
                                                          fired_at)
                        select * from unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::numeric[],
                                             ?::text[], ?::timestamptz[])""")
                .params(
                        column(rows, 0, "uuid"),
                        column(rows, 1, "uuid"),
                        column(rows, 2, "text"),
                        column(rows, 3, "uuid"),
                        column(rows, 4, "text"),
                        column(rows, 5, "numeric"),
                        column(rows, 6, "text"),
                        column(rows, 7, "timestamptz"))
                .update();
    }

    private static SqlArrayValue column(List<Object[]> rows, int index, String type) {
        return new SqlArrayValue(type, rows.stream().map(row -> row[index]).toArray());
    }

    /** A rule's firings, newest first, {@code limit} at most; {@code before} pages on (a firing's time and id). */
    List<AlertFiring> firings(UUID rule, @Nullable Instant beforeAt, @Nullable UUID beforeId, int limit) {
        return jdbc.sql("select id, rule_id, event, account_id, account_name, value, message, fired_at"
                        + " from insight_alert_firing where rule_id = :rule"
                        + (beforeAt == null ? "" : " and (fired_at, id) < (:at, :id)")
                        + " order by fired_at desc, id desc limit :limit")
                .param("rule", rule)
                .param("at", beforeAt == null ? null : Timestamp.from(beforeAt))
                .param("id", beforeId)
                .param("limit", limit)
                .query((rs, row) -> new AlertFiring(
                        rs.getObject("id", UUID.class),
                        rs.getObject("rule_id", UUID.class),
                        AlertFiring.Event.valueOf(rs.getString("event")),
                        rs.getObject("account_id", UUID.class),
                        rs.getString("account_name"),
                        rs.getBigDecimal("value"),
                        rs.getString("message"),
                        rs.getTimestamp("fired_at").toInstant()))
                .list();
    }

    /** Forgets a deleted account: what rules held for it and what they fired about it. */
    void deleteAccount(UUID account) {
        jdbc.sql("delete from insight_alert_state where account_id = ?")
                .param(account)
                .update();
        jdbc.sql("delete from insight_alert_firing where account_id = ?")
                .param(account)
                .update();
    }

    private static AlertRule map(ResultSet rs, int row) throws SQLException {
        Set<AlertRule.Channel> channels = EnumSet.noneOf(AlertRule.Channel.class);
        Arrays.stream((String[]) rs.getArray("channels").getArray())
                .map(AlertRule.Channel::valueOf)
                .forEach(channels::add);
        String scope = rs.getString("scope");
        String figure = rs.getString("figure");
        String operator = rs.getString("operator");
        return new AlertRule(
                rs.getObject("id", UUID.class),
                rs.getObject("owner_id", UUID.class),
                rs.getString("name"),
                AlertRule.Kind.valueOf(rs.getString("kind")),
                rs.getString("condition"),
                scope == null ? null : AlertRule.Scope.valueOf(scope),
                figure == null ? null : AlertFigure.valueOf(figure),
                rs.getString("tier"),
                rs.getObject("figure_owner_id", UUID.class),
                operator == null ? null : AlertRule.Operator.valueOf(operator),
                rs.getBigDecimal("threshold"),
                Set.copyOf(channels),
                AlertRule.Delivery.valueOf(rs.getString("delivery")),
                rs.getString("webhook_topic"),
                rs.getBoolean("enabled"),
                instant(rs, "baseline_at"),
                rs.getBoolean("holding"),
                rs.getBigDecimal("last_value"),
                instant(rs, "evaluated_at"),
                rs.getString("last_problem"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
