package dev.steward.customer;

import dev.steward.core.BulkResult;
import dev.steward.core.MergePatch;
import dev.steward.core.Page;
import dev.steward.core.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.groups.Default;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
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
@RequestMapping("/api/v1/accounts")
@Tag(name = "Accounts", description = "Customer accounts, their hierarchy and segment attributes")
class AccountController {

    private final AccountManagement accounts;
    private final MergePatch mergePatch;

    AccountController(AccountManagement accounts, MergePatch mergePatch) {
        this.accounts = accounts;
        this.mergePatch = mergePatch;
    }

    @GetMapping
    @Operation(
            summary = "List accounts",
            description = "Filter, sort (prefix '-' for descending) and page with the cursor from 'next'. 'health'"
                    + " keeps accounts of these current health colors (green, yellow, red, black; repeat it or"
                    + " separate with commas), 'churned' former customers, which carry 'churn' instead of a"
                    + " color, and 'unscored' customers without a health score (no published scorecard applies to"
                    + " them, see GET /api/v1/scorecards/unassigned, or they are not scored yet; each carries"
                    + " 'unscored' with its status and reason), 'no-scorecard' only those no published scorecard"
                    + " applied to at their last re-score; 'segment' keeps the"
                    + " current members of the named segment (see /api/v1/segments); 'stage' keeps the accounts in the"
                    + " journey stage with this key now (see GET /api/v1/lifecycle/journey; each account carries its"
                    + " 'stage' as key and name), 'lifecycleStage' those whose older, hand-typed stage field"
                    + " (recorded, decided by no rule) reads this; sort by healthScore or"
                    + " healthTrend (the 30-day change) puts accounts not scored yet"
                    + " and former customers last either way. The health filter reads the color shown (an"
                    + " override's where one is in force; each account's health says 'overridden' and carries the"
                    + " 'computedScore' and 'computedColor' beside it); healthBasis=computed reads the computed"
                    + " color instead. 'total' says how many accounts match the filters on all pages: counted when"
                    + " a filter is set; without filters, beyond 10,000 accounts, estimated ('estimated': true).")
    Page<Account> list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) UUID ownerId,
            @RequestParam(required = false) String lifecycleStage,
            @RequestParam(required = false) BigDecimal minArr,
            @RequestParam(required = false) BigDecimal maxArr,
            @RequestParam(required = false) UUID parentId,
            @RequestParam(required = false) List<String> health,
            @RequestParam(required = false) String healthBasis,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        return accounts.list(new AccountQuery(
                q,
                tier,
                ownerId,
                List.of(),
                QueryParameters.enumValue(LifecycleStage.class, "lifecycleStage", lifecycleStage),
                minArr,
                maxArr,
                parentId,
                health,
                QueryParameters.enumValue(AccountQuery.HealthBasis.class, "healthBasis", healthBasis),
                segment,
                stage,
                sort,
                limit,
                cursor));
    }

    @PostMapping
    @Operation(summary = "Create an account")
    ResponseEntity<Account> create(
            @Validated({Default.class, AccountInput.Complete.class}) @RequestBody AccountInput input) {
        Account account = accounts.create(input);
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + account.id()))
                .eTag(Versions.etag(account.version()))
                .body(account);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get an account", description = "The ETag header carries its version for If-Match.")
    ResponseEntity<Account> get(@PathVariable UUID id) {
        Account account = accounts.get(new AccountId(id));
        return ResponseEntity.ok().eTag(Versions.etag(account.version())).body(account);
    }

    @GetMapping("/{id}/children")
    @Operation(summary = "List an account's direct children")
    List<Account> children(@PathVariable UUID id) {
        accounts.get(new AccountId(id));
        return accounts.children(new AccountId(id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an account", description = "Requires If-Match with the ETag from GET.")
    ResponseEntity<Account> replace(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @Validated({Default.class, AccountInput.Complete.class}) @RequestBody AccountInput input) {
        long expected = Versions.expected(ifMatch);
        Account account = accounts.replace(new AccountId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(account.version())).body(account);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {MergePatch.MEDIA_TYPE, "application/json"})
    @Operation(
            summary = "Change some fields of an account",
            description = "JSON merge patch (RFC 7396); requires If-Match.")
    ResponseEntity<Account> patch(
            @PathVariable UUID id,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody JsonNode patch) {
        long expected = Versions.expected(ifMatch);
        Account current = accounts.get(new AccountId(id));
        AccountInput input = mergePatch.apply(editable(current), patch, AccountInput.class);
        Account account = accounts.replace(new AccountId(id), expected, input);
        return ResponseEntity.ok().eTag(Versions.etag(account.version())).body(account);
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Delete an account and everything recorded about it",
            description = "Requires If-Match. Its child accounts become top-level accounts, at their next version.")
    ResponseEntity<Void> delete(
            @PathVariable UUID id, @RequestHeader(value = "If-Match", required = false) String ifMatch) {
        accounts.delete(new AccountId(id), Versions.expected(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/bulk")
    @Operation(
            summary = "Create or update up to 10,000 accounts by external id",
            description =
                    "Body: {\"records\": [...]}, each with externalId. 200 when all were stored, 207 when some were rejected (see results), 422 with atomic=true when any was rejected (then nothing is stored).")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = AccountManagement.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return accounts.upsert(source, body, atomic).toResponse();
    }

    private static AccountInput editable(Account a) {
        return new AccountInput(
                null,
                a.name(),
                a.parentId() == null ? null : a.parentId().value(),
                null,
                a.tier(),
                a.industry(),
                a.region(),
                a.employees(),
                a.ownerId(),
                null,
                a.lifecycleStage(),
                a.customFields(),
                a.externalIds());
    }
}
