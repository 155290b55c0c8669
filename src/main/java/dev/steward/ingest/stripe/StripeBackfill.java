package dev.steward.ingest.stripe;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.stripe.StripeEvents.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a Stripe account already holds, customers first, then subscriptions and invoices, a page at a time, and
 * applies each object as its webhook event would: a job (db-scheduler), so that it survives a restart, with its
 * progress kept per page for the page to show.
 */
@Service
class StripeBackfill {

    /** What is read, in this order: accounts before the contracts and invoices that name them. */
    private record Listing(String kind, String path, String eventType) {}

    private static final List<Listing> LISTINGS = List.of(
            new Listing("customers", "/v1/customers", "customer.updated"),
            new Listing("subscriptions", "/v1/subscriptions", "customer.subscription.updated"),
            new Listing("invoices", "/v1/invoices", "invoice.updated"));

    private final Sources sources;
    private final StripeApi api;
    private final StripeConnections connections;
    private final StripeWebhooks webhooks;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ObjectProvider<OneTimeTask<String>> task;
    private final Clock clock;

    StripeBackfill(
            Sources sources,
            StripeApi api,
            StripeConnections connections,
            StripeWebhooks webhooks,
            ObjectProvider<SchedulerClient> scheduler,
            ObjectProvider<OneTimeTask<String>> task,
            Clock clock) {
        this.sources = sources;
        this.api = api;
        this.connections = connections;
        this.webhooks = webhooks;
        this.scheduler = scheduler;
        this.task = task;
        this.clock = clock;
    }

    /** Marks the source's backfill running and asks for it to start once the caller's transaction commits. */
    void request(Source source) {
        connections.started(source.id(), clock.instant());
        SchedulerClient jobs = scheduler.getObject();
        jobs.scheduleIfNotExists(task.getObject()
                .schedulableInstance(source.id().toString(), source.id().toString()));
        if (jobs instanceof Scheduler running && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    running.triggerCheckForDueExecutions();
                }
            });
        }
    }

    /** Runs the backfill of a source; a failure (Stripe refusing, unreachable) stops it and is kept with its reason. */
    void run(UUID sourceId) {
        Source source = sources.find(sourceId).orElse(null);
        String key = source == null ? null : connections.key(sourceId).orElse(null);
        if (source == null || key == null) {
            return; // the source or its key was removed since
        }
        String run = Long.toString(clock.instant().getEpochSecond());
        String failure = null;
        try {
            for (Listing listing : LISTINGS) {
                read(source, key, listing, run);
            }
        } catch (StripeApi.Refused e) {
            failure = e.getMessage();
        }
        connections.finished(sourceId, clock.instant(), failure);
    }

    private void read(Source source, String key, Listing listing, String run) {
        @Nullable String after = null;
        boolean more = true;
        while (more) {
            Instant readAt = clock.instant();
            StripeApi.Page page = api.page(key, listing.path(), after);
            int applied = 0;
            int rejected = 0;
            for (JsonNode object : page.objects()) {
                String id = StripeObjects.text(object, "id");
                StripeWebhooks.Receipt receipt =
                        webhooks.applyListed(source, listing.eventType(), object, readAt, "backfill_" + run + "_" + id);
                if (receipt.outcome() == Outcome.rejected) {
                    rejected++;
                } else if (receipt.outcome() == Outcome.applied) {
                    applied++;
                }
                after = id;
            }
            connections.progressed(source.id(), listing.kind(), applied, rejected);
            more = page.hasMore() && after != null;
        }
    }
}
