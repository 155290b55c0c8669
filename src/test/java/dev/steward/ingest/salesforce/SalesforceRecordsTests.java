package dev.steward.ingest.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.RecordRefused;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How Salesforce's records read as Steward's (opportunity types and stages, contact roles, an Account's domain and
 * parent, what refuses a record), the SOQL a feed asks, and the daily allowance a {@code Sforce-Limit-Info} reports.
 */
class SalesforceRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void opportunityTypesBecomeOpportunityTypes() {
        assertThat(SalesforceRecords.type("New Customer")).isEqualTo("new");
        assertThat(SalesforceRecords.type("Existing Customer - Renewal")).isEqualTo("renewal");
        assertThat(SalesforceRecords.type("Existing Customer - Upgrade")).isEqualTo("expansion");
        assertThat(SalesforceRecords.type("Existing Customer - Replacement")).isEqualTo("expansion");
        assertThat(SalesforceRecords.type("Cross-sell")).isEqualTo("expansion");
        assertThat(SalesforceRecords.type("Partner")).isEqualTo("new");
        assertThat(SalesforceRecords.type(null)).isEqualTo("new");
    }

    @Test
    void theFirstRoleStewardKnowsIsTheContactsRole() {
        assertThat(SalesforceRecords.role("Influencer;Economic Buyer")).isEqualTo("executive_sponsor");
        assertThat(SalesforceRecords.role("Business User")).isEqualTo("end_user");
        assertThat(SalesforceRecords.role("Champion")).isEqualTo("champion");
        assertThat(SalesforceRecords.role("Technical Buyer")).isEqualTo("other");
        assertThat(SalesforceRecords.role(null)).isNull();
    }

    @Test
    void aClosedOpportunityIsWonOrLostByIsWon() {
        JsonNode lost = read("""
                {"Id": "006000000000001AAA", "AccountId": "001000000000001AAA", "Name": "Lost", "Amount": 10,
                 "StageName": "Closed Lost", "IsClosed": true, "IsWon": false, "CloseDate": "2026-02-01",
                 "SystemModstamp": "2026-03-01T10:00:00.000+0000"}""");
        assertThat(SalesforceRecords.opportunity(lost).record().path("stage").asString())
                .isEqualTo("closed_lost");
        assertThat(SalesforceRecords.opportunity(lost).record().path("amount").decimalValue())
                .isEqualByComparingTo("10.00");
    }

    @Test
    void anAccountsDomainComesFromItsWebsiteAndItsOwnIdIsNoParent() {
        SalesforceRecords.Company company = SalesforceRecords.company(read("""
                        {"Id": "001000000000009AAA", "Name": "Acme", "Website": "https://www.Acme.example/about",
                         "ParentId": "001000000000009AAA", "Crm_Id__c": 42}"""), "Crm_Id__c");
        assertThat(company.domains()).containsExactly("acme.example");
        assertThat(company.parentId()).isNull();
        assertThat(company.externalId()).isEqualTo("42");
    }

    @Test
    void aRecordThatCannotBeReadIsRefusedNamingTheField() {
        assertThatThrownBy(() -> SalesforceRecords.company(read("""
                        {"Id": "not an id", "Name": "Acme"}"""), null))
                .isInstanceOf(RecordRefused.class)
                .hasMessage("is not a Salesforce id (15 or 18 letters and digits)");
        assertThatThrownBy(() -> SalesforceRecords.company(read("""
                        {"Id": "001000000000009AAA", "AnnualRevenue": -5}"""), null))
                .isInstanceOf(RecordRefused.class)
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("AnnualRevenue");
        assertThatThrownBy(() -> SalesforceRecords.opportunity(read("""
                        {"Id": "006000000000001AAA", "AccountId": "001000000000001AAA", "CloseDate": "soon"}""")))
                .isInstanceOf(RecordRefused.class)
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("CloseDate");
    }

    @Test
    void aFeedAsksForWhatChangedAfterItsCursorOldestFirst() {
        assertThat(SalesforceRecords.soql(
                        Feed.opportunities, Instant.parse("2026-03-02T13:00:00.500Z"), true, null, null))
                .isEqualTo("SELECT Id, AccountId, Name, Amount, CloseDate, StageName, IsClosed, IsWon, Type,"
                        + " CreatedDate, SystemModstamp, IsDeleted FROM Opportunity"
                        + " WHERE SystemModstamp > 2026-03-02T13:00:00Z ORDER BY SystemModstamp ASC");
        assertThat(SalesforceRecords.time(read("""
                        {"SystemModstamp": "2026-03-01T10:00:00.000+0000"}"""), "SystemModstamp"))
                .isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void theDailyAllowanceComesFromSforceLimitInfo() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Sforce-Limit-Info", "per-app-api-usage=17/250(appName=steward), api-usage=18/5000");
        assertThat(SalesforceApi.usage(headers)).isEqualTo(new SalesforceApi.Usage(18, 5000));
        assertThat(SalesforceApi.usage(new HttpHeaders())).isNull();
    }

    @Test
    void aJwtIsForTheLoginServerEvenFromAMyDomain() {
        assertThat(SalesforceApi.audience("https://acme.my.salesforce.com")).isEqualTo("https://login.salesforce.com");
        assertThat(SalesforceApi.audience("https://acme--uat.sandbox.my.salesforce.com"))
                .isEqualTo("https://test.salesforce.com");
        assertThat(SalesforceApi.audience("https://acme.my.site.com/customers"))
                .isEqualTo("https://acme.my.site.com/customers");
    }

    @Test
    void aBulkJobsCsvReadsAsTheRestApisRecords() throws Exception {
        List<JsonNode> records = SalesforceBulk.records(new StringReader("""
                "Id","AccountId","Name","Amount","IsClosed","IsWon","CreatedDate","SystemModstamp"
                "006000000000001AAA","001000000000001AAA","Seats, ""Gold""
                tier","1200.50","true","false","2025-06-01T10:00:00.000Z","2026-03-04T10:00:00.000Z"
                "006000000000002AAA","","","lots","","","",""
                """));
        assertThat(records).hasSize(2);
        JsonNode first = records.get(0);
        assertThat(first.get("Name").asString()).isEqualTo("Seats, \"Gold\"\ntier");
        assertThat(first.get("Amount").isNumber()).isTrue();
        assertThat(first.get("IsClosed").isBoolean()).isTrue();
        SalesforceRecords.Read opportunity = SalesforceRecords.opportunity(
                ((tools.jackson.databind.node.ObjectNode) first).put("StageName", "Closed Won"));
        assertThat(opportunity.record().get("amount").decimalValue()).isEqualByComparingTo("1200.50");
        assertThat(opportunity.record().get("stage").asString()).isEqualTo("closed_lost");
        assertThat(SalesforceRecords.modified(first)).isEqualTo(Instant.parse("2026-03-04T10:00:00Z"));
        JsonNode second = records.get(1);
        assertThat(second.get("AccountId").isNull()).as("empty is null").isTrue();
        assertThat(second.get("Amount").asString())
                .as("kept as given, to be refused")
                .isEqualTo("lots");
    }

    private static JsonNode read(String json) {
        return JSON.readTree(json);
    }
}
