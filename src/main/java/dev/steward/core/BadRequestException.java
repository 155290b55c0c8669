package dev.steward.core;

/**
 * A request that cannot be understood as asked (a parameter that makes no sense as given); answered with 400. Rules
 * broken by well-formed input are {@link InvalidInputException}s (422); anything else thrown is a defect (500).
 */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
