package dev.steward.core;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a failure nobody anticipated (a defect, not bad input) with a correlation id, which the answer repeats so that
 * the person who saw the error and the operator reading the log find the same stack trace.
 */
final class UnexpectedErrors {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

    private UnexpectedErrors() {}

    /** Logs the failure with its stack trace; returns the correlation id the answer carries. */
    static String logged(String method, String path, Throwable failure) {
        String id = UUID.randomUUID().toString();
        log.error("Unexpected error {} on {} {}", id, method, path, failure);
        return id;
    }
}
