package dev.steward.customer;

import dev.steward.core.BulkResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Account attributes", description = "Numbers about an account (tenure, charges …), each true as of a day")
class AttributeController {

    private final AccountAttributes attributes;

    AttributeController(AccountAttributes attributes) {
        this.attributes = attributes;
    }

    @PostMapping("/account-attributes/bulk")
    @Operation(
            summary = "Create or replace up to 10,000 attribute values",
            description = "Body: {\"records\": [{accountId | accountExternalId, name, asOf, value}]}; yes/no as 1/0."
                    + " A record's key is its account, name and day. Scorecards read an attribute as metric"
                    + " 'attribute.<name>' with aggregate 'latest': the latest value on or before the day scored,"
                    + " within the measure's window. 200 when all were stored, 207 when some were rejected, 422 with"
                    + " atomic=true when any was rejected.")
    ResponseEntity<BulkResult> bulk(
            @RequestParam(defaultValue = AccountManagement.DEFAULT_SOURCE) String source,
            @RequestParam(defaultValue = "false") boolean atomic,
            @RequestBody JsonNode body) {
        return attributes.upsert(source, body, atomic).toResponse();
    }

    @GetMapping("/account-attributes")
    @Operation(summary = "The names of the attributes accounts have")
    List<String> names() {
        return attributes.names();
    }

    @GetMapping("/accounts/{id}/attributes")
    @Operation(summary = "An account's attributes, each name's values by day")
    Map<String, NavigableMap<LocalDate, Double>> of(@PathVariable UUID id) {
        return attributes.of(new AccountId(id));
    }
}
