package dev.steward.ingest.stripe;

import dev.steward.activity.ActivityRecorder;
import dev.steward.core.BulkResult;
import dev.steward.core.FieldError;
import dev.steward.core.JsonErrors;
import dev.steward.core.NotFoundException;
import dev.steward.core.StorableText;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractManagement;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.stripe.StripeEvents.Delivery;
import dev.steward.ingest.stripe.StripeEvents.ObjectState;
import dev.steward.ingest.stripe.StripeEvents.Outcome;
import dev.steward.ingest.stripe.StripeObjects.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Receives a Stripe source's webhook deliveries: checks the signature, stores each event once by its id, and applies
 * customers, subscriptions and invoices to accounts, contracts and invoices, never letting an older state of an
 * object overwrite a newer one. A subscription or invoice of a customer Steward has not heard of yet creates the
 * account from the customer's id; the customer's own event names it when it arrives.
 */
@Service
class StripeWebhooks {

    /** What a delivery did, as the endpoint answers it. */
    record Receipt(String eventId, String type, Outcome outcome, String reason, boolean duplicate) {}

    /** A delivery that is signed but is not a Stripe event Steward can read. */
    static final class MalformedEvent extends RuntimeException {
        private final FieldError error;

        MalformedEvent(FieldError error) {
            super(error.toString());
            this.error = error;
        }

        FieldError error() {
            return error;
        }
    }

    private final Sources sources;
    private final StripeSecrets secrets;
    private final StripeEvents events;
    private final AccountManagement accounts;
    private final ContractManagement contracts;
    private final ActivityRecorder activity;
    private final ObjectMapper json;
    private final TransactionTemplate transactions;
    private final Clock clock;

    StripeWebhooks(
            Sources sources,
            StripeSecrets secrets,
            StripeEvents events,
            AccountManagement accounts,
            ContractManagement contracts,
            ActivityRecorder activity,
            ObjectMapper json,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sources = sources;
        this.secrets = secrets;
        this.events = events;
        this.accounts = accounts;
        this.contracts = contracts;
        this.activity = activity;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The Stripe source of this name; any other kind of source has no Stripe endpoint. */
    Source source(String name) {
        return sources.find(name)
                .filter(s -> s.kind() == Source.Kind.stripe)
                .orElseThrow(() -> new NotFoundException("Stripe source", name));
    }

    /**
     * Verifies, stores and applies one delivery. The event is stored and applied in one transaction, so that what
     * is acknowledged is durable, and a delivery that failed half-way is retried by Stripe as a whole.
     */
    Receipt receive(String sourceName, byte[] body, String signatureHeader) {
        Source source = source(sourceName);
        Instant now = clock.instant();
        try {
            StripeSignature.parse(signatureHeader).verify(body, secrets.of(source.id()), now);
        } catch (StripeSignature.Refused e) {
            sources.received(
                    source, 0, List.of(new Rejection("delivery", "Stripe-Signature", e.getMessage(), signatureHeader)));
            throw e;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode event;
        try {
            event = json.readTree(body);
            requireEventShape(event);
            // A signed event is still refused whole if the database cannot store its text: it is kept as sent.
            FieldError unstorable = StorableText.firstProblem(event, null);
            if (unstorable != null) {
                throw new MalformedEvent(unstorable);
            }
        } catch (JacksonException | MalformedEvent e) {
            FieldError error =
                    e instanceof JacksonException jackson ? JsonErrors.describe(jackson) : ((MalformedEvent) e).error();
            sources.received(source, 0, List.of(new Rejection("delivery", error.field(), error.reason(), text)));
            throw e instanceof MalformedEvent malformed ? malformed : new MalformedEvent(error);
        }
        JsonNode object = event.path("data").path("object");
        Delivery delivery = new Delivery(
                event.path("id").asString(),
                event.path("type").asString(),
                Instant.ofEpochSecond(event.path("created").asLong()),
                StripeObjects.text(object, "id"),
                Outcome.ignored,
                null,
                now);
        return store(source, delivery, text, object);
    }

    /**
     * Applies an object read through Stripe's API (the backfill) as an event of this type created when it was read
     * would be: stored under a made-up event id that says so, never overwriting a state a later webhook event gave.
     */
    Receipt applyListed(Source source, String type, JsonNode object, Instant readAt, String eventId) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("id", eventId);
        event.put("type", type);
        event.put("created", readAt.getEpochSecond());
        event.putObject("data").set("object", object);
        FieldError unstorable = StorableText.firstProblem(event, null);
        if (unstorable != null) {
            sources.received(source, 0, List.of(new Rejection(eventId, unstorable.field(), unstorable.reason(), null)));
            return new Receipt(eventId, type, Outcome.rejected, unstorable.toString(), false);
        }
        Delivery delivery = new Delivery(
                eventId,
                type,
                Instant.ofEpochSecond(readAt.getEpochSecond()),
                StripeObjects.text(object, "id"),
                Outcome.ignored,
                null,
                clock.instant());
        return store(source, delivery, json.writeValueAsString(event), object);
    }

    private Receipt store(Source source, Delivery delivery, String text, JsonNode object) {
        return transactions.execute(status -> {
            events.lock(source.id());
            if (!events.insert(source.id(), delivery, text)) {
                sources.received(source, 0, List.of());
                Delivery stored = events.find(source.id(), delivery.eventId()).orElseThrow();
                return new Receipt(stored.eventId(), stored.type(), stored.outcome(), stored.reason(), true);
            }
            Applied applied = apply(source, delivery, object);
            events.settle(source.id(), delivery.eventId(), applied.outcome(), applied.reason());
            sources.received(
                    source,
                    applied.outcome() == Outcome.rejected ? 0 : 1,
                    applied.outcome() == Outcome.rejected
                            ? List.of(new Rejection(delivery.eventId(), applied.field(), applied.reason(), text))
                            : List.of());
            return new Receipt(delivery.eventId(), delivery.type(), applied.outcome(), applied.reason(), false);
        });
    }

    private static void requireEventShape(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEvent(
                    FieldError.of(null, "the body is not a JSON object; Stripe sends an event object"));
        }
        if (StripeObjects.text(event, "id") == null) {
            throw new MalformedEvent(FieldError.of("id", "is missing; a Stripe event has an id such as evt_..."));
        }
        if (StripeObjects.text(event, "type") == null) {
            throw new MalformedEvent(
                    FieldError.of("type", "is missing; a Stripe event has a type such as invoice.paid"));
        }
        try {
            if (StripeObjects.date(event, "created") == null) {
                throw new MalformedEvent(FieldError.of("created", "is missing or not a Unix time in seconds"));
            }
        } catch (StripeObjects.Refused e) {
            throw new MalformedEvent(FieldError.of(e.field(), e.getMessage()));
        }
        if (!event.path("data").path("object").isObject()) {
            throw new MalformedEvent(
                    FieldError.of("data.object", "is missing; it carries the object the event is about"));
        }
    }

    /** What applying an event did; for a rejection, the field and reason. */
    private record Applied(Outcome outcome, String field, String reason) {

        static Applied done() {
            return new Applied(Outcome.applied, null, null);
        }

        static Applied because(Outcome outcome, String reason) {
            return new Applied(outcome, null, reason);
        }

        static Applied refused(List<FieldError> errors, String what) {
            FieldError first = errors.get(0);
            String reasons = errors.stream()
                    .map(e -> (e.field() == null ? "" : e.field() + ": ") + e.reason())
                    .collect(Collectors.joining("; "));
            return new Applied(Outcome.rejected, first.field(), what + " refused: " + reasons);
        }
    }

    private Applied apply(Source source, Delivery delivery, JsonNode object) {
        Kind kind = StripeObjects.kindOf(delivery.type());
        if (kind == null) {
            return Applied.because(Outcome.ignored, "Steward does not use " + delivery.type() + " events");
        }
        if (delivery.objectId() == null) {
            return new Applied(Outcome.rejected, "data.object.id", "the event's object has no id");
        }
        if (kind == Kind.invoice && StripeObjects.isDraft(object)) {
            return Applied.because(Outcome.ignored, "draft invoices are recorded once finalized");
        }
        String customer = kind == Kind.customer ? delivery.objectId() : StripeObjects.customerOf(object);
        if (customer == null) {
            return new Applied(
                    Outcome.rejected, "data.object.customer", "the " + kind + " names no customer, so no account");
        }
        int rank = StripeObjects.rank(kind, delivery.type(), object);
        Optional<ObjectState> state = events.state(source.id(), delivery.objectId());
        if (state.isPresent() && state.get().newerThan(delivery.created(), rank)) {
            return Applied.because(
                    Outcome.superseded,
                    "event " + state.get().eventId() + " of " + state.get().eventCreated() + " already gave this "
                            + kind + " a newer state");
        }
        Applied applied;
        try {
            applied = switch (kind) {
                case customer -> applyCustomer(source, delivery, object);
                case subscription -> applySubscription(source, customer, object);
                case invoice -> applyInvoice(source, delivery, customer, object);
            };
        } catch (StripeObjects.Refused e) {
            // Read before anything is written: a value Steward cannot take rejects the object, naming the field.
            return new Applied(Outcome.rejected, "data.object." + e.field(), e.getMessage());
        }
        if (applied.outcome() == Outcome.applied) {
            events.advance(source.id(), delivery.objectId(), delivery.eventId(), delivery.created(), rank);
        }
        return applied;
    }

    private Applied applyCustomer(Source source, Delivery delivery, JsonNode customer) {
        Optional<AccountId> known = Optional.ofNullable(
                accounts.resolve(source.name(), List.of(delivery.objectId())).get(delivery.objectId()));
        Map<String, Object> stored =
                known.flatMap(accounts::find).map(a -> a.customFields()).orElse(Map.of());
        ObjectNode record = StripeObjects.account(
                customer, json.valueToTree(stored), delivery.type().equals("customer.deleted"), delivery.created());
        BulkResult result = accounts.upsert(source.name(), batch(record), false);
        return result.rejected() == 0 ? Applied.done() : Applied.refused(result.errors(), "account");
    }

    private Applied applySubscription(Source source, String customer, JsonNode subscription) {
        ObjectNode contract = StripeObjects.contract(subscription);
        List<FieldError> stub = ensureAccount(source, customer, null);
        if (!stub.isEmpty()) {
            return Applied.refused(stub, "account");
        }
        BulkResult result = contracts.upsert(source.name(), batch(contract), false);
        return result.rejected() == 0 ? Applied.done() : Applied.refused(result.errors(), "contract");
    }

    private Applied applyInvoice(Source source, Delivery delivery, String customer, JsonNode invoice) {
        var record = StripeObjects.invoice(invoice, delivery.created());
        List<FieldError> stub = ensureAccount(source, customer, StripeObjects.customerNameOnInvoice(invoice));
        if (!stub.isEmpty()) {
            return Applied.refused(stub, "account");
        }
        BulkResult result = activity.upsertInvoices(source.name(), List.of(record), false);
        return result.rejected() == 0 ? Applied.done() : Applied.refused(result.errors(), "invoice");
    }

    /** Creates the account of a customer Steward has not heard of yet, known by its Stripe id. */
    private List<FieldError> ensureAccount(Source source, String customer, String name) {
        if (accounts.resolve(source.name(), List.of(customer)).containsKey(customer)) {
            return List.of();
        }
        return accounts.upsert(source.name(), batch(StripeObjects.accountStub(customer, name)), false)
                .errors();
    }

    private static JsonNode batch(ObjectNode record) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("records").add(record);
        return body;
    }
}
