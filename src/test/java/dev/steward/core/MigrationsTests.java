package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every installation applies the migrations in one order: the first release's per-module numbers are frozen, and every
 * later migration is versioned by the time it was written, later than all of them. A database created by the last
 * release that used per-module numbers upgrades to the current schema.
 */
class MigrationsTests {

    /** The per-module migrations of releases up to 2a12d63, with their contents: an installation has applied them. */
    static final Map<String, String> FROZEN = Map.ofEntries(
            Map.entry(
                    "activity/V4_1__activity.sql", "5dcf083b7f240349c6cc8349747c852e2df30e97dfbd7a20ad0b3462b18c6512"),
            Map.entry(
                    "activity/V4_2__sentiment.sql", "4249b20ad677bbbbd5649f86aa492929aeeaea722a844480b62283208aa180cb"),
            Map.entry(
                    "activity/V4_3__health_events.sql",
                    "d397f00538e4c4dc03c5160d7954f9a58d1f2bed73d4aff445c796d40a891c73"),
            Map.entry(
                    "backtest/V8_1__backtest_runs.sql",
                    "c1727a74cbd9ae8ba79defd5f0237b98eb2f32ae358f1f813d9bca2d8337db50"),
            Map.entry(
                    "core/V1_1__scheduled_tasks.sql",
                    "e39bcf9e0894c3063a67e7482a76e9125ca2a9bfa1967d81efa30ab06ca31a9d"),
            Map.entry(
                    "customer/V3_1__accounts.sql", "f27703d01f96d79452a21d2d6f4a3575b944906407cda35d98087ecd383230d5"),
            Map.entry(
                    "customer/V3_2__contacts.sql", "da89db9686df56739524218fa1aa07944f54142b79c5ac2115be68049c1ac35a"),
            Map.entry(
                    "customer/V3_3__contracts_and_opportunities.sql",
                    "17b3dbadd51fdde5ee07a5f5ee94667b3dfcee22278c6e1dfae99f5b392b9d65"),
            Map.entry(
                    "customer/V3_4__account_list_indexes.sql",
                    "e2410e7860d77151156420c0d4f0db95f5697ed8cd1ab42156b87527866644de"),
            Map.entry(
                    "customer/V3_5__account_health.sql",
                    "d01145b8515a0f1fa1610051642b428afbeebc5a4b5f3f29b520bbc3a196fb42"),
            Map.entry(
                    "customer/V3_6__account_health_sort_indexes.sql",
                    "c0fd206b86fab18eca0c12f2fe5f031e907b0862ecfc7230f834309c9c69f097"),
            Map.entry(
                    "health/V7_1__scorecards.sql", "41394fb5550c252e8611717f7b1be4b76b2d7d09542c5e06f10379e24fcc5f6a"),
            Map.entry(
                    "health/V7_2__health_scores.sql",
                    "0e37bb0bb28b2e1d84d56dd6a87aa6f475af31d48ef90889d6d06d7122294766"),
            Map.entry("identity/V2_1__users.sql", "4af8b39f72ca4ee86cc41ac4562c903e3d9d0d6e272c63b2aa22b7535110e98c"),
            Map.entry(
                    "identity/V2_2__sign_in_and_api_keys.sql",
                    "19e1771b7a59a8ca515802e617bb8c526d2a669b72d7911162c75c66c5f20811"),
            Map.entry(
                    "ingest/V6_10__csv_imports.sql",
                    "d8b04ed36a557aab5078df938a17d359473a43eea150b68f24fbed8e89b77960"),
            Map.entry("ingest/V6_1__sources.sql", "f9df5cd4f40d7d367ffba315ae4feb30043b8cd29099663d6cca3952a2a3f6de"),
            Map.entry(
                    "ingest/V6_20__stripe_webhooks.sql",
                    "f49326e892aaee12c9755c56eb4476883636032ac341ba7c1c973d6441bb1d19"),
            Map.entry(
                    "ingest/V6_21__data_quality.sql",
                    "0c349bf48ab14d2c9bf04e8512ce725cfe7b98984c7667ebf8a7f0edc67ed35c"),
            Map.entry(
                    "ingest/V6_2__write_keys.sql", "3449fa12705762ada91c178102925d7efe65b8a1ed4158c63272741cad345392"),
            Map.entry(
                    "ingest/V6_3__segment_events.sql",
                    "f0aa0d9d0a347fb12e0313c01218c866c2568b553bf5f2174c47ce9a1bc83470"),
            Map.entry("usage/V5_1__usage.sql", "33a00cd7b24a743e0e324f96b37001c4b7a4da1c9019bbb4359b670b250ee529"),
            Map.entry(
                    "usage/V5_2__usage_months.sql", "eace8c6a5338aed78515fd813cc9100112f39cf31a4d80aadb49844cb8bcaadf"),
            Map.entry(
                    "usage/V5_3__usage_month_per_account.sql",
                    "f9591160a0f0c12ccfa0a6614206c89db983b30e81ac1e8c4e16a8b109e7675e"));

    /** The version of the last frozen migration: a database created by the last per-module release stands here. */
    static final String LAST_RELEASE = "8.1";

    private static final Pattern TIMED = Pattern.compile(
            "(?<module>[a-z]+)/V(?<version>20\\d\\d_[01]\\d_[0-3]\\d_[0-2]\\d[0-5]\\d)__(?<name>[a-z0-9_]+)\\.sql");

    @Test
    void frozenMigrationsAreUnchangedAndEveryLaterOneIsVersionedByTimeAndNamedAfterItsModule() throws IOException {
        Map<String, String> found = migrations();
        Map<String, String> frozen = new TreeMap<>();
        List<String> later = new ArrayList<>();
        for (Map.Entry<String, String> migration : found.entrySet()) {
            if (FROZEN.containsKey(migration.getKey())) {
                frozen.put(migration.getKey(), migration.getValue());
                continue;
            }
            Matcher matcher = TIMED.matcher(migration.getKey());
            assertThat(matcher.matches())
                    .as(
                            "%s is named db/migration/<module>/V<yyyy>_<mm>_<dd>_<hhmm>__<module>_<what>.sql",
                            migration.getKey())
                    .isTrue();
            assertThat(matcher.group("name"))
                    .as("%s names its module first", migration.getKey())
                    .startsWith(matcher.group("module") + "_");
            later.add(matcher.group("version"));
        }
        assertThat(frozen).as("the frozen migrations, unchanged").isEqualTo(new TreeMap<>(FROZEN));
        assertThat(later).as("no two migrations share a version").doesNotHaveDuplicates();
        for (String version : later) {
            assertThat(MigrationVersion.fromVersion(version)).isGreaterThan(MigrationVersion.fromVersion(LAST_RELEASE));
        }
    }

    @Test
    @Tag("postgres")
    void aDatabaseOfTheLastPerModuleReleaseUpgradesWithItsData() throws SQLException {
        String url = TestDatabase.createDatabase();
        Flyway.configure()
                .dataSource(url, TestDatabase.username(), TestDatabase.password())
                .locations("classpath:db/migration")
                .target(MigrationVersion.fromVersion(LAST_RELEASE))
                .load()
                .migrate();
        try (Connection connection =
                        DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement()) {
            statement.execute("insert into account (id, name) values ('00000000-0000-0000-0000-000000000001', 'Kept')");
        }

        // What the application does at start-up, with its settings.
        var result = Flyway.configure()
                .dataSource(url, TestDatabase.username(), TestDatabase.password())
                .locations("classpath:db/migration")
                .outOfOrder(false)
                .load()
                .migrate();

        assertThat(result.success).isTrue();
        try (Connection connection =
                        DriverManager.getConnection(url, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement();
                ResultSet names = statement.executeQuery("select name from account")) {
            assertThat(names.next()).isTrue();
            assertThat(names.getString(1)).isEqualTo("Kept");
        }
    }

    private static Map<String, String> migrations() throws IOException {
        Map<String, String> found = new TreeMap<>();
        for (Resource resource :
                new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/**/*.sql")) {
            String path = resource.getURL().toString();
            String relative = path.substring(path.indexOf("db/migration/") + "db/migration/".length());
            try (InputStream in = resource.getInputStream()) {
                found.put(relative, sha256(in.readAllBytes()));
            }
        }
        return found;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
