package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mapping suggested from a file's header: the names CRMs and spreadsheets commonly give accounts' columns. */
class MappingSuggestionsTests {

    private static Map<String, String> suggested(CsvEntity entity, String... header) {
        return MappingSuggestions.suggest(entity, List.of(header)).fields().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().column()));
    }

    @Test
    void aCrmExportOfAccountsIsMappedWhole() {
        assertThat(suggested(
                        CsvEntity.accounts,
                        "Account ID",
                        "Account Name",
                        "Website",
                        "Owner Email",
                        "Plan",
                        "Industry",
                        "Number of Employees",
                        "Country"))
                .containsEntry("externalId", "Account ID")
                .containsEntry("name", "Account Name")
                .containsEntry("customFields.domain", "Website")
                .containsEntry("ownerEmail", "Owner Email")
                .containsEntry("tier", "Plan")
                .containsEntry("industry", "Industry")
                .containsEntry("employees", "Number of Employees")
                .containsEntry("region", "Country");
    }

    @Test
    void commonVariantsOfEachAccountColumnAreKnown() {
        for (String header : List.of("Company", "company_name", "Customer Name", "Organization Name", "Client")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("name", header);
        }
        for (String header : List.of("Domain", "Website", "Company Domain", "URL")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("customFields.domain", header);
        }
        for (String header : List.of("Owner Email", "CSM", "CSM Email", "Account Owner", "Customer Success Manager")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("ownerEmail", header);
        }
        for (String header : List.of("Tier", "Plan", "Customer Tier", "Segment", "Plan Name")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("tier", header);
        }
        for (String header : List.of("Industry", "Vertical", "Sector")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("industry", header);
        }
        for (String header : List.of("Employees", "Employee Count", "Headcount", "No. of Employees")) {
            assertThat(suggested(CsvEntity.accounts, header)).as(header).containsEntry("employees", header);
        }
        for (String header : List.of("ARR", "Annual Recurring Revenue", "ACV", "ARR (USD)")) {
            assertThat(suggested(CsvEntity.contracts, header)).as(header).containsEntry("arr", header);
        }
    }

    @Test
    void theExactFieldNameWinsOverAVariantAndEachColumnFillsOneField() {
        Map<String, String> fields = suggested(CsvEntity.accounts, "Company", "Name", "Tier", "Plan");
        assertThat(fields).containsEntry("name", "Name").containsEntry("tier", "Tier");
        assertThat(fields.values()).doesNotContain("Plan");
        assertThat(suggested(CsvEntity.accounts, "Company Name", "Company"))
                .as("the more precise header names the account")
                .containsEntry("name", "Company Name");
    }
}
