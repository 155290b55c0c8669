package dev.steward.customer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.UUID;

/**
 * What a client sends to create, replace or bulk-upsert an account. The parent may be given by id or, in bulk
 * requests, by its external id in the same source ({@code parentExternalId}); the owner by user id or email. The
 * name is required except in a bulk update of an account that already exists.
 */
public record AccountInput(
        @Size(max = 200) String externalId,

        @NotBlank(groups = AccountInput.Complete.class) @Size(max = 200)
        String name,

        UUID parentId,
        @Size(max = 200) String parentExternalId,
        @Size(max = 100) String tier,
        @Size(max = 100) String industry,
        @Size(max = 100) String region,
        @PositiveOrZero Integer employees,
        UUID ownerId,
        @Size(max = 320) String ownerEmail,
        LifecycleStage lifecycleStage,
        Map<String, Object> customFields,
        Map<@NotBlank @Size(max = 100) String, @NotBlank @Size(max = 200) String> externalIds) {

    /** Validation group for a record that must stand on its own (create and replace), where a name is needed. */
    public interface Complete {}

    public AccountInput {
        customFields = customFields == null ? Map.of() : customFields;
        externalIds = externalIds == null ? Map.of() : externalIds;
    }
}
