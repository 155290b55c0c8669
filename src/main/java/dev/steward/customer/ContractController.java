package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.MergePatch;
import dev.steward.core.Page;
import dev.steward.core.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.groups.Default;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
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
@Tag(name = "Contracts", description = "Contracts and subscriptions: ARR, terms, renewals and what became of them")
class ContractController {

    private final ContractManagement contracts;
    private final AccountManagement accounts;
    private final MergePatch mergePatch;

    ContractController(ContractManagement contracts, AccountManagement accounts, MergePatch mergePatch) {
        this.contracts = contracts;
        this.accounts = accounts;
        this.mergePatch = mergePatch;
    }

    @GetMapping("/contracts")
    @Operation(
            summary = "List contracts",
            description = "Filter, sort (prefix '-' for descending) and page with the cursor from 'next'.")
    Page<Contract> list(
            @RequestParam(required = false) UUID accountId,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return contracts.list(new ContractQuery(
                accountId, QueryParameters.enumValue(ContractStatus.class, "status", status), sort, limit, cursor));
    }

    @GetMapping("/accounts/{id}/contracts")
    @Operation(summary = "List an account's contracts")
    Page<Contract> ofAccount(
            @PathVariable UUID id,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        AccountQuery.LIMIT.of(limit);
        accounts.get(new AccountId(id));
        return list(id, status, sort, limit, cursor);
    }

    @GetMapping("/accounts/{id}/renewals")
    @Operation(
            summary = "What became of each of an account's contracts at renewal",
            description =
                    "renewed (successor within 1% of the ARR), expanded, contracted, churned (cancelled, or ended with no successor) or pending, with the reason.")
    List<Renewal> renewals(@PathVariable UUID id) {
        accounts.get(new AccountId(id));
        return contracts.renewals(new AccountId(id));
    }

    @GetMapping("/accounts/{id}/arr-history")
    @Operation(
            summary = "An account's ARR at the start of each month",
            description =
                    "The ARR of the contracts covering the first day of each month between from and to (default: the last twelve months).")
    List<MonthlyArr> arrHistory(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        accounts.get(new AccountId(id));
        return contracts.arrHistory(new AccountId(id), from, to);
    }

    @PostMapping("/contracts")
    @Operation(summary = "Create a contract")
    ResponseEntity<Contract> create(
            @Validated({Default.class, ContractInput.Complete.class}) @RequestBody ContractInput input) {
        Contract contract = contracts.create(input);
        return ResponseEntity.created(URI.create("/api/v1/contracts/" + contract.id()))
                .eTag(Versions.etag(contract.version()))
                .body(contract);
    }

    @GetMapping("/contracts/{id}")
    @Operation(summary = "Get a contract", description = "The ETag header carries its version for If-Match.")
    ResponseEntity<Contract> get(@PathVariable UUID id) {
        Contract contract = contracts.get(new ContractId(id));
        return ResponseEntity.ok().eTag(Versions.etag(contract.version())).body(contract);
    }

    @PutMapping("/contracts/{id}")
    @Operation(summary = "Replace a contract", description = "Requires If-Match with the ETag from GET.")
    ResponseEntity<Contract> replace(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @Validated({Default.class, ContractInput.Complete.class}) @RequestBody ContractInput input) {
        long expected = Versions.expected(ifMatch);
        Contract contract = contracts.replace(new ContractId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(contract.version())).body(contract);
    }

    @PatchMapping(
            path = "/contracts/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    @Operation(
            summary = "Change some fields of a contract",
            description = "JSON merge patch (RFC 7396); requires If-Match.")
    ResponseEntity<Contract> patch(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody JsonNode patch) {
        long expected = Versions.expected(ifMatch);
        Contract current = contracts.get(new ContractId(id));
        ContractInput input = mergePatch.apply(editable(current), patch, ContractInput.class);
        Contract contract = contracts.replace(new ContractId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(contract.version())).body(contract);
    }

    @DeleteMapping("/contracts/{id}")
    @Operation(summary = "Delete a contract", description = "Requires If-Match.")
    ResponseEntity<Void> delete(
            @PathVariable UUID id, @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        contracts.delete(new ContractId(id), Versions.expected(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/contracts/bulk")
    @Operation(
            summary = "Create or update up to 10,000 contracts by external id",
            description =
                    "Body: {\"records\": [...]}, each with externalId and, for a new contract, accountExternalId (in the same source) or accountId; previousContractExternalId links a renewal. 200 when all were stored, 207 when some were rejected (see results), 422 with atomic=true when any was rejected (then nothing is stored).")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = AccountManagement.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return contracts.upsert(source, body, atomic).toResponse();
    }

    private static ContractInput editable(Contract c) {
        return new ContractInput(
                null,
                c.accountId().value(),
                null,
                c.startDate(),
                c.endDate(),
                c.arr(),
                c.seats(),
                c.plan(),
                c.status(),
                c.autoRenew(),
                c.previousContractId() == null ? null : c.previousContractId().value(),
                null);
    }
}
