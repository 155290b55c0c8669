package dev.steward.notify;

/** How one attempt to deliver went, with the reason when it did not. */
sealed interface Outcome {

    /** Delivered: the SMTP server took the email, the endpoint answered 2xx. */
    record Sent() implements Outcome {}

    /** Not attempted because the channel is off (no SMTP server configured); kept until an administrator retries. */
    record NotConfigured(String reason) implements Outcome {}

    /** Failed for now (server down, timeout, non-2xx answer): tried again later. */
    record Failed(String reason) implements Outcome {}

    /** Cannot succeed however often tried (no such user, no email address, endpoint disabled): failed at once. */
    record Refused(String reason) implements Outcome {}

    /**
     * The receiving server refused the address itself (a permanent 5xx to the recipient): the email cannot succeed, and
     * nothing more should be sent to the address.
     */
    record Bounced(String address, String reason) implements Outcome {}

    static String shortened(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown error";
        }
        return reason.length() <= 1000 ? reason : reason.substring(0, 1000) + "…";
    }
}
