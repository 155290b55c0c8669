package dev.steward.notify;

import java.time.Duration;
import java.time.LocalTime;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of notification delivery ({@code steward.notify.*}) and of email ({@code steward.mail.*}; the SMTP server
 * itself is Spring's {@code spring.mail.*}).
 *
 * @param sweepInterval how long the delivery job waits after a run before it looks for due deliveries again (new
 *     ones are delivered at once by their own job; this one catches retries and anything a crash left behind)
 * @param sweepBatch the most deliveries one run of that job attempts (the next run takes the rest)
 * @param maxAttempts failed attempts after which a delivery is failed for good
 * @param digestTime when the daily digest goes out, UTC
 * @param webhookTimeout how long a webhook endpoint may take to connect and to answer
 */
@ConfigurationProperties("steward.notify")
record NotifyProperties(
        Duration sweepInterval,
        Integer sweepBatch,
        Integer maxAttempts,
        LocalTime digestTime,
        Duration webhookTimeout) {

    NotifyProperties {
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(30) : sweepInterval;
        sweepBatch = sweepBatch == null ? 500 : sweepBatch;
        maxAttempts = maxAttempts == null ? 10 : maxAttempts;
        digestTime = digestTime == null ? LocalTime.of(7, 0) : digestTime;
        webhookTimeout = webhookTimeout == null ? Duration.ofSeconds(10) : webhookTimeout;
    }

    Retries retries() {
        return new Retries(maxAttempts);
    }
}
