package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.TicketInput;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.OpportunityInput;
import dev.steward.customer.OpportunityManagement;
import dev.steward.customer.OpportunityType;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What Steward writes is stamped with the application's time (its injected clock), never the database's: created and
 * changed accounts, contacts, contracts, opportunities and tickets, users, metrics and sources all carry the fixed
 * instant the tests run at (see {@link TestClock}), which a {@code now()} or a column default would not.
 */
@StewardTest
class ApplicationTimeTests {

    private static final String SOURCE = "clock-test";
    private static final LocalDate TODAY = LocalDate.ofInstant(TestClock.NOW, ZoneOffset.UTC);

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContactManagement contacts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    OpportunityManagement opportunities;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    UserManagement users;

    @Autowired
    UsageRecorder usage;

    @Autowired
    Sources sources;

    @Autowired
    JdbcClient jdbc;

    @Test
    void createdAndChangedRecordsCarryTheApplicationsTime() {
        // Each record is created, then changed, so that both the insert and the update stamp it.
        for (String name : List.of("Clock Co", "Clock Company")) {
            accounts.upsert(
                    SOURCE,
                    List.of(new AccountInput(
                            "A-1", name, null, null, null, null, null, null, null, null, null, Map.of(), Map.of())),
                    true);
            contacts.upsert(
                    SOURCE,
                    List.of(new ContactInput(
                            "P-1",
                            null,
                            "A-1",
                            name + " Champion",
                            "champion@clock.test",
                            null,
                            null,
                            ContactRole.CHAMPION,
                            TODAY,
                            null)),
                    true);
            contracts.upsert(
                    SOURCE,
                    List.of(new ContractInput(
                            "K-1",
                            null,
                            "A-1",
                            TODAY.minusMonths(1),
                            TODAY.plusMonths(11),
                            BigDecimal.valueOf(name.length() * 1000L),
                            10,
                            "Pro",
                            null,
                            true,
                            null,
                            null)),
                    true);
            opportunities.upsert(
                    SOURCE,
                    List.of(new OpportunityInput(
                            "O-1",
                            null,
                            "A-1",
                            name + " renewal",
                            OpportunityType.RENEWAL,
                            BigDecimal.TEN,
                            "prospecting",
                            TODAY.plusMonths(10),
                            null)),
                    true);
            activity.upsertTickets(
                    SOURCE,
                    List.of(new TicketInput(
                            "T-1",
                            null,
                            "A-1",
                            TestClock.NOW.minusSeconds(3600),
                            null,
                            null,
                            name + " cannot export",
                            null,
                            null,
                            null,
                            null)),
                    true);
        }
        users.createIfAbsent("clock@example.com", "Clara Clock", Role.CSM);
        usage.addMetric(new UsageMetric("clock.exports", "Exports", null, "exports", UsageMetric.Aggregation.sum));
        Source source = sources.create("clock-source", Source.Kind.csv, null, null);

        assertStamped("account", "name = 'Clock Company'", true);
        for (String table : List.of("contact", "contract", "opportunity", "ticket")) {
            assertStamped(table, "source = '" + SOURCE + "'", true);
        }
        assertStamped("app_user", "email = 'clock@example.com'", false);
        assertStamped("usage_metric", "key = 'clock.exports'", false);
        assertStamped("ingest_source", "id = '" + source.id() + "'", false);
    }

    private void assertStamped(String table, String where, boolean changed) {
        String columns = changed ? "created_at, updated_at" : "created_at, created_at";
        List<List<Instant>> stamps = jdbc.sql("select " + columns + " from " + table + " where " + where)
                .query((rs, row) -> List.of(
                        rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
                .list();
        assertThat(stamps).as("rows of %s", table).isNotEmpty();
        assertThat(stamps)
                .as("when the rows of %s were created%s", table, changed ? " and changed" : "")
                .allSatisfy(pair -> assertThat(pair).containsOnly(TestClock.NOW));
    }
}
