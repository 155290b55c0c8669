package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountManagement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

@StewardTest
class ImportCommandTests {

    @Autowired
    CsvImports imports;

    @Autowired
    ObjectMapper json;

    @Autowired
    AccountManagement accounts;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void importsAFileWithAMappingPrintsTheReportAndExitsWithOneWhenRowsWereRejected() throws Exception {
        Path file =
                Files.writeString(dir.resolve("crm.csv"), "Kunde;Firma;Mitarbeiter\nK-1;Alpha;12\nK-2;Beta;viele\n");
        Path mapping = Files.writeString(dir.resolve("mapping.yaml"), """
                fields:
                  externalId: Kunde
                  name: Firma
                  employees: Mitarbeiter
                  tier: { default: SMB }
                """);
        Path rejected = dir.resolve("out/rejected.csv");

        int exit = command()
                .run(List.of(
                        "--source",
                        "cli-crm",
                        "--entity",
                        "accounts",
                        "--file",
                        file.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--rejected",
                        rejected.toString()));

        assertThat(exit).isEqualTo(1);
        assertThat(output())
                .contains("crm.csv → accounts (source cli-crm; UTF-8, semicolon-separated)")
                .contains("Imported 1 of 2 rows: 1 new or changed, 0 already up to date. 1 row was rejected")
                .contains("line 3, column 'Mitarbeiter' (employees), value 'viele': 'viele' is not a number")
                .contains("Rejected rows with their errors: " + rejected);
        assertThat(Files.readString(rejected))
                .startsWith("Kunde;Firma;Mitarbeiter;error\r\n")
                .contains("K-2;Beta;viele;");
        assertThat(accounts.get(accounts.resolve("cli-crm", List.of("K-1")).get("K-1"))
                        .tier())
                .isEqualTo("SMB");
    }

    @Test
    void aCleanFileExitsWithZeroAndTheNextFileOfTheSourceUsesTheSavedMapping() throws Exception {
        Path first = Files.writeString(dir.resolve("a.csv"), "Kunde,Firma\nK-1,Alpha\n");
        Path mapping = Files.writeString(dir.resolve("m.yaml"), "fields:\n  externalId: Kunde\n  name: Firma\n");
        assertThat(command()
                        .run(List.of(
                                "--source",
                                "cli-saved",
                                "--entity",
                                "accounts",
                                "--file",
                                first.toString(),
                                "--mapping",
                                mapping.toString())))
                .isEqualTo(0);
        Path second = Files.writeString(dir.resolve("b.csv"), "Kunde,Firma\nK-2,Beta\n");
        assertThat(command().run(List.of("--source", "cli-saved", "--entity", "accounts", "--file", second.toString())))
                .isEqualTo(0);
        assertThat(accounts.resolve("cli-saved", List.of("K-1", "K-2"))).hasSize(2);
    }

    @Test
    void aMappingThatDoesNotFitTheFileIsRefusedWithExitTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("c.csv"), "id,name\n1,One\n");
        Path mapping = Files.writeString(dir.resolve("bad.yaml"), "fields:\n  externalId: id\n  name: Company\n");
        assertThat(command()
                        .run(List.of(
                                "--source",
                                "cli-bad",
                                "--entity",
                                "accounts",
                                "--file",
                                file.toString(),
                                "--mapping",
                                mapping.toString())))
                .isEqualTo(2);
        assertThat(command().run(List.of("--source", "cli-bad", "--file", file.toString())))
                .isEqualTo(2);
    }

    @Test
    void aSnapshotPlanImportsOneFileAsThreeKindsOfRecordWithARejectedRowsFileForEach() throws Exception {
        Path rejected = dir.resolve("rejected");
        int exit = command()
                .run(List.of(
                        "--dir",
                        "src/test/resources/csv/telco-snapshot",
                        "--plan",
                        "plan.yaml",
                        "--source",
                        "telco-cli",
                        "--rejected",
                        rejected.toString()));
        assertThat(exit).as(output()).isEqualTo(1);
        assertThat(output())
                .contains("customers.csv → accounts (source telco-cli; UTF-8, comma-separated)")
                .contains("Imported 12 of 12 rows: 12 new or changed")
                .contains("customers.csv → account_attributes")
                .contains("Imported 11 of 12 rows (65 values): 65 new or changed")
                .contains("customers.csv → churn_labels")
                .contains("Imported 10 of 12 rows: 10 new or changed, 0 already up to date. 1 row was skipped (by the"
                        + " mapping's condition). 1 row was rejected");
        assertThat(Files.readString(rejected.resolve("customers.csv.account_attributes.rejected.csv")))
                .contains("8091-TTVAX");
        assertThat(Files.readString(rejected.resolve("customers.csv.churn_labels.rejected.csv")))
                .contains("6713-OKOMC");
        assertThat(accounts.resolve("telco-cli", List.of("7590-VHVEG"))).hasSize(1);
    }

    @Test
    void aPlanWithAMistakeInItsLastFileImportsNothing() throws Exception {
        Files.writeString(dir.resolve("accounts.csv"), "id,name\nP-1,Pine\n");
        Files.writeString(dir.resolve("plan.yaml"), """
                source: cli-plan
                files:
                  - file: accounts.csv
                    entity: accounts
                    mapping: {fields: {externalId: id, name: name}}
                  - file: accounts.csv
                    entity: churn_labels
                    mapping:
                      fields: {accountExternalId: id, snapshot: {default: s}, asOf: {default: 2024-06-30},
                               horizonDays: {default: 30}, churned: Churned}
                """);
        assertThat(command().run(List.of("--dir", dir.toString(), "--plan", "plan.yaml")))
                .isEqualTo(2);
        assertThat(accounts.resolve("cli-plan", List.of("P-1"))).isEmpty();
    }

    private ImportCommand command() {
        return new ImportCommand(imports, json, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
