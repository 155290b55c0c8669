package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.MergePatch;
import dev.steward.core.Page;
import dev.steward.core.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.groups.Default;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Contacts", description = "The people at customer accounts and the part they play")
class ContactController {

    private final ContactManagement contacts;
    private final AccountManagement accounts;
    private final MergePatch mergePatch;

    ContactController(ContactManagement contacts, AccountManagement accounts, MergePatch mergePatch) {
        this.contacts = contacts;
        this.accounts = accounts;
        this.mergePatch = mergePatch;
    }

    @GetMapping("/contacts")
    @Operation(
            summary = "List contacts",
            description = "Filter, sort (prefix '-' for descending) and page with the cursor from 'next'.")
    Page<Contact> list(
            @RequestParam(required = false) UUID accountId,
            @RequestParam(required = false) String role,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return contacts.list(new ContactQuery(
                accountId, QueryParameters.enumValue(ContactRole.class, "role", role), sort, limit, cursor));
    }

    @GetMapping("/accounts/{id}/contacts")
    @Operation(summary = "List an account's contacts")
    Page<Contact> ofAccount(
            @PathVariable UUID id,
            @RequestParam(required = false) String role,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        AccountQuery.LIMIT.of(limit);
        accounts.get(new AccountId(id));
        return contacts.list(
                new ContactQuery(id, QueryParameters.enumValue(ContactRole.class, "role", role), sort, limit, cursor));
    }

    @PostMapping("/contacts")
    @Operation(summary = "Create a contact")
    ResponseEntity<Contact> create(
            @Validated({Default.class, ContactInput.Complete.class}) @RequestBody ContactInput input) {
        Contact contact = contacts.create(input);
        return ResponseEntity.created(URI.create("/api/v1/contacts/" + contact.id()))
                .eTag(Versions.etag(contact.version()))
                .body(contact);
    }

    @GetMapping("/contacts/{id}")
    @Operation(summary = "Get a contact", description = "The ETag header carries its version for If-Match.")
    ResponseEntity<Contact> get(@PathVariable UUID id) {
        Contact contact = contacts.get(new ContactId(id));
        return ResponseEntity.ok().eTag(Versions.etag(contact.version())).body(contact);
    }

    @PutMapping("/contacts/{id}")
    @Operation(summary = "Replace a contact", description = "Requires If-Match with the ETag from GET.")
    ResponseEntity<Contact> replace(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @Validated({Default.class, ContactInput.Complete.class}) @RequestBody ContactInput input) {
        long expected = Versions.expected(ifMatch);
        Contact contact = contacts.replace(new ContactId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(contact.version())).body(contact);
    }

    @PatchMapping(
            path = "/contacts/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    @Operation(
            summary = "Change some fields of a contact",
            description = "JSON merge patch (RFC 7396); requires If-Match.")
    ResponseEntity<Contact> patch(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody JsonNode patch) {
        long expected = Versions.expected(ifMatch);
        Contact current = contacts.get(new ContactId(id));
        ContactInput input = mergePatch.apply(editable(current), patch, ContactInput.class);
        Contact contact = contacts.replace(new ContactId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(contact.version())).body(contact);
    }

    @DeleteMapping("/contacts/{id}")
    @Operation(summary = "Delete a contact", description = "Requires If-Match.")
    ResponseEntity<Void> delete(
            @PathVariable UUID id, @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        contacts.delete(new ContactId(id), Versions.expected(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/contacts/bulk")
    @Operation(
            summary = "Create or update up to 10,000 contacts by external id",
            description =
                    "Body: {\"records\": [...]}, each with externalId and, for a new contact, accountExternalId (in the same source) or accountId. 200 when all were stored, 207 when some were rejected (see results), 422 with atomic=true when any was rejected (then nothing is stored).")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = AccountManagement.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return contacts.upsert(source, body, atomic).toResponse();
    }

    private static ContactInput editable(Contact c) {
        return new ContactInput(
                null,
                c.accountId().value(),
                null,
                c.name(),
                c.email(),
                c.title(),
                c.phone(),
                c.role(),
                c.joinedAt(),
                c.leftAt(),
                c.timeZone());
    }
}
