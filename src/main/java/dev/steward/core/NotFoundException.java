package dev.steward.core;

/** A requested resource does not exist; answered with 404 and a sentence saying what was not found. */
public class NotFoundException extends RuntimeException {

    /** "There is no account with id 42." */
    public NotFoundException(String kind, Object id) {
        this("There is no " + kind + " with id " + id + ".");
    }

    /** A whole sentence, for what is not named by a kind and an id ("Account 42 has no health score on 2026-12-01."). */
    public NotFoundException(String sentence) {
        super(sentence);
    }
}
