package dev.steward.ingest.stripe;

import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.stripe.StripeSecrets.SecretHint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Connects Stripe accounts: a source per webhook endpoint, the signing secrets it verifies deliveries with, and,
 * when given, the API key the backfill reads the account's existing customers, subscriptions and invoices with.
 */
@Service
class StripeEndpoints {

    /** Most signing secrets active at once: enough to roll a secret, few enough to notice forgotten ones. */
    static final int MAX_SECRETS = 5;

    /** A Stripe source as the API shows it, with the path to give Stripe and its secrets' last characters. */
    record StripeEndpoint(
            String name,
            String webhookPath,
            Integer expectedIntervalHours,
            List<SecretHint> signingSecrets,
            Instant createdAt,
            StripeConnections.@Nullable Connection apiKey,
            StripeConnections.@Nullable Backfill backfill) {}

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** What an API key must look like: a secret or restricted key, test or live mode. */
    static final Pattern API_KEY = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]{8,250}");

    private final Sources sources;
    private final StripeSecrets secrets;
    private final StripeWebhooks webhooks;
    private final StripeEvents events;
    private final StripeApi api;
    private final StripeConnections connections;
    private final StripeBackfill backfill;
    private final TransactionTemplate transactions;
    private final Clock clock;

    StripeEndpoints(
            Sources sources,
            StripeSecrets secrets,
            StripeWebhooks webhooks,
            StripeEvents events,
            StripeApi api,
            StripeConnections connections,
            StripeBackfill backfill,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.sources = sources;
        this.secrets = secrets;
        this.webhooks = webhooks;
        this.events = events;
        this.api = api;
        this.connections = connections;
        this.backfill = backfill;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Connects a Stripe account: with an API key, the key is checked against Stripe first (nothing is created when
     * Stripe refuses it, and the reason names Stripe's own message), kept, and the backfill of what the account
     * already holds starts; the signing secret verifies the webhook deliveries that keep it in step from then on.
     */
    StripeEndpoint create(String name, String signingSecret, Integer expectedIntervalHours, @Nullable String apiKey) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException(
                    "name",
                    "must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        StripeApi.Account account = null;
        if (apiKey != null) {
            if (sources.find(name).isPresent()) {
                throw ConflictException.of("a source named '" + name + "' already exists");
            }
            if (!API_KEY.matcher(apiKey).matches()) {
                throw new InvalidInputException(
                        "apiKey",
                        "must be a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…)");
            }
            try {
                account = api.check(apiKey);
            } catch (StripeApi.Refused e) {
                throw new InvalidInputException("apiKey", "Stripe refused the key: " + e.getMessage());
            }
        }
        StripeApi.Account checked = account;
        Source created = transactions.execute(status -> {
            Source source = sources.create(name, Source.Kind.stripe, null, expectedIntervalHours);
            secrets.add(source.id(), signingSecret, clock.instant());
            if (checked != null) {
                connections.saveKey(source.id(), apiKey, checked, clock.instant());
                backfill.request(source);
            }
            return source;
        });
        return view(created);
    }

    /** Reads everything the source's Stripe account holds again, with the key it was connected with. */
    @Transactional
    StripeEndpoint backfillAgain(String name) {
        Source source = webhooks.source(name);
        if (connections.key(source.id()).isEmpty()) {
            throw ConflictException.of("source '" + name + "' has no API key to read Stripe with; connect it with one");
        }
        if (connections
                .backfill(source.id())
                .map(StripeConnections.Backfill::running)
                .orElse(false)) {
            throw ConflictException.of("the backfill of source '" + name + "' is still running");
        }
        backfill.request(source);
        return view(source);
    }

    List<StripeEndpoint> all() {
        return sources.all().stream()
                .filter(s -> s.kind() == Source.Kind.stripe)
                .map(this::view)
                .toList();
    }

    StripeEndpoint get(String name) {
        return view(webhooks.source(name));
    }

    @Transactional
    SecretHint addSecret(String name, String signingSecret) {
        Source source = webhooks.source(name);
        List<SecretHint> active = secrets.hints(source.id());
        if (active.size() >= MAX_SECRETS && secrets.of(source.id()).stream().noneMatch(signingSecret::equals)) {
            throw ConflictException.of("source '" + name + "' already has " + MAX_SECRETS
                    + " signing secrets; remove one Stripe no longer signs with before adding another");
        }
        return secrets.add(source.id(), signingSecret, clock.instant());
    }

    /** Removes a secret once Stripe no longer signs with it; the last one stays, or nothing could be verified. */
    @Transactional
    void removeSecret(String name, UUID secret) {
        Source source = webhooks.source(name);
        List<SecretHint> active = secrets.hints(source.id());
        if (active.stream().noneMatch(h -> h.id().equals(secret))) {
            throw new NotFoundException("signing secret", secret);
        }
        if (active.size() == 1) {
            throw ConflictException.of("this is the only signing secret of source '" + name
                    + "'; add the new one before removing it, or no delivery could be verified");
        }
        secrets.remove(source.id(), secret);
    }

    List<StripeEvents.Delivery> latestEvents(String name, int limit) {
        return events.latest(webhooks.source(name).id(), limit);
    }

    private StripeEndpoint view(Source source) {
        return new StripeEndpoint(
                source.name(),
                StripeWebhookController.PATH.replace("{source}", source.name()),
                source.expectedIntervalHours(),
                secrets.hints(source.id()),
                source.createdAt(),
                connections.connection(source.id()).orElse(null),
                connections.backfill(source.id()).orElse(null));
    }
}
