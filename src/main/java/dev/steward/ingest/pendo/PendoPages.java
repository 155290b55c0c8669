package dev.steward.ingest.pendo;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.PullPages;
import dev.steward.ingest.sync.PullSources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Pendo sources on the data sources pages, for administrators: the form that connects one (its key tried before
 * anything is kept), the panel of a source's page (the connection, the schedule, pull now, the latest pull of each feed,
 * the accounts held) and the mapping of Pendo's features, pages and track events to metrics.
 */
@Controller
@RequestMapping("/sources")
class PendoPages {

    private static final String WHO = "Pendo sources";

    /** How the form's fields read in a sentence saying why one was refused. */
    private static final Map<String, String> LABELS = Map.of(
            "region",
            "The region: ",
            "integrationKey",
            "The integration key: ",
            "timeZone",
            "The time zone: ",
            "backfillMonths",
            "Months to back-fill: ");

    private final PendoSources pendo;
    private final Sources sources;

    PendoPages(PendoSources pendo, Sources sources) {
        this.pendo = pendo;
        this.sources = sources;
    }

    /** The key typed in is never shown back: a refused form comes back with the rest and the reason. */
    @PostMapping("/pendo")
    String connect(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "us") String region,
            @RequestParam(defaultValue = "") String integrationKey,
            @RequestParam(defaultValue = "") String accountsSource,
            @RequestParam(required = false) Integer backfillMonths,
            @RequestParam(defaultValue = "") String timeZone,
            @RequestParam(required = false) Integer everyMinutes,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        return PullPages.connect(
                "pendo",
                name,
                () -> pendo.create(
                                name.strip(),
                                new PendoSources.ConnectionInput(
                                        region,
                                        integrationKey,
                                        timeZone,
                                        backfillMonths,
                                        accountsSource,
                                        everyMinutes,
                                        null))
                        .name(),
                LABELS,
                () -> {
                    model.addAttribute("pendoName", name);
                    model.addAttribute("pendoRegion", region);
                    model.addAttribute("pendoAccountsSource", accountsSource);
                    model.addAttribute("pendoBackfill", backfillMonths);
                    model.addAttribute("pendoTimeZone", timeZone);
                    model.addAttribute("pendoEvery", everyMinutes);
                },
                sources,
                model);
    }

    /** The connection panel; htmx loads it, and again every two seconds while a pull runs. */
    @GetMapping("/{name}/pendo")
    String panel(@PathVariable String name, Model model) {
        model.addAttribute("pendo", pendo.get(name));
        return "ingest/pendo :: panel";
    }

    @PostMapping("/{name}/pendo/pull")
    String pull(@PathVariable String name, Authentication authentication, Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        PullPages.pullNow(() -> pendo.pullNow(name), model);
        return panel(name, model);
    }

    @PostMapping("/{name}/pendo/schedule")
    String schedule(
            @PathVariable String name,
            @RequestParam(required = false) Integer everyMinutes,
            @RequestParam(defaultValue = "false") boolean paused,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        try {
            pendo.update(name, new PendoSources.ConnectionInput(null, null, null, null, null, everyMinutes, paused));
        } catch (InvalidInputException e) {
            model.addAttribute("scheduleError", PullPages.sentence(e.errors().get(0), LABELS));
        }
        return panel(name, model);
    }

    /** The mapping form: Pendo's features, pages and track types (asked of Pendo now), each with its metric. */
    @GetMapping("/{name}/pendo/mapping")
    String mapping(@PathVariable String name, Model model) {
        model.addAttribute("pendoSource", name);
        model.addAttribute("metricKeys", pendo.metricKeys());
        try {
            model.addAttribute("items", pendo.items(name));
        } catch (InvalidInputException e) {
            model.addAttribute("items", List.of());
            model.addAttribute("mappingError", e.errors().get(0).reason());
        }
        return "ingest/pendo :: mapping";
    }

    /**
     * Saves the mapping: one row per item listed, its metric blank when not counted. A refused mapping comes back as
     * typed, each problem on its row.
     */
    @PostMapping("/{name}/pendo/mapping")
    String saveMapping(
            @PathVariable String name,
            @RequestParam(name = "kind", required = false) List<String> kinds,
            @RequestParam(name = "id", required = false) List<String> ids,
            @RequestParam(name = "itemName", required = false) List<String> names,
            @RequestParam(name = "metric", required = false) List<String> metrics,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        int count = ids == null ? 0 : ids.size();
        List<PendoSources.ItemView> rows = new ArrayList<>();
        List<PendoSources.MappingInput> given = new ArrayList<>();
        List<Integer> rowOfGiven = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String kind = at(kinds, i);
            String metric = at(metrics, i).strip();
            rows.add(new PendoSources.ItemView(kind, at(ids, i), at(names, i), metric.isEmpty() ? null : metric));
            if (!metric.isEmpty()) {
                given.add(new PendoSources.MappingInput(kind, at(ids, i), at(names, i), metric));
                rowOfGiven.add(i);
            }
        }
        model.addAttribute("pendoSource", name);
        model.addAttribute("metricKeys", pendo.metricKeys());
        model.addAttribute("items", rows);
        try {
            pendo.map(name, given);
            model.addAttribute("mappingSaved", true);
        } catch (InvalidInputException e) {
            Map<Integer, String> problems = new HashMap<>();
            for (FieldError error : e.errors()) {
                String field = error.field() == null ? "" : error.field();
                int index = field.startsWith("mappings[")
                        ? Integer.parseInt(field.replaceAll("^mappings\\[(\\d+)].*", "$1"))
                        : -1;
                if (index >= 0 && index < rowOfGiven.size()) {
                    problems.merge(rowOfGiven.get(index), error.reason(), (a, b) -> a + "; " + b);
                } else {
                    model.addAttribute("mappingError", error.reason());
                }
            }
            model.addAttribute("problems", problems);
        }
        return "ingest/pendo :: mapping";
    }

    /** Which account fields Pendo's account metadata fills (a blank one: none); refused with the reason. */
    @PostMapping("/{name}/pendo/account-fields")
    String saveAccountFields(
            @PathVariable String name,
            @RequestParam Map<String, String> form,
            Authentication authentication,
            Model model) {
        PullSources.requireAdministrator(authentication, WHO);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        PendoSources.ACCOUNT_FIELDS.forEach(f -> fields.put(f, form.getOrDefault(f, "")));
        try {
            pendo.accountFields(name, fields);
            model.addAttribute("accountFieldsSaved", true);
        } catch (InvalidInputException e) {
            model.addAttribute(
                    "accountFieldsError", PullPages.sentence(e.errors().get(0), Map.of()));
        }
        return panel(name, model);
    }

    private static String at(List<String> values, int i) {
        return values != null && i < values.size() && values.get(i) != null ? values.get(i) : "";
    }
}
