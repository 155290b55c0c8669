package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
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

/**
 * The Lifecycle page (the journey in force: its stages in order with the accounts in each, their ARR and median days
 * there as a funnel; the journey's YAML with drafts, publication and history), a stage's accounts, and the stage
 * panel of an account's page (its stage, why it is there, its history, and a move by hand).
 */
@Controller
class LifecyclePages {

    private static final String PAGE = "lifecycle/journey";

    private final LifecycleManagement lifecycle;
    private final UserDirectory authors;

    LifecyclePages(LifecycleManagement lifecycle, UserDirectory authors) {
        this.lifecycle = lifecycle;
        this.authors = authors;
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
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            model.addAttribute("tried", new LifecycleController.Move(stage, reason, holdUntil));
        }
        return panel(id, authentication, model);
    }
}
