package dev.steward.customer;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.UUID;

/**
 * What a client sends to create, replace or bulk-upsert a contact. The account is given by id or, in bulk requests,
 * by its external id in the request's source ({@code accountExternalId}). {@code joinedAt} defaults to the day the
 * contact is first stored and {@code role} to {@code other}. A replace that sends no {@code externalId} keeps the
 * stored one. {@code timeZone} is the contact's own (an IANA name such as {@code Europe/Berlin}), when known.
 */
public record ContactInput(
        @Size(max = 200) String externalId,
        UUID accountId,
        @Size(max = 200) String accountExternalId,

        @NotBlank(groups = ContactInput.Complete.class) @Size(max = 200)
        String name,

        @Email @Size(max = 320) String email,
        @Size(max = 200) String title,
        @Size(max = 50) String phone,
        ContactRole role,
        LocalDate joinedAt,
        LocalDate leftAt,
        @Size(max = 64) String timeZone) {

    /** A contact whose time zone is not given. */
    public ContactInput(
            String externalId,
            UUID accountId,
            String accountExternalId,
            String name,
            String email,
            String title,
            String phone,
            ContactRole role,
            LocalDate joinedAt,
            LocalDate leftAt) {
        this(externalId, accountId, accountExternalId, name, email, title, phone, role, joinedAt, leftAt, null);
    }

    /** Validation group for a record that must stand on its own (create and replace), where a name is needed. */
    public interface Complete {}
}
