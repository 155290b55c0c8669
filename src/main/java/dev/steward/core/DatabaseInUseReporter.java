package dev.steward.core;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a start refused because the database is in use ({@link DatabaseInUse}) as its one line on the error
 * stream, instead of Spring Boot's stack trace of every bean that could not be made.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class DatabaseInUseReporter implements SpringBootExceptionReporter {

    @Override
    public boolean reportException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseInUse inUse) {
                System.err.println(inUse.getMessage());
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
