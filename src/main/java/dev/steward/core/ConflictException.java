package dev.steward.core;

/** The request clashes with the current state (a duplicate key, a stale version); answered with 409 or 412. */
public class ConflictException extends RuntimeException {

    private final boolean preconditionFailed;

    private ConflictException(String message, boolean preconditionFailed) {
        super(message);
        this.preconditionFailed = preconditionFailed;
    }

    public static ConflictException of(String message) {
        return new ConflictException(message, false);
    }

    /** The client's If-Match did not match the current version: someone else changed the resource first. */
    public static ConflictException staleVersion(String kind, Object id, long current) {
        return new ConflictException(
                kind + " " + id + " was changed by someone else (now version " + current
                        + "); reload it and apply your change again",
                true);
    }

    public boolean preconditionFailed() {
        return preconditionFailed;
    }
}
