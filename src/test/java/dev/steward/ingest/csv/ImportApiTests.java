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
        String id = id(upload("crm-broken", "accounts", csv.toString()));
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
                        hasItems("low", "normal", "high", "urgent")));
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
