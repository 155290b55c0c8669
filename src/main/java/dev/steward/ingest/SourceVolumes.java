package dev.steward.ingest;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a source delivered per day over the last 30 or 90 days (UTC): records stored, records rejected, and events set
 * aside (quarantined) that are still waiting to be replayed or discarded, by the day they were set aside. Days
 * without anything count zero; a period with nothing at all has no data, which the page says instead of drawing
 * a flat line.
 */
@Repository
class SourceVolumes {

    /** The periods offered. */
    static final List<Integer> PERIODS = List.of(30, 90);

    /** One day's figures. */
    record Day(LocalDate day, long stored, long rejected, long setAside) {}

    /** A period's days, oldest first, and whether anything at all arrived in it. */
    record Volume(int days, List<Day> perDay) {

        public boolean hasData() {
            return perDay.stream().anyMatch(d -> d.stored() + d.rejected() + d.setAside() > 0);
        }

        public long stored() {
            return perDay.stream().mapToLong(Day::stored).sum();
        }

        public long rejected() {
            return perDay.stream().mapToLong(Day::rejected).sum();
        }

        public long setAside() {
            return perDay.stream().mapToLong(Day::setAside).sum();
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    SourceVolumes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The last {@code days} days up to today; a period other than those offered is the shortest. */
    Volume of(UUID source, int days) {
        int period = PERIODS.contains(days) ? days : PERIODS.get(0);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate first = today.minusDays(period - 1L);
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            byDay.put(day, new long[3]);
        }
        jdbc.sql("""
                        select day, sum(accepted), sum(rejected) from ingest_receipt_daily
                        where source_id = ? and day between ? and ? group by day""").params(source, first, today).query(rs -> {
            long[] figures = byDay.get(rs.getObject(1, LocalDate.class));
            figures[0] = rs.getLong(2);
            figures[1] = rs.getLong(3);
        });
        jdbc.sql("""
                        select (quarantined_at at time zone 'UTC')::date, count(*) from segment_quarantine
                        where source_id = ? and (quarantined_at at time zone 'UTC')::date between ? and ?
                        group by 1""").params(source, first, today).query(rs -> {
            byDay.get(rs.getObject(1, LocalDate.class))[2] = rs.getLong(2);
        });
        List<Day> perDay = new ArrayList<>();
        byDay.forEach((day, f) -> perDay.add(new Day(day, f[0], f[1], f[2])));
        return new Volume(period, perDay);
    }
}
