package dev.steward.playbook;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The working calendar in force: the configured time zone and the holidays kept in {@code working_holiday}. */
@Component
class Calendars {

    static final int MAXIMUM_HOLIDAYS = 1000;

    private final JdbcClient jdbc;
    private final PlaybookProperties properties;

    Calendars(JdbcClient jdbc, PlaybookProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    WorkingCalendar current() {
        return new WorkingCalendar(properties.timeZone(), holidays().keySet());
    }

    /** The holidays, by day. */
    Map<LocalDate, String> holidays() {
        Map<LocalDate, String> holidays = new TreeMap<>();
        jdbc.sql("select day, name from working_holiday order by day").query(rs -> {
            holidays.put(rs.getObject(1, LocalDate.class), rs.getString(2));
        });
        return holidays;
    }

    /** Replaces the holidays with these. */
    @Transactional
    void replace(Map<LocalDate, String> holidays) {
        jdbc.sql("delete from working_holiday").update();
        List<Object[]> rows = holidays.entrySet().stream()
                .map(e -> new Object[] {e.getKey(), e.getValue()})
                .toList();
        for (Object[] row : rows) {
            jdbc.sql("insert into working_holiday (day, name) values (?, ?)")
                    .params(row)
                    .update();
        }
    }
}
