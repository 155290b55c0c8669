package dev.steward.outreach;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The unsubscribe link of a journey's email, opened without signing in (GET), or posted by a mail program's own
 * unsubscribe button (RFC 8058 one-click POST): the link's random token is the proof.
 */
@Controller
class UnsubscribePages {

    private final JourneyManagement journeys;

    UnsubscribePages(JourneyManagement journeys) {
        this.journeys = journeys;
    }

    @GetMapping("/email/{token}/unsubscribe")
    String page(@PathVariable String token, Model model, HttpServletResponse response) {
        return unsubscribe(token, model, response);
    }

    @PostMapping("/email/{token}/unsubscribe")
    String oneClick(@PathVariable String token, Model model, HttpServletResponse response) {
        return unsubscribe(token, model, response);
    }

    private String unsubscribe(String token, Model model, HttpServletResponse response) {
        Optional<String> email = token.length() > 100 ? Optional.empty() : journeys.unsubscribe(token);
        if (email.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "outreach/invalid";
        }
        model.addAttribute("email", email.get());
        model.addAttribute("token", token);
        return "outreach/unsubscribed";
    }
}
