package dev.steward.health;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.identity.UserDirectory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The administrators' review queue of score disagreements: each with its account, CSM, colors, reason and age. */
@Controller
@RequestMapping("/health/disagreements")
class DisagreementPages {

    private final DisagreementManagement disagreements;
    private final UserDirectory users;

    DisagreementPages(DisagreementManagement disagreements, UserDirectory users) {
        this.disagreements = disagreements;
        this.users = users;
    }

    @GetMapping
    String queue(@RequestParam(defaultValue = "open") String status, Model model) {
        model.addAttribute("activeNav", "disagreements");
        model.addAttribute("status", status);
        model.addAttribute("listed", disagreements.queue(status));
        return "health/disagreements";
    }

    @PostMapping("/{id}/review")
    String review(
            @PathVariable UUID id,
            @RequestParam(required = false) String decision,
            @RequestParam(required = false) String note,
            Authentication authentication,
            RedirectAttributes redirect,
            Model model) {
        try {
            ScoreDisagreement reviewed = disagreements.review(id, decision, note, users.signedIn(authentication));
            redirect.addFlashAttribute(
                    "reviewed", "Marked " + reviewed.decision().value() + "; the account's score is unchanged.");
            return "redirect:/health/disagreements";
        } catch (InvalidInputException refused) {
            Map<String, String> errors = new LinkedHashMap<>();
            for (FieldError error : refused.errors()) {
                errors.putIfAbsent(error.field() == null ? "review" : error.field(), error.reason());
            }
            model.addAttribute("reviewErrors", errors);
        } catch (ConflictException | NotFoundException gone) {
            model.addAttribute("reviewErrors", Map.of("review", gone.getMessage()));
        }
        model.addAttribute("reviewing", id);
        model.addAttribute("reviewDecision", decision);
        model.addAttribute("reviewNote", note);
        return queue("open", model);
    }
}
