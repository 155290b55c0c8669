package dev.steward.ingest.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.jayway.jsonpath.JsonPath;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A Salesforce source through the API, against a local server answering with Salesforce's documented shapes (the OAuth
 * 2 token endpoint, REST API limits, SOQL query and queryAll with nextRecordsUrl, sObject Collections, Sforce-Limit-Info
 * on every answer). Each test is an org of its own under a path of its own ({@code /acme} logs in, {@code /acme-org}
 * is its instance): the JWT bearer flow (the assertion verified with the public key) and a first pull over two pages
 * of Accounts (linked by external id and by domain, created with their parent, one malformed rejected), Contacts
 * after a 503, Opportunities after a 429 waited out, then an incremental pull through queryAll from each cursor with
 * changes and deletions; the web-server flow (the code exchanged, the refresh token sealed, an expired session
 * refreshed) with the write-back asserted field by field and a record Salesforce refuses; a pull stopped at the
 * allowance's share and resumed from its cursor; credentials Salesforce refuses keep nothing. Bulk API 2.0: a first
 * pull of objects Salesforce counts many of through query jobs (created, polled from InProgress to JobComplete, CSV
 * results in two sets over Sforce-Locator; a Failed job, and a job whose second set kept failing read on from its
 * locator by the next pull), then incremental pulls that read the delete log (getDeleted: an Account and a Contact
 * emptied from the recycle bin, the spans it no longer covers warned); a load whose job is gone made again, timed.
 */
@StewardTest
@WithMockUser(roles = "ADMIN")
@TestPropertySource(
        properties = {
            "steward.secrets.key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            "steward.salesforce.backoff=50ms",
            "steward.salesforce.max-backoff=200ms"
        })
class SalesforcePullApiTests {

    static final String ACCOUNT_FIELDS =
            "Id, Name, Website, ParentId, Industry, AnnualRevenue, CreatedDate, SystemModstamp";
    static final String CONTACT_FIELDS =
            "Id, AccountId, FirstName, LastName, Email, Phone, MobilePhone, Title, CreatedDate, SystemModstamp";
    static final String OPPORTUNITY_FIELDS =
            "Id, AccountId, Name, Amount, CloseDate, StageName, IsClosed, IsWon, Type, CreatedDate, SystemModstamp";

    /** The Accounts of the timed bulk load: 2,000 in the suite, 10,000 with {@code -Dsteward.bench=true}. */
    static final int BENCH_ACCOUNTS = Boolean.getBoolean("steward.bench") ? 10_000 : 2_000;

    static WireMockServer salesforce;

    static StubMapping failingResults;

    static KeyPair keys;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UserManagement users;

    @BeforeAll
    static void startSalesforce() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        salesforce = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        salesforce.start();

        // acme: the JWT bearer flow, a full pull, then an incremental one.
        jwtToken("acme", "00Dacme!AQ4AQ.acme");
        limits("acme-org", "00Dacme!AQ4AQ.acme", 10, 15000);
        salesforce.stubFor(query(
                        "acme-org",
                        "query",
                        "SELECT " + ACCOUNT_FIELDS + ", Crm_Id__c FROM Account" + " ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        "/services/data/v62.0/query/01gACME0000001-2000",
                        "12/15000",
                        account(1, """
                                "Name": "Beacon Labs", "Website": null, "ParentId": null, "Crm_Id__c": "CRM-7\"""", "2026-03-01T10:00:00.000+0000"),
                        account(2, """
                                "Name": "Rocket", "Website": "https://www.Rocket.example/home", "ParentId": null, "Crm_Id__c": null""", "2026-03-01T11:00:00.000+0000"),
                        account(3, """
                                "Name": "Cobalt Freight", "Website": "cobalt-freight.example", "ParentId": "%s", "Industry": "Logistics",
                                "AnnualRevenue": 12500000""".formatted(id("001", 4)), "2026-03-01T12:00:00.000+0000"))));
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/acme-org/services/data/v62.0/query/01gACME0000001-2000"))
                .withHeader("Authorization", equalTo("Bearer 00Dacme!AQ4AQ.acme"))
                .willReturn(page(
                        null,
                        "13/15000",
                        account(4, """
                                "Name": "Cobalt Holdings", "Website": "cobalt-holdings.example", "ParentId": null""", "2026-03-01T13:00:00.000+0000"),
                        account(5, """
                                "Name": "Dune Kites", "Website": null, "ParentId": null""", "last Tuesday"))));
        // Contacts: a 503 first.
        salesforce.stubFor(query(
                        "acme-org",
                        "query",
                        "SELECT " + CONTACT_FIELDS + ", Buying_Role__c FROM Contact" + " ORDER BY SystemModstamp ASC")
                .inScenario("contacts")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(503, """
                        [{"message": "Server is temporarily unavailable", "errorCode": "SERVER_UNAVAILABLE"}]"""))
                .willSetStateTo("up"));
        salesforce.stubFor(query(
                        "acme-org",
                        "query",
                        "SELECT " + CONTACT_FIELDS + ", Buying_Role__c FROM Contact" + " ORDER BY SystemModstamp ASC")
                .inScenario("contacts")
                .whenScenarioStateIs("up")
                .willReturn(page(
                        null,
                        "15/15000",
                        contact(1, """
                                "AccountId": "%s", "FirstName": "Ada", "LastName": "Buyer", "Email": "ada@beacon.example",
                                "Title": "VP Operations", "Buying_Role__c": "Champion\"""".formatted(id("001", 1)), "2026-03-02T08:00:00.000+0000"),
                        contact(2, """
                                "AccountId": null, "FirstName": "Walk", "LastName": "In", "Email": "walk@in.example\"""", "2026-03-02T08:30:00.000+0000"),
                        contact(3, """
                                "AccountId": "%s", "FirstName": "Cy", "LastName": "Freight", "Email": "cy@cobalt-freight.example",
                                "Buying_Role__c": "Decision Maker;End User\"""".formatted(id("001", 3)), "2026-03-02T09:00:00.000+0000"))));
        // Opportunities: a 429 with Retry-After first.
        salesforce.stubFor(query(
                        "acme-org",
                        "query",
                        "SELECT " + OPPORTUNITY_FIELDS + " FROM Opportunity" + " ORDER BY SystemModstamp ASC")
                .inScenario("opportunities")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("""
                                [{"message": "Too many requests", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]"""))
                .willSetStateTo("waited"));
        salesforce.stubFor(query(
                        "acme-org",
                        "query",
                        "SELECT " + OPPORTUNITY_FIELDS + " FROM Opportunity" + " ORDER BY SystemModstamp ASC")
                .inScenario("opportunities")
                .whenScenarioStateIs("waited")
                .willReturn(page(
                        null,
                        "17/15000",
                        opportunity(1, """
                                "AccountId": "%s", "Name": "Cobalt renewal 2027", "Amount": 12000.0, "CloseDate": "2026-09-30",
                                "StageName": "Negotiation/Review", "IsClosed": false, "IsWon": false,
                                "Type": "Existing Customer - Renewal\"""".formatted(id("001", 3)), "2026-03-02T10:00:00.000+0000"),
                        opportunity(2, """
                                "AccountId": "%s", "Name": "Beacon seats", "Amount": 4500.5, "CloseDate": "2026-03-01",
                                "StageName": "Closed Won", "IsClosed": true, "IsWon": true,
                                "Type": "Existing Customer - Upgrade\"""".formatted(id("001", 1)), "2026-03-02T11:00:00.000+0000"),
                        opportunity(3, """
                                "AccountId": null, "Name": "Walk-in", "Amount": 100, "StageName": "Prospecting",
                                "IsClosed": false, "IsWon": false, "Type": "New Customer\"""", "2026-03-02T12:00:00.000+0000"),
                        opportunity(4, """
                                "AccountId": "%s", "Name": "Odd", "Amount": "lots", "StageName": "Qualification",
                                "IsClosed": false, "IsWon": false, "Type": null""".formatted(id("001", 1)), "2026-03-02T13:00:00.000+0000"))));
        // The second pull: queryAll from each cursor, deletions included.
        salesforce.stubFor(query(
                        "acme-org",
                        "queryAll",
                        "SELECT " + ACCOUNT_FIELDS + ", Crm_Id__c, IsDeleted FROM"
                                + " Account WHERE SystemModstamp > 2026-03-01T13:00:00Z ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        null,
                        "20/15000",
                        account(3, """
                                "Name": "Cobalt Freight GmbH", "Website": "cobalt-freight.example", "ParentId": "%s",
                                "IsDeleted": false""".formatted(id("001", 4)), "2026-03-03T10:00:00.000+0000"),
                        account(2, """
                                "Name": "Rocket", "Website": "rocket.example", "ParentId": null, "IsDeleted": true""", "2026-03-03T11:00:00.000+0000"))));
        salesforce.stubFor(query(
                        "acme-org",
                        "queryAll",
                        "SELECT " + CONTACT_FIELDS + ", Buying_Role__c, IsDeleted"
                                + " FROM Contact WHERE SystemModstamp > 2026-03-02T09:00:00Z ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        null, "21/15000", contact(3, """
                        "AccountId": "%s", "FirstName": "Cy", "LastName": "Freight", "IsDeleted": true""".formatted(id("001", 3)), "2026-03-03T12:00:00.000+0000"))));
        salesforce.stubFor(query(
                        "acme-org",
                        "queryAll",
                        "SELECT " + OPPORTUNITY_FIELDS + ", IsDeleted FROM"
                                + " Opportunity WHERE SystemModstamp > 2026-03-02T13:00:00Z ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        null,
                        "22/15000",
                        opportunity(2, """
                        "AccountId": "%s", "Name": "Beacon seats", "StageName": "Closed Won", "IsClosed": true,
                        "IsWon": true, "IsDeleted": true""".formatted(id("001", 1)), "2026-03-03T13:00:00.000+0000"))));

        // web: the web-server flow; its first access token has expired by the time it is used.
        salesforce.stubFor(WireMock.post(urlPathEqualTo("/web/services/oauth2/token"))
                .withFormParam("grant_type", equalTo("authorization_code"))
                .withFormParam("code", equalTo("aPrxWebCode0001=="))
                .withFormParam("client_id", equalTo("3MVG9web"))
                .withFormParam("client_secret", equalTo("web-consumer-secret"))
                .withFormParam("redirect_uri", equalTo("https://steward.example.com/sources/salesforce/callback"))
                .willReturn(json(200, token("00Dweb!AQ4AQ.consent", "web-org", "5Aep861webRefresh"))));
        salesforce.stubFor(refresh()
                .inScenario("web session")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, token("00Dweb!AQ4AQ.expired", "web-org", null)))
                .willSetStateTo("expired"));
        salesforce.stubFor(refresh()
                .inScenario("web session")
                .whenScenarioStateIs("expired")
                .willReturn(json(200, token("00Dweb!AQ4AQ.fresh", "web-org", null))));
        limits("web-org", "00Dweb!AQ4AQ.consent", 40, 15000);
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/web-org/services/data/v62.0/query"))
                .withHeader("Authorization", equalTo("Bearer 00Dweb!AQ4AQ.expired"))
                .willReturn(json(401, """
                        [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]""")));
        salesforce.stubFor(
                query("web-org", "query", "SELECT " + ACCOUNT_FIELDS + " FROM Account ORDER BY" + " SystemModstamp ASC")
                        .withHeader("Authorization", equalTo("Bearer 00Dweb!AQ4AQ.fresh"))
                        .willReturn(page(
                                null,
                                "42/15000",
                                account(601, """
                                "Name": "Nimbus Air", "Website": "nimbus.example", "ParentId": null""", "2026-03-01T10:00:00.000+0000"),
                                account(602, """
                                "Name": "Orbit Labs", "Website": "orbit.example", "ParentId": null""", "2026-03-01T11:00:00.000+0000"))));
        for (String kind : List.of("query", "queryAll")) {
            salesforce.stubFor(WireMock.get(urlPathEqualTo("/web-org/services/data/v62.0/" + kind))
                    .atPriority(9)
                    .withHeader("Authorization", equalTo("Bearer 00Dweb!AQ4AQ.fresh"))
                    .willReturn(page(null, "43/15000")));
        }
        salesforce.stubFor(WireMock.patch(urlPathEqualTo("/web-org/services/data/v62.0/composite/sobjects"))
                .withHeader("Authorization", equalTo("Bearer 00Dweb!AQ4AQ.fresh"))
                .willReturn(json(200, """
                        [{"id": "%s", "success": true, "errors": []},
                         {"success": false, "errors": [{"statusCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                            "message": "Health color must be a color the picklist knows",
                            "fields": ["Steward_Health_Color__c"]}]}]""".formatted(id("001", 601)))
                        .withHeader("Sforce-Limit-Info", "api-usage=50/15000")));

        // thrifty: an org that has used most of what Steward may use of its allowance.
        jwtToken("thrifty", "00Dthrifty!AQ4AQ");
        limits("thrifty-org", "00Dthrifty!AQ4AQ", 400, 1000);
        salesforce.stubFor(query(
                        "thrifty-org",
                        "query",
                        "SELECT " + ACCOUNT_FIELDS + " FROM Account ORDER BY" + " SystemModstamp ASC")
                .willReturn(page(
                        "/services/data/v62.0/query/01gTHRIFTY01-2000",
                        "499/1000",
                        account(701, """
                                "Name": "Thrift One", "Website": null, "ParentId": null""", "2026-03-05T10:00:00.000+0000"))));
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/thrifty-org/services/data/v62.0/query/01gTHRIFTY01-2000"))
                .willReturn(page(
                        "/services/data/v62.0/query/01gTHRIFTY01-4000",
                        "500/1000",
                        account(702, """
                                "Name": "Thrift Two", "Website": null, "ParentId": null""", "2026-03-05T11:00:00.000+0000"))));
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/thrifty-org/services/data/v62.0/query/01gTHRIFTY01-4000"))
                .willReturn(page(null, "501/1000", account(703, """
                        "Name": "Thrift Three", "Website": null, "ParentId": null""", "2026-03-05T12:00:00.000+0000"))));
        salesforce.stubFor(query(
                        "thrifty-org",
                        "queryAll",
                        "SELECT " + ACCOUNT_FIELDS + ", IsDeleted FROM Account"
                                + " WHERE SystemModstamp > 2026-03-05T10:59:59Z ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        null,
                        "3/1000",
                        account(702, """
                                "Name": "Thrift Two", "Website": null, "ParentId": null, "IsDeleted": false""", "2026-03-05T11:00:00.000+0000"),
                        account(703, """
                                "Name": "Thrift Three", "Website": null, "ParentId": null, "IsDeleted": false""", "2026-03-05T12:00:00.000+0000"))));
        for (String kind : List.of("query", "queryAll")) {
            salesforce.stubFor(WireMock.get(urlPathEqualTo("/thrifty-org/services/data/v62.0/" + kind))
                    .atPriority(9)
                    .willReturn(page(null, "4/1000")));
        }

        // bulk: many Accounts and Opportunities (Bulk API 2.0 query jobs), few Contacts (the REST query).
        jwtToken("bulk", "00Dbulk!AQ4AQ");
        limits("bulk-org", "00Dbulk!AQ4AQ", 100, 15000);
        recordCount("bulk-org", "Account", 25_000);
        recordCount("bulk-org", "Contact", 2);
        recordCount("bulk-org", "Opportunity", 60_000);
        salesforce.stubFor(WireMock.post(urlPathEqualTo("/bulk-org/services/data/v62.0/jobs/query"))
                .withHeader("Authorization", equalTo("Bearer 00Dbulk!AQ4AQ"))
                .withRequestBody(equalToJson("""
                        {"operation": "query", "query": "SELECT %s FROM Account", "contentType": "CSV",
                         "columnDelimiter": "COMMA", "lineEnding": "LF"}""".formatted(ACCOUNT_FIELDS)))
                .willReturn(json(200, job("750BULKACCT00001AAA", "Account", "UploadComplete", null))
                        .withHeader("Sforce-Limit-Info", "api-usage=102/15000")));
        salesforce.stubFor(jobInfo("bulk-org", "750BULKACCT00001AAA")
                .inScenario("account job")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, job("750BULKACCT00001AAA", "Account", "InProgress", null)))
                .willSetStateTo("complete"));
        salesforce.stubFor(jobInfo("bulk-org", "750BULKACCT00001AAA")
                .inScenario("account job")
                .whenScenarioStateIs("complete")
                .willReturn(json(200, job("750BULKACCT00001AAA", "Account", "JobComplete", null))));
        salesforce.stubFor(results("bulk-org", "750BULKACCT00001AAA", null)
                .willReturn(csv("MTAwMDA", "104/15000", """
                        "Id","Name","Website","ParentId","Industry","AnnualRevenue","CreatedDate","SystemModstamp"
                        "%s","Harbor Freight","https://www.harbor.example/","%s","Shipping","2500000","2025-06-01T10:00:00.000Z","2026-03-04T10:00:00.000Z"
                        "%s","Quill, Ink & Co","quill.example","","","","2025-06-01T10:00:00.000Z","2026-03-04T11:00:00.000Z"
                        "%s","Broken Revenue","","","","lots","2025-06-01T10:00:00.000Z","2026-03-04T09:00:00.000Z"
                        """.formatted(
                                id("001", 801), id("001", 804), id("001", 802), id("001", 803)))));
        salesforce.stubFor(results("bulk-org", "750BULKACCT00001AAA", "MTAwMDA")
                .willReturn(csv("null", "105/15000", """
                        "Id","Name","Website","ParentId","Industry","AnnualRevenue","CreatedDate","SystemModstamp"
                        "%s","Harbor Holdings","harbor-holdings.example","","","","2025-06-01T10:00:00.000Z","2026-03-04T12:00:00.000Z"
                        "%s","The ""Lighthouse""
                        Group","","","","","2025-06-01T10:00:00.000Z","2026-03-04T08:00:00.000Z"
                        """.formatted(id("001", 804), id("001", 805)))));
        salesforce.stubFor(query(
                        "bulk-org",
                        "query",
                        "SELECT " + CONTACT_FIELDS + " FROM Contact" + " ORDER BY SystemModstamp ASC")
                .willReturn(page(
                        null,
                        "106/15000",
                        contact(801, """
                                "AccountId": "%s", "FirstName": "Hal", "LastName": "Harbor", "Email": "hal@harbor.example\"""".formatted(id("001", 801)), "2026-03-02T08:00:00.000+0000"),
                        contact(802, """
                                "AccountId": "%s", "FirstName": "Quinn", "LastName": "Ink", "Email": "quinn@quill.example\"""".formatted(id("001", 802)), "2026-03-02T09:00:00.000+0000"))));
        // Opportunities: the first job fails; the second completes, its second set of results after a lasting 500.
        for (String[] job : new String[][] {
            {Scenario.STARTED, "750BULKOPPF0001AAA", "second"}, {"second", "750BULKOPP20001AAA", "second"}
        }) {
            salesforce.stubFor(WireMock.post(urlPathEqualTo("/bulk-org/services/data/v62.0/jobs/query"))
                    .withRequestBody(equalToJson("""
                            {"operation": "query", "query": "SELECT %s FROM Opportunity", "contentType": "CSV",
                             "columnDelimiter": "COMMA", "lineEnding": "LF"}""".formatted(OPPORTUNITY_FIELDS)))
                    .inScenario("opportunity jobs")
                    .whenScenarioStateIs(job[0])
                    .willReturn(json(200, job(job[1], "Opportunity", "UploadComplete", null)))
                    .willSetStateTo(job[2]));
        }
        salesforce.stubFor(
                jobInfo("bulk-org", "750BULKOPPF0001AAA")
                        .willReturn(
                                json(
                                        200,
                                        job(
                                                "750BULKOPPF0001AAA",
                                                "Opportunity",
                                                "Failed",
                                                "InvalidBatch : Failed to process query: INVALID_FIELD: No such column 'Type' on entity 'Opportunity'"))));
        salesforce.stubFor(jobInfo("bulk-org", "750BULKOPP20001AAA")
                .willReturn(json(200, job("750BULKOPP20001AAA", "Opportunity", "JobComplete", null))));
        salesforce.stubFor(results("bulk-org", "750BULKOPP20001AAA", null)
                .willReturn(csv("MjAwMDA", "110/15000", """
                "Id","AccountId","Name","Amount","CloseDate","StageName","IsClosed","IsWon","Type","CreatedDate","SystemModstamp"
                "%s","%s","Harbor renewal","30000.00","2026-10-31","Proposal","false","false","Existing Customer - Renewal","2025-06-01T10:00:00.000Z","2026-03-06T10:00:00.000Z"
                """.formatted(id("006", 801), id("001", 801)))));
        salesforce.stubFor(results("bulk-org", "750BULKOPP20001AAA", "MjAwMDA")
                .willReturn(csv("null", "112/15000", """
                        "Id","AccountId","Name","Amount","CloseDate","StageName","IsClosed","IsWon","Type","CreatedDate","SystemModstamp"
                        "%s","%s","Holdings seats","1200","2026-01-15","Closed Won","true","true","Existing Customer - Upgrade","2025-06-01T10:00:00.000Z","2026-03-05T10:00:00.000Z"
                        """.formatted(id("006", 804), id("001", 804)))));
        failingResults = salesforce.stubFor(results("bulk-org", "750BULKOPP20001AAA", "MjAwMDA")
                .atPriority(1)
                .willReturn(json(500, """
                        [{"message": "An unexpected error occurred", "errorCode": "UNKNOWN_EXCEPTION"}]""")));
        for (String kind : List.of("query", "queryAll")) {
            salesforce.stubFor(WireMock.get(urlPathEqualTo("/bulk-org/services/data/v62.0/" + kind))
                    .atPriority(9)
                    .willReturn(page(null, "120/15000")));
        }
        // The delete log: an Account emptied from the recycle bin; a Contact, from a log that starts late.
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/bulk-org/services/data/v62.0/sobjects/Account/deleted/"))
                .withQueryParam("start", equalTo("2026-03-04T12:00:00+00:00"))
                .withQueryParam("end", equalTo("2026-03-18T10:15:00+00:00"))
                .willReturn(json(200, """
                        {"deletedRecords": [{"id": "%s", "deletedDate": "2026-03-10T08:00:00.000+0000"}],
                         "earliestDateAvailable": "2026-02-20T00:00:00.000+0000",
                         "latestDateCovered": "2026-03-18T10:14:00.000+0000"}""".formatted(id("001", 802)))
                        .withHeader("Sforce-Limit-Info", "api-usage=121/15000")));
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/bulk-org/services/data/v62.0/sobjects/Contact/deleted/"))
                .withQueryParam("start", equalTo("2026-03-03T10:16:00+00:00"))
                .willReturn(json(200, """
                        {"deletedRecords": [{"id": "%s", "deletedDate": "2026-03-09T08:00:00.000+0000"}],
                         "earliestDateAvailable": "2026-03-05T00:00:00.000+0000",
                         "latestDateCovered": "2026-03-18T10:15:00.000+0000"}""".formatted(id("003", 802)))));

        // bench: a job gone, then many Accounts through a new bulk job, in two sets of results.
        jwtToken("bench", "00Dbench!AQ4AQ");
        limits("bench-org", "00Dbench!AQ4AQ", 1, 15000);
        recordCount("bench-org", "Account", 12_000);
        salesforce.stubFor(WireMock.post(urlPathEqualTo("/bench-org/services/data/v62.0/jobs/query"))
                .willReturn(json(200, job("750BENCH000001AAA", "Account", "UploadComplete", null))));
        salesforce.stubFor(jobInfo("bench-org", "750GONE0000001AAA").willReturn(json(404, """
                [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]""")));
        salesforce.stubFor(jobInfo("bench-org", "750BENCH000001AAA")
                .willReturn(json(200, job("750BENCH000001AAA", "Account", "JobComplete", null))));
        salesforce.stubFor(results("bench-org", "750BENCH000001AAA", null)
                .willReturn(csv("NTAwMA", "3/15000", benchAccounts(0, BENCH_ACCOUNTS / 2))));
        salesforce.stubFor(results("bench-org", "750BENCH000001AAA", "NTAwMA")
                .willReturn(csv("null", "4/15000", benchAccounts(BENCH_ACCOUNTS / 2, BENCH_ACCOUNTS))));
        for (String kind : List.of("query", "queryAll")) {
            salesforce.stubFor(WireMock.get(urlPathEqualTo("/bench-org/services/data/v62.0/" + kind))
                    .atPriority(9)
                    .willReturn(page(null, "5/15000")));
        }

        // Every org: few records of each object (the REST query reads them), and no deletion in its delete log.
        salesforce.stubFor(WireMock.get(urlPathMatching("/[a-z-]+/services/data/v62.0/limits/recordCount"))
                .atPriority(9)
                .willReturn(json(200, """
                        {"sObjects": [{"count": 3, "name": "Account"}, {"count": 3, "name": "Contact"},
                                      {"count": 4, "name": "Opportunity"}]}""")));
        salesforce.stubFor(WireMock.get(urlPathMatching("/[a-z-]+/services/data/v62.0/sobjects/[A-Za-z]+/deleted/"))
                .atPriority(9)
                .willReturn(json(200, """
                        {"deletedRecords": [], "earliestDateAvailable": "2026-02-20T00:00:00.000+0000",
                         "latestDateCovered": "2026-03-18T10:15:00.000+0000"}""")));

        // refused: Salesforce does not take the JWT.
        salesforce.stubFor(
                WireMock.post(urlPathEqualTo("/refused/services/oauth2/token")).willReturn(json(400, """
                        {"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}""")));
    }

    @AfterAll
    static void stopSalesforce() {
        salesforce.stop();
    }

    @Test
    void theFirstPullReadsEverythingAndTheNextWhatChangedOrWasDeleted() throws Exception {
        String existing = send(post("/api/v1/accounts/bulk?source=crm"), """
                        {"records": [{"externalId": "CRM-7", "name": "Beacon Laboratories Inc."},
                                     {"externalId": "RK-9", "name": "Rocket Ltd",
                                      "customFields": {"domain": "rocket.example"}}]}""")
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String beacon = JsonPath.read(existing, "$.results[0].id");
        String rocket = JsonPath.read(existing, "$.results[1].id");

        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-acme", "flow": "jwt_bearer", "loginUrl": "%s", "clientId": "3MVG9acme",
                         "username": "ops@acme.example", "privateKey": "%s", "accountsSource": "crm",
                         "externalIdField": "Crm_Id__c", "roleField": "Buying_Role__c", "everyMinutes": 15}""".formatted(url("acme"), pem().replace("\n", "\\n")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.flow", is("jwt_bearer")))
                .andExpect(jsonPath("$.instanceUrl", is(url("acme-org"))))
                .andExpect(jsonPath("$.organizationId", is("00D5g000004XyzAEAC")))
                .andExpect(jsonPath("$.allowancePercent", is(50)))
                .andExpect(jsonPath("$.privateKey").doesNotExist());
        assertThat(secret("salesforce-acme")).startsWith("gcm1:").doesNotContain("PRIVATE KEY");

        // The JWT: issued by the consumer key for the user, to the login server, signed with the private key.
        LoggedRequest tokenRequest = salesforce
                .findAll(postRequestedFor(urlPathEqualTo("/acme/services/oauth2/token")))
                .get(0);
        Map<String, String> form = form(tokenRequest.getBodyAsString());
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        SignedJWT jwt = SignedJWT.parse(form.get("assertion"));
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic())))
                .as("signed with the private key")
                .isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("3MVG9acme");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("ops@acme.example");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(url("acme"));
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .as("three minutes after the (test) clock's now")
                .isEqualTo(Instant.parse("2026-03-18T10:18:30Z"));

        waitForRuns("salesforce-acme", 3);
        Map<String, Object> accountsRun = run("salesforce-acme", "accounts");
        assertThat(accountsRun).containsEntry("state", "partial");
        assertThat(counts(accountsRun))
                .containsEntry("rowsRead", 5)
                .as("Beacon by Crm_Id__c, Rocket by domain")
                .containsEntry("updated", 2)
                .containsEntry("created", 2)
                .containsEntry("rejected", 1)
                .as("the count (too few for a bulk job), then two pages over nextRecordsUrl")
                .containsEntry("apiCalls", 3);
        assertThat(errors(accountsRun).get(0))
                .containsEntry("where", "account " + id("001", 5))
                .containsEntry("field", "SystemModstamp")
                .containsEntry("value", "last Tuesday");
        assertThat(accountsRun).containsEntry("watermarkTo", "2026-03-01T13:00:00Z");
        assertThat(allowance(accountsRun)).containsEntry("used", 13).containsEntry("allowance", 15000);
        Map<String, AccountId> byId =
                accounts.resolve("salesforce-acme", List.of(id("001", 1), id("001", 2), id("001", 3), id("001", 4)));
        assertThat(byId.get(id("001", 1)).value().toString()).isEqualTo(beacon);
        assertThat(byId.get(id("001", 2)).value().toString()).isEqualTo(rocket);
        assertThat(accounts.get(byId.get(id("001", 1))).name())
                .as("a linked account keeps its name")
                .isEqualTo("Beacon Laboratories Inc.");
        AccountId cobalt = byId.get(id("001", 3));
        assertThat(accounts.get(cobalt).name()).isEqualTo("Cobalt Freight");
        assertThat(accounts.get(cobalt).industry()).isEqualTo("Logistics");
        assertThat(accounts.get(cobalt).parentId())
                .as("Cobalt Freight's parent came a page later")
                .isEqualTo(byId.get(id("001", 4)));

        Map<String, Object> contactsRun = run("salesforce-acme", "contacts");
        assertThat(contactsRun).containsEntry("state", "succeeded");
        assertThat(counts(contactsRun))
                .containsEntry("rowsRead", 3)
                .containsEntry("created", 2)
                .containsEntry("skipped", 1)
                .as("the count, a 503, then the page")
                .containsEntry("apiCalls", 3);
        String beaconContacts = body(get("/api/v1/accounts/" + beacon + "/contacts"));
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].name"))
                .containsExactly("Ada Buyer");
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].role"))
                .containsExactly("champion");
        assertThat(JsonPath.<List<String>>read(beaconContacts, "$.items[*].title"))
                .containsExactly("VP Operations");
        String cobaltContacts = body(get("/api/v1/accounts/" + cobalt.value() + "/contacts"));
        assertThat(JsonPath.<List<String>>read(cobaltContacts, "$.items[*].role"))
                .containsExactly("executive_sponsor");

        Map<String, Object> opportunitiesRun = run("salesforce-acme", "opportunities");
        assertThat(opportunitiesRun).containsEntry("state", "partial");
        assertThat(counts(opportunitiesRun))
                .containsEntry("rowsRead", 4)
                .containsEntry("created", 2)
                .containsEntry("skipped", 1)
                .containsEntry("rejected", 1)
                .as("the count, a 429 waited out, then the page")
                .containsEntry("apiCalls", 3);
        assertThat(errors(opportunitiesRun).get(0))
                .containsEntry("where", "opportunity " + id("006", 4))
                .containsEntry("field", "Amount")
                .containsEntry("value", "lots")
                .containsEntry("reason", "is not a number");
        String cobaltDeals = body(get("/api/v1/accounts/" + cobalt.value() + "/opportunities"));
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].name")).isEqualTo("Cobalt renewal 2027");
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].type")).isEqualTo("renewal");
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].stage")).isEqualTo("Negotiation/Review");
        assertThat(JsonPath.<String>read(cobaltDeals, "$.items[0].closeDate")).isEqualTo("2026-09-30");
        assertThat(JsonPath.<Number>read(cobaltDeals, "$.items[0].amount").doubleValue())
                .isEqualTo(12000.0);
        String beaconDeals = body(get("/api/v1/accounts/" + beacon + "/opportunities"));
        assertThat(JsonPath.<String>read(beaconDeals, "$.items[0].type")).isEqualTo("expansion");
        assertThat(JsonPath.<String>read(beaconDeals, "$.items[0].stage")).isEqualTo("closed_won");
        assertThat(JsonPath.<Number>read(beaconDeals, "$.items[0].amount").doubleValue())
                .isEqualTo(4500.5);
        salesforce.verify(getRequestedFor(urlPathEqualTo("/acme-org/services/data/v62.0/query"))
                .withHeader("Authorization", equalTo("Bearer 00Dacme!AQ4AQ.acme")));

        // The second pull: queryAll from each cursor; what Salesforce deleted is removed or let go.
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-acme/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-acme", 6);
        Map<String, Object> again = run("salesforce-acme", "accounts");
        assertThat(again).containsEntry("state", "succeeded").containsEntry("watermarkTo", "2026-03-03T11:00:00Z");
        assertThat(counts(again))
                .containsEntry("rowsRead", 2)
                .containsEntry("updated", 1)
                .as("Rocket, deleted in Salesforce, is let go")
                .containsEntry("deleted", 1);
        assertThat(accounts.get(cobalt).name()).isEqualTo("Cobalt Freight GmbH");
        assertThat(accounts.find(byId.get(id("001", 2))))
                .as("the account itself stays")
                .isPresent();
        assertThat(counts(run("salesforce-acme", "contacts"))).containsEntry("deleted", 1);
        assertThat(JsonPath.<List<String>>read(
                        body(get("/api/v1/accounts/" + cobalt.value() + "/contacts")), "$.items"))
                .isEmpty();
        assertThat(counts(run("salesforce-acme", "opportunities"))).containsEntry("deleted", 1);
        assertThat(JsonPath.<List<String>>read(
                        body(get("/api/v1/accounts/" + beacon + "/opportunities")), "$.items[*].name"))
                .doesNotContain("Beacon seats");
        mvc.perform(get("/api/v1/salesforce/sources/salesforce-acme"))
                .andExpect(jsonPath("$.allowance.used", is(22)))
                .andExpect(jsonPath("$.allowance.allowance", is(15000)));
    }

    @Test
    void theWebServerFlowKeepsTheRefreshTokenAndTheHealthIsWrittenBackFieldByField() throws Exception {
        String authorization = send(post("/api/v1/salesforce/authorizations"), """
                        {"name": "salesforce-web", "flow": "web_server", "loginUrl": "%s", "clientId": "3MVG9web",
                         "clientSecret": "web-consumer-secret", "writeBack": true,
                         "stewardUrl": "https://steward.example.com/"}""".formatted(url("web")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.redirectUri", is("https://steward.example.com/sources/salesforce/callback")))
                .andExpect(
                        jsonPath(
                                "$.authorizeUrl",
                                startsWith(
                                        url("web")
                                                + "/services/oauth2/authorize?response_type=code&client_id=3MVG9web&redirect_uri=https%3A%2F%2Fsteward.example.com%2Fsources%2Fsalesforce%2Fcallback")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String state = JsonPath.read(authorization, "$.state");
        mvc.perform(get("/api/v1/salesforce/sources/salesforce-web")).andExpect(status().isNotFound());

        // Salesforce sends the administrator back with a code.
        mvc.perform(get("/sources/salesforce/callback")
                        .param("code", "aPrxWebCode0001==")
                        .param("state", state))
                .andExpect(redirectedUrl("/sources/salesforce-web"));
        assertThat(secret("salesforce-web")).startsWith("gcm1:").doesNotContain("5Aep861webRefresh");
        mvc.perform(get("/sources/salesforce/callback")
                        .param("code", "aPrxWebCode0001==")
                        .param("state", state))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.model()
                        .attribute("salesforceField", "state"));

        // The first pull: the session has expired; a new one from the refresh token, and the query again.
        waitForRuns("salesforce-web", 4);
        Map<String, Object> accountsRun = run("salesforce-web", "accounts");
        assertThat(accountsRun).containsEntry("state", "succeeded");
        assertThat(counts(accountsRun))
                .containsEntry("created", 2)
                .as("the count, the query refused for the expired session, and again")
                .containsEntry("apiCalls", 3);
        salesforce.verify(
                2,
                postRequestedFor(urlPathEqualTo("/web/services/oauth2/token"))
                        .withFormParam("grant_type", equalTo("refresh_token"))
                        .withFormParam("refresh_token", equalTo("5Aep861webRefresh"))
                        .withFormParam("client_id", equalTo("3MVG9web"))
                        .withFormParam("client_secret", equalTo("web-consumer-secret")));
        assertThat(counts(run("salesforce-web", "write_back")))
                .as("no account is scored yet")
                .containsEntry("rowsRead", 2)
                .containsEntry("skipped", 2);
        salesforce.verify(0, patchRequestedFor(urlPathEqualTo("/web-org/services/data/v62.0/composite/sobjects")));

        // Nimbus has a CSM and is scored (72 yesterday, 64.5 thirty days before); Orbit is scored, without either.
        AccountId nimbus =
                accounts.resolve("salesforce-web", List.of(id("001", 601))).get(id("001", 601));
        AccountId orbit =
                accounts.resolve("salesforce-web", List.of(id("001", 602))).get(id("001", 602));
        User csm = users.createIfAbsent("wendy.web@steward.example", "Wendy Web", Role.CSM);
        accounts.setOwners(Map.of(nimbus, csm.id()));
        score(nimbus, "2026-03-17", 72, "green");
        score(nimbus, "2026-02-15", 64.5, "yellow");
        score(orbit, "2026-03-17", 31.25, "red");
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-web/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-web", 8);
        Map<String, Object> writeBack = run("salesforce-web", "write_back");
        assertThat(writeBack).containsEntry("state", "partial");
        assertThat(counts(writeBack))
                .containsEntry("updated", 1)
                .containsEntry("rejected", 1)
                .containsEntry("apiCalls", 1);
        assertThat(errors(writeBack).get(0))
                .containsEntry("where", "account " + id("001", 602))
                .containsEntry("field", "Steward_Health_Color__c")
                .containsEntry(
                        "reason",
                        "Health color must be a color the picklist knows (FIELD_CUSTOM_VALIDATION_EXCEPTION)");
        assertThat(allowance(writeBack)).containsEntry("used", 50);
        salesforce.verify(
                1,
                patchRequestedFor(urlPathEqualTo("/web-org/services/data/v62.0/composite/sobjects"))
                        .withHeader("Authorization", equalTo("Bearer 00Dweb!AQ4AQ.fresh"))
                        .withRequestBody(equalToJson(
                                """
                                {"allOrNone": false, "records": [
                                  {"attributes": {"type": "Account"}, "id": "%s",
                                   "Steward_Health_Score__c": 72.0,
                                   "Steward_Health_Color__c": "green",
                                   "Steward_Health_Trend__c": 7.5,
                                   "Steward_CSM__c": "Wendy Web",
                                   "Steward_Link__c": "https://steward.example.com/accounts/%s"},
                                  {"attributes": {"type": "Account"}, "id": "%s",
                                   "Steward_Health_Score__c": 31.3,
                                   "Steward_Health_Color__c": "red",
                                   "Steward_Health_Trend__c": null,
                                   "Steward_CSM__c": null,
                                   "Steward_Link__c": "https://steward.example.com/accounts/%s"}]}""".formatted(id("001", 601), nimbus.value(), id("001", 602), orbit.value()))));

        // Nothing changed for Nimbus: only the refused Orbit is sent again.
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-web/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-web", 12);
        assertThat(counts(run("salesforce-web", "write_back"))).containsEntry("unchanged", 1);
        salesforce.verify(2, patchRequestedFor(urlPathEqualTo("/web-org/services/data/v62.0/composite/sobjects")));
    }

    @Test
    void aPullStopsBeforePassingItsShareOfTheDailyAllowanceAndResumesFromItsCursor() throws Exception {
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-thrifty", "loginUrl": "%s", "clientId": "3MVG9thrifty",
                         "username": "ops@thrifty.example", "privateKey": "%s"}""".formatted(url("thrifty"), pem().replace("\n", "\\n")))
                .andExpect(status().isCreated());
        waitForRuns("salesforce-thrifty", 1);
        Map<String, Object> stopped = run("salesforce-thrifty", "accounts");
        assertThat(stopped).containsEntry("state", "failed");
        assertThat((String) stopped.get("failure"))
                .isEqualTo("stopped: the org has used 500 of its 1000 daily API requests, and Steward may use up to"
                        + " 50% (500); the next pull resumes this feed from its cursor, once the org has requests to"
                        + " spare");
        assertThat(counts(stopped)).containsEntry("created", 2).containsEntry("apiCalls", 3);
        assertThat(allowance(stopped)).containsEntry("used", 500).containsEntry("allowance", 1000);
        assertThat(run("salesforce-thrifty", "contacts"))
                .as("the pull stops there")
                .isNull();
        salesforce.verify(
                0, getRequestedFor(urlPathEqualTo("/thrifty-org/services/data/v62.0/query/01gTHRIFTY01-4000")));
        mvc.perform(get("/sources/salesforce-thrifty/salesforce"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString(
                                "<strong>500</strong> of\n        <span>1,000</span>\n"
                                        + "        (<span>50.0</span>%)")));

        // A day later the org has requests to spare: the pull resumes from the last page it wrote.
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-thrifty/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-thrifty", 4);
        Map<String, Object> resumed = run("salesforce-thrifty", "accounts");
        assertThat(resumed).containsEntry("state", "succeeded").containsEntry("watermarkTo", "2026-03-05T12:00:00Z");
        assertThat(counts(resumed))
                .containsEntry("rowsRead", 2)
                .containsEntry("created", 1)
                .as("the last one read before the stop, read again")
                .containsEntry("unchanged", 1);
        assertThat(accounts.resolve("salesforce-thrifty", List.of(id("001", 701), id("001", 702), id("001", 703))))
                .hasSize(3);
    }

    @Test
    void aLargeFirstPullReadsABulkQueryJobAndLaterPullsFindWhatWasPurged() throws Exception {
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-bulk", "loginUrl": "%s", "clientId": "3MVG9bulk",
                         "username": "ops@bulk.example", "privateKey": "%s"}""".formatted(url("bulk"), pem().replace("\n", "\\n")))
                .andExpect(status().isCreated());
        waitForRuns("salesforce-bulk", 3);

        // Accounts: 25,000 counted; a job, polled until complete, its results read in two sets as CSV.
        Map<String, Object> accountsRun = run("salesforce-bulk", "accounts");
        assertThat(accountsRun).containsEntry("state", "partial").containsEntry("watermarkTo", "2026-03-04T12:00:00Z");
        assertThat(counts(accountsRun))
                .containsEntry("rowsRead", 5)
                .containsEntry("created", 4)
                .containsEntry("rejected", 1)
                .as("the count, the job made, polled twice, two sets of results")
                .containsEntry("apiCalls", 6);
        assertThat(errors(accountsRun).get(0))
                .containsEntry("where", "account " + id("001", 803))
                .containsEntry("field", "AnnualRevenue")
                .containsEntry("value", "lots")
                .containsEntry("reason", "is not a number");
        assertThat(allowance(accountsRun)).containsEntry("used", 105);
        Map<String, AccountId> byId = accounts.resolve(
                "salesforce-bulk", List.of(id("001", 801), id("001", 802), id("001", 804), id("001", 805)));
        assertThat(byId).hasSize(4);
        AccountId harbor = byId.get(id("001", 801));
        assertThat(accounts.get(harbor).name()).isEqualTo("Harbor Freight");
        assertThat(accounts.get(harbor).industry()).isEqualTo("Shipping");
        assertThat(accounts.get(harbor).parentId())
                .as("its parent came in the next set of results")
                .isEqualTo(byId.get(id("001", 804)));
        String harborPage = body(get("/api/v1/accounts/" + harbor.value()));
        assertThat(JsonPath.<String>read(harborPage, "$.customFields.domain")).isEqualTo("harbor.example");
        assertThat(JsonPath.<Number>read(harborPage, "$.customFields.annual_revenue")
                        .longValue())
                .isEqualTo(2_500_000L);
        assertThat(accounts.get(byId.get(id("001", 802))).name()).isEqualTo("Quill, Ink & Co");
        assertThat(accounts.get(byId.get(id("001", 805))).name()).isEqualTo("The \"Lighthouse\"\nGroup");
        assertThat(cursor("salesforce-bulk", "accounts.bulk"))
                .as("the load is done")
                .isNull();
        salesforce.verify(
                1,
                postRequestedFor(urlPathEqualTo("/bulk-org/services/data/v62.0/jobs/query"))
                        .withRequestBody(WireMock.containing("FROM Account")));

        // Contacts: two counted, the REST query.
        assertThat(counts(run("salesforce-bulk", "contacts")))
                .containsEntry("created", 2)
                .containsEntry("apiCalls", 2);

        // Opportunities: the job failed; the run says why, and the next pull starts another.
        Map<String, Object> failed = run("salesforce-bulk", "opportunities");
        assertThat(failed).containsEntry("state", "failed");
        assertThat((String) failed.get("failure"))
                .startsWith("Salesforce's Bulk API 2.0 query job 750BULKOPPF0001AAA failed: InvalidBatch : Failed to"
                        + " process query: INVALID_FIELD: No such column 'Type' on entity 'Opportunity' (the next pull"
                        + " starts a new one)");

        // The second pull: queryAll, then the delete log; the new opportunity job breaks after its first set.
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-bulk/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-bulk", 6);
        Map<String, Object> again = run("salesforce-bulk", "accounts");
        assertThat(again).containsEntry("state", "succeeded");
        assertThat(counts(again))
                .as("Quill, emptied from the recycle bin, is let go")
                .containsEntry("deleted", 1)
                .as("queryAll, then getDeleted")
                .containsEntry("apiCalls", 2);
        assertThat(errors(again)).isEmpty();
        assertThat(allowance(again)).containsEntry("used", 121);
        assertThat(jdbc.sql("""
                                select count(*) from ingest_pull_company c join ingest_source s on s.id = c.source_id
                                where s.name = 'salesforce-bulk' and c.company_id = ?""").param(id("001", 802)).query(Long.class).single())
                .isZero();
        assertThat(accounts.find(byId.get(id("001", 802))))
                .as("the account itself stays")
                .isPresent();
        assertThat(cursor("salesforce-bulk", "accounts.deleted")).isEqualTo("2026-03-18T10:14:00Z");
        Map<String, Object> contactsAgain = run("salesforce-bulk", "contacts");
        assertThat(contactsAgain).containsEntry("state", "succeeded");
        assertThat(counts(contactsAgain)).containsEntry("deleted", 1).containsEntry("rejected", 0);
        assertThat(errors(contactsAgain))
                .as("the spans Salesforce no longer answers for")
                .extracting(e -> e.get("where"))
                .containsExactly(
                        "Contact deletions from 2026-03-02T09:00:00Z to 2026-03-03T10:16:00Z",
                        "Contact deletions from 2026-03-03T10:16:00Z to 2026-03-05T00:00:00Z");
        assertThat((String) errors(contactsAgain).get(1).get("reason"))
                .isEqualTo("Salesforce's delete log of Contact starts at 2026-03-05T00:00:00Z (earliestDateAvailable):"
                        + " records deleted and emptied from the recycle bin then may still be in Steward");
        assertThat(JsonPath.<List<String>>read(
                        body(get("/api/v1/accounts/" + byId.get(id("001", 802)).value() + "/contacts")), "$.items"))
                .isEmpty();
        Map<String, Object> broken = run("salesforce-bulk", "opportunities");
        assertThat(broken).containsEntry("state", "failed");
        assertThat((String) broken.get("failure")).startsWith("An unexpected error occurred (UNKNOWN_EXCEPTION)");
        assertThat(counts(broken)).containsEntry("created", 1);
        assertThat(cursor("salesforce-bulk", "opportunities.bulk"))
                .as("the job and the locator of the set it could not read")
                .contains("750BULKOPP20001AAA", "MjAwMDA");
        assertThat(cursor("salesforce-bulk", "opportunities")).isNull();

        // Salesforce answers again: the third pull goes on with the same job, from that set.
        salesforce.removeStub(failingResults);
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-bulk/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-bulk", 9);
        Map<String, Object> resumed = run("salesforce-bulk", "opportunities");
        assertThat(resumed)
                .containsEntry("state", "succeeded")
                .as("the latest change of both sets")
                .containsEntry("watermarkTo", "2026-03-06T10:00:00Z");
        assertThat(counts(resumed))
                .containsEntry("rowsRead", 1)
                .containsEntry("created", 1)
                .as("the job polled, its second set")
                .containsEntry("apiCalls", 2);
        salesforce.verify(
                2,
                postRequestedFor(urlPathEqualTo("/bulk-org/services/data/v62.0/jobs/query"))
                        .withRequestBody(WireMock.containing("FROM Opportunity")));
        assertThat(cursor("salesforce-bulk", "opportunities.bulk")).isNull();
        assertThat(cursor("salesforce-bulk", "opportunities")).isEqualTo("2026-03-06T10:00:00Z");
        String harborDeals = body(get("/api/v1/accounts/" + harbor.value() + "/opportunities"));
        assertThat(JsonPath.<String>read(harborDeals, "$.items[0].type")).isEqualTo("renewal");
        assertThat(JsonPath.<Number>read(harborDeals, "$.items[0].amount").doubleValue())
                .isEqualTo(30000.0);
        String holdingsDeals =
                body(get("/api/v1/accounts/" + byId.get(id("001", 804)).value() + "/opportunities"));
        assertThat(JsonPath.<String>read(holdingsDeals, "$.items[0].stage")).isEqualTo("closed_won");
        assertThat(JsonPath.<String>read(holdingsDeals, "$.items[0].type")).isEqualTo("expansion");
    }

    /**
     * A bulk load under way whose job Salesforce no longer has (a pull cut off more than seven days ago) starts a new
     * job, without counting again; how fast it stores Accounts: {@link #BENCH_ACCOUNTS} in two sets of results (written
     * 2,000 a transaction), timed from "pull now" to the end of the pull, is printed (records per second).
     */
    @Test
    void aBulkLoadWhoseJobIsGoneStartsANewOneAndIsTimed() throws Exception {
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-bench", "loginUrl": "%s", "clientId": "3MVG9bench",
                         "username": "ops@bench.example", "privateKey": "%s", "paused": true}""".formatted(url("bench"), pem().replace("\n", "\\n")))
                .andExpect(status().isCreated());
        jdbc.sql("""
                        insert into ingest_pull_cursor (source_id, feed, cursor, updated_at)
                        select id, 'accounts.bulk', ?, timestamptz '2026-03-18T10:15:30Z' from ingest_source where name = 'salesforce-bench'""").param("""
                        {"job": "750GONE0000001AAA", "locator": "MjAwMDA", "latest": null, "pages": 1}""").update();

        long started = System.nanoTime();
        mvc.perform(post("/api/v1/salesforce/sources/salesforce-bench/pulls").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-bench", 3);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> accountsRun = run("salesforce-bench", "accounts");
        assertThat(accountsRun).containsEntry("state", "succeeded");
        assertThat(counts(accountsRun))
                .containsEntry("rowsRead", BENCH_ACCOUNTS)
                .containsEntry("created", BENCH_ACCOUNTS)
                .as("the job gone (404), a new one made, polled once, two sets of results")
                .containsEntry("apiCalls", 5);
        salesforce.verify(
                1, getRequestedFor(urlPathEqualTo("/bench-org/services/data/v62.0/jobs/query/750GONE0000001AAA")));
        salesforce.verify(
                0,
                getRequestedFor(urlPathEqualTo("/bench-org/services/data/v62.0/limits/recordCount"))
                        .withQueryParam("sObjects", equalTo("Account")));
        assertThat(cursor("salesforce-bench", "accounts.bulk")).isNull();
        assertThat(cursor("salesforce-bench", "accounts")).isEqualTo("2026-03-04T10:00:00Z");
        assertThat(jdbc.sql("""
                                select count(*) from ingest_pull_company c join ingest_source s on s.id = c.source_id
                                where s.name = 'salesforce-bench'""").query(Long.class).single()).isEqualTo(BENCH_ACCOUNTS);
        System.out.printf(
                "Salesforce bulk load: %d accounts in %.1f s, %.0f records/s%n",
                BENCH_ACCOUNTS, seconds, BENCH_ACCOUNTS / seconds);
    }

    @Test
    void theConnectFormSendsTheAdministratorToSalesforcesConsentPageOrSaysWhatIsMissing() throws Exception {
        mvc.perform(post("/sources/salesforce")
                        .with(csrf())
                        .param("name", "salesforce-form")
                        .param("flow", "web_server")
                        .param("loginUrl", url("web"))
                        .param("clientId", "3MVG9web")
                        .param("clientSecret", "web-consumer-secret"))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern(
                        url("web") + "/services/oauth2/authorize?response_type=code&client_id=3MVG9web"
                                + "&redirect_uri=http%3A%2F%2Flocalhost%2Fsources%2Fsalesforce%2Fcallback"
                                + "&scope=api%20refresh_token&state=*"));
        mvc.perform(post("/sources/salesforce")
                        .with(csrf())
                        .param("name", "salesforce-form")
                        .param("flow", "jwt_bearer")
                        .param("loginUrl", url("acme"))
                        .param("clientId", "3MVG9acme"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.model()
                        .attribute("salesforceField", "username"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString(
                                "The username: is missing: the Salesforce user Steward acts as")));
        mvc.perform(get("/api/v1/salesforce/sources/salesforce-form")).andExpect(status().isNotFound());
    }

    @Test
    void aMappedCustomFieldIsCheckedAgainstTheDescribePreviewedAndPulled() throws Exception {
        jwtToken("mapped", "00Dmapped!AQ4AQ.mapped");
        limits("mapped-org", "00Dmapped!AQ4AQ.mapped", 10, 15000);
        describe("Account", """
                {"name": "Name", "label": "Account Name", "type": "string", "custom": false},
                {"name": "NumberOfEmployees", "label": "Employees", "type": "int", "custom": false},
                {"name": "Plan_Tier__c", "label": "Plan tier", "type": "picklist", "custom": true}""");
        describe("Contact", """
                {"name": "Title", "label": "Title", "type": "string", "custom": false}""");
        describe("Opportunity", """
                {"name": "Name", "label": "Name", "type": "string", "custom": false}""");
        String accounts = "SELECT " + ACCOUNT_FIELDS + ", Plan_Tier__c, NumberOfEmployees FROM Account"
                + " ORDER BY SystemModstamp ASC";
        for (String soql : List.of(accounts, accounts + " LIMIT 20")) {
            salesforce.stubFor(query("mapped-org", "query", soql)
                    .willReturn(page(
                            null,
                            "11/15000",
                            account(801, """
                    "Name": "Polaris", "Website": "polaris.example", "ParentId": null, "Plan_Tier__c": "Gold",
                    "NumberOfEmployees": 40""", "2026-03-01T10:00:00.000+0000"),
                            account(802, """
                    "Name": "Sirius", "Website": null, "ParentId": null, "Plan_Tier__c": "Silver",
                    "NumberOfEmployees": "forty\"""", "2026-03-01T11:00:00.000+0000"))));
        }
        for (String object : List.of("Contact", "Opportunity")) {
            salesforce.stubFor(WireMock.get(urlPathEqualTo("/mapped-org/services/data/v62.0/query"))
                    .withQueryParam("q", WireMock.matching("SELECT .* FROM " + object + " .*"))
                    .willReturn(page(null, "12/15000")));
        }
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-mapped", "loginUrl": "%s", "clientId": "3MVG9mapped",
                         "username": "ops@mapped.example", "privateKey": "%s", "paused": true}""".formatted(url("mapped"), pem().replace("\n", "\\n")))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/salesforce/sources/salesforce-mapped/mapping?properties=true"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.objects[0].object", is("accounts")))
                .andExpect(jsonPath("$.objects[0].properties[2].suggested", is("customFields.plan_tier")))
                .andExpect(jsonPath("$.objects[0].properties[1].suggested", is("employees")));

        send(put("/api/v1/salesforce/sources/salesforce-mapped/mapping"), """
                        {"accounts": [{"property": "Plan_Tier_c", "target": "customFields.plan_tier"}],
                         "leads": []}""")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[1].field", is("leads")))
                .andExpect(jsonPath("$.errors[0].field", is("accounts[0].property")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("is no property of Salesforce's accounts; did you mean 'Plan_Tier__c'?")));
        send(put("/api/v1/salesforce/sources/salesforce-mapped/mapping"), """
                        {"accounts": [{"property": "Plan_Tier__c", "target": "customFields.plan_tier"},
                                      {"property": "NumberOfEmployees", "target": "employees", "policy": "steward"}]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.saved", is(true)));

        String preview = mvc.perform(post("/api/v1/salesforce/sources/salesforce-mapped/preview")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat((List<String>) JsonPath.read(preview, "$[0].rows[*].action")).containsExactly("create", "reject");
        assertThat((String) JsonPath.read(preview, "$[0].rows[0].values.customFields.plan_tier"))
                .isEqualTo("Gold");
        assertThat((String) JsonPath.read(preview, "$[0].rows[0].values.customFields.domain"))
                .isEqualTo("polaris.example");
        assertThat((String) JsonPath.read(preview, "$[0].rows[1].reason"))
                .startsWith("NumberOfEmployees 'forty': cannot fill employees");
        assertThat(this.accounts.resolve("salesforce-mapped", List.of(id("001", 801))))
                .isEmpty();

        mvc.perform(post("/api/v1/salesforce/sources/salesforce-mapped/start").with(csrf()))
                .andExpect(status().isAccepted());
        waitForRuns("salesforce-mapped", 3);
        assertThat(counts(run("salesforce-mapped", "accounts")))
                .containsEntry("created", 1)
                .containsEntry("rejected", 1);
        var polaris = this.accounts.get(this.accounts
                .resolve("salesforce-mapped", List.of(id("001", 801)))
                .get(id("001", 801)));
        assertThat(polaris.employees()).isEqualTo(40);
        assertThat(polaris.customFields())
                .containsEntry("plan_tier", "Gold")
                .containsEntry("domain", "polaris.example");
    }

    /** What Salesforce describes of an object's fields ({@code GET …/sobjects/<object>/describe}). */
    private static void describe(String object, String fields) {
        salesforce.stubFor(
                WireMock.get(urlPathEqualTo("/mapped-org/services/data/v62.0/sobjects/" + object + "/describe"))
                        .withHeader("Authorization", equalTo("Bearer 00Dmapped!AQ4AQ.mapped"))
                        .willReturn(json(200, """
                        {"name": "%s", "custom": false, "fields": [%s]}""".formatted(object, fields))));
    }

    @Test
    void credentialsSalesforceRefusesKeepNothing() throws Exception {
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-refused", "loginUrl": "%s", "clientId": "3MVG9refused",
                         "username": "ops@refused.example", "privateKey": "%s"}""".formatted(url("refused"), pem().replace("\n", "\\n")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("privateKey")))
                .andExpect(jsonPath(
                        "$.errors[0].reason",
                        is("Salesforce refused: user hasn't approved this consumer (invalid_grant)")));
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-bad-key", "loginUrl": "%s", "clientId": "3MVG9refused",
                         "username": "ops@refused.example", "privateKey": "-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----"}""".formatted(url("refused")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("privateKey")));
        send(post("/api/v1/salesforce/sources"), """
                        {"name": "salesforce-plain", "loginUrl": "http://login.example.com", "clientId": "3MVG9",
                         "username": "ops@refused.example", "privateKey": "%s"}""".formatted(pem().replace("\n", "\\n")))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field", is("loginUrl")));
        assertThat(jdbc.sql("select count(*) from ingest_source where name like 'salesforce-%' and name in"
                                + " ('salesforce-refused', 'salesforce-bad-key', 'salesforce-plain')")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private void score(AccountId account, String day, double score, String color) {
        jdbc.sql("""
                        insert into health_score (account_id, day, scorecard, scorecard_version, score, color, coverage,
                                                  raw, ranks, computed_at)
                        values (?, ?, 'SMB', 1, ?, ?, 1, '{}', '{}', '2026-03-18T00:00:00Z')""")
                .params(account.value(), LocalDate.parse(day), score, color)
                .update();
    }

    /** A cursor kept for a source (null: none). */
    private String cursor(String source, String feed) {
        return jdbc.sql("""
                        select c.cursor from ingest_pull_cursor c join ingest_source s on s.id = c.source_id
                        where s.name = ? and c.feed = ?""").params(source, feed).query(String.class).optional().orElse(null);
    }

    private String secret(String source) {
        return jdbc.sql("""
                        select c.secret from ingest_pull_connection c join ingest_source s on s.id = c.source_id
                        where s.name = ?""").param(source).query(String.class).single();
    }

    private void waitForRuns(String source, int count) {
        Awaitility.await("the pull of " + source + " ends")
                .pollInSameThread()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> states =
                            JsonPath.read(body(get("/api/v1/salesforce/sources/" + source + "/runs")), "$[*].state");
                    return states.size() == count && !states.contains("running");
                });
    }

    /** The latest run of a feed. */
    private Map<String, Object> run(String source, String feed) throws Exception {
        List<Map<String, Object>> runs = JsonPath.read(
                body(get("/api/v1/salesforce/sources/" + source + "/runs")), "$[?(@.feed == '" + feed + "')]");
        return runs.isEmpty() ? null : runs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> allowance(Map<String, Object> run) {
        return (Map<String, Object>) run.get("allowance");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("errors");
    }

    private String body(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getContentAsString();
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        return mvc.perform(
                request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return form;
    }

    /** The test's private key in PEM (PKCS #8), as an administrator pastes it. */
    static String pem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    static String url(String path) {
        return "http://127.0.0.1:" + salesforce.port() + "/" + path;
    }

    /** An 18-character Salesforce id: the object's key prefix and a number. */
    static String id(String prefix, int n) {
        return prefix + "%012d".formatted(n) + "AAA";
    }

    /** The token endpoint of a login path answering the JWT bearer flow. */
    static void jwtToken(String login, String accessToken) {
        salesforce.stubFor(WireMock.post(urlPathEqualTo("/" + login + "/services/oauth2/token"))
                .withFormParam("grant_type", equalTo("urn:ietf:params:oauth:grant-type:jwt-bearer"))
                .willReturn(json(200, token(accessToken, login + "-org", null))));
    }

    static MappingBuilder refresh() {
        return WireMock.post(urlPathEqualTo("/web/services/oauth2/token"))
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo("5Aep861webRefresh"));
    }

    /** A token endpoint's answer: the access token, the org's address, its identity URL (and a refresh token). */
    static String token(String accessToken, String instance, String refreshToken) {
        return """
                {"access_token": "%s", %s"signature": "d8fG1bqL7Q0u1lSx6v3l7n0b8VkLZt5Ff0Hc2F1nM0E=",
                 "scope": "api refresh_token", "instance_url": "%s",
                 "id": "https://login.salesforce.com/id/00D5g000004XyzAEAC/0055g00000AbcdeAAA",
                 "token_type": "Bearer", "issued_at": "1773828930000"}""".formatted(
                        accessToken,
                        refreshToken == null ? "" : "\"refresh_token\": \"" + refreshToken + "\", ",
                        url(instance));
    }

    static void limits(String instance, String accessToken, long used, long max) {
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/" + instance + "/services/data/v62.0/limits"))
                .withHeader("Authorization", equalTo("Bearer " + accessToken))
                .willReturn(json(200, """
                                {"DailyApiRequests": {"Max": %d, "Remaining": %d},
                                 "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000}}""".formatted(max, max - used))
                        .withHeader("Sforce-Limit-Info", "api-usage=%d/%d".formatted(used, max))));
    }

    /** A SOQL query ({@code query} or {@code queryAll}) of an org, asked exactly so. */
    static MappingBuilder query(String instance, String kind, String soql) {
        return WireMock.get(urlPathEqualTo("/" + instance + "/services/data/v62.0/" + kind))
                .withQueryParam("q", equalTo(soql));
    }

    /** A page of a query's answer: its records, the next page's address (null: done), the org's API usage. */
    static ResponseDefinitionBuilder page(String next, String usage, String... records) {
        return json(200, """
                        {"totalSize": %d, "done": %s, %s"records": [%s]}""".formatted(
                                records.length,
                                next == null,
                                next == null ? "" : "\"nextRecordsUrl\": \"" + next + "\", ",
                                String.join(",", records)))
                .withHeader("Sforce-Limit-Info", "api-usage=" + usage);
    }

    /** The org's count of an object's records ({@code limits/recordCount}). */
    static void recordCount(String instance, String object, long count) {
        salesforce.stubFor(WireMock.get(urlPathEqualTo("/" + instance + "/services/data/v62.0/limits/recordCount"))
                .withQueryParam("sObjects", equalTo(object))
                .willReturn(json(200, """
                                {"sObjects": [{"count": %d, "name": "%s"}]}""".formatted(count, object))
                        .withHeader("Sforce-Limit-Info", "api-usage=101/15000")));
    }

    /** A Bulk API 2.0 query job's information, as its creation and its polls answer it. */
    static String job(String id, String object, String state, String errorMessage) {
        return """
                {"id": "%s", "operation": "query", "object": "%s", "createdById": "0055g00000AbcdeAAA",
                 "createdDate": "2026-03-18T10:15:30.000+0000", "systemModstamp": "2026-03-18T10:15:31.000+0000",
                 "state": "%s", %s"concurrencyMode": "Parallel", "contentType": "CSV", "apiVersion": 62.0,
                 "jobType": "V2Query", "lineEnding": "LF", "columnDelimiter": "COMMA", "numberRecordsProcessed": 5,
                 "retries": 0, "totalProcessingTime": 1204}""".formatted(
                        id, object, state, errorMessage == null ? "" : "\"errorMessage\": \"" + errorMessage + "\", ");
    }

    static MappingBuilder jobInfo(String instance, String job) {
        return WireMock.get(urlPathEqualTo("/" + instance + "/services/data/v62.0/jobs/query/" + job));
    }

    /** A set of a job's results: the first ({@code locator} null) or the one a locator names, 50,000 at most. */
    static MappingBuilder results(String instance, String job, String locator) {
        return WireMock.get(urlPathEqualTo("/" + instance + "/services/data/v62.0/jobs/query/" + job + "/results"))
                .withHeader("Accept", equalTo("text/csv"))
                .withQueryParam("maxRecords", equalTo("50000"))
                .withQueryParam("locator", locator == null ? absent() : equalTo(locator));
    }

    /** A set of results in CSV, with the locator of the next ({@code null}: none) and the org's API usage. */
    static ResponseDefinitionBuilder csv(String locator, String usage, String csv) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/csv")
                .withHeader("Sforce-Locator", locator)
                .withHeader("Sforce-NumberOfRecords", Long.toString(csv.lines().count() - 1))
                .withHeader("Sforce-Limit-Info", "api-usage=" + usage)
                .withBody(csv);
    }

    static String benchAccounts(int from, int to) {
        StringBuilder csv = new StringBuilder(
                "\"Id\",\"Name\",\"Website\",\"ParentId\",\"Industry\",\"AnnualRevenue\",\"CreatedDate\",\"SystemModstamp\"\n");
        for (int i = from; i < to; i++) {
            csv.append(
                    "\"%s\",\"Bench %d\",\"bench-%d.example\",\"\",\"Software\",\"%d\",\"2025-06-01T10:00:00.000Z\",\"2026-03-04T10:00:00.000Z\"\n"
                            .formatted(id("001", 100_000 + i), i, i, 1000 + i));
        }
        return csv.toString();
    }

    static String account(int n, String fields, String modstamp) {
        return record("Account", id("001", n), fields, modstamp);
    }

    static String contact(int n, String fields, String modstamp) {
        return record("Contact", id("003", n), fields, modstamp);
    }

    static String opportunity(int n, String fields, String modstamp) {
        return record("Opportunity", id("006", n), fields, modstamp);
    }

    static String record(String type, String id, String fields, String modstamp) {
        return """
                {"attributes": {"type": "%s", "url": "/services/data/v62.0/sobjects/%s/%s"}, "Id": "%s", %s,
                 "CreatedDate": "2025-06-01T10:00:00.000+0000", "SystemModstamp": "%s"}""".formatted(type, type, id, id, fields, modstamp);
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body);
    }
}
