package dev.steward.lifecycle;

import dev.steward.core.InvalidInputException;
import dev.steward.core.Pilot;
import dev.steward.identity.Role;
import dev.steward.identity.UserDirectory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings → Pilot: the pilot group's size against the seeds' 10–20 % of accounts, the CSMs flagged with a switch each,
 * and where accounts are picked by hand; what {@code pilot: true} does in scorecards and playbooks.
 */
@Controller
class PilotPages {

    private final PilotGroup pilot;
    private final UserDirectory users;

    PilotPages(PilotGroup pilot, UserDirectory users) {
        this.pilot = pilot;
        this.users = users;
    }

    @GetMapping("/settings/pilot")
    String page(Model model) {
        model.addAttribute("activeNav", "pilot");
        model.addAttribute("pilot", pilot.summary());
        model.addAttribute(
                "people",
                users.everyone().stream()
                        .filter(u -> u.enabled() && (u.role() == Role.CSM || u.role() == Role.MANAGER))
                        .sorted(java.util.Comparator.comparing(
                                u -> u.displayName().toLowerCase(java.util.Locale.ROOT)))
                        .toList());
        model.addAttribute("segment", Pilot.SEGMENT);
        model.addAttribute("picked", Pilot.PICKED);
        return "lifecycle/pilot";
    }

    @PostMapping("/settings/pilot/people")
    String flag(
            @RequestParam String email,
            @RequestParam boolean pilot,
            Authentication authentication,
            RedirectAttributes redirect) {
        try {
            this.pilot.flag(email, pilot, users.signedIn(authentication));
            redirect.addFlashAttribute("message", email + (pilot ? " is in the pilot" : " is out of the pilot"));
        } catch (InvalidInputException refused) {
            redirect.addFlashAttribute("error", refused.errors().get(0).reason());
        }
        return "redirect:/settings/pilot";
    }

    @PostMapping("/settings/pilot/setup")
    String setUp(Authentication authentication, RedirectAttributes redirect) {
        pilot.setUp(users.signedIn(authentication));
        redirect.addFlashAttribute(
                "message", "The pilot's segments are set up: pick accounts in '" + Pilot.PICKED + "'");
        return "redirect:/settings/pilot";
    }
}
