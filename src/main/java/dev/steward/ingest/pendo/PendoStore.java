package dev.steward.ingest.pendo;

import dev.steward.ingest.sync.PullConnections;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/**
 * Pendo connections (settings with the mapping, the sealed key, the schedule), the day each feed reads from next, and
 * the daily values held for Pendo accounts that name no Steward account yet.
 */
@Repository
class PendoStore {

    /**
     * What Steward pulls from Pendo, each an aggregation over one of Pendo's event sources, a slice of days at a time:
     * activity (all events: active visitors and minutes per account and day), then the events of the features, pages
     * and track types an administrator mapped to metrics; last the accounts' metadata, for the account fields an
     * administrator lets Pendo fill (not by day: every account each time).
     */
    enum Feed {
        activity("events", null),
        features("featureEvents", "featureId"),
        pages("pageEvents", "pageId"),
        track_events("trackEvents", "trackTypeId"),
        accounts("accounts", null);

        private final String source;
        private final String itemField;

        Feed(String source, String itemField) {
            this.source = source;
            this.itemField = itemField;
        }

        /** Pendo's name of the event source the feed's aggregation reads. */
        String source() {
            return source;
        }

        /** The field of a row naming the feature, page or track type; null for activity. */
        String itemField() {
            return itemField;
        }
    }

    /** A Pendo feature, page or track type counted as a Steward metric (its events that day, per account). */
    record Mapping(Feed kind, String id, String name, String metric) {}

    /**
     * A connection's settings as stored (the key is kept apart, sealed): the data environment, the subscription's time
     * zone (Pendo's days are its days), how many months the first pull back-fills, the source whose external ids are
     * Pendo's account ids, the metrics active visitors and minutes go to, the mapping, and the account fields Pendo's
     * account metadata fills (Steward's field → Pendo's {@code group.field}, such as tier → agent.plan).
     */
    record Settings(
            PendoApi.Region region,
            String timeZone,
            int backfillMonths,
            String accountsSource,
            String visitorsMetric,
            String minutesMetric,
            List<Mapping> mappings,
            @Nullable Map<String, String> accountFields) {

        Settings {
            accountFields = accountFields == null ? Map.of() : Map.copyOf(accountFields);
        }

        List<Mapping> of(Feed feed) {
            return mappings.stream().filter(m -> m.kind() == feed).toList();
        }

        Settings withMappings(List<Mapping> given) {
            return new Settings(
                    region,
                    timeZone,
                    backfillMonths,
                    accountsSource,
                    visitorsMetric,
                    minutesMetric,
                    List.copyOf(given),
                    accountFields);
        }

        Settings withAccountFields(Map<String, String> given) {
            return new Settings(
                    region, timeZone, backfillMonths, accountsSource, visitorsMetric, minutesMetric, mappings, given);
        }
    }

    /** A day's value of a metric for a Pendo account Steward has no account for. */
    record Held(String pendoAccount, String metric, LocalDate day, BigDecimal value) {}

    /** A Pendo account whose usage is held: how many values, over which days. */
    record HeldAccount(String pendoAccount, long values, LocalDate firstDay, LocalDate lastDay) {}

    private final JdbcClient jdbc;
    private final PullConnections connections;

    PendoStore(JdbcClient jdbc, PullConnections connections) {
        this.jdbc = jdbc;
        this.connections = connections;
    }

    Optional<PullConnections.Connection<Settings>> connection(UUID source) {
        return connections.find(source, Settings.class);
    }

    Optional<LocalDate> cursor(UUID source, Feed feed) {
        return jdbc.sql("select next_day from ingest_pendo_cursor where source_id = ? and feed = ?")
                .params(source, feed.name())
                .query(LocalDate.class)
                .optional();
    }

    Map<Feed, String> cursors(UUID source) {
        Map<Feed, String> found = new EnumMap<>(Feed.class);
        jdbc.sql("select feed, next_day from ingest_pendo_cursor where source_id = ?")
                .param(source)
                .query(rs -> {
                    found.put(Feed.valueOf(rs.getString(1)), rs.getString(2));
                });
        return found;
    }

    void saveCursor(UUID source, Feed feed, LocalDate next, Instant at) {
        jdbc.sql("""
                        insert into ingest_pendo_cursor (source_id, feed, next_day, updated_at) values (?, ?, ?, ?)
                        on conflict (source_id, feed) do update set next_day = excluded.next_day,
                            updated_at = excluded.updated_at""").params(source, feed.name(), next, Timestamp.from(at)).update();
    }

    /** Forgets where a feed got to: its next pull back-fills (a mapping of it changed). */
    void resetCursor(UUID source, Feed feed) {
        jdbc.sql("delete from ingest_pendo_cursor where source_id = ? and feed = ?")
                .params(source, feed.name())
                .update();
    }

    void hold(UUID source, List<Held> values, Instant at) {
        if (values.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into ingest_pendo_held (source_id, pendo_account, metric, day, value, held_at)
                        select ?, h.account, h.metric, h.day, h.value, ? from unnest(?, ?, ?, ?) as h(account, metric, day, value)
                        on conflict (source_id, pendo_account, metric, day) do update set value = excluded.value,
                            held_at = excluded.held_at""")
                .params(
                        source,
                        Timestamp.from(at),
                        new SqlArrayValue(
                                "text", values.stream().map(Held::pendoAccount).toArray()),
                        new SqlArrayValue(
                                "text", values.stream().map(Held::metric).toArray()),
                        new SqlArrayValue("date", values.stream().map(Held::day).toArray()),
                        new SqlArrayValue(
                                "numeric", values.stream().map(Held::value).toArray()))
                .update();
    }

    /** The Pendo accounts whose usage is held, the most values first. */
    List<HeldAccount> heldAccounts(UUID source, int limit) {
        return jdbc.sql("""
                        select pendo_account, count(*), min(day), max(day) from ingest_pendo_held where source_id = ?
                        group by pendo_account order by count(*) desc, pendo_account limit ?""")
                .params(source, limit)
                .query((rs, n) -> new HeldAccount(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getObject(3, LocalDate.class),
                        rs.getObject(4, LocalDate.class)))
                .list();
    }

    List<String> heldAccountIds(UUID source) {
        return jdbc.sql("select distinct pendo_account from ingest_pendo_held where source_id = ?")
                .param(source)
                .query(String.class)
                .list();
    }

    List<Held> held(UUID source, Collection<String> accounts) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(jdbc.sql("""
                        select pendo_account, metric, day, value from ingest_pendo_held
                        where source_id = ? and pendo_account = any(?) order by pendo_account, metric, day""")
                .params(source, new SqlArrayValue("text", accounts.toArray()))
                .query((rs, n) -> new Held(
                        rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getBigDecimal(4)))
                .list());
    }

    void release(UUID source, Collection<String> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.sql("delete from ingest_pendo_held where source_id = ? and pendo_account = any(?)")
                .params(source, new SqlArrayValue("text", accounts.toArray()))
                .update();
    }
}
