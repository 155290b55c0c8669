package dev.steward.core;

/** A requested resource does not exist; answered with 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String kind, Object id) {
        super("No " + kind + " with id " + id);
    }
}
