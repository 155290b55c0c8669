package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;

/**
 * Published when facts of one kind were created, changed or removed for an account; {@code at} is the latest time
 * among them, so a listener can tell whether the change lies in the window it cares about.
 */
public record ActivityRecorded(AccountId account, String kind, Instant at) {

    /** The kind of support tickets. */
    public static final String TICKET = "ticket";

    /** The kind of survey responses (NPS, CSAT). */
    public static final String SURVEY_RESPONSE = "survey_response";
}
