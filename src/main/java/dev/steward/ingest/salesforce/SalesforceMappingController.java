package dev.steward.ingest.salesforce;

import dev.steward.core.PageLimit;
import dev.steward.ingest.sync.CrmMappings;
import dev.steward.ingest.sync.CrmPreviews;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Salesforce source's field mapping, its preview and the start of its first pull; for administrators. */
@RestController
@RequestMapping("/api/v1/salesforce/sources/{name}")
@Tag(name = "Salesforce")
class SalesforceMappingController {

    private final SalesforceMapping mapping;
    private final SalesforceSources salesforce;

    SalesforceMappingController(SalesforceMapping mapping, SalesforceSources salesforce) {
        this.mapping = mapping;
        this.salesforce = salesforce;
    }

    @GetMapping("/mapping")
    @Operation(
            summary = "The field mapping",
            description =
                    "Per object (accounts, contacts, opportunities: Salesforce's Account, Contact, Opportunity): each field as {property, target, policy,"
                            + " standard}; standard fields are the connector's own readings (their property says how), the"
                            + " others a Salesforce field's value read as its Steward field. targets lists the Steward fields"
                            + " each object can fill (an Account also customFields.<key>, a custom field of its account)."
                            + " properties=true also asks Salesforce for each object's fields (GET"
                            + " /services/data/vXX.X/sobjects/{Account|Contact|Opportunity}/describe) with the Steward field each suggests. saved says whether an"
                            + " administrator saved the mapping.")
    CrmMappings.MappingView get(@PathVariable String name, @RequestParam(defaultValue = "false") boolean properties) {
        return mapping.get(name, properties);
    }

    @PutMapping("/mapping")
    @Operation(
            summary = "Replace the field mapping",
            description = "Body: {\"accounts\": [{\"property\": \"Plan_Tier__c\", \"target\": \"customFields.plan\","
                    + " \"policy\": \"steward\"}], \"contacts\": [...], \"opportunities\": [...]}; an object left out keeps its"
                    + " mapping, an empty list the connector's own reading. A field mapped to a Steward field the"
                    + " connector fills replaces its reading; giving a standard field's own property changes only its"
                    + " policy. policy crm (default): Salesforce's value overwrites Steward's; steward: Salesforce only fills"
                    + " an empty value (an account's fields only). Each property is checked against the fields Salesforce"
                    + " describes and each target against Steward's fields: an unknown one is a 422 naming the field"
                    + " (accounts[0].property) with the name meant when it is near one; nothing is kept.")
    CrmMappings.MappingView save(
            @PathVariable String name, @RequestBody Map<String, List<CrmMappings.MappedField>> body) {
        return mapping.save(name, body);
    }

    @PostMapping("/preview")
    @Operation(
            summary = "Preview the first records",
            description = "Reads the first records of each object (limit, default 20, at most 100) from Salesforce and"
                    + " answers what a pull would do with each under the mapping: the account an Account would create,"
                    + " or the account it would update or link to (by the external id field, else by domain), the"
                    + " contacts and opportunities with their Account's account, the fields each would write after the conflict"
                    + " policy, and the records a pull would skip or reject with why. Nothing is written.")
    List<CrmPreviews.ObjectPreview> preview(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return mapping.preview(name, new PageLimit(CrmPreviews.RECORDS, 100).of(limit));
    }

    @PostMapping("/start")
    @Operation(
            summary = "Start syncing",
            description = "For a source connected paused (to map it first): resumes its schedule and starts a pull"
                    + " now (202). 409 while one runs or is about to.")
    ResponseEntity<SalesforceSources.SalesforceView> start(@PathVariable String name) {
        salesforce.update(
                name,
                new SalesforceSources.ConnectionInput(
                        null, null, null, null, null, null, null, null, null, null, null, null, false, null, null,
                        null));
        salesforce.pullNow(name);
        return ResponseEntity.accepted().body(salesforce.get(name));
    }
}
