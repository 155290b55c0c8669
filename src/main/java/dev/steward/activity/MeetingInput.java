package dev.steward.activity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A meeting with the customer as a client sends it; attendees are names or email addresses. */
public record MeetingInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        @NotNull Instant occurredAt,
        @NotNull Meeting.Type type,
        @NotBlank @Size(max = 500) String title,
        @Size(max = 200) List<@NotBlank @Size(max = 320) String> attendees,
        Boolean executiveSponsorAttended,
        @Size(max = 20_000) String notes)
        implements ActivityInput {

    public MeetingInput {
        attendees = attendees == null ? List.of() : attendees;
        executiveSponsorAttended = executiveSponsorAttended != null && executiveSponsorAttended;
    }
}
