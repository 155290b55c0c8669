package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After-commit work that failed is handed to its listener again by the retry job, not only at the next restart; one
 * that keeps failing stays failed, visible in {@code event_publication}.
 */
@StewardTest
@Import(FailedEventRetriesTests.FlakyListener.class)
class FailedEventRetriesTests {

    record Flaky(String name, int failures) {}

    @TestConfiguration(proxyBeanMethods = false)
    static class FlakyListener {

        private final AtomicInteger calls = new AtomicInteger();

        /** How often the listener was called (a method: the bean is a proxy, whose fields are not the listener's). */
        int calls() {
            return calls.get();
        }

        @ApplicationModuleListener
        void on(Flaky event) {
            if (calls.incrementAndGet() <= event.failures()) {
                throw new IllegalStateException("the database is away (" + event.name() + ")");
            }
        }
    }

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FailedEventRetries retries;

    @Autowired
    FlakyListener listener;

    @Test
    void aListenerThatFailedOnceIsHandedTheEventAgainAndCompletes() {
        transactions.executeWithoutResult(status -> events.publishEvent(new Flaky("once", 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status()));
        assertThat(listener.calls()).isEqualTo(1);

        retries.retry(Duration.ZERO);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(status()));
        assertThat(listener.calls()).isEqualTo(2);
        assertThat(jdbc.sql(
                                "select count(*) from event_publication where completion_date is null and event_type like '%Flaky'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private String status() {
        return jdbc.sql(
                        "select status from event_publication where event_type like '%Flaky' order by publication_date desc limit 1")
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
