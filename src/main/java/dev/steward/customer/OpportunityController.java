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
@Tag(name = "Opportunities", description = "Sales opportunities: new business, renewals and expansions")
class OpportunityController {

    private final OpportunityManagement opportunities;
    private final AccountManagement accounts;
    private final MergePatch mergePatch;

    OpportunityController(OpportunityManagement opportunities, AccountManagement accounts, MergePatch mergePatch) {
        this.opportunities = opportunities;
        this.accounts = accounts;
        this.mergePatch = mergePatch;
    }

    @GetMapping("/opportunities")
    @Operation(
            summary = "List opportunities",
            description = "Filter, sort (prefix '-' for descending) and page with the cursor from 'next'.")
    Page<Opportunity> list(
            @RequestParam(required = false) UUID accountId,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return opportunities.list(new OpportunityQuery(
                accountId, QueryParameters.enumValue(OpportunityType.class, "type", type), stage, sort, limit, cursor));
    }

    @GetMapping("/accounts/{id}/opportunities")
    @Operation(summary = "List an account's opportunities")
    Page<Opportunity> ofAccount(
            @PathVariable UUID id,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        AccountQuery.LIMIT.of(limit);
        accounts.get(new AccountId(id));
        return list(id, type, stage, sort, limit, cursor);
    }

    @PostMapping("/opportunities")
    @Operation(summary = "Create an opportunity")
    ResponseEntity<Opportunity> create(
            @Validated({Default.class, OpportunityInput.Complete.class}) @RequestBody OpportunityInput input) {
        Opportunity opportunity = opportunities.create(input);
        return ResponseEntity.created(URI.create("/api/v1/opportunities/" + opportunity.id()))
                .eTag(Versions.etag(opportunity.version()))
                .body(opportunity);
    }

    @GetMapping("/opportunities/{id}")
    @Operation(summary = "Get an opportunity", description = "The ETag header carries its version for If-Match.")
    ResponseEntity<Opportunity> get(@PathVariable UUID id) {
        Opportunity opportunity = opportunities.get(new OpportunityId(id));
        return ResponseEntity.ok().eTag(Versions.etag(opportunity.version())).body(opportunity);
    }

    @PutMapping("/opportunities/{id}")
    @Operation(summary = "Replace an opportunity", description = "Requires If-Match with the ETag from GET.")
    ResponseEntity<Opportunity> replace(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @Validated({Default.class, OpportunityInput.Complete.class}) @RequestBody OpportunityInput input) {
        long expected = Versions.expected(ifMatch);
        Opportunity opportunity = opportunities.replace(new OpportunityId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(opportunity.version())).body(opportunity);
    }

    @PatchMapping(
            path = "/opportunities/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    @Operation(
            summary = "Change some fields of an opportunity",
            description = "JSON merge patch (RFC 7396); requires If-Match.")
    ResponseEntity<Opportunity> patch(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody JsonNode patch) {
        long expected = Versions.expected(ifMatch);
        Opportunity current = opportunities.get(new OpportunityId(id));
        OpportunityInput input = mergePatch.apply(editable(current), patch, OpportunityInput.class);
        Opportunity opportunity = opportunities.replace(new OpportunityId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(opportunity.version())).body(opportunity);
    }

    @DeleteMapping("/opportunities/{id}")
    @Operation(summary = "Delete an opportunity", description = "Requires If-Match.")
    ResponseEntity<Void> delete(
            @PathVariable UUID id, @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        opportunities.delete(new OpportunityId(id), Versions.expected(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/opportunities/bulk")
    @Operation(
            summary = "Create or update up to 10,000 opportunities by external id",
            description =
                    "Body: {\"records\": [...]}, each with externalId and, for a new opportunity, accountExternalId (in the same source) or accountId. 200 when all were stored, 207 when some were rejected (see results), 422 with atomic=true when any was rejected (then nothing is stored).")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = AccountManagement.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return opportunities.upsert(source, body, atomic).toResponse();
    }

    private static OpportunityInput editable(Opportunity o) {
        return new OpportunityInput(
                null,
                o.accountId().value(),
                null,
                o.name(),
                o.type(),
                o.amount(),
                o.stage(),
                o.closeDate(),
                o.createdAt());
    }
}
