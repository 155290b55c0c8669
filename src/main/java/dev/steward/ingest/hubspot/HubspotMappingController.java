package dev.steward.ingest.hubspot;

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

/** A HubSpot source's field mapping, its preview and the start of its first pull; for administrators. */
@RestController
@RequestMapping("/api/v1/hubspot/sources/{name}")
@Tag(name = "HubSpot")
class HubspotMappingController {

    private final HubspotMapping mapping;
    private final HubspotSources hubspot;

    HubspotMappingController(HubspotMapping mapping, HubspotSources hubspot) {
        this.mapping = mapping;
        this.hubspot = hubspot;
    }

    @GetMapping("/mapping")
    @Operation(
            summary = "The field mapping",
            description = "Per object (companies, contacts, deals): each field as {property, target, policy,"
                    + " standard}; standard fields are the connector's own readings (their property says how), the"
                    + " others a HubSpot property's value read as its Steward field. targets lists the Steward fields"
                    + " each object can fill (a company also customFields.<key>, a custom field of its account)."
                    + " properties=true also asks HubSpot for each object's properties (GET"
                    + " /crm/v3/properties/{objectType}) with the Steward field each suggests. saved says whether an"
                    + " administrator saved the mapping.")
    CrmMappings.MappingView get(@PathVariable String name, @RequestParam(defaultValue = "false") boolean properties) {
        return mapping.get(name, properties);
    }

    @PutMapping("/mapping")
    @Operation(
            summary = "Replace the field mapping",
            description = "Body: {\"companies\": [{\"property\": \"plan_tier\", \"target\": \"customFields.plan\","
                    + " \"policy\": \"steward\"}], \"contacts\": [...], \"deals\": [...]}; an object left out keeps its"
                    + " mapping, an empty list the connector's own reading. A field mapped to a Steward field the"
                    + " connector fills replaces its reading; giving a standard field's own property changes only its"
                    + " policy. policy crm (default): HubSpot's value overwrites Steward's; steward: HubSpot only fills"
                    + " an empty value (an account's fields only). Each property is checked against HubSpot's"
                    + " properties and each target against Steward's fields: an unknown one is a 422 naming the field"
                    + " (companies[0].property) with the name meant when it is near one; nothing is kept.")
    CrmMappings.MappingView save(
            @PathVariable String name, @RequestBody Map<String, List<CrmMappings.MappedField>> body) {
        return mapping.save(name, body);
    }

    @PostMapping("/preview")
    @Operation(
            summary = "Preview the first records",
            description = "Reads the first records of each object (limit, default 20, at most 100) from HubSpot and"
                    + " answers what a pull would do with each under the mapping: the account a company would create,"
                    + " or the account it would update or link to (by the external id property, else by domain), the"
                    + " contacts and deals with their company's account, the fields each would write after the conflict"
                    + " policy, and the records a pull would skip or reject with why. Nothing is written.")
    List<CrmPreviews.ObjectPreview> preview(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return mapping.preview(name, new PageLimit(CrmPreviews.RECORDS, 100).of(limit));
    }

    @PostMapping("/start")
    @Operation(
            summary = "Start syncing",
            description = "For a source connected paused (to map it first): resumes its schedule and starts a pull"
                    + " now (202). 409 while one runs or is about to.")
    ResponseEntity<HubspotSources.HubspotView> start(@PathVariable String name) {
        hubspot.update(name, new HubspotSources.ConnectionInput(null, null, null, null, false, null, null));
        hubspot.pullNow(name);
        return ResponseEntity.accepted().body(hubspot.get(name));
    }
}
