package dev.steward.survey;

import dev.steward.core.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The pages a survey's recipient opens from the email, without signing in: each link carries a signed token. A score
 * link records the score at once and offers a comment; the unsubscribe link (GET, and the one-click POST of RFC 8058)
 * stops survey mail to the address. A link that is not valid gets a page saying so (404), never an error trace.
 */
@Controller
class SurveyAnswerPages {

    private final SurveyManagement surveys;

    SurveyAnswerPages(SurveyManagement surveys) {
        this.surveys = surveys;
    }

    @GetMapping("/nps/{token}")
    String open(@PathVariable String token, Model model, HttpServletResponse response) {
        return show(surveys.open(token), model, response);
    }

    @GetMapping("/nps/{token}/{score}")
    String answer(@PathVariable String token, @PathVariable String score, Model model, HttpServletResponse response) {
        int value;
        try {
            value = Integer.parseInt(score);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > 10) {
            model.addAttribute("problem", "A score is a whole number from 0 to 10; “" + score + "” is not one.");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return "survey/invalid";
        }
        Optional<SurveyManagement.Answer> answer = surveys.answer(token, value);
        model.addAttribute("recorded", answer.isPresent());
        return show(answer, model, response);
    }

    @PostMapping("/nps/{token}/comment")
    String comment(
            @PathVariable String token,
            @RequestParam(defaultValue = "") String comment,
            Model model,
            HttpServletResponse response) {
        Optional<SurveyManagement.Answer> answer;
        try {
            answer = surveys.comment(token, comment);
        } catch (InvalidInputException e) {
            model.addAttribute("commentError", e.errors().get(0).reason());
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return show(surveys.open(token), model, response);
        }
        model.addAttribute("thanked", answer.isPresent());
        return show(answer, model, response);
    }

    @GetMapping("/nps/{token}/unsubscribe")
    String unsubscribePage(@PathVariable String token, Model model, HttpServletResponse response) {
        Optional<String> email = surveys.unsubscribe(token);
        if (email.isEmpty()) {
            return invalid(model, response);
        }
        model.addAttribute("email", email.get());
        return "survey/unsubscribed";
    }

    /** RFC 8058 one-click unsubscribe: a mail program posts {@code List-Unsubscribe=One-Click} here. */
    @PostMapping("/nps/{token}/unsubscribe")
    @ResponseBody
    ResponseEntity<String> unsubscribe(@PathVariable String token) {
        return surveys.unsubscribe(token)
                .map(email -> ResponseEntity.ok(email + " is unsubscribed from survey emails.\n"))
                .orElseGet(() ->
                        ResponseEntity.status(HttpStatus.NOT_FOUND).body("This unsubscribe link is not valid.\n"));
    }

    private String show(Optional<SurveyManagement.Answer> answer, Model model, HttpServletResponse response) {
        if (answer.isEmpty()) {
            return invalid(model, response);
        }
        model.addAttribute("answer", answer.get());
        return "survey/answer";
    }

    private static String invalid(Model model, HttpServletResponse response) {
        model.addAttribute(
                "problem",
                "This survey link is not valid: it may have been changed or cut short. Please open the link from the"
                        + " email again.");
        response.setStatus(HttpStatus.NOT_FOUND.value());
        return "survey/invalid";
    }
}
