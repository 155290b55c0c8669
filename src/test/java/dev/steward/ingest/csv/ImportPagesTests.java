package dev.steward.ingest.csv;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "ADMIN")
class ImportPagesTests {

    private static final Pattern MAPPING_URL = Pattern.compile("hx-post=\"/imports/([0-9a-f-]+)/mapping\"");

    @Autowired
    MockMvc mvc;

    @Test
    void thePageOffersEveryKindOfRecord() throws Exception {
        mvc.perform(get("/imports"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Support tickets")))
                .andExpect(content().string(containsString("Daily usage")))
                .andExpect(content().string(containsString("Churn events")));
    }

    @Test
    void choosingNotToImportAColumnRefreshesThePreviewWithoutItsErrors() throws Exception {
        String step = upload("id,name,employees\nP-1,Pine,many\n");
        org.assertj.core.api.Assertions.assertThat(step).contains("1 would be rejected");
        String id = id(step);
        mvc.perform(post("/imports/" + id + "/mapping")
                        .param("column.0", "externalId")
                        .param("column.1", "name")
                        .param("column.2", "")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString("would be rejected"))))
                .andExpect(content().string(containsString("mapping edited")));
    }

    @Test
    void aMissingRequiredFieldCanBeGivenOneValueForEveryRow() throws Exception {
        String id = id(upload("id,title\nP-1,Pine\n"));
        mvc.perform(post("/imports/" + id + "/mapping")
                        .param("column.0", "externalId")
                        .param("column.1", "")
                        .param("default.name", "Unnamed account")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("value=\"Unnamed account\"")))
                .andExpect(content().string(not(containsString("needs attention"))));
    }

    @Test
    void theMappingCanBeEditedAsYamlAndMistakesAreShownWhereTheyWereMade() throws Exception {
        String id = id(upload("id,name,mrr\nP-1,Pine,100\n"));
        mvc.perform(post("/imports/" + id + "/mapping-yaml")
                        .param("yaml", "fields:\n  externalId: id\n  name: [oops\n")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("mapping: is not valid YAML at line")));
        mvc.perform(post("/imports/" + id + "/mapping-yaml")
                        .param("yaml", "fields:\n  externalId: id\n  name: {template: \"{name} ({id})\"}\n")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("name = {name} ({id})")));
    }

    @Test
    void rowsCanBeSkippedByAColumnsValueAndThePreviewSaysWhichAreLeftOut() throws Exception {
        String id =
                id(upload("churn_events", "id,customer,Churned,date\n1,C-1,Yes,2024-01-01\n2,C-2,No,\n3,C-3,no,\n"));
        String step = mvc.perform(post("/imports/" + id + "/mapping")
                        .param("column.0", "externalId")
                        .param("column.1", "accountExternalId")
                        .param("column.2", "")
                        .param("column.3", "churnedOn")
                        .param("default.reasonCategory", "other")
                        .param("condition.mode", "skip")
                        .param("condition.column", "Churned")
                        .param("condition.values", "No")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        org.assertj.core.api.Assertions.assertThat(step)
                .contains("2 skipped by the mapping")
                .contains("data-skipped=\"true\"")
                .contains("skip:")
                .as("only C-1 is checked (its account is not imported): the skipped rows are never read")
                .contains("1 would be rejected")
                .contains("external id &#39;C-1&#39;")
                .doesNotContain("&#39;C-2&#39;");
    }

    @Test
    void aColumnCanBeAnAttributeOfItsOwnNamedAfterIt() throws Exception {
        String id = id(upload("account_attributes", "customerID,MonthlyCharges,Partner\nC-1,29.85,Yes\n"));
        mvc.perform(post("/imports/" + id + "/mapping")
                        .param("column.0", "accountExternalId")
                        .param("column.1", "columns.*")
                        .param("column.2", "columns.*")
                        .param("default.asOf", "2024-06-30")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("attribute name monthly_charges")))
                .andExpect(content().string(containsString("Partner: partner")))
                .andExpect(content().string(not(containsString("needs attention"))));
    }

    @Test
    void aPlanImportsOneFileAsSeveralKindsOfRecord() throws Exception {
        String plan = """
                source: page-plan
                files:
                  - file: people.csv
                    entity: accounts
                    mapping: {fields: {externalId: id, name: name}}
                  - file: people.csv
                    entity: account_attributes
                    mapping:
                      fields: {accountExternalId: id, asOf: {default: 2024-06-30}}
                      columns: {seats: seats}
                """;
        mvc.perform(multipart("/imports/plan")
                        .file(new MockMultipartFile("plan", "plan.yaml", "application/yaml", plan.getBytes()))
                        .file(new MockMultipartFile(
                                "files", "people.csv", "text/csv", "id,name,seats\nP-1,Pine,4\nP-2,Oak,\n".getBytes()))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Imported 2 of 2 rows: 2 new or changed")))
                .andExpect(content().string(containsString("Imported 2 of 2 rows (1 value): 1 new or changed")));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerSeesThePageButCannotImport() throws Exception {
        mvc.perform(get("/imports"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Your role can read but not import data")));
        mvc.perform(multipart("/imports")
                        .file(new MockMultipartFile(
                                "file", "f.csv", "text/csv", "id\n1\n".getBytes(StandardCharsets.UTF_8)))
                        .param("entity", "accounts")
                        .param("source", "page-crm")
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }

    private String upload(String csv) throws Exception {
        return upload("accounts", csv);
    }

    private String upload(String entity, String csv) throws Exception {
        return mvc.perform(multipart("/imports")
                        .file(new MockMultipartFile("file", "f.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)))
                        .param("entity", entity)
                        .param("source", "page-crm")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private static String id(String step) {
        Matcher matcher = MAPPING_URL.matcher(step);
        if (!matcher.find()) {
            throw new AssertionError("no mapping form in " + step);
        }
        return matcher.group(1);
    }
}
