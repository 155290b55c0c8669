package dev.steward.ingest.stripe;

import dev.steward.activity.Invoice;
import dev.steward.activity.InvoiceInput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How Stripe's customers, subscriptions and invoices read as Steward's accounts, contracts and invoices; plain Java,
 * so that every rule of the mapping can be checked without a server.
 */
final class StripeObjects {

    /** The kinds of Stripe object Steward keeps, by the event types that carry them. */
    enum Kind {
        customer,
        subscription,
        invoice
    }

    private static final Map<String, Kind> EVENT_TYPES = Map.ofEntries(
            Map.entry("customer.created", Kind.customer),
            Map.entry("customer.updated", Kind.customer),
            Map.entry("customer.deleted", Kind.customer),
            Map.entry("customer.subscription.created", Kind.subscription),
            Map.entry("customer.subscription.updated", Kind.subscription),
            Map.entry("customer.subscription.deleted", Kind.subscription),
            Map.entry("customer.subscription.paused", Kind.subscription),
            Map.entry("customer.subscription.resumed", Kind.subscription),
            Map.entry("invoice.finalized", Kind.invoice),
            Map.entry("invoice.paid", Kind.invoice),
            Map.entry("invoice.payment_failed", Kind.invoice),
            Map.entry("invoice.payment_succeeded", Kind.invoice),
            Map.entry("invoice.marked_uncollectible", Kind.invoice),
            Map.entry("invoice.voided", Kind.invoice),
            Map.entry("invoice.updated", Kind.invoice));

    /** Metadata keys that fill the account field of the same name rather than a custom field. */
    static final Set<String> ACCOUNT_FIELDS_IN_METADATA = Set.of("tier", "industry", "region", "employees");

    /** Custom field that says when Stripe deleted the customer. */
    static final String DELETED_ON = "stripe_deleted_on";

    /** Currencies whose amounts Stripe gives in whole units, and those with three decimals. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof",
            "xpf");

    private static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");

    private StripeObjects() {}

    /** The largest amount Steward stores (ARR, invoice totals), in major units: 999,999,999,999.99. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    /** The latest Unix time read as a date: the end of year 9999. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    /** A value in an object that Steward cannot take as it is: the object is rejected, naming the field. */
    static final class Refused extends RuntimeException {
        private final String field;

        Refused(String field, String reason) {
            super(reason);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /** The kind of object an event type carries, or null for types Steward does not use. */
    static Kind kindOf(String eventType) {
        return EVENT_TYPES.get(eventType);
    }

    /**
     * How far along its life the object's state is. Two events created in the same second are applied in this
     * order, so that a paid invoice never goes back to open because its {@code invoice.finalized} arrived last.
     */
    static int rank(Kind kind, String eventType, JsonNode object) {
        String status = text(object, "status");
        return switch (kind) {
            case customer ->
                eventType.equals("customer.deleted") || object.path("deleted").asBoolean(false) ? 1 : 0;
            case subscription ->
                switch (status == null ? "" : status) {
                    case "incomplete" -> 0;
                    case "canceled", "incomplete_expired" -> 3;
                    case "trialing" -> 1;
                    default -> 2;
                };
            case invoice ->
                switch (status == null ? "" : status) {
                    case "draft" -> 0;
                    case "open" -> 1;
                    case "uncollectible" -> 2;
                    default -> 3;
                };
        };
    }

    /** The Stripe customer an object belongs to: its {@code customer} field, an id or an expanded object. */
    static String customerOf(JsonNode object) {
        JsonNode customer = object.path("customer");
        return customer.isObject() ? text(customer, "id") : text(object, "customer");
    }

    /**
     * A customer as a bulk account record: fields it leaves out keep what is stored. The name is the customer's
     * name, else email, else id; metadata fills tier, industry, region and employees, and any other key a custom
     * field of the same name (merged over {@code storedCustomFields}). A deleted customer's account is kept, marked
     * churned, with the day of deletion.
     */
    static ObjectNode account(JsonNode customer, JsonNode storedCustomFields, boolean deleted, Instant at) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        String id = text(customer, "id");
        record.put("externalId", id);
        record.put("name", firstOf(text(customer, "name"), text(customer, "email"), id));
        ObjectNode customFields = JsonNodeFactory.instance.objectNode();
        storedCustomFields.properties().forEach(entry -> customFields.set(entry.getKey(), entry.getValue()));
        customer.path("metadata").properties().forEach(entry -> {
            String key = entry.getKey();
            String value = entry.getValue().isValueNode() ? entry.getValue().asString() : null;
            if (value == null) {
                return;
            }
            if (key.equals("employees") && value.matches("\\d{1,9}")) {
                record.put("employees", Integer.parseInt(value));
            } else if (ACCOUNT_FIELDS_IN_METADATA.contains(key) && !key.equals("employees")) {
                record.put(key, value);
            } else {
                customFields.put(key, value);
            }
        });
        if (deleted) {
            record.put("lifecycleStage", "churned");
            customFields.put(DELETED_ON, date(at.getEpochSecond()).toString());
        }
        record.set("customFields", customFields);
        return record;
    }

    /** An account known only by its Stripe id, until the customer's own event names it. */
    static ObjectNode accountStub(String customerId, String name) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", customerId);
        record.put("name", firstOf(name, customerId));
        return record;
    }

    /**
     * A subscription as a bulk contract record. ARR is the sum over licensed recurring items of unit price ×
     * quantity, brought to a year by the price's interval; seats are those items' quantities. The contract runs
     * from the subscription's start to when it ended, else when it is set to cancel, else the end of the current
     * period (which moves on with every renewal).
     */
    static ObjectNode contract(JsonNode subscription) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("externalId", text(subscription, "id"));
        record.put("accountExternalId", customerOf(subscription));
        LocalDate start = firstOf(date(subscription, "start_date"), date(subscription, "created"));
        record.put("startDate", start == null ? null : start.toString());
        LocalDate end = firstOf(
                date(subscription, "ended_at"), date(subscription, "cancel_at"), currentPeriodEnd(subscription));
        record.put("endDate", end == null ? null : end.toString());
        String currency = null;
        BigDecimal perYear = BigDecimal.ZERO;
        int seats = 0;
        boolean licensed = false;
        Set<String> plans = new LinkedHashSet<>();
        for (JsonNode item : subscription.path("items").path("data")) {
            JsonNode price = item.path("price").isObject() ? item.path("price") : item.path("plan");
            JsonNode recurring = price.path("recurring").isObject() ? price.path("recurring") : price;
            currency = firstOf(text(price, "currency"), currency);
            plans.add(firstOf(text(price, "nickname"), text(price, "lookup_key"), productOf(price), text(price, "id")));
            String interval = text(recurring, "interval");
            if (interval == null || "metered".equals(text(recurring, "usage_type"))) {
                continue;
            }
            long quantity = firstOf(number(item, "quantity"), 1L);
            if (quantity < 0 || quantity > Integer.MAX_VALUE) {
                throw new Refused("items.data.quantity", "is " + quantity + ", not a number of seats");
            }
            licensed = true;
            seats += (int) quantity;
            BigDecimal unitAmount = unitAmount(price);
            if (unitAmount != null) {
                perYear = perYear.add(unitAmount
                        .multiply(BigDecimal.valueOf(packages(quantity, price.path("transform_quantity"))))
                        .multiply(periodsPerYear(interval, firstOf(number(recurring, "interval_count"), 1L))));
            }
        }
        currency = firstOf(currency, text(subscription, "currency"), "usd");
        record.put("arr", checkedAmount(major(perYear, currency), "items.data.price.unit_amount"));
        if (licensed) {
            record.put("seats", seats);
        }
        String names = String.join(" + ", plans);
        String plan =
                (names.isEmpty() ? "Stripe subscription" : names) + " (" + currency.toUpperCase(Locale.ROOT) + ")";
        record.put("plan", plan.length() > 200 ? plan.substring(0, 199) + "…" : plan);
        String status = text(subscription, "status");
        boolean over = "canceled".equals(status) || "incomplete_expired".equals(status);
        record.put("status", over ? "cancelled" : "active");
        record.put(
                "autoRenew",
                !over
                        && !subscription.path("cancel_at_period_end").asBoolean(false)
                        && number(subscription, "cancel_at") == null);
        return record;
    }

    /**
     * An invoice as Steward records it: issued when finalised, due on its due date (or when issued, for invoices
     * charged automatically), paid when Stripe marked it paid; the amount is its total in major units.
     */
    static InvoiceInput invoice(JsonNode invoice, Instant eventCreated) {
        JsonNode transitions = invoice.path("status_transitions");
        LocalDate issued =
                firstOf(date(transitions, "finalized_at"), date(invoice, "effective_at"), date(invoice, "created"));
        LocalDate due = date(invoice, "due_date");
        LocalDate dueOn = due == null || issued != null && due.isBefore(issued) ? issued : due;
        Invoice.Status status = status(text(invoice, "status"));
        LocalDate paidOn = status == Invoice.Status.paid
                ? firstOf(date(transitions, "paid_at"), date(eventCreated.getEpochSecond()))
                : null;
        String currency = firstOf(text(invoice, "currency"), "usd");
        Long total = firstOf(number(invoice, "total"), number(invoice, "amount_due"));
        return new InvoiceInput(
                text(invoice, "id"),
                null,
                customerOf(invoice),
                issued,
                dueOn,
                paidOn,
                total == null ? null : checkedAmount(major(BigDecimal.valueOf(total), currency), "total"),
                currency.toUpperCase(Locale.ROOT),
                status);
    }

    /** The name an invoice gives its customer, for an account not known yet. */
    static String customerNameOnInvoice(JsonNode invoice) {
        return firstOf(text(invoice, "customer_name"), text(invoice, "customer_email"));
    }

    static boolean isDraft(JsonNode invoice) {
        return "draft".equals(text(invoice, "status"));
    }

    private static Invoice.Status status(String stripeStatus) {
        return switch (stripeStatus == null ? "open" : stripeStatus) {
            case "paid" -> Invoice.Status.paid;
            case "void" -> Invoice.Status.void_;
            case "uncollectible" -> Invoice.Status.uncollectible;
            case "draft" -> Invoice.Status.draft;
            default -> Invoice.Status.open;
        };
    }

    /** Since API version 2025-03-31 the current period is on each item rather than on the subscription. */
    private static LocalDate currentPeriodEnd(JsonNode subscription) {
        LocalDate end = date(subscription, "current_period_end");
        if (end != null) {
            return end;
        }
        for (JsonNode item : subscription.path("items").path("data")) {
            LocalDate itemEnd = date(item, "current_period_end");
            if (itemEnd != null && (end == null || itemEnd.isAfter(end))) {
                end = itemEnd;
            }
        }
        return end;
    }

    /** A price's amount per unit in minor units; null for tiered or customer-chosen prices. */
    private static BigDecimal unitAmount(JsonNode price) {
        String decimal = firstOf(text(price, "unit_amount_decimal"), text(price, "amount_decimal"));
        if (decimal != null) {
            BigDecimal amount;
            try {
                amount = new BigDecimal(decimal);
            } catch (NumberFormatException e) {
                amount = null; // fall through to the integer amount
            }
            if (amount != null && amount.precision() - amount.scale() > 20) {
                throw new Refused(
                        text(price, "unit_amount_decimal") != null ? "unit_amount_decimal" : "amount_decimal",
                        "is " + decimal + ", beyond any amount Stripe sends");
            }
            if (amount != null) {
                return amount;
            }
        }
        Long amount = firstOf(number(price, "unit_amount"), number(price, "amount"));
        return amount == null ? null : BigDecimal.valueOf(amount);
    }

    /** Package pricing: the quantity divided into packages of {@code divide_by}, rounded as the price says. */
    private static long packages(long quantity, JsonNode transform) {
        Long divideBy = number(transform, "divide_by");
        if (divideBy == null || divideBy <= 0) {
            return quantity;
        }
        long whole = quantity / divideBy;
        boolean up = "up".equals(text(transform, "round"));
        return up && quantity % divideBy != 0 ? whole + 1 : whole;
    }

    private static BigDecimal periodsPerYear(String interval, long count) {
        BigDecimal perYear = switch (interval) {
            case "day" -> BigDecimal.valueOf(365);
            case "week" -> BigDecimal.valueOf(52);
            case "month" -> BigDecimal.valueOf(12);
            default -> BigDecimal.ONE;
        };
        return perYear.divide(BigDecimal.valueOf(Math.max(1, count)), 10, RoundingMode.HALF_UP);
    }

    /** Stripe's minor units (cents) as major units, rounded to cents. */
    private static BigDecimal major(BigDecimal minor, String currency) {
        String code = currency.toLowerCase(Locale.ROOT);
        int exponent = ZERO_DECIMAL.contains(code) ? 0 : THREE_DECIMAL.contains(code) ? 3 : 2;
        return minor.movePointLeft(exponent).setScale(2, RoundingMode.HALF_UP);
    }

    private static String productOf(JsonNode price) {
        JsonNode product = price.path("product");
        return product.isObject() ? text(product, "name") : text(price, "product");
    }

    static LocalDate date(long epochSecond) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }

    static Long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber()) {
            return null;
        }
        if (!value.canConvertToLong()) {
            throw new Refused(field, "is " + value + ", beyond any number Stripe sends");
        }
        return value.asLong();
    }

    /** A Unix time in seconds, as a date; refused beyond the years 1970 to 9999. */
    static LocalDate date(JsonNode node, String field) {
        Long seconds = number(node, field);
        if (seconds == null) {
            return null;
        }
        if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw new Refused(field, "is " + seconds + ", not a Unix time between 1970 and the year 9999");
        }
        return date(seconds);
    }

    /** An amount in major units as Steward stores it; refused when larger than that can hold. */
    private static BigDecimal checkedAmount(BigDecimal amount, String field) {
        if (amount.abs().compareTo(MAX_AMOUNT) > 0) {
            String shown = amount.precision() - amount.scale() > 20
                    ? amount.round(new java.math.MathContext(4)).toString()
                    : amount.toPlainString();
            throw new Refused(
                    field,
                    "comes to " + shown + " in major units; Steward stores amounts up to "
                            + MAX_AMOUNT.toPlainString());
        }
        return amount;
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
