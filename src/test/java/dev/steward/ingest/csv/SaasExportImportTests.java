package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.ChurnEvent;
import dev.steward.activity.Ticket;
import dev.steward.core.StewardTest;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contract;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

/**
 * A multi-table SaaS export (accounts; subscriptions with MRR; feature usage per subscription and day; support
 * tickets; churn events), written with the usual mess (BOM, CRLF, a semicolon file with decimal commas, Unix
 * seconds, True/False, a quoted line break), imported in one go with a plan and no code specific to it.
 */
@StewardTest
class SaasExportImportTests {

    private static final String DIR = "src/test/resources/csv/saas-export";
    private static final String SOURCE = "saas-export";

    @Autowired
    CsvImports imports;

    @Autowired
    ObjectMapper json;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    ActivityRecorder activities;

    @Test
    void importsTheWholeExportIntoCoherentRecordsAndAddsNothingTheSecondTime() throws Exception {
        String first = importPlan(0);
        assertThat(first)
                .contains("accounts.csv → accounts (source saas-export; UTF-8 with BOM, comma-separated)")
                .contains("subscriptions.csv → contracts (source saas-export; UTF-8, semicolon-separated)")
                .contains("Imported 5 of 5 rows: 5 new or changed")
                .contains("Imported 6 of 6 rows: 6 new or changed")
                .contains("Imported 8 of 8 usage rows (added up to 7 account-metric-day values)")
                .contains("Metrics added to the catalog: feature.api_access, feature.feature_7");

        Map<String, AccountId> ids =
                accounts.resolve(SOURCE, List.of("A-0001", "A-0002", "A-0003", "A-0004", "A-0005"));
        assertThat(ids).hasSize(5);
        Account blueHarbor = accounts.get(ids.get("A-0002"));
        assertThat(blueHarbor.name()).isEqualTo("Blue Harbor, Inc.");
        assertThat(blueHarbor.region()).isEqualTo("UK");
        assertThat(blueHarbor.customFields()).containsEntry("referral_source", "organic");

        List<Contract> northwind = contracts.ofAccount(ids.get("A-0001")).stream()
                .sorted(Comparator.comparing(Contract::startDate))
                .toList();
        assertThat(northwind).extracting(Contract::externalId).containsExactly("S-1001", "S-1002");
        assertThat(northwind.get(0).arr()).isEqualByComparingTo("96000");
        assertThat(northwind.get(1).arr()).isEqualByComparingTo("115200");
        assertThat(northwind.get(1).endDate())
                .as("no end date in the export: open-ended, in force until it is ended")
                .isNull();
        assertThat(northwind.get(1).countsOn(LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 1)))
                .isTrue();
        assertThat(northwind.get(1).autoRenew()).isTrue();
        Contract blueHarborContract = contracts.ofAccount(ids.get("A-0002")).get(0);
        assertThat(blueHarborContract.arr()).as("1.250,50 × 12").isEqualByComparingTo("15006");
        assertThat(blueHarborContract.startDate()).as("Unix seconds").isEqualTo(LocalDate.of(2023, 3, 2));
        assertThat(blueHarborContract.status()).isEqualTo(ContractStatus.CANCELLED);
        assertThat(contracts.ofAccount(ids.get("A-0005")).get(0).autoRenew())
                .as("1 is yes")
                .isTrue();

        assertThat(value(ids.get("A-0001"), "feature.reports", "2024-01-10"))
                .as("two subscriptions of one account on one day add up")
                .isEqualTo(17);
        assertThat(value(ids.get("A-0001"), "feature.api_access", "2024-05-01")).isEqualTo(1250);
        assertThat(value(ids.get("A-0002"), "feature.reports", "2023-09-14")).isEqualTo(7);
        assertThat(value(ids.get("A-0003"), "feature.dashboards", "2024-02-02"))
                .as("an empty count takes the default")
                .isEqualTo(0);

        Ticket open = activities.tickets(ids.get("A-0002"), 10, null).items().get(0);
        assertThat(open.status()).isEqualTo(Ticket.Status.open);
        assertThat(open.escalated()).isTrue();
        assertThat(open.openedAt()).isEqualTo(Instant.parse("2021-05-27T13:50:24Z"));
        assertThat(open.subject()).isEqualTo("Support ticket T-2");
        Ticket solved = activities.tickets(ids.get("A-0003"), 10, null).items().get(0);
        assertThat(solved.openedAt()).isEqualTo(Instant.ofEpochSecond(1709900000));
        assertThat(solved.priority()).isEqualTo(Ticket.Priority.normal);
        assertThat(solved.status()).isEqualTo(Ticket.Status.solved);
        assertThat(solved.csat()).isEqualTo(3);
        Ticket microseconds =
                activities.tickets(ids.get("A-0004"), 10, null).items().get(0);
        assertThat(microseconds.openedAt()).isEqualTo(Instant.parse("2024-04-12T10:00:00.123456Z"));

        ChurnEvent churn =
                activities.churnEvents(ids.get("A-0002"), 10, null).items().get(0);
        assertThat(churn.reasonCategory()).isEqualTo(ChurnEvent.ReasonCategory.budget);
        assertThat(churn.reason()).isEqualTo("Too expensive for our size.\nWe moved to a cheaper tool.");
        assertThat(activities
                        .churnEvents(ids.get("A-0004"), 10, null)
                        .items()
                        .get(0)
                        .reason())
                .isEqualTo("Missing SSO; \"reports\" were too slow");

        String second = importPlan(0);
        assertThat(second)
                .contains("Imported 5 of 5 rows: 0 new or changed, 5 already up to date")
                .contains("Imported 6 of 6 rows: 0 new or changed, 6 already up to date")
                .contains("0 new or changed, 7 already up to date")
                .contains("Imported 4 of 4 rows: 0 new or changed, 4 already up to date")
                .contains("Imported 2 of 2 rows: 0 new or changed, 2 already up to date");
        assertThat(contracts.ofAccount(ids.get("A-0001"))).hasSize(2);
        assertThat(activities.tickets(ids.get("A-0002"), 10, null).items()).hasSize(1);
        assertThat(value(ids.get("A-0001"), "feature.reports", "2024-01-10")).isEqualTo(17);
    }

    private String importPlan(int expectedExit) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ImportCommand command =
                new ImportCommand(imports, json, new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit = command.run(List.of("--dir", DIR, "--plan", "plan.yaml"));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    private double value(AccountId account, String metric, String day) {
        List<UsageSeries> series = usage.series(account, metric, LocalDate.parse(day), LocalDate.parse(day));
        assertThat(series).as(metric + " on " + day).hasSize(1);
        return series.get(0).points().get(0).value().doubleValue();
    }
}
