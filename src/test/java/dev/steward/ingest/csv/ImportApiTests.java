package dev.steward.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageRecorder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@StewardTest
@WithMockUser(roles = "ADMIN")
class ImportApiTests {

    private static final String ACCOUNTS = "account_id,Company Name,employees,tier\r\n"
            + "C-1,Acme,\"1,200\",Gold\r\n"
            + "C-2,,12,Silver\r\n"
            + "C-3,Gamma,twelve,Bronze\r\n";

    @Autowired
    MockMvc mvc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    dev.steward.customer.ContractManagement contracts;

    @Autowired
    dev.steward.activity.ActivityRecorder activities;

    @Test
    void anUploadSuggestsAMappingAndPreviewsEachRowAsTheImportWouldRead() throws Exception {
        upload("crm-preview", "accounts", ACCOUNTS)
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", containsString("/api/v1/imports/")))
                .andExpect(jsonPath("$.encoding", is("UTF-8")))
                .andExpect(jsonPath("$.separator", is("comma")))
                .andExpect(jsonPath("$.lineEnding", is("CRLF")))
                .andExpect(jsonPath("$.mappingOrigin", is("suggested")))
                .andExpect(jsonPath("$.mapping.fields.externalId", is("account_id")))
                .andExpect(jsonPath("$.mapping.fields.name", is("Company Name")))
                .andExpect(jsonPath("$.mapping.fields.employees", is("employees")))
                .andExpect(jsonPath("$.mapping.fields.tier", is("tier")))
                .andExpect(jsonPath("$.preview[0].line", is(2)))
                .andExpect(jsonPath("$.preview[0].values.employees", is(1200)))
                .andExpect(jsonPath("$.preview[1].errors[0].line", is(3)))
                .andExpect(jsonPath("$.preview[1].errors[0].column", is("Company Name")))
                .andExpect(jsonPath("$.preview[1].errors[0].reason", is("is empty; name is required")))
                .andExpect(jsonPath("$.preview[2].errors[0].column", is("employees")))
                .andExpect(jsonPath("$.preview[2].errors[0].value", is("twelve")))
                .andExpect(jsonPath("$.previewRejected", is(2)));
    }

    @Test
    void thePreviewFlagsUnknownOwnersAndRepeatedIdsAnywhereInTheFileBeforeTheImport() throws Exception {
        StringBuilder csv = new StringBuilder("Account ID,Account Name,Owner Email\n");
        csv.append("P-1,Acme,admin@steward.local\n"); // line 2: the administrator is a user
        csv.append("P-2,Beta,nobody@example.com\n"); // line 3: no such user
        csv.append("P-1,Acme again,\n"); // line 4: P-1 is on line 2
        for (int i = 3; i <= 30; i++) {
            csv.append("P-").append(i).append(",Company ").append(i).append(",\n");
        }
        csv.append("P-7,Late repeat,ADMIN@steward.local\n"); // line 33: beyond the 20 rows shown
        csv.append("P-99,Late owner,ghost@example.com\n"); // line 34
        String id = id(upload("crm-checks", "accounts", csv.toString())
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.mapping.fields.ownerEmail", is("Owner Email")))
                .andExpect(jsonPath("$.preview[0].errors").doesNotExist())
                .andExpect(jsonPath("$.preview[1].errors[0].line", is(3)))
                .andExpect(jsonPath("$.preview[1].errors[0].column", is("Owner Email")))
                .andExpect(jsonPath(
                        "$.preview[1].errors[0].reason", containsString("no user with email nobody@example.com")))
                .andExpect(jsonPath("$.preview[2].errors[0].line", is(4)))
                .andExpect(jsonPath("$.preview[2].errors[0].column", is("Account ID")))
                .andExpect(jsonPath("$.preview[2].errors[0].reason", containsString("'P-1' is already on line 2")))
                .andExpect(jsonPath("$.previewRejected", is(2)))
                .andExpect(jsonPath("$.later.rejectedCount", is(2)))
                .andExpect(jsonPath("$.later.wholeFile", is(true)))
                .andExpect(jsonPath("$.later.checked", is(33)))
                .andExpect(jsonPath("$.later.rejected[0].errors[0].line", is(33)))
                .andExpect(jsonPath("$.later.rejected[0].errors[0].reason", containsString("already on line 9")))
                .andExpect(jsonPath("$.later.rejected[1].errors[0].line", is(34)))
                .andExpect(jsonPath("$.later.rejected[1].errors[0].column", is("Owner Email"))));
        // What the preview flagged is exactly what the import rejects.
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(jsonPath("$.rejected", is(4)))
                .andExpect(jsonPath("$.errors[*].where", hasItems("line 3", "line 4", "line 33", "line 34")));
    }

    @Test
    void anArrColumnOnAccountsGivesEachAccountItsArrThroughAContract() throws Exception {
        String first =
                id(upload("crm-arr", "accounts", "Account ID,Account Name,ARR\nR-1,Acme,\"120,000\"\nR-2,Beta,\n")
                        .andExpect(jsonPath("$.mapping.fields.arr", is("ARR"))));
        mvc.perform(post("/api/v1/imports/" + first + "/run").with(csrf()))
                .andExpect(jsonPath("$.accepted", is(2)))
                .andExpect(jsonPath("$.rejected", is(0)));
        AccountId acme = accounts.resolve("crm-arr", List.of("R-1")).get("R-1");
        AccountId beta = accounts.resolve("crm-arr", List.of("R-2")).get("R-2");
        assertThat(accounts.get(acme).arr()).isEqualByComparingTo("120000");
        assertThat(accounts.get(beta).arr()).as("no ARR cell, no contract").isEqualByComparingTo("0");
        assertThat(contracts.ofAccount(acme)).singleElement().satisfies(c -> {
            assertThat(c.plan()).isEqualTo(CsvImporter.ARR_PLAN);
            assertThat(c.startDate()).isEqualTo(LocalDate.parse("2026-03-18"));
            assertThat(c.endDate()).isNull();
        });

        // The same ARR again changes nothing; a new one on the same day replaces the day's value.
        String same = id(upload("crm-arr", "accounts", "Account ID,Account Name,ARR\nR-1,Acme,120000\n"));
        mvc.perform(post("/api/v1/imports/" + same + "/run").with(csrf())).andExpect(jsonPath("$.accepted", is(1)));
        String raised = id(upload("crm-arr", "accounts", "Account ID,Account Name,ARR\nR-1,Acme,150000\n"));
        mvc.perform(post("/api/v1/imports/" + raised + "/run").with(csrf())).andExpect(jsonPath("$.accepted", is(1)));
        assertThat(contracts.ofAccount(acme))
                .singleElement()
                .satisfies(c -> assertThat(c.arr()).isEqualByComparingTo("150000"));
        assertThat(accounts.get(acme).arr()).isEqualByComparingTo("150000");
    }

    @Test
    void importingWritesGoodRowsReportsBadOnesAndAddsNothingTheSecondTime() throws Exception {
        String id = id(upload("crm-run", "accounts", ACCOUNTS));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.rows", is(3)))
                .andExpect(jsonPath("$.accepted", is(1)))
                .andExpect(jsonPath("$.created", is(1)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.written", is(true)))
                .andExpect(jsonPath("$.errors[0].where", is("line 3")))
                .andExpect(jsonPath("$.errors[1].where", is("line 4")))
                .andExpect(jsonPath(
                        "$.errors[1].reason", containsString("'twelve' is not a number; write numbers like 1234.5")))
                .andExpect(jsonPath("$.summary", containsString("the good rows were imported")));
        mvc.perform(get("/api/v1/imports/" + id + "/rejected.csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(content().string(containsString("account_id,Company Name,employees,tier,error\r\n")))
                .andExpect(content()
                        .string(containsString(
                                "C-2,,12,Silver,\"line 3, column 'Company Name' (name): is empty; name is required\"")))
                .andExpect(content().string(containsString("C-3,Gamma,twelve,Bronze,\"line 4, column 'employees'")));

        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(jsonPath("$.accepted", is(1)))
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.unchanged", is(1)));
        assertThat(accounts.resolve("crm-run", List.of("C-1", "C-2", "C-3"))).containsOnlyKeys("C-1");
        assertThat(accounts.get(accounts.resolve("crm-run", List.of("C-1")).get("C-1"))
                        .employees())
                .isEqualTo(1200);
    }

    @Test
    void anAllOrNothingImportWithARejectedRowWritesNothing() throws Exception {
        String id = id(upload("crm-atomic", "accounts", ACCOUNTS));
        mvc.perform(post("/api/v1/imports/" + id + "/run?atomic=true").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.written", is(false)))
                .andExpect(jsonPath("$.summary", containsString("Nothing was written")));
        assertThat(accounts.resolve("crm-atomic", List.of("C-1"))).isEmpty();
    }

    @Test
    void theNextFileOfASourceArrivesWithTheMappingUsedLastTime() throws Exception {
        String id = id(upload("crm-saved", "accounts", "Kunde;Firma\nK-1;Alpha\n"));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"fields": {"externalId": "Kunde", "name": {"column": "Firma"},
                                            "tier": {"default": "SMB"}}}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.mappingOrigin", is("edited")))
                .andExpect(jsonPath("$.preview[0].values.tier", is("SMB")));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf())).andExpect(status().isOk());

        upload("crm-saved", "accounts", "Kunde;Firma\nK-2;Beta\n")
                .andExpect(jsonPath("$.mappingOrigin", is("saved")))
                .andExpect(jsonPath("$.mapping.fields.name", is("Firma")))
                .andExpect(jsonPath("$.mapping.fields.tier.default", is("SMB")))
                .andExpect(jsonPath("$.previewRejected", is(0)));
    }

    @Test
    void aMappingThatDoesNotFitTheFileIsRefusedNamingEachField() throws Exception {
        String id = id(upload("crm-bad-mapping", "accounts", ACCOUNTS));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"fields": {"externalId": "account_id", "name": "Name", "nickname": "tier",
                                            "tier": {"column": "tier", "multiply": 12}}}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath(
                        "$.errors[*].field", hasItems("fields.name.column", "fields.nickname", "fields.tier.multiply")))
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'fields.name.column')].reason",
                        hasItems("the file has no column 'Name'; its columns are account_id, Company Name,"
                                + " employees, tier")));
    }

    @Test
    void anUnknownKindOfRecordOrSourceNameIsRefused() throws Exception {
        upload("crm", "customers", ACCOUNTS)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("entity")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("'customers' is not a kind of record")));
        upload("My CRM", "accounts", ACCOUNTS)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("source")));
    }

    @Test
    void usageRowsOfUnknownAccountsAreRejectedAndTheOthersImported() throws Exception {
        id(upload("usage-crm", "accounts", "id,name\nU-1,Usage One\n"));
        mvc.perform(post("/api/v1/imports/" + id(upload("usage-crm", "accounts", "id,name\nU-1,Usage One\n")) + "/run")
                        .with(csrf()))
                .andExpect(status().isOk());
        String id = id(upload(
                "usage-crm",
                "usage",
                "customer_id;metric;date;count\nU-1;logins;2025-01-01;3\nU-9;logins;2025-01-01;4\n"
                        + "U-1;logins;2025-01-02;\nU-1;teleports;2025-01-03;1\nU-1;logins;2025-01-01;5\n"));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.accepted", is(1)))
                .andExpect(jsonPath("$.rejected", is(4)))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("no account has external id 'U-9' in source 'usage-crm';" + " import the accounts first")))
                .andExpect(jsonPath("$.errors[1].reason", is("is empty; value is required")))
                .andExpect(jsonPath("$.errors[2].reason", containsString("unknown metric 'teleports'")))
                .andExpect(jsonPath("$.errors[3].reason", containsString("an earlier row has the same account")));
        AccountId account = accounts.resolve("usage-crm", List.of("U-1")).get("U-1");
        assertThat(usage.series(account, "logins", null, null).get(0).points())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.day()).isEqualTo(LocalDate.of(2025, 1, 1));
                    assertThat(p.value()).isEqualByComparingTo("3");
                });
    }

    @Test
    void usageEventsAreCountedPerAccountMetricAndDay() throws Exception {
        mvc.perform(post("/api/v1/imports/" + id(upload("events-crm", "accounts", "id,name\nE-1,Events One\n"))
                                + "/run")
                        .with(csrf()))
                .andExpect(status().isOk());
        String id = id(upload(
                "events-crm",
                "usage_events",
                "customer_id,event_name,timestamp\n"
                        + "E-1,logins,2025-01-01T08:00:00Z\n"
                        + "E-1,logins,2025-01-01 17:30:00\n"
                        + "E-1,logins,1735776000\n"));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted", is(3)))
                .andExpect(jsonPath("$.summary", containsString("added up to 2 account-metric-day values")));
        AccountId account = accounts.resolve("events-crm", List.of("E-1")).get("E-1");
        assertThat(usage.series(account, "logins", null, null).get(0).points())
                .extracting(p -> p.value().intValue())
                .containsExactly(2, 1);
    }

    @Test
    void aFileThatCannotBeReadToItsEndWritesNothing() throws Exception {
        upload("crm-broken", "accounts", "id,name\nB-1,Fine\nB-2,\"never closed\nB-3,Lost\n")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("file")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("starting on line 3 is never closed")));

        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 1; i <= 30; i++) {
            csv.append("B-").append(i).append(",Fine ").append(i).append('\n');
        }
        csv.append("B-31,\"never closed\nB-32,Lost\n");
        String id = id(upload("crm-broken", "accounts", csv.toString())
                .andExpect(jsonPath("$.later.fileError", containsString("starting on line 32 is never closed"))));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.written", is(false)))
                .andExpect(jsonPath("$.fileError", containsString("starting on line 32 is never closed")))
                .andExpect(jsonPath("$.summary", containsString("Nothing was written")));
        assertThat(accounts.resolve("crm-broken", List.of("B-1"))).isEmpty();
    }

    @Test
    void describesTheKindsOfRecordAndTheirFields() throws Exception {
        mvc.perform(get("/api/v1/imports/entities"))
                .andExpect(jsonPath("$[?(@.name == 'contracts')].fields[*].name", hasItems("arr", "startDate")))
                .andExpect(jsonPath(
                        "$[?(@.name == 'tickets')].fields[?(@.name == 'priority')].allowed[*]",
                        hasItems("low", "normal", "high", "urgent")))
                .andExpect(jsonPath("$[?(@.name == 'usage')].columns", hasItems("metric")))
                .andExpect(jsonPath("$[?(@.name == 'account_attributes')].columns", hasItems("attribute name")))
                .andExpect(jsonPath(
                        "$[?(@.name == 'account_attributes')].fields[?(@.name == 'value')].kind",
                        hasItems("number, or yes/no as 1/0")))
                .andExpect(jsonPath(
                        "$[?(@.name == 'churn_labels')].fields[*].name",
                        hasItems("snapshot", "asOf", "horizonDays", "churned")));
    }

    @Test
    void rowsWithTextThatCannotBeStoredAreRejectedNamingLineAndColumnAndTheRestIsImported() throws Exception {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        // A byte order mark: the file says it is UTF-8, so bytes that are not are errors, not another encoding.
        file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        file.writeBytes(("account_id,name,employees\r\n"
                        + "C-1,\"=HYPERLINK(\"\"http://evil.test\"\",\"\"Acme\"\")\",10\r\n"
                        + "C-2,Nul\u0000Corp,10\r\n"
                        + "C-3,Bad")
                .getBytes(StandardCharsets.UTF_8));
        // An encoded lone surrogate (U+D800), which is not valid UTF-8.
        file.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        file.writeBytes(("Bytes,10\r\n" + "C-4,Good,10\r\n" + "C-5,Half,2.5\r\n" + "C-6,@SUM(A1:A9),twelve\r\n")
                .getBytes(StandardCharsets.UTF_8));
        String id = id(upload("crm-hostile", "accounts", file.toByteArray()));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.accepted", is(2)))
                .andExpect(jsonPath("$.rejected", is(4)))
                .andExpect(jsonPath("$.errors[0].line", is(3)))
                .andExpect(jsonPath("$.errors[0].column", is("name")))
                .andExpect(jsonPath("$.errors[0].value", is("Nul\\u0000Corp")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("NUL character (byte 0x00) at position 4")))
                .andExpect(jsonPath("$.errors[1].line", is(4)))
                .andExpect(jsonPath("$.errors[1].column", is("name")))
                .andExpect(jsonPath("$.errors[1].value", is("Bad\uFFFDBytes")))
                .andExpect(jsonPath("$.errors[1].reason", containsString("cannot decode")))
                .andExpect(jsonPath("$.errors[2].line", is(6)))
                .andExpect(jsonPath("$.errors[2].column", is("employees")))
                .andExpect(jsonPath("$.errors[2].reason", is("'2.5' is not a whole number")))
                .andExpect(jsonPath("$.errors[3].line", is(7)));
        assertThat(accounts.resolve("crm-hostile", List.of("C-1", "C-2", "C-3", "C-4", "C-5", "C-6")))
                .containsOnlyKeys("C-1", "C-4");
        // The rejected rows' file opens in a spreadsheet without running what the cells say.
        mvc.perform(get("/api/v1/imports/" + id + "/rejected.csv"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("C-6,'@SUM(A1:A9),twelve,")))
                .andExpect(content().string(containsString("C-3,Bad\uFFFDBytes,10,")));
    }

    /**
     * A churn file as exports give it: every customer with a Churned Yes/No column and no id of its own. The mapping
     * keeps the Yes rows (3 of 7: lines 2, 4 and 8; line 5's "yes " counts too) and makes each event's id from a hash
     * of the customer and the day, so the same file imported again adds nothing. The 4 others are skipped, not
     * rejected.
     */
    @Test
    void aChurnFileImportsOnlyTheRowsItsConditionKeepsWithIdsHashedFromColumns() throws Exception {
        mvc.perform(post("/api/v1/imports/"
                                + id(upload(
                                        "churn-yes",
                                        "accounts",
                                        "id,name\nK-1,One\nK-2,Two\nK-3,Three\n" + "K-4,Four\nK-5,Five\n"))
                                + "/run")
                        .with(csrf()))
                .andExpect(status().isOk());
        String file = "customer,Churned,date\n"
                + "K-1,Yes,2024-03-01\n"
                + "K-2,No,\n"
                + "K-3,Yes,2024-04-15\n"
                + "K-4,yes ,2024-05-20\n"
                + "K-5,No,\n"
                + "K-9,No,\n"
                + "K-5,,\n";
        String id = id(upload("churn-yes", "churn_events", file));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"keep": {"column": "Churned", "in": ["Yes"]},
                                 "fields": {"externalId": {"hash": ["customer", "date"]}, "accountExternalId": "customer",
                                            "churnedOn": "date", "reasonCategory": {"default": "other"}}}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.previewSkipped", is(4)))
                .andExpect(jsonPath("$.previewRejected", is(0)))
                .andExpect(jsonPath("$.preview[1].skipped", is(true)))
                .andExpect(jsonPath(
                        "$.preview[0].values.externalId", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{24}")));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.rows", is(7)))
                .andExpect(jsonPath("$.accepted", is(3)))
                .andExpect(jsonPath("$.skipped", is(4)))
                .andExpect(jsonPath("$.rejected", is(0)))
                .andExpect(jsonPath("$.created", is(3)))
                .andExpect(jsonPath(
                        "$.summary",
                        is("Imported 3 of 7 rows: 3 new or changed, 0 already up to date. 4 rows were skipped (by the"
                                + " mapping's condition).")));
        String again = id(upload("churn-yes", "churn_events", file));
        mvc.perform(post("/api/v1/imports/" + again + "/run").with(csrf()))
                .andExpect(jsonPath("$.created", is(0)))
                .andExpect(jsonPath("$.unchanged", is(3)))
                .andExpect(jsonPath("$.skipped", is(4)));
        assertThat(activities
                        .churnEvents(
                                accounts.resolve("churn-yes", List.of("K-4")).get("K-4"), 10, null)
                        .items())
                .singleElement()
                .satisfies(e -> assertThat(e.churnedOn()).isEqualTo(LocalDate.of(2024, 5, 20)));
        assertThat(activities
                        .churnEvents(
                                accounts.resolve("churn-yes", List.of("K-2")).get("K-2"), 10, null)
                        .items())
                .isEmpty();
    }

    @Test
    void aConditionOnAColumnTheFileLacksIsRefusedNamingTheField() throws Exception {
        String id = id(upload("churn-bad", "churn_events", "customer,Churned,date\nK-1,Yes,2024-03-01\n"));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"skip": {"column": "Churn", "equals": "No"},
                                 "fields": {"externalId": {"rowNumber": true, "column": "customer"},
                                            "accountExternalId": "customer", "churnedOn": "date",
                                            "reasonCategory": {"default": "other"}}}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[*].field", hasItems("skip.column", "fields.externalId")))
                .andExpect(jsonPath(
                        "$.errors[?(@.field == 'skip.column')].reason",
                        hasItems("the file has no column 'Churn'; its columns are customer, Churned, date")));
    }

    /**
     * A wide usage file: one row per account and day, a column per metric. Line 2 gives 3 values, line 3 two (an
     * empty cell is no value, not zero), line 4 is rejected for its negative seats and line 5 for 'many' logins, each
     * naming the column; 5 values go through the COPY import, and again unchanged the second time.
     */
    @Test
    void aWideUsageFileWritesOneValuePerMappedCellAndRejectsBadCellsByColumn() throws Exception {
        mvc.perform(post("/api/v1/imports/"
                                + id(upload("wide-crm", "accounts", "id,name\nW-1,Wide One\nW-2,Wide Two\n")) + "/run")
                        .with(csrf()))
                .andExpect(status().isOk());
        String file = "account,date,Logins,Reports run,Seats\n"
                + "W-1,2025-01-01,12,3,0\n"
                + "W-1,2025-01-02,,4,5\n"
                + "W-2,2025-01-01,1,1,-2\n"
                + "W-2,2025-01-02,many,1,1\n";
        String mapping = """
                {"createMetrics": true,
                 "fields": {"accountExternalId": "account", "day": "date"},
                 "columns": {"Logins": "wide_logins", "Reports run": "wide_reports", "Seats": {"key": "wide_seats"}}}""";
        String id = id(upload("wide-crm", "usage", file));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(mapping))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.preview[0].values.columns.wide_logins", is(12)))
                .andExpect(jsonPath("$.preview[3].errors[0].column", is("Logins")));
        mvc.perform(post("/api/v1/imports/" + id + "/run").with(csrf()))
                .andExpect(status().isMultiStatus())
                .andExpect(jsonPath("$.rows", is(4)))
                .andExpect(jsonPath("$.accepted", is(2)))
                .andExpect(jsonPath("$.rejected", is(2)))
                .andExpect(jsonPath("$.values", is(5)))
                .andExpect(jsonPath("$.changed", is(5)))
                .andExpect(jsonPath("$.metricsAdded", hasItems("wide_logins", "wide_reports", "wide_seats")))
                .andExpect(jsonPath("$.errors[0].line", is(4)))
                .andExpect(jsonPath("$.errors[0].column", is("Seats")))
                .andExpect(jsonPath("$.errors[0].value", is("-2")))
                .andExpect(jsonPath("$.errors[0].reason", is("is -2; usage values are ≥ 0")))
                .andExpect(jsonPath("$.errors[1].line", is(5)))
                .andExpect(jsonPath("$.errors[1].column", is("Logins")))
                .andExpect(jsonPath("$.errors[1].field", is("wide_logins")))
                .andExpect(jsonPath("$.errors[1].value", is("many")))
                .andExpect(jsonPath("$.summary", containsString("Imported 2 of 4 usage rows (5 values)")));
        AccountId account = accounts.resolve("wide-crm", List.of("W-1")).get("W-1");
        assertThat(usage.series(account, "wide_logins", null, null).get(0).points())
                .as("the empty cell of 2025-01-02 is no value")
                .singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualByComparingTo("12"));
        assertThat(usage.series(account, "wide_seats", null, null).get(0).points())
                .extracting(p -> p.value().intValue())
                .containsExactly(0, 5);
        assertThat(accounts.resolve("wide-crm", List.of("W-2")).get("W-2"))
                .satisfies(w2 -> assertThat(usage.series(w2, "wide_reports", null, null))
                        .as("a rejected row writes none of its cells")
                        .allSatisfy(s -> assertThat(s.points()).isEmpty()));

        String again = id(upload("wide-crm", "usage", file));
        mvc.perform(post("/api/v1/imports/" + again + "/run").with(csrf()))
                .andExpect(jsonPath("$.values", is(5)))
                .andExpect(jsonPath("$.changed", is(0)))
                .andExpect(jsonPath("$.unchanged", is(5)));
    }

    @Test
    void aWideUsageFileNamingMetricsTheCatalogLacksIsRefusedUnlessItAddsThem() throws Exception {
        String id = id(upload("wide-unknown", "usage", "account,date,Teleports\nW-1,2025-01-01,1\n"));
        mvc.perform(put("/api/v1/imports/" + id + "/mapping")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"fields": {"accountExternalId": "account", "day": "date"},
                                 "columns": {"Teleports": "teleports"}}"""))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("columns.Teleports")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("unknown metric 'teleports'")));
    }

    private ResultActions upload(String source, String entity, String csv) throws Exception {
        return upload(source, entity, csv.getBytes(StandardCharsets.UTF_8));
    }

    private ResultActions upload(String source, String entity, byte[] csv) throws Exception {
        return mvc.perform(multipart("/api/v1/imports")
                .file(new MockMultipartFile("file", entity + ".csv", "text/csv", csv))
                .param("entity", entity)
                .param("source", source)
                .with(csrf()));
    }

    private static String id(ResultActions upload) throws Exception {
        return JsonPath.read(upload.andReturn().getResponse().getContentAsString(), "$.id");
    }
}
