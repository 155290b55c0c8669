package dev.steward.ingest.stripe;

import dev.steward.core.ConflictException;
import dev.steward.core.NotFoundException;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.stripe.StripeSecrets.SecretHint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Connects Stripe accounts: a source per webhook endpoint and the signing secrets it verifies deliveries with. */
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
            Instant createdAt) {}

    private final Sources sources;
    private final StripeSecrets secrets;
    private final StripeWebhooks webhooks;
    private final StripeEvents events;
    private final Clock clock;

    StripeEndpoints(Sources sources, StripeSecrets secrets, StripeWebhooks webhooks, StripeEvents events, Clock clock) {
        this.sources = sources;
        this.secrets = secrets;
        this.webhooks = webhooks;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    StripeEndpoint create(String name, String signingSecret, Integer expectedIntervalHours) {
        Source source = sources.create(name, Source.Kind.stripe, null, expectedIntervalHours);
        secrets.add(source.id(), signingSecret, clock.instant());
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
                source.createdAt());
    }
}
