package dev.steward.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers from the outbox. Each attempt runs in a transaction of its own that holds the delivery's row locked while
 * the email is handed to the SMTP server or the webhook is posted, and marks it sent before committing: another
 * instance (or the sweep on this one) skips a row that is locked and sees it sent once committed, so each delivery
 * goes out once. A crash between sending and committing rolls the mark back, and the delivery is sent again later: at
 * least once, and in practice once.
 */
@Component
class Deliveries {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final Outbox outbox;
    private final EmailChannel email;
    private final WebhookChannel webhooks;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Retries retries;
    private final int batch;
    private final ApplicationEventPublisher events;

    Deliveries(
            Outbox outbox,
            EmailChannel email,
            WebhookChannel webhooks,
            PlatformTransactionManager transactionManager,
            Clock clock,
            NotifyProperties properties,
            ApplicationEventPublisher events) {
        this.outbox = outbox;
        this.email = email;
        this.webhooks = webhooks;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.retries = properties.retries();
        this.batch = properties.sweepBatch();
        this.events = events;
    }

    /**
     * Attempts each of these deliveries that is still pending and due; one that another attempt holds is left to it,
     * one that is not due waits for the sweep.
     */
    void deliver(Collection<UUID> ids) {
        for (UUID id : ids) {
            transactions.executeWithoutResult(
                    status -> outbox.claim(id, clock.instant()).ifPresent(this::attempt));
        }
    }

    /** Attempts due deliveries, the longest due first, until none is left, a batch is done or the instance stops. */
    int deliverDue(BooleanSupplier stopping) {
        int attempted = 0;
        while (attempted < batch && !stopping.getAsBoolean()) {
            Boolean found = transactions.execute(status -> outbox.claimNextDue(clock.instant())
                    .map(delivery -> {
                        attempt(delivery);
                        return true;
                    })
                    .orElse(false));
            if (!Boolean.TRUE.equals(found)) {
                break;
            }
            attempted++;
        }
        return attempted;
    }

    private void attempt(Delivery delivery) {
        Outcome outcome;
        try {
            outcome = switch (delivery.channel()) {
                case email -> email.send(delivery);
                case webhook -> webhooks.send(delivery);
                case digest -> throw new IllegalStateException("digest items go out with the daily digest");
            };
        } catch (RuntimeException e) {
            outcome = new Outcome.Failed(EmailChannel.describe(e));
        }
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        if (outcome instanceof Outcome.Sent) {
            outbox.markSent(delivery.id(), attempts, now);
        } else if (outcome instanceof Outcome.NotConfigured off) {
            outbox.markNotConfigured(delivery.id(), off.reason(), now);
        } else if (outcome instanceof Outcome.Failed failed) {
            Instant next = retries.next(attempts, now);
            outbox.markFailed(delivery.id(), attempts, next, Outcome.shortened(failed.reason()), now);
            if (next == null) {
                givenUp(delivery, attempts, failed.reason(), now);
                log.warn(
                        "Gave up on {} delivery {} after {} attempts: {}",
                        delivery.channel(),
                        delivery.id(),
                        attempts,
                        failed.reason());
            } else {
                log.info(
                        "{} delivery {} failed (attempt {}), trying again at {}: {}",
                        delivery.channel(),
                        delivery.id(),
                        attempts,
                        next,
                        failed.reason());
            }
        } else if (outcome instanceof Outcome.Bounced bounced) {
            outbox.markFailed(delivery.id(), attempts, null, Outcome.shortened(bounced.reason()), now);
            events.publishEvent(
                    new EmailBounced(delivery.id(), bounced.address(), Outcome.shortened(bounced.reason()), now));
            log.warn(
                    "Email delivery {} bounced: the server refused {}: {}",
                    delivery.id(),
                    bounced.address(),
                    bounced.reason());
        } else if (outcome instanceof Outcome.Refused refused) {
            outbox.markFailed(delivery.id(), attempts, null, Outcome.shortened(refused.reason()), now);
            givenUp(delivery, attempts, refused.reason(), now);
            log.warn("{} delivery {} cannot succeed: {}", delivery.channel(), delivery.id(), refused.reason());
        }
    }

    /** Says that an email will not go out by itself any more, in the transaction that marks it failed. */
    private void givenUp(Delivery delivery, int attempts, String reason, Instant at) {
        if (delivery.channel() == Delivery.Channel.email && delivery.recipientId() != null) {
            events.publishEvent(new EmailUndelivered(
                    delivery.id(),
                    delivery.recipientId(),
                    delivery.subject() == null ? "(notification)" : delivery.subject(),
                    attempts,
                    Outcome.shortened(reason),
                    at));
        }
    }
}
