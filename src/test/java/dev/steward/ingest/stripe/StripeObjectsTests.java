package dev.steward.ingest.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.Invoice;
import dev.steward.activity.InvoiceInput;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** How Stripe's objects read as accounts, contracts and invoices. */
class StripeObjectsTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void arrIsLicensedItemsPriceTimesQuantityBroughtToAYear() throws IOException {
        ObjectNode contract = StripeObjects.contract(object("customer.subscription.created.json"));

        // 20 seats at $50 a month; the metered item has no fixed price and no seats.
        assertThat(contract.path("arr").decimalValue()).isEqualByComparingTo("12000.00");
        assertThat(contract.path("seats").asInt()).isEqualTo(20);
        assertThat(contract.path("plan").asString()).isEqualTo("Team + API calls (USD)");
        assertThat(contract.path("startDate").asString()).isEqualTo("2025-06-01");
        assertThat(contract.path("endDate").asString()).isEqualTo("2025-07-01");
        assertThat(contract.path("status").asString()).isEqualTo("active");
        assertThat(contract.path("autoRenew").asBoolean()).isTrue();
        assertThat(contract.path("accountExternalId").asString()).isEqualTo("cus_StwNorthwind01");
    }

    @Test
    void intervalsAndIntervalCountsNormaliseToAYear() {
        assertThat(arr("month", 3, 30000, 2)).isEqualByComparingTo("2400.00");
        assertThat(arr("week", 1, 1000, 1)).isEqualByComparingTo("520.00");
        assertThat(arr("day", 1, 100, 1)).isEqualByComparingTo("365.00");
        assertThat(arr("year", 2, 100000, 1)).isEqualByComparingTo("500.00");
    }

    @Test
    void zeroDecimalCurrenciesAreNotDividedByAHundred() {
        JsonNode subscription = subscription("month", 1, 1000, 1, "jpy");
        ObjectNode contract = StripeObjects.contract(subscription);
        assertThat(contract.path("arr").decimalValue()).isEqualByComparingTo("12000");
        assertThat(contract.path("plan").asString()).endsWith("(JPY)");
    }

    @Test
    void packagePricingChargesPerPackage() {
        ObjectNode subscription = (ObjectNode) subscription("month", 1, 10000, 25, "usd");
        ((ObjectNode) subscription.path("items").path("data").get(0).path("price"))
                .set("transform_quantity", JSON.readTree("{\"divide_by\": 10, \"round\": \"up\"}"));
        // 25 units in packages of 10, rounded up: 3 packages of $100 a month.
        assertThat(StripeObjects.contract(subscription).path("arr").decimalValue())
                .isEqualByComparingTo("3600.00");
    }

    @Test
    void aCancelledSubscriptionEndsWhenItEnded() {
        ObjectNode subscription = (ObjectNode) subscription("month", 1, 1000, 1, "usd");
        subscription.put("status", "canceled");
        subscription.put("ended_at", 1750000000L);
        ObjectNode contract = StripeObjects.contract(subscription);
        assertThat(contract.path("status").asString()).isEqualTo("cancelled");
        assertThat(contract.path("endDate").asString()).isEqualTo("2025-06-15");
        assertThat(contract.path("autoRenew").asBoolean()).isFalse();
    }

    @Test
    void theOlderShapeWithPeriodAndPlanOnTheSubscriptionReadsToo() {
        JsonNode subscription = JSON.readTree("""
                {"id": "sub_old", "customer": "cus_old", "status": "active", "start_date": 1648320105,
                 "current_period_end": 1650998505, "cancel_at_period_end": true,
                 "items": {"data": [{"id": "si_old", "quantity": 3,
                   "plan": {"id": "plan_old", "amount": 1500, "currency": "usd", "interval": "month",
                            "interval_count": 1, "usage_type": "licensed"}}]}}""");
        ObjectNode contract = StripeObjects.contract(subscription);
        assertThat(contract.path("arr").decimalValue()).isEqualByComparingTo("540.00");
        assertThat(contract.path("endDate").asString()).isEqualTo("2022-04-26");
        assertThat(contract.path("autoRenew").asBoolean()).isFalse();
    }

    @Test
    void anInvoiceIsIssuedWhenFinalisedAndPaidWhenStripeSaysSo() throws IOException {
        InvoiceInput open = StripeObjects.invoice(object("invoice.finalized.json"), Instant.EPOCH);
        assertThat(open.issuedOn()).isEqualTo(LocalDate.parse("2025-06-01"));
        assertThat(open.dueOn()).isEqualTo(LocalDate.parse("2025-07-01"));
        assertThat(open.paidOn()).isNull();
        assertThat(open.amount()).isEqualByComparingTo("1000.00");
        assertThat(open.currency()).isEqualTo("USD");
        assertThat(open.status()).isEqualTo(Invoice.Status.open);
        assertThat(open.accountExternalId()).isEqualTo("cus_StwNorthwind01");

        InvoiceInput paid = StripeObjects.invoice(object("invoice.paid.json"), Instant.EPOCH);
        assertThat(paid.status()).isEqualTo(Invoice.Status.paid);
        assertThat(paid.paidOn()).isEqualTo(LocalDate.parse("2025-06-15"));
    }

    @Test
    void laterStatesOfAnObjectRankHigher() throws IOException {
        JsonNode open = object("invoice.finalized.json");
        JsonNode paid = object("invoice.paid.json");
        assertThat(StripeObjects.rank(StripeObjects.Kind.invoice, "invoice.paid", paid))
                .isGreaterThan(StripeObjects.rank(StripeObjects.Kind.invoice, "invoice.finalized", open));
    }

    @Test
    void aCustomersMetadataFillsAccountFieldsAndCustomFields() throws IOException {
        ObjectNode account = StripeObjects.account(
                object("customer.created.json"), JSON.readTree("{\"health_note\": \"kept\"}"), false, Instant.EPOCH);
        assertThat(account.path("name").asString()).isEqualTo("Northwind Traders");
        assertThat(account.path("tier").asString()).isEqualTo("Mid-Market");
        assertThat(account.path("region").asString()).isEqualTo("EMEA");
        assertThat(account.path("employees").asInt()).isEqualTo(420);
        assertThat(account.path("customFields").path("crm_owner").asString()).isEqualTo("ada@example.test");
        assertThat(account.path("customFields").path("health_note").asString()).isEqualTo("kept");
        assertThat(account.has("lifecycleStage")).isFalse();
    }

    private static BigDecimal arr(String interval, int count, long unitAmount, int quantity) {
        return StripeObjects.contract(subscription(interval, count, unitAmount, quantity, "usd"))
                .path("arr")
                .decimalValue();
    }

    private static JsonNode subscription(String interval, int count, long unitAmount, int quantity, String currency) {
        return JSON.readTree("""
                {"id": "sub_x", "customer": "cus_x", "status": "active", "start_date": 1748779260,
                 "items": {"data": [{"id": "si_x", "quantity": %d, "current_period_end": 1751371260,
                   "price": {"id": "price_x", "currency": "%s", "unit_amount": %d,
                             "recurring": {"interval": "%s", "interval_count": %d, "usage_type": "licensed"}}}]}}""".formatted(quantity, currency, unitAmount, interval, count));
    }

    static JsonNode object(String fixture) throws IOException {
        try (InputStream in = StripeObjectsTests.class.getResourceAsStream("/stripe/" + fixture)) {
            return JSON.readTree(in).path("data").path("object");
        }
    }
}
