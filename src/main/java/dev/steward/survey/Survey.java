package dev.steward.survey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An NPS survey: its name (for Steward's people), the email's subject and the question its recipients read (merge
 * fields {@code {{account}}} and {@code {{contact}}}), its audience (a published segment, or every account when
 * {@code segment} is null) and the contact roles it asks; when it was first sent, if it was.
 */
public record Survey(
        UUID id,
        String name,
        String subject,
        String question,
        @Nullable String segment,
        List<String> roles,
        @Nullable UUID createdBy,
        Instant createdAt,
        @Nullable Instant sentAt) {}
