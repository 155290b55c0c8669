package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

class LockRetriesTests {

    @Test
    void aTransactionThatLostADeadlockIsDoneAgainAfterForgettingWhatItKept() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger forgotten = new AtomicInteger();
        String result = LockRetries.retry(
                "test",
                () -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new PessimisticLockingFailureException("deadlock detected");
                    }
                    return "done";
                },
                forgotten::incrementAndGet);
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
        assertThat(forgotten).hasValue(2);
    }

    @Test
    void afterTheLastAttemptTheDeadlockIsThrownAndOtherFailuresAreNeverRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> LockRetries.retry("test", () -> {
                    attempts.incrementAndGet();
                    throw new PessimisticLockingFailureException("deadlock detected");
                }))
                .isInstanceOf(PessimisticLockingFailureException.class);
        assertThat(attempts).hasValue(LockRetries.ATTEMPTS);

        attempts.set(0);
        assertThatThrownBy(() -> LockRetries.retry("test", () -> {
                    attempts.incrementAndGet();
                    throw new DataIntegrityViolationException("duplicate key");
                }))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts).hasValue(1);
    }
}
