package dev.steward.activity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** A note about an account as a client sends it; the author is a Steward user, or absent for imported notes. */
public record NoteInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,
        UUID authorId,
        @NotNull Instant writtenAt,
        @NotBlank @Size(max = 50_000) String body)
        implements ActivityInput {}
