package dev.steward.ingest.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.Invoice;
import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contract;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays Stripe's own payloads from {@code ../shared/testdata/vendor/stripe}: events captured with the Stripe CLI
 * (API 2020-08-27) and the example objects of Stripe's OpenAPI fixtures (the current API shape) wrapped in events.
 * Skipped, with the reason, where that folder is absent.
 */
@StewardTest
class StripeVendorFixtureTests {

    static final Path VENDOR = Paths.get("..", "shared", "testdata", "vendor", "stripe");
    static final Path CLI_EVENTS = VENDOR.resolve("webhook-events-stripe-cli-2020-08-27");
    static final Path OPENAPI = VENDOR.resolve("openapi-fixtures3");
    static final String SECRET = "whsec_vendor_fixtures";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @Autowired
    Sources sources;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    ActivityRecorder activity;

    @Autowired
    StripeSecrets secrets;

    @BeforeEach
    void vendorFixturesArePresent() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(CLI_EVENTS) && Files.isDirectory(OPENAPI),
                "Stripe's payloads are not at " + VENDOR.toAbsolutePath().normalize()
                        + " (../shared is only beside the main repository)");
    }

    @Test
    void theCliEventsGiveTheSameStateInTimeOrderAndInReverse() throws Exception {
        // The captured events all carry the id evt_000…; each is given its file's name so that none is a repeat.
        List<String> payloads = cliEvents();
        Map<String, String> forwards = replay("stripe-cli-forwards", payloads);
        List<String> newestFirst = new ArrayList<>(payloads);
        java.util.Collections.reverse(newestFirst);
        Map<String, String> backwards = replay("stripe-cli-backwards", newestFirst);

        assertThat(forwards).containsEntry("customer.subscription.trial_will_end", "ignored");
        assertThat(forwards).containsEntry("invoice.created", "ignored");
        assertThat(forwards).containsEntry("invoice.upcoming", "ignored");
        assertThat(forwards.values()).doesNotContain("rejected");
        assertThat(backwards.values()).doesNotContain("rejected");
        for (String source : List.of("stripe-cli-forwards", "stripe-cli-backwards")) {
            AccountId account =
                    accounts.resolve(source, List.of("cus_00000000000000")).get("cus_00000000000000");
            // The newest subscription event (created) wins over the older updated and deleted ones.
            Contract contract = contracts.ofAccount(account).get(0);
            assertThat(contract.status()).as(source).isEqualTo(ContractStatus.ACTIVE);
            assertThat(contract.arr()).as(source).isEqualByComparingTo("180.00");
            assertThat(contract.seats()).as(source).isEqualTo(1);
            List<Invoice> invoices = activity.invoices(account, 10, null).items();
            assertThat(invoices).as(source).hasSize(1);
            assertThat(invoices.get(0).status()).as(source).isEqualTo(Invoice.Status.paid);
            assertThat(invoices.get(0).amount()).as(source).isEqualByComparingTo("20.00");
        }
    }

    @Test
    void theOpenApiExampleObjectsAreReadInTheCurrentApiShape() throws Exception {
        Map<String, String> outcomes = replay(
                "stripe-openapi",
                List.of(
                        event("evt_customer", "customer.created", object("customer.json")),
                        event("evt_subscription", "customer.subscription.updated", object("subscription.json")),
                        event("evt_invoice", "invoice.finalized", finalized(object("invoice.json")))));

        assertThat(outcomes)
                .containsOnly(
                        Map.entry("customer.created", "applied"),
                        Map.entry("customer.subscription.updated", "applied"),
                        Map.entry("invoice.finalized", "applied"));
        AccountId account = accounts.resolve("stripe-openapi", List.of("cus_QXg1o8vcGmoR32"))
                .get("cus_QXg1o8vcGmoR32");
        Contract contract = contracts.ofAccount(account).get(0);
        assertThat(contract.externalId()).isEqualTo("sub_1Pgc6rB7WZ01zgkWNy0Cn5nw");
        assertThat(contract.plan()).endsWith("(USD)");
        Invoice invoice = activity.invoices(account, 10, null).items().get(0);
        assertThat(invoice.amount()).isEqualByComparingTo("10.00");
        assertThat(invoice.status()).isEqualTo(Invoice.Status.open);
    }

    /** Delivers the payloads in order to a new source; the outcome per event type. */
    private Map<String, String> replay(String sourceName, List<String> payloads) throws Exception {
        Source source = sources.create(sourceName, Source.Kind.stripe, null, null);
        secrets.add(source.id(), SECRET, TestClock.NOW);
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String payload : payloads) {
            String body = mvc.perform(post("/webhooks/stripe/" + sourceName)
                            .with(anonymous())
                            .contentType(MediaType.APPLICATION_JSON)
                            .header(
                                    "Stripe-Signature",
                                    StripeWebhookTests.header(payload, StripeWebhookTests.now(), SECRET))
                            .content(payload.getBytes(StandardCharsets.UTF_8)))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            outcomes.put(JsonPath.read(body, "$.type"), JsonPath.read(body, "$.outcome"));
        }
        return outcomes;
    }

    private static List<String> cliEvents() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(CLI_EVENTS)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                ObjectNode event = (ObjectNode) JSON.readTree(file.toFile());
                event.put("id", "evt_" + file.getFileName().toString().replace(".json", ""));
                events.add(event);
            }
        }
        events.sort(Comparator.comparingLong(e -> e.path("created").asLong()));
        return events.stream().map(JSON::writeValueAsString).toList();
    }

    private static JsonNode object(String file) throws IOException {
        return JSON.readTree(OPENAPI.resolve(file).toFile());
    }

    /** The example invoice is a draft; finalising it is what makes Stripe send invoice.finalized. */
    private static JsonNode finalized(JsonNode invoice) {
        ObjectNode copy = ((ObjectNode) invoice).deepCopy();
        copy.put("status", "open");
        return copy;
    }

    private static String event(String id, String type, JsonNode object) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("created", 1721954060L);
        event.putObject("data").set("object", object);
        event.put("type", type);
        return JSON.writeValueAsString(event);
    }
}
