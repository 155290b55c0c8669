package dev.steward.ingest.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import com.stripe.net.Webhook;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.Invoice;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contract;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.customer.LifecycleStage;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Sources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Stripe delivering events to a source's endpoint, signed as Stripe signs them, and the API to connect Stripe. */
@StewardTest
@WithMockUser(roles = "ADMIN")
class StripeWebhookTests {

    static final String SECRET = "whsec_first_secret_0001";
    static final String CUSTOMER = "cus_StwNorthwind01";
    private static final AtomicInteger SOURCES = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    Sources sources;

    String source;

    @BeforeEach
    void connectStripe() throws Exception {
        source = "stripe-" + SOURCES.incrementAndGet();
        mvc.perform(post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "%s", "signingSecret": "%s", "expectedIntervalHours": 24}""".formatted(source, SECRET)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.webhookPath", is("/webhooks/stripe/" + source)))
                .andExpect(jsonPath("$.signingSecrets[0].hint", is("whsec_…0001")))
                .andExpect(jsonPath("$.signingSecrets[0].secret").doesNotExist());
    }

    @Test
    void aSignedCustomerBecomesAnAccountWithoutAnySignIn() throws Exception {
        deliver(fixture("customer.created.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("applied")))
                .andExpect(jsonPath("$.duplicate", is(false)));

        Account account = account();
        assertThat(account.name()).isEqualTo("Northwind Traders");
        assertThat(account.tier()).isEqualTo("Mid-Market");
        assertThat(account.employees()).isEqualTo(420);
        assertThat(account.customFields()).containsEntry("crm_owner", "ada@example.test");
    }

    @Test
    void aBadSignatureIsRefusedAndShownAsARejection() throws Exception {
        String payload = fixture("customer.created.json");
        deliver(payload, header(payload, now(), "whsec_someone_else"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/stripe-signature")))
                .andExpect(jsonPath("$.detail", containsString("no v1 signature matches")));
        deliver(payload, null)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("header is missing")));
        deliver(payload, "t=abc,v1=00")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("is not a number of seconds")));

        assertThat(accounts.resolve(source, List.of(CUSTOMER))).isEmpty();
        assertThat(sources.latestRejections(sources.get(source), 5))
                .extracting(Rejection::field)
                .containsOnly("Stripe-Signature");
    }

    @Test
    void aStaleTimestampIsRefusedNamingItsAge() throws Exception {
        String payload = fixture("customer.created.json");
        deliver(payload, header(payload, now() - 600, SECRET))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("beyond the tolerance of 300 s")));
        deliver(payload, header(payload, now() + 900, SECRET))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("in the future")));
    }

    @Test
    void whileASecretIsRolledBothSecretsAreAccepted() throws Exception {
        String next = "whsec_second_secret_0002";
        String body = mvc.perform(post("/api/v1/stripe/sources/" + source + "/secrets")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"signingSecret\": \"" + next + "\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String payload = fixture("customer.created.json");
        long t = now();
        // Stripe signs with both the expiring and the new secret while it rolls one.
        deliver(payload, "t=" + t + ",v1=" + hmac(SECRET, t, payload) + ",v1=" + hmac(next, t, payload))
                .andExpect(status().isOk());
        deliver(
                        fixture("customer.subscription.created.json"),
                        header(fixture("customer.subscription.created.json"), t, next))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("applied")));

        String first = JsonPath.read(
                mvc.perform(get("/api/v1/stripe/sources/" + source))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.signingSecrets[0].id");
        mvc.perform(delete("/api/v1/stripe/sources/" + source + "/secrets/" + first)
                        .with(csrf()))
                .andExpect(status().isNoContent());
        String newId = JsonPath.read(body, "$.id");
        mvc.perform(delete("/api/v1/stripe/sources/" + source + "/secrets/" + newId)
                        .with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("only signing secret")));
        String invoice = fixture("invoice.finalized.json");
        deliver(invoice, header(invoice, now(), SECRET)).andExpect(status().isBadRequest());
    }

    @Test
    void aRepeatedEventIsAcknowledgedAndChangesNothing() throws Exception {
        deliver(fixture("customer.created.json")).andExpect(status().isOk());
        Account first = account();

        deliver(fixture("customer.created.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.duplicate", is(true)))
                .andExpect(jsonPath("$.outcome", is("applied")));

        assertThat(account().version()).isEqualTo(first.version());
        mvc.perform(get("/api/v1/stripe/sources/" + source + "/events"))
                .andExpect(jsonPath("$", hasSize(1)))
                .andExpect(jsonPath("$[0].eventId", is("evt_1StwCustCreated0001")));
    }

    @Test
    void aLateFinalizedEventLeavesAPaidInvoicePaid() throws Exception {
        deliver(fixture("invoice.paid.json")).andExpect(jsonPath("$.outcome", is("applied")));
        deliver(fixture("invoice.payment_failed.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("superseded")));
        deliver(fixture("invoice.finalized.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("superseded")))
                .andExpect(jsonPath("$.reason", containsString("evt_1StwInvPaid00000001")));

        List<Invoice> invoices = activity.invoices(accountId(), 10, null).items();
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).status()).isEqualTo(Invoice.Status.paid);
        assertThat(invoices.get(0).paidOn()).isEqualTo(LocalDate.parse("2025-06-15"));
        assertThat(invoices.get(0).amount()).isEqualByComparingTo("1000.00");
    }

    @Test
    void eventsOfOneSecondApplyInTheOrderOfTheObjectsLife() throws Exception {
        String paid = fixture("invoice.paid.json");
        String finalizedSameSecond =
                fixture("invoice.finalized.json").replace("1748779262,\n  \"data\"", "1749988800,\n  \"data\"");
        assertThat(finalizedSameSecond).contains("\"created\": 1749988800");
        deliver(paid).andExpect(jsonPath("$.outcome", is("applied")));
        deliver(finalizedSameSecond).andExpect(jsonPath("$.outcome", is("superseded")));

        assertThat(activity.invoices(accountId(), 10, null).items().get(0).status())
                .isEqualTo(Invoice.Status.paid);
    }

    @Test
    void anInvoiceInOrderGoesFromOpenToPaid() throws Exception {
        deliver(fixture("invoice.finalized.json")).andExpect(jsonPath("$.outcome", is("applied")));
        assertThat(activity.invoices(accountId(), 10, null).items().get(0).status())
                .isEqualTo(Invoice.Status.open);
        deliver(fixture("invoice.payment_failed.json")).andExpect(jsonPath("$.outcome", is("applied")));
        deliver(fixture("invoice.paid.json")).andExpect(jsonPath("$.outcome", is("applied")));
        assertThat(activity.invoices(accountId(), 10, null).items().get(0).status())
                .isEqualTo(Invoice.Status.paid);
    }

    @Test
    void aSubscriptionUpdateChangesTheContractsArr() throws Exception {
        deliver(fixture("customer.created.json")).andExpect(status().isOk());
        deliver(fixture("customer.subscription.created.json")).andExpect(jsonPath("$.outcome", is("applied")));
        Contract created = contracts.ofAccount(accountId()).get(0);
        assertThat(created.arr()).isEqualByComparingTo("12000.00");
        assertThat(created.seats()).isEqualTo(20);

        deliver(fixture("customer.subscription.updated.json")).andExpect(jsonPath("$.outcome", is("applied")));
        List<Contract> updated = contracts.ofAccount(accountId());
        assertThat(updated).hasSize(1);
        assertThat(updated.get(0).arr()).isEqualByComparingTo("13500.00");
        assertThat(updated.get(0).seats()).isEqualTo(25);
        assertThat(updated.get(0).endDate()).isEqualTo(LocalDate.parse("2026-07-02"));
        assertThat(updated.get(0).externalId()).isEqualTo("sub_StwNorthwind01");

        // The creation event arriving again later, under another id, is older than the update.
        deliver(fixture("customer.subscription.created.json").replace("evt_1StwSubCreated00001", "evt_1StwSubRetry"))
                .andExpect(jsonPath("$.outcome", is("superseded")));
        assertThat(contracts.ofAccount(accountId()).get(0).arr()).isEqualByComparingTo("13500.00");
    }

    @Test
    void aSubscriptionBeforeItsCustomerCreatesTheAccountWhichTheCustomerThenNames() throws Exception {
        deliver(fixture("customer.subscription.created.json")).andExpect(jsonPath("$.outcome", is("applied")));
        assertThat(account().name()).isEqualTo(CUSTOMER);
        assertThat(contracts.ofAccount(accountId())).hasSize(1);

        deliver(fixture("customer.created.json")).andExpect(jsonPath("$.outcome", is("applied")));
        assertThat(account().name()).isEqualTo("Northwind Traders");
        assertThat(contracts.ofAccount(accountId())).hasSize(1);
    }

    @Test
    void aDeletedCustomerKeepsItsHistoryAndIsMarkedChurned() throws Exception {
        deliver(fixture("customer.created.json")).andExpect(status().isOk());
        deliver(fixture("invoice.paid.json")).andExpect(status().isOk());
        deliver(fixture("customer.deleted.json")).andExpect(jsonPath("$.outcome", is("applied")));

        Account account = account();
        assertThat(account.lifecycleStage()).isEqualTo(LifecycleStage.CHURNED);
        assertThat(account.customFields()).containsEntry("stripe_deleted_on", "2026-05-28");
        assertThat(activity.invoices(account.id(), 10, null).items()).hasSize(1);
    }

    @Test
    void aCancelledSubscriptionCancelsTheContract() throws Exception {
        String payload = fixture("customer.subscription.updated.json")
                .replace("evt_1StwSubUpdated00001", "evt_1StwSubDeleted00001")
                .replace("customer.subscription.updated", "customer.subscription.deleted")
                .replace("\"status\": \"active\"", "\"status\": \"canceled\"")
                .replace("\"ended_at\": null", "\"ended_at\": 1751371300");
        deliver(fixture("customer.subscription.created.json")).andExpect(status().isOk());
        deliver(payload).andExpect(jsonPath("$.outcome", is("applied")));

        Contract contract = contracts.ofAccount(accountId()).get(0);
        assertThat(contract.status()).isEqualTo(ContractStatus.CANCELLED);
        assertThat(contract.endDate()).isEqualTo(LocalDate.parse("2025-07-01"));
    }

    @Test
    void otherEventTypesAreAcknowledgedAndRecordedAsIgnored() throws Exception {
        deliver(fixture("charge.succeeded.json"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("ignored")))
                .andExpect(jsonPath("$.reason", containsString("charge.succeeded")));
        mvc.perform(get("/api/v1/stripe/sources/" + source + "/events"))
                .andExpect(jsonPath("$[0].type", is("charge.succeeded")))
                .andExpect(jsonPath("$[0].outcome", is("ignored")));
        assertThat(accounts.resolve(source, List.of(CUSTOMER))).isEmpty();
    }

    @Test
    void malformedJsonIsRefusedWithLineAndColumn() throws Exception {
        String payload = "{\n  \"id\": \"evt_broken\",\n  \"type\": invoice.paid\n}";
        deliver(payload)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason", containsString("line 3, column")));
        assertThat(sources.latestRejections(sources.get(source), 1).get(0).reason())
                .contains("line 3, column");

        deliver("{\"id\": \"evt_nothing\", \"type\": \"invoice.paid\", \"created\": 1}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("data.object")));
    }

    @Test
    void aRecordStewardRefusesIsAcknowledgedAndShownWithItsReason() throws Exception {
        String negative = fixture("invoice.finalized.json").replace("\"total\": 100000", "\"total\": -500");
        deliver(negative)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("rejected")))
                .andExpect(jsonPath("$.reason", containsString("amount")));
        Rejection rejection = sources.latestRejections(sources.get(source), 1).get(0);
        assertThat(rejection.record()).isEqualTo("evt_1StwInvFinalized001");
        assertThat(rejection.field()).isEqualTo("amount");
    }

    @Test
    void anUnknownSourceIsNotFound() throws Exception {
        String payload = fixture("customer.created.json");
        mvc.perform(post("/webhooks/stripe/no-such-source")
                        .with(anonymous())
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Stripe-Signature", header(payload, now(), SECRET))
                        .content(payload))
                .andExpect(status().isNotFound());
    }

    @Test
    void onlyAdministratorsConnectStripe() throws Exception {
        mvc.perform(get("/api/v1/stripe/sources").with(user("csm").roles("CSM")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Stripe Main\", \"signingSecret\": \"sk_live_oops\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath(
                        "$.errors[*].field", org.hamcrest.Matchers.containsInAnyOrder("name", "signingSecret")));
        mvc.perform(post("/api/v1/stripe/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"%s\", \"signingSecret\": \"%s\"}".formatted(source, SECRET)))
                .andExpect(status().isConflict());
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
        byte[] huge = new byte[StripeWebhookController.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        mvc.perform(post("/webhooks/stripe/" + source)
                        .with(anonymous())
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Stripe-Signature", "t=1,v1=00")
                        .content(huge))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/too-large")))
                .andExpect(jsonPath("$.detail", containsString("at most 1048576 bytes")));
        assertThat(sources.latestRejections(sources.get(source), 5)).isEmpty();
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedNamingTheField() throws Exception {
        String payload = fixture("customer.created.json").replace("Northwind Traders", "North\\u0000wind");
        deliver(payload)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("data.object.name")))
                .andExpect(jsonPath("$.errors[0].reason", containsString("NUL character")));
        String surrogate = fixture("customer.created.json").replace("Northwind Traders", "North\\udfffwind");
        deliver(surrogate)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason", containsString("unpaired surrogate \\udfff")));
        assertThat(accounts.resolve(source, List.of(CUSTOMER))).isEmpty();
        assertThat(sources.latestRejections(sources.get(source), 5))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.excerpt()).doesNotContain("\u0000"));
    }

    @Test
    void amountsAndTimesBeyondWhatStewardStoresRejectTheObjectNotTheServer() throws Exception {
        String subscription = fixture("customer.subscription.created.json");
        deliver(subscription
                        .replace("\"unit_amount\": 5000,", "\"unit_amount\": 100000000000000000000,")
                        .replace("\"unit_amount_decimal\": \"5000\"", "\"unit_amount_decimal\": null"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("rejected")))
                .andExpect(jsonPath("$.reason", containsString("beyond any number Stripe sends")));
        deliver(subscription
                        .replace("evt_1StwSubCreated00001", "evt_1StwSubCreated00002")
                        .replace("\"unit_amount_decimal\": \"5000\"", "\"unit_amount_decimal\": \"1e15\""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.outcome", is("rejected")))
                .andExpect(jsonPath("$.reason", containsString("Steward stores amounts up to 999999999999.99")));
        // Nothing was written for the rejected objects, not even the account they would have needed.
        assertThat(accounts.resolve(source, List.of(CUSTOMER))).isEmpty();
        assertThat(sources.latestRejections(sources.get(source), 5))
                .extracting(Rejection::field)
                .contains("data.object.unit_amount", "data.object.items.data.price.unit_amount");
        deliver(fixture("customer.created.json").replace("\"created\": 1748779200", "\"created\": 99999999999999"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field", is("created")));
    }

    private ResultActions deliver(String payload) throws Exception {
        return deliver(payload, header(payload, now(), SECRET));
    }

    private ResultActions deliver(String payload, String signature) throws Exception {
        var request = post("/webhooks/stripe/" + source)
                .with(anonymous())
                .contentType(MediaType.APPLICATION_JSON)
                .content(payload.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return mvc.perform(request);
    }

    static String header(String payload, long t, String... secrets) throws Exception {
        List<String> parts = new ArrayList<>(List.of("t=" + t));
        for (String secret : secrets) {
            parts.add("v1=" + hmac(secret, t, payload));
        }
        return String.join(",", parts);
    }

    static String hmac(String secret, long t, String payload) throws Exception {
        return Webhook.Util.computeHmacSha256(secret, t + "." + payload);
    }

    /** Now as the application sees it, in Stripe's epoch seconds: Stripe signs with its own clock, in step. */
    static long now() {
        return TestClock.NOW.getEpochSecond();
    }

    private AccountId accountId() {
        return accounts.resolve(source, List.of(CUSTOMER)).get(CUSTOMER);
    }

    private Account account() {
        return accounts.get(accountId());
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = StripeWebhookTests.class.getResourceAsStream("/stripe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
