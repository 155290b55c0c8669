package dev.steward.lifecycle;

import dev.steward.core.BadRequestException;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.ObjectMapper;

/**
 * The Lifecycle page (the journey in force: its stages in order with the accounts in each, their ARR and median days
 * there as a funnel; the journey's YAML with drafts, publication and history), a stage's accounts, and the stage
 * panel of an account's page (its stage, why it is there, its history, and a move by hand); and the journey's flow
 * across accounts over a period (a Sankey of where accounts went from each stage, and a table whose every number opens
 * the accounts behind it).
 */
@Controller
class LifecyclePages {

    private static final String PAGE = "lifecycle/journey";
    /** The htmx event a move or owner change by hand answers with: the account page then reloads its timeline. */
    static final String TIMELINE_CHANGED = "timeline-changed";

    private final LifecycleManagement lifecycle;
    private final JourneyFlow flow;
    private final UserDirectory authors;
    private final ObjectMapper json;

    LifecyclePages(LifecycleManagement lifecycle, JourneyFlow flow, UserDirectory authors, ObjectMapper json) {
        this.lifecycle = lifecycle;
        this.flow = flow;
        this.authors = authors;
        this.json = json;
    }

    @GetMapping("/lifecycle")
    String journey(Authentication authentication, Model model) {
        LifecycleManagement.Journey journey = lifecycle.journey();
        List<DocumentVersion> versions = lifecycle.versions();
        model.addAttribute("activeNav", "lifecycle");
        model.addAttribute("journey", journey);
        model.addAttribute("versions", versions);
        model.addAttribute("mayEdit", lifecycle.mayEdit(authors.signedIn(authentication)));
        model.addAttribute("trackedSince", lifecycle.trackedSince());
        if (!versions.isEmpty() && !model.containsAttribute("shown")) {
            model.addAttribute("shown", lifecycle.version(versions.get(0).version()));
        }
        return PAGE;
    }

    @PostMapping("/lifecycle/versions")
    String saveDraft(
            @RequestParam(defaultValue = "") String yaml, Authentication authentication, RedirectAttributes redirect) {
        DocumentText<SegmentProblem> saved =
                lifecycle.saveDraft(yaml.replace("\r\n", "\n"), authors.signedIn(authentication));
        redirect.addFlashAttribute("saved", saved.version());
        return "redirect:/lifecycle";
    }

    @PostMapping("/lifecycle/versions/{version}/publish")
    String publish(
            @PathVariable int version,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        try {
            redirect.addFlashAttribute("published", lifecycle.publish(version, authors.signedIn(authentication)));
            return "redirect:/lifecycle";
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            return journey(authentication, model);
        }
    }

    @GetMapping("/lifecycle/stages/{stage}")
    String stage(@PathVariable String stage, Model model) {
        LifecycleManagement.StageSummary summary = lifecycle.journey().stages().stream()
                .filter(s -> s.key().equals(stage))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("stage", stage));
        model.addAttribute("activeNav", "lifecycle");
        model.addAttribute("stage", summary);
        model.addAttribute("members", lifecycle.members(stage, 200));
        return "lifecycle/stage";
    }

    /** The journey's flow over a period, for a segment and a start cohort; 400 with the form when one is wrong. */
    @GetMapping("/lifecycle/flow")
    String flow(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String cohort,
            Model model,
            HttpServletResponse response) {
        model.addAttribute("activeNav", "lifecycle");
        model.addAttribute("segments", flow.segments());
        model.addAttribute("cohorts", flow.cohorts());
        try {
            JourneyFlow.Flow shown = flow.flow(from, to, segment, cohort);
            String query = query(shown.from(), shown.to(), shown.segment(), shown.cohort());
            model.addAttribute("flow", shown);
            model.addAttribute("query", query);
            Map<String, Object> chart = new LinkedHashMap<>();
            chart.put("query", query);
            chart.put("stages", shown.stages());
            // Inside a script element: no "</" may close it early.
            model.addAttribute("chartData", json.writeValueAsString(chart).replace("</", "<\\/"));
        } catch (BadRequestException refused) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("refusal", refused.error());
            model.addAttribute("entered", new Entered(from, to, segment, cohort));
        }
        return "lifecycle/flow";
    }

    /** What a person typed into the flow's form, shown again when it was refused. */
    record Entered(String from, String to, String segment, String cohort) {}

    /** The accounts behind one number of the flow. */
    @GetMapping("/lifecycle/flow/accounts")
    String flowAccounts(
            @RequestParam(required = false) String stage,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String cohort,
            @RequestParam(required = false) String movedTo,
            @RequestParam(defaultValue = "false") boolean still,
            @RequestParam(defaultValue = "false") boolean stalled,
            @RequestParam(defaultValue = "false") boolean completed,
            Model model) {
        JourneyFlow.FlowAccounts behind =
                flow.accounts(from, to, segment, cohort, stage, movedTo, still, stalled, completed, LISTED);
        model.addAttribute("activeNav", "lifecycle");
        model.addAttribute("behind", behind);
        model.addAttribute("query", query(behind.from(), behind.to(), behind.segment(), behind.cohort()));
        return "lifecycle/flow-accounts";
    }

    /** Accounts a page behind a number lists. */
    private static final int LISTED = 200;

    /** The period and filters of a flow as a query string, for links that keep them. */
    private static String query(LocalDate from, LocalDate to, String segment, String cohort) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("from", from.toString());
        parameters.put("to", to.toString());
        if (segment != null) {
            parameters.put("segment", segment);
        }
        if (cohort != null) {
            parameters.put("cohort", cohort);
        }
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @GetMapping("/accounts/{id}/stage-panel")
    String panel(@PathVariable UUID id, Authentication authentication, Model model) {
        User user = authors.signedIn(authentication);
        model.addAttribute("journey", lifecycle.of(id));
        model.addAttribute("mayEdit", lifecycle.mayEdit(user));
        model.addAttribute("mayWork", user.role() != Role.VIEWER);
        return "lifecycle/panel :: panel";
    }

    @PostMapping("/accounts/{id}/milestones/{milestone}/done")
    String complete(
            @PathVariable UUID id,
            @PathVariable String milestone,
            @RequestParam(defaultValue = "") String note,
            Authentication authentication,
            Model model,
            HttpServletResponse response) {
        try {
            lifecycle.complete(id, milestone, null, note, authors.signedIn(authentication));
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
        }
        return panel(id, authentication, model);
    }

    @PostMapping("/accounts/{id}/milestones/{milestone}/undo")
    String undo(@PathVariable UUID id, @PathVariable String milestone, Authentication authentication, Model model) {
        lifecycle.undo(id, milestone, authors.signedIn(authentication));
        return panel(id, authentication, model);
    }

    /** Moves the account by hand; answers the panel, with what was wrong (422) when the move is refused. */
    @PostMapping("/accounts/{id}/stage-panel")
    String move(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String stage,
            @RequestParam(defaultValue = "") String reason,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate holdUntil,
            Authentication authentication,
            Model model,
            HttpServletResponse response) {
        try {
            lifecycle.move(id, stage, reason, holdUntil, authors.signedIn(authentication));
            model.addAttribute("moved", true);
            response.setHeader("HX-Trigger", TIMELINE_CHANGED);
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            model.addAttribute("tried", new LifecycleController.Move(stage, reason, holdUntil));
        }
        return panel(id, authentication, model);
    }
}
