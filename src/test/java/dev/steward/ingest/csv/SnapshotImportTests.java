package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.activity.ChurnLabels;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountAttributes;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A customer snapshot in the layout of the public Telco churn dataset (one row per customer: attributes and a churn
 * label), imported in one go through a plan that maps the one file three times, then backtested on its day against
 * its labels. The twelve rows of {@code csv/telco-snapshot/customers.csv}, counted by hand:
 *
 * <ul>
 *   <li>accounts: 12, all new;
 *   <li>attributes (six columns: SeniorCitizen, Partner, tenure, Contract, MonthlyCharges, TotalCharges): line 13's
 *       Contract 'Weekly' is neither a number nor a listed value, so that row is rejected; 11 rows × 6 = 66 cells,
 *       less line 12's blank TotalCharges (a new customer: no value, not zero) = 65 values;
 *   <li>labels: line 13 has no Churn and is skipped by the mapping's condition, line 9's 'N/A' is not yes/no and is
 *       rejected; 10 labels, 4 churned (lines 4, 6, 7, 10).
 * </ul>
 *
 * Scored by tenure (linear 0 → 40 months, 2.5 points a month), the 10 labelled customers score: churned 5, 5, 20, 70;
 * stayed 2.5, 85, 100, 55, 100, 0. Red (≤ 40) holds 5 (3 churned), Yellow 2 (1 churned), Green 3 (none). Of the 24
 * churned–stayed pairs, the churned customer scores lower in 4 + 4 + 4 + 3 = 15: ROC AUC 15/24 = 0.625.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(properties = "steward.test.context=telco-snapshot-import")
class SnapshotImportTests {

    private static final Path DIR = Path.of("src/test/resources/csv/telco-snapshot");
    private static final LocalDate DAY = LocalDate.of(2024, 6, 30);

    private static final String SCORECARD = """
            name: Telco Tenure
            appliesTo: account.tier == "Telco"
            priority: 70
            thresholds: { red: 40, yellow: 70 }
            minimumCoverage: 0.5
            dimensions:
              - name: Relationship
                weight: 100
                measures:
                  - name: Tenure
                    metric: attribute.tenure_months
                    aggregate: latest
                    window: 30d
                    weight: 100
                    score: { linear: { from: 0, to: 40 } }
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    AccountAttributes attributes;

    @Autowired
    ChurnLabels labels;

    @Test
    void aSnapshotIsImportedInOneGoAsAccountsAttributesAndLabelsAndBacktestedAgainstItsLabels() throws Exception {
        importPlan()
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.files[0].entity", is("accounts")))
                .andExpect(jsonPath("$.files[0].report.rows", is(12)))
                .andExpect(jsonPath("$.files[0].report.created", is(12)))
                .andExpect(jsonPath("$.files[1].entity", is("account_attributes")))
                .andExpect(jsonPath("$.files[1].report.rows", is(12)))
                .andExpect(jsonPath("$.files[1].report.accepted", is(11)))
                .andExpect(jsonPath("$.files[1].report.rejected", is(1)))
                .andExpect(jsonPath("$.files[1].report.skipped", is(0)))
                .andExpect(jsonPath("$.files[1].report.values", is(65)))
                .andExpect(jsonPath("$.files[1].report.created", is(65)))
                .andExpect(jsonPath("$.files[1].report.errors[0].line", is(13)))
                .andExpect(jsonPath("$.files[1].report.errors[0].column", is("Contract")))
                .andExpect(jsonPath("$.files[1].report.errors[0].value", is("Weekly")))
                .andExpect(jsonPath("$.files[1].report.errors[0].reason", containsString("is neither a number")))
                .andExpect(jsonPath("$.files[1].report.summary", containsString("Imported 11 of 12 rows (65 values)")))
                .andExpect(jsonPath("$.files[2].entity", is("churn_labels")))
                .andExpect(jsonPath("$.files[2].report.rows", is(12)))
                .andExpect(jsonPath("$.files[2].report.accepted", is(10)))
                .andExpect(jsonPath("$.files[2].report.rejected", is(1)))
                .andExpect(jsonPath("$.files[2].report.skipped", is(1)))
                .andExpect(jsonPath("$.files[2].report.errors[0].line", is(9)))
                .andExpect(jsonPath("$.files[2].report.errors[0].column", is("Churn")))
                .andExpect(jsonPath("$.files[2].report.errors[0].reason", containsString("'N/A' is not a yes/no")))
                .andExpect(jsonPath(
                        "$.files[2].report.summary", containsString("1 row was skipped (by the mapping's condition)")));

        Map<String, AccountId> ids = accounts.resolve(
                "telco",
                List.of(
                        "7590-VHVEG",
                        "5575-GNVDE",
                        "3668-QPYBK",
                        "7795-CFOCW",
                        "9237-HQITU",
                        "9305-CDSKC",
                        "1452-KIOVK",
                        "6713-OKOMC",
                        "7892-POOKP",
                        "6388-TABGU",
                        "4190-MFLUW",
                        "8091-TTVAX"));
        assertThat(ids).hasSize(12);
        assertThat(accounts.get(ids.get("7590-VHVEG")).name()).isEqualTo("Customer 7590-VHVEG");
        assertThat(accounts.get(ids.get("7590-VHVEG")).tier()).isEqualTo("Telco");

        assertThat(onDay(ids.get("7590-VHVEG")))
                .containsOnly(
                        Map.entry("senior_citizen", 0.0),
                        Map.entry("partner", 1.0),
                        Map.entry("tenure_months", 1.0),
                        Map.entry("contract_months", 1.0),
                        Map.entry("monthly_charges", 29.85),
                        Map.entry("total_charges", 29.85));
        assertThat(onDay(ids.get("5575-GNVDE")))
                .containsEntry("contract_months", 12.0)
                .containsEntry("partner", 0.0);
        assertThat(onDay(ids.get("4190-MFLUW")))
                .as("a blank TotalCharges is no value, not zero")
                .containsEntry("contract_months", 24.0)
                .containsEntry("tenure_months", 0.0)
                .doesNotContainKey("total_charges");
        assertThat(attributes.of(ids.get("8091-TTVAX")))
                .as("a rejected row writes none of its values")
                .isEmpty();

        ChurnLabels.Snapshot snapshot = labels.snapshot("telco-2024-06");
        assertThat(snapshot.asOf()).isEqualTo(DAY);
        assertThat(snapshot.horizonDays()).isEqualTo(30);
        assertThat(snapshot.accounts()).isEqualTo(10);
        assertThat(snapshot.churned()).isEqualTo(4);
        Map<UUID, Boolean> labelled = labels.labels("telco-2024-06");
        assertThat(labelled)
                .containsEntry(ids.get("3668-QPYBK").value(), true)
                .containsEntry(ids.get("7590-VHVEG").value(), false)
                .doesNotContainKeys(
                        ids.get("6713-OKOMC").value(), ids.get("8091-TTVAX").value());

        importPlan()
                .andExpect(jsonPath("$.files[0].report.unchanged", is(12)))
                .andExpect(jsonPath("$.files[1].report.changed", is(0)))
                .andExpect(jsonPath("$.files[1].report.unchanged", is(65)))
                .andExpect(jsonPath("$.files[2].report.changed", is(0)))
                .andExpect(jsonPath("$.files[2].report.unchanged", is(10)));
        assertThat(labels.snapshot("telco-2024-06").accounts()).isEqualTo(10);

        mvc.perform(post("/api/v1/scorecards/Telco Tenure/versions")
                        .with(csrf())
                        .contentType("application/yaml")
                        .content(SCORECARD))
                .andExpect(status().isCreated());
        String location = mvc.perform(post("/api/v1/backtests")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"scorecards": [{"name": "Telco Tenure", "version": 1}], "snapshot": "telco-2024-06"}"""))
                .andExpect(status().isAccepted())
                .andReturn()
                .getResponse()
                .getHeader("Location");
        String run = awaitDone(location);
        String m = "$.results.horizons[0].overall.";
        assertThat(JsonPath.<List<String>>read(run, "$.results.asOfDates")).containsExactly(DAY.toString());
        assertThat(((Number) JsonPath.read(run, m + "observations")).longValue())
                .isEqualTo(10);
        assertThat(((Number) JsonPath.read(run, m + "churned")).longValue()).isEqualTo(4);
        assertThat(((Number) JsonPath.read(run, m + "rocAuc")).doubleValue()).isEqualTo(15.0 / 24);
        assertThat(JsonPath.<List<Object>>read(run, m + "colors[?(@.color == 'red')].accounts"))
                .containsExactly(5);
        assertThat(((Number) JsonPath.read(run, m + "redPrecision")).doubleValue())
                .isEqualTo(3.0 / 5);
        assertThat(((Number) JsonPath.read(run, m + "redRecall")).doubleValue()).isEqualTo(3.0 / 4);
    }

    @Test
    void aPlanIsCheckedWholeBeforeAnyFileIsImported() throws Exception {
        String plan = """
                source: telco-refused
                files:
                  - file: customers.csv
                    entity: accounts
                    mapping: {fields: {externalId: customerID, name: customerID}}
                  - file: customers.csv
                    entity: account_attribute
                  - file: missing.csv
                    entity: accounts
                  - file: customers.csv
                    entity: churn_labels
                    mapping:
                      skip: {column: Churned, equals: "No"}
                      fields: {accountExternalId: customerID, snapshot: {default: s}, asOf: {default: 2024-06-30},
                               horizonDays: {default: 30}, churned: Churned}
                """;
        mvc.perform(multipart("/api/v1/imports/plans")
                        .file(new MockMultipartFile("plan", "plan.yaml", "application/yaml", plan.getBytes()))
                        .file(csv())
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath(
                        "$.errors[*].field",
                        hasItems(
                                "files[1].entity",
                                "files[2].file",
                                "files[3].mapping.skip.column",
                                "files[3].mapping.fields.churned.column")))
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'files[3].mapping.skip.column')].reason",
                        hasItems(containsString("the file has no column 'Churned'; its columns are customerID,"))));
        assertThat(accounts.resolve("telco-refused", List.of("7590-VHVEG")))
                .as("nothing is imported")
                .isEmpty();
    }

    private ResultActions importPlan() throws Exception {
        return mvc.perform(multipart("/api/v1/imports/plans")
                .file(new MockMultipartFile(
                        "plan", "plan.yaml", "application/yaml", Files.readAllBytes(DIR.resolve("plan.yaml"))))
                .file(csv())
                .with(csrf()));
    }

    private static MockMultipartFile csv() throws Exception {
        return new MockMultipartFile(
                "files", "customers.csv", "text/csv", Files.readAllBytes(DIR.resolve("customers.csv")));
    }

    private Map<String, Double> onDay(AccountId account) {
        Map<String, NavigableMap<LocalDate, Double>> all = attributes.of(account);
        Map<String, Double> values = new java.util.HashMap<>();
        all.forEach((name, days) -> {
            assertThat(days).as(name).containsOnlyKeys(DAY);
            values.put(name, days.get(DAY));
        });
        return values;
    }

    private String awaitDone(String location) {
        String[] body = new String[1];
        Awaitility.await().pollInSameThread().atMost(Duration.ofMinutes(2)).until(() -> {
            body[0] = mvc.perform(get(location)).andReturn().getResponse().getContentAsString();
            Object state = JsonPath.read(body[0], "$.status");
            assertThat(state).as(body[0]).isNotEqualTo("failed");
            return "done".equals(state);
        });
        return body[0];
    }
}
