package dev.steward.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Runs a whole transaction again when PostgreSQL chose it as the loser of a deadlock (or it could not take a lock):
 * jobs that update many account rows in one transaction (segment, stage and owner decisions) meet the writers that
 * update the same rows in another order (scores, imports), and the loser rolled back cleanly, so doing it again is
 * safe. Call it outside any transaction: one that joined an outer transaction cannot be done again on its own.
 */
public final class LockRetries {

    private static final Logger log = LoggerFactory.getLogger(LockRetries.class);

    /** Attempts in all; the waits between them grow from about 50 ms, with jitter so that the two do not meet again. */
    static final int ATTEMPTS = 5;

    private LockRetries() {}

    public static <T> T retry(String what, Supplier<T> transaction) {
        return retry(what, transaction, () -> {});
    }

    /** As {@link #retry(String, Supplier)}, calling {@code forget} before each attempt again to drop what the lost one kept. */
    public static <T> T retry(String what, Supplier<T> transaction, Runnable forget) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                long wait = (50L << (attempt - 1)) + ThreadLocalRandom.current().nextLong(50L << (attempt - 1));
                log.info(
                        "{}: lost a deadlock to another writer, done again in {} ms (attempt {} of {})",
                        what,
                        wait,
                        attempt + 1,
                        ATTEMPTS);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                forget.run();
            }
        }
    }
}
