package dev.steward.ingest.stripe;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.steward.core.SealedColumn;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Stripe backfill as a db-scheduler job ({@value #BACKFILL}), one per source, its data the source's id. */
@Configuration(proxyBeanMethods = false)
class StripeJobs {

    static final String BACKFILL = "stripe-backfill";

    @Bean
    OneTimeTask<String> stripeBackfillTask(StripeBackfill backfill) {
        return Tasks.oneTime(BACKFILL, String.class)
                .execute((instance, context) -> backfill.run(UUID.fromString(instance.getData())));
    }

    /** Stripe's API keys and signing secrets, sealed at rest. */
    @Bean
    SealedColumn stripeApiKeys() {
        return new SealedColumn("ingest_stripe_api_key", "source_id", "api_key");
    }

    @Bean
    SealedColumn stripeSigningSecrets() {
        return new SealedColumn("ingest_stripe_secret", "id", "secret");
    }
}
