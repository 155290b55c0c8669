package dev.steward.ingest.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ingest.sync.RecordRefused;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How HubSpot's records read as Steward's: deal types, buying roles, domains, and what refuses a record. */
class HubspotRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void dealTypesBecomeOpportunityTypes() {
        assertThat(HubspotRecords.type("newbusiness")).isEqualTo("new");
        assertThat(HubspotRecords.type("existingbusiness")).isEqualTo("expansion");
        assertThat(HubspotRecords.type("Renewal")).isEqualTo("renewal");
        assertThat(HubspotRecords.type("contract_renewal")).isEqualTo("renewal");
        assertThat(HubspotRecords.type("Upsell")).isEqualTo("expansion");
        assertThat(HubspotRecords.type("Cross-sell")).isEqualTo("expansion");
        assertThat(HubspotRecords.type("partner")).isEqualTo("new");
        assertThat(HubspotRecords.type(null)).isEqualTo("new");
    }

    @Test
    void theFirstBuyingRoleStewardKnowsIsTheContactsRole() {
        assertThat(HubspotRecords.role("INFLUENCER;BUDGET_HOLDER")).isEqualTo("executive_sponsor");
        assertThat(HubspotRecords.role("END_USER")).isEqualTo("end_user");
        assertThat(HubspotRecords.role("LEGAL_AND_COMPLIANCE")).isEqualTo("other");
        assertThat(HubspotRecords.role(null)).isNull();
    }

    @Test
    void aCompanysDomainComesFromItsDomainElseItsWebsite() {
        HubspotRecords.Company company = HubspotRecords.company(read("""
                        {"id": "9", "properties": {"name": "Acme", "domain": null,
                          "website": "https://www.Acme.example/about", "hs_parent_company_id": "9"}}"""), null);
        assertThat(company.domains()).containsExactly("acme.example");
        assertThat(company.parentId()).as("a company is not its own parent").isNull();
        assertThat(HubspotRecords.company(read("""
                                {"id": "10", "properties": {"domain": "beta.example"}}"""), null).name()).isEqualTo("beta.example");
    }

    @Test
    void aRecordThatCannotBeReadIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> HubspotRecords.deal(read("""
                        {"id": "1", "properties": {"dealstage": "closedwon", "amount": "-5"}}""")))
                .isInstanceOf(RecordRefused.class)
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("amount");
        assertThatThrownBy(() -> HubspotRecords.deal(read("""
                        {"id": "1", "properties": {"amount": "5"}}""")))
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("dealstage");
        assertThatThrownBy(() -> HubspotRecords.contact(read("""
                        {"id": "abc", "properties": {}}""")))
                .extracting(e -> ((RecordRefused) e).field())
                .isEqualTo("id");
    }

    private static JsonNode read(String json) {
        return JSON.readTree(json);
    }
}
