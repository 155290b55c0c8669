package dev.steward.customer;

import dev.steward.core.Page;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Stores contracts and keeps each account's current ARR and renewal date in step with them; set-based statements
 * so that bulk writes stay fast.
 */
@Repository
class Contracts extends AccountRecordTable<Contracts.Row, Contract> {

    private static final Listing LISTING = new Listing(
            "contract",
            Map.of(
                    "startDate", new Listing.Sort("t.start_date", "date"),
                    "endDate", new Listing.Sort("t.end_date", "date"),
                    "arr", new Listing.Sort("t.arr", "numeric"),
                    "createdAt", new Listing.Sort("t.created_at", "timestamptz"),
                    "updatedAt", new Listing.Sort("t.updated_at", "timestamptz")),
            "startDate");

    /**
     * Sets current ARR (contracts active today: start_date <= today < end_date or no end date, status active) and
     * renewal date (the earliest end of those; open-ended ones have none) of the accounts listed by {@code %s},
     * touching only accounts whose values change.
     */
    private static final String REFRESH = """
            update account a
               set current_arr = s.arr, renewal_date = s.renewal
              from (select t.id, coalesce(sum(c.arr), 0) as arr, min(c.end_date) as renewal
                      from %s
                      left join contract c
                        on c.account_id = t.id and c.status = 'ACTIVE'
                       and c.start_date <= :today and (c.end_date is null or :today < c.end_date)
                     group by t.id) s
             where a.id = s.id
               and (a.current_arr, a.renewal_date) is distinct from (s.arr, s.renewal)""";

    Contracts(JdbcClient jdbc, Clock clock) {
        super(
                jdbc,
                clock,
                "contract",
                List.<Column<Row>>of(
                        new Column<>("id", "uuid", Row::id),
                        new Column<>("account_id", "uuid", Row::accountId),
                        new Column<>("start_date", "date", Row::startDate),
                        new Column<>("end_date", "date", Row::endDate),
                        new Column<>("arr", "numeric", Row::arr),
                        new Column<>("seats", "int4", Row::seats),
                        new Column<>("plan", "text", Row::plan),
                        new Column<>("status", "text", r -> r.status().name()),
                        new Column<>("auto_renew", "bool", Row::autoRenew),
                        new Column<>("previous_contract_id", "uuid", Row::previousContractId),
                        new Column<>("source", "text", Row::source),
                        new Column<>("external_id", "text", Row::externalId)),
                Contracts::map);
    }

    /** All contracts of an account, oldest first. */
    List<Contract> ofAccount(UUID accountId) {
        return jdbc.sql("select * from contract where account_id = ? order by start_date, id")
                .param(accountId)
                .query(Contracts::map)
                .list();
    }

    Page<Contract> list(ContractQuery query) {
        Map<String, Object> filters = new HashMap<>();
        filters.put("account_id", query.accountId());
        filters.put("status", query.status() == null ? null : query.status().name());
        return LISTING.page(
                jdbc, filters, query.sort(), query.limit(), query.cursor(), Contracts::map, c -> c.id().value());
    }

    /** The account of each given contract that exists. */
    Map<UUID, UUID> accountsOf(Collection<UUID> ids) {
        Map<UUID, UUID> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("select id, account_id from contract where id = any(?)")
                .param(new SqlArrayValue("uuid", ids.toArray()))
                .query((rs, n) -> found.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        return found;
    }

    /** Row to write: a contract's stored fields. */
    record Row(
            UUID id,
            UUID accountId,
            LocalDate startDate,
            LocalDate endDate,
            BigDecimal arr,
            Integer seats,
            String plan,
            ContractStatus status,
            boolean autoRenew,
            UUID previousContractId,
            String source,
            String externalId) {

        /** This row renewing {@code previous} instead. */
        Row renewing(UUID previous) {
            return new Row(
                    id,
                    accountId,
                    startDate,
                    endDate,
                    arr,
                    seats,
                    plan,
                    status,
                    autoRenew,
                    previous,
                    source,
                    externalId);
        }
    }

    /** Recomputes current ARR and renewal date of the given accounts as of {@code today}. */
    int refreshAccounts(Collection<UUID> accountIds, LocalDate today) {
        if (accountIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql(REFRESH.formatted("unnest(:ids) as t(id)"))
                .param("ids", new SqlArrayValue("uuid", accountIds.toArray()))
                .param("today", today)
                .update();
    }

    /** Recomputes current ARR and renewal date of every account as of {@code today}. */
    int refreshAllAccounts(LocalDate today) {
        return jdbc.sql(REFRESH.formatted("account t")).param("today", today).update();
    }

    /**
     * An account's ARR on the first day of each month from {@code from} to {@code to} (both first days of a
     * month), counting a contract that was ended or cancelled early only on days before {@code today}.
     */
    List<MonthlyArr> monthlyArr(UUID accountId, LocalDate from, LocalDate to, LocalDate today) {
        return jdbc.sql("""
                        select m.month::date as month, coalesce(sum(c.arr), 0) as arr
                          from generate_series(cast(:from as date), cast(:to as date), interval '1 month') as m(month)
                          left join contract c
                            on c.account_id = :account and c.start_date <= m.month
                           and (c.end_date is null or m.month < c.end_date)
                           and (c.status = 'ACTIVE' or m.month < :today)
                         group by m.month
                         order by m.month""")
                .param("from", from)
                .param("to", to)
                .param("account", accountId)
                .param("today", today)
                .query((rs, n) -> new MonthlyArr(rs.getDate("month").toLocalDate(), rs.getBigDecimal("arr")))
                .list();
    }

    private static Contract map(ResultSet rs, int row) throws SQLException {
        UUID previous = rs.getObject("previous_contract_id", UUID.class);
        return new Contract(
                new ContractId(rs.getObject("id", UUID.class)),
                new AccountId(rs.getObject("account_id", UUID.class)),
                rs.getDate("start_date").toLocalDate(),
                rs.getObject("end_date", LocalDate.class),
                rs.getBigDecimal("arr"),
                (Integer) rs.getObject("seats"),
                rs.getString("plan"),
                ContractStatus.valueOf(rs.getString("status")),
                rs.getBoolean("auto_renew"),
                previous == null ? null : new ContractId(previous),
                rs.getString("source"),
                rs.getString("external_id"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
