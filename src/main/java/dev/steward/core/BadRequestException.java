package dev.steward.core;

/**
 * A request that cannot be understood as asked (a parameter that makes no sense as given); answered with 400, naming
 * the parameter and the reason when one is given. Rules broken by well-formed input are {@link
 * InvalidInputException}s (422); anything else thrown is a defect (500).
 */
public class BadRequestException extends RuntimeException {

    private final FieldError error;

    public BadRequestException(String message) {
        super(message);
        this.error = null;
    }

    /** A parameter that makes no sense as given: which one, and why. */
    public BadRequestException(String parameter, String reason) {
        super(parameter + ": " + reason);
        this.error = FieldError.of(parameter, reason);
    }

    /** The parameter at fault and why, or {@code null} when the request as a whole is at fault. */
    public FieldError error() {
        return error;
    }
}
