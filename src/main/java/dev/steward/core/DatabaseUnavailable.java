package dev.steward.core;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure because PostgreSQL cannot be reached (down, restarting, no free connection within the pool's
 * timeout) from any other: such a request is answered 503 with {@code Retry-After}, since it will work again without
 * the client changing anything.
 */
public final class DatabaseUnavailable {

    /** How long a client should wait before trying again, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public static final String DETAIL =
            "Steward cannot reach its database right now; nothing was changed. Try again in a few seconds.";

    /** Cannot connect, connection lost, server shutting down or starting (SQLSTATE class 08, 57P01–57P03). */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {}

    public static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || STATES.contains(state)) {
                    return true;
                }
            }
            // A failed rollback on a lost connection hides the failure that made the transaction roll back.
            if (cause instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() != null
                    && causes(rollback.getApplicationException())) {
                return true;
            }
        }
        return false;
    }
}
