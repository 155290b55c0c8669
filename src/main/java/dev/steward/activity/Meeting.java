package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A meeting with an account (QBR, kickoff, check-in…), with who attended. */
public record Meeting(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        Instant occurredAt,
        Type type,
        String title,
        List<String> attendees,
        boolean executiveSponsorAttended,
        String notes) {

    /** What the meeting was for. */
    public enum Type {
        qbr,
        kickoff,
        check_in,
        training,
        executive_briefing,
        other
    }
}
