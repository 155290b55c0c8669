package dev.steward.ingest.hubspot;

import dev.steward.core.InvalidInputException;
import dev.steward.ingest.sync.CrmMappings;
import dev.steward.ingest.sync.CrmPreviews;
import dev.steward.ingest.sync.FieldMapping;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.VendorHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A HubSpot source's field mapping on its page, for administrators: each object's fields (HubSpot's properties offered
 * with the Steward field each suggests), saved as a whole; a preview of the first records under it; and, for a source
 * connected paused, the button that starts its first pull.
 */
@Controller
@RequestMapping("/sources/{name}/hubspot")
class HubspotMappingPages {

    private static final String WHO = "HubSpot sources";

    /** Blank rows offered under each object's fields, to map more. */
    private static final List<String> BLANK_ROWS = List.of("1", "2", "3");

    private final HubspotMapping mapping;
    private final HubspotSources hubspot;

    HubspotMappingPages(HubspotMapping mapping, HubspotSources hubspot) {
        this.mapping = mapping;
        this.hubspot = hubspot;
    }

    @GetMapping("/mapping")
    String mapping(@PathVariable String name, Model model) {
        return card(name, model);
    }

    /** Saves every object's rows: property, Steward field and policy per row; rows left blank are no fields. */
    @PostMapping("/mapping")
    String save(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> form,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        Map<String, List<CrmMappings.MappedField>> given = new LinkedHashMap<>();
        for (var object : HubspotMapping.OBJECTS) {
            List<String> properties = form.getOrDefault(object.name() + ".property", List.of());
            List<String> targets = form.getOrDefault(object.name() + ".target", List.of());
            List<String> policies = form.getOrDefault(object.name() + ".policy", List.of());
            List<CrmMappings.MappedField> fields = new ArrayList<>();
            for (int i = 0; i < properties.size(); i++) {
                String property = properties.get(i).strip();
                String target = i < targets.size() ? targets.get(i).strip() : "";
                if (property.isEmpty() && target.isEmpty()) {
                    continue;
                }
                String policy = i < policies.size() ? policies.get(i) : "crm";
                fields.add(new CrmMappings.MappedField(
                        property,
                        target,
                        policy.equals("steward") ? FieldMapping.Policy.steward : FieldMapping.Policy.crm));
            }
            given.put(object.name(), fields);
        }
        try {
            mapping.save(name, given);
            model.addAttribute("mappingSaved", true);
        } catch (InvalidInputException e) {
            model.addAttribute("mappingErrors", e.errors());
        } catch (VendorHttp.Refused e) {
            model.addAttribute("mappingErrors", List.of(dev.steward.core.FieldError.of("HubSpot", e.getMessage())));
        }
        return card(name, model);
    }

    @PostMapping("/preview")
    String preview(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            model.addAttribute("preview", mapping.preview(name, CrmPreviews.RECORDS));
        } catch (VendorHttp.Refused e) {
            model.addAttribute("previewError", "HubSpot refused: " + e.getMessage());
        }
        return "ingest/crm-mapping :: preview";
    }

    @PostMapping("/start")
    String start(@PathVariable String name, Authentication authentication) {
        PullSources.requireAdministrator(authentication, WHO);
        hubspot.update(name, new HubspotSources.ConnectionInput(null, null, null, null, false, null, null));
        hubspot.pullNow(name);
        return "redirect:/sources/" + name;
    }

    private String card(String name, Model model) {
        CrmMappings.MappingView view;
        try {
            view = mapping.get(name, true);
        } catch (VendorHttp.Refused e) {
            view = mapping.get(name, false);
            model.addAttribute("propertiesError", "HubSpot's properties could not be read: " + e.getMessage());
        }
        model.addAttribute("mapping", view);
        model.addAttribute("vendor", "HubSpot");
        model.addAttribute("base", "/sources/" + name + "/hubspot");
        model.addAttribute("blankRows", BLANK_ROWS);
        model.addAttribute("neverPulled", hubspot.get(name).latestRuns().isEmpty());
        model.addAttribute("mappingSaved", Boolean.TRUE.equals(model.getAttribute("mappingSaved")));
        return "ingest/crm-mapping :: mapping";
    }
}
