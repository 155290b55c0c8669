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

    private ImportCommand command() {
        return new ImportCommand(imports, json, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
