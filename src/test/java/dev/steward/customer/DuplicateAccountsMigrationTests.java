package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An installation that parallel upserts left with duplicate accounts (an account without its external id beside the
 * one that has it) is repaired on upgrade: each duplicate is merged into the account it duplicates, every fact that
 * hung off it moves along, and the merge is recorded.
 */
@Tag("postgres")
class DuplicateAccountsMigrationTests {

    /** The repair's version: a database migrated up to the one before stands where duplicates could be created. */
    private static final MigrationVersion REPAIR = MigrationVersion.fromVersion("2026.12.05.1137");

    private static final String KEPT = "00000000-0000-0000-0000-00000000000a";
    private static final String NEARER = "00000000-0000-0000-0000-00000000000b";
    private static final String DUPLICATE = "00000000-0000-0000-0000-0000000000d1";
    private static final String SECOND_DUPLICATE = "00000000-0000-0000-0000-0000000000d2";
    private static final String LATER_NAMESAKE = "00000000-0000-0000-0000-0000000000e1";
    private static final String CHILD = "00000000-0000-0000-0000-0000000000c1";

    @Test
    void eachDuplicateIsMergedIntoTheAccountItDuplicatesWithEveryFactItHeld() throws SQLException {
        String url = TestDatabase.createDatabase();
        migrateToJustBeforeTheRepair(url);
        execute(url, """
                insert into account (id, name, tier, custom_fields, created_at) values
                    ('%1$s', 'Racing Co', 'SMB', '{"plan": "pro"}', timestamptz '2026-11-02 10:00:00+00'),
                    ('%2$s', 'Racing Co', 'SMB', '{"plan": "pro"}', timestamptz '2026-11-02 10:00:30+00'),
                    ('%3$s', 'Racing Co', 'SMB', '{"plan": "pro"}', timestamptz '2026-11-02 10:00:31+00'),
                    ('%4$s', 'Racing Co', 'SMB', '{"plan": "pro"}', timestamptz '2026-11-02 10:00:01+00'),
                    ('%5$s', 'Racing Co', 'SMB', '{"plan": "pro"}', timestamptz '2026-11-09 10:00:00+00');
                insert into account (id, name, parent_id) values ('%6$s', 'Racing Co Germany', '%3$s');
                insert into account_external_id (source, external_id, account_id) values
                    ('crm', 'r-1', '%1$s'), ('crm', 'r-2', '%2$s');

                insert into contact (id, account_id, name, joined_at) values
                    (gen_random_uuid(), '%3$s', 'Pat Duplicate', date '2026-11-02');
                insert into contract (id, account_id, start_date, end_date, arr) values
                    (gen_random_uuid(), '%3$s', date '2026-11-01', date '2027-11-01', 12000);
                insert into opportunity (id, account_id, name, type, stage) values
                    (gen_random_uuid(), '%3$s', 'Upsell', 'EXPANSION', 'negotiation');
                insert into ticket (id, account_id, source, external_id, opened_at, subject, priority, status) values
                    (gen_random_uuid(), '%3$s', 'zendesk', 't-1', timestamptz '2026-11-03 09:00:00+00', 'Help',
                     'normal', 'open');
                insert into churn_event (id, account_id, source, churned_on, reason_category) values
                    (gen_random_uuid(), '%4$s', 'api', date '2026-11-20', 'budget');

                insert into usage_daily (account_id, metric, day, value) values
                    ('%2$s', 'logins', date '2026-11-05', 10), ('%3$s', 'logins', date '2026-11-05', 4),
                    ('%3$s', 'logins', date '2026-11-06', 3),
                    ('%2$s', 'active_users', date '2026-11-05', 7), ('%3$s', 'active_users', date '2026-11-05', 5);
                insert into usage_month (account_id, month, metrics) values ('%3$s', date '2026-11-01', '\\x00');
                insert into usage_account (account_id, first_day, last_day) values
                    ('%2$s', date '2026-11-05', date '2026-11-05'), ('%3$s', date '2026-11-05', date '2026-11-06');
                insert into segment_usage_daily (account_id, metric, day, value) values
                    ('%2$s', 'events', date '2026-11-05', 100), ('%3$s', 'events', date '2026-11-05', 20);
                insert into segment_active_user (account_id, day, user_key) values
                    ('%2$s', date '2026-11-05', 'u1'), ('%3$s', date '2026-11-05', 'u1'),
                    ('%3$s', date '2026-11-05', 'u2');
                insert into ingest_account_freshness (account_id, name) values ('%3$s', 'Racing Co');

                insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage, raw,
                                          ranks, computed_at) values
                    ('%3$s', date '2026-11-05', 'SMB', 1, 30, 'red', 0.5, '{}', '{}', timestamptz '2026-11-05 02:00+00');
                insert into health_override (id, account_id, color, reason, expires_on, author_name, created_at) values
                    (gen_random_uuid(), '%2$s', 'green', 'older', date '2026-12-31', 'Ada',
                     timestamptz '2026-11-10 09:00+00'),
                    (gen_random_uuid(), '%3$s', 'red', 'newer', date '2026-12-31', 'Ada',
                     timestamptz '2026-11-11 09:00+00');
                """.formatted(KEPT, NEARER, DUPLICATE, SECOND_DUPLICATE, LATER_NAMESAKE, CHILD));

        // What the application does at start-up, with its settings.
        assertThat(flyway(url).outOfOrder(false).load().migrate().success).isTrue();

        assertThat(strings(url, "select id from account where name = 'Racing Co' order by id"))
                .as("accounts named Racing Co after the repair")
                .containsExactly(KEPT, NEARER, LATER_NAMESAKE);
        assertThat(strings(url, "select duplicate_id || ' -> ' || survivor_id from account_merge order by 1"))
                .as("merges recorded: each duplicate into the account with an external id created nearest to it")
                .containsExactly(DUPLICATE + " -> " + NEARER, SECOND_DUPLICATE + " -> " + KEPT);
        assertThat(strings(url, "select rows_moved::text from account_merge where duplicate_id = '" + DUPLICATE + "'"))
                .singleElement()
                .asString()
                .contains("\"contact\": 1", "\"ticket\": 1", "\"usage_daily\": 3", "\"account (children)\": 1");

        for (String table : tablesWithAnAccountId(url)) {
            assertThat(strings(
                            url,
                            "select count(*) from " + table + " where account_id in ('" + DUPLICATE + "', '"
                                    + SECOND_DUPLICATE + "')"))
                    .as("rows of %s still on a merged duplicate", table)
                    .containsExactly("0");
        }
        for (String table : List.of("contact", "contract", "opportunity", "ticket")) {
            assertThat(strings(url, "select count(*) from " + table + " where account_id = '" + NEARER + "'"))
                    .as("%s rows moved to the account kept", table)
                    .containsExactly("1");
        }
        assertThat(strings(url, "select account_id from churn_event")).containsExactly(KEPT);
        assertThat(strings(url, "select parent_id from account where id = '" + CHILD + "'"))
                .as("the parent of the duplicate's child")
                .containsExactly(NEARER);

        assertThat(strings(
                        url,
                        "select metric || ' ' || day || ' ' || value from usage_daily where account_id = '" + NEARER
                                + "' order by 1"))
                .as("usage of both: logins added up, active users the higher")
                .containsExactly("active_users 2026-11-05 7", "logins 2026-11-05 14", "logins 2026-11-06 3");
        assertThat(strings(
                        url,
                        "select first_day || ' ' || last_day from usage_account where account_id = '" + NEARER + "'"))
                .containsExactly("2026-11-05 2026-11-06");
        assertThat(strings(
                        url,
                        "select octet_length(metrics) from usage_month where account_id = '" + NEARER
                                + "' and month = '2026-11-01'"))
                .as("the month rebuilt from the merged days: two blocks, 3 days in all")
                .containsExactly(String.valueOf((2 + 12 + 2) + (2 + 6 + 2) + 3 * 10));
        assertThat(strings(url, "select value from segment_usage_daily where account_id = '" + NEARER + "'"))
                .containsExactly("120");
        assertThat(strings(
                        url, "select user_key from segment_active_user where account_id = '" + NEARER + "' order by 1"))
                .containsExactly("u1", "u2");

        assertThat(strings(
                        url,
                        "select reason || ' ' || coalesce(ended_by, 'in force') from health_override"
                                + " where account_id = '" + NEARER + "' order by reason"))
                .as("the newer override stays in force, the older ends when it was replaced")
                .containsExactly("newer in force", "older merge of a duplicate account (replaced)");
        assertThat(strings(url, "select count(*) from health_score")).containsExactly("0");
        assertThat(strings(url, "select count(*) from ingest_account_freshness"))
                .containsExactly("0");
    }

    @Test
    void aDatabaseWithoutDuplicatesIsLeftAsItWas() throws SQLException {
        String url = TestDatabase.createDatabase();
        migrateToJustBeforeTheRepair(url);
        execute(url, """
                insert into account (id, name) values ('%1$s', 'Hand Made'), ('%2$s', 'Hand Made');
                """.formatted(KEPT, NEARER));

        assertThat(flyway(url).outOfOrder(false).load().migrate().success).isTrue();

        assertThat(strings(url, "select count(*) from account")).containsExactly("2");
        assertThat(strings(url, "select count(*) from account_merge")).containsExactly("0");
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
        return Flyway.configure()
                .dataSource(url, TestDatabase.username(), TestDatabase.password())
                .locations("classpath:db/migration");
    }

    private static void migrateToJustBeforeTheRepair(String url) {
        MigrationVersion before = Arrays.stream(flyway(url).load().info().all())
                .map(MigrationInfo::getVersion)
                .filter(v -> v.compareTo(REPAIR) < 0)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        flyway(url).target(before).load().migrate();
    }

    private static List<String> tablesWithAnAccountId(String url) throws SQLException {
        List<String> tables = strings(url, """
                select table_name from information_schema.columns
                 where table_schema = current_schema() and column_name = 'account_id' order by 1""");
        assertThat(tables).contains("contact", "ticket", "usage_daily", "health_score", "segment_active_user");
        return tables;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> strings(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection =
                        DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
