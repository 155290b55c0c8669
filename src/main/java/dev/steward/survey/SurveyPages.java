package dev.steward.survey;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.UserDirectory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.ObjectMapper;

/** The Surveys pages: the list with a form for a new survey, and each survey with its results and answers. */
@Controller
class SurveyPages {

    private final SurveyManagement surveys;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final ObjectMapper json;

    SurveyPages(SurveyManagement surveys, AccountManagement accounts, UserDirectory users, ObjectMapper json) {
        this.surveys = surveys;
        this.accounts = accounts;
        this.users = users;
        this.json = json;
    }

    @GetMapping("/surveys")
    String list(Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new SurveyInput("", "", "", "", List.of()));
        }
        model.addAttribute("surveys", surveys.list());
        model.addAttribute("segments", surveys.segmentNames());
        model.addAttribute("roles", SurveyManagement.ROLES.keySet());
        model.addAttribute("defaultSubject", SurveyManagement.DEFAULT_SUBJECT);
        model.addAttribute("defaultQuestion", SurveyManagement.DEFAULT_QUESTION);
        model.addAttribute("activeNav", "surveys");
        return "survey/surveys";
    }

    @PostMapping("/surveys")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String subject,
            @RequestParam(defaultValue = "") String question,
            @RequestParam(defaultValue = "") String segment,
            @RequestParam(required = false) List<String> roles,
            @RequestParam(defaultValue = "false") boolean send,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect) {
        SurveyInput input = new SurveyInput(name, subject, question, segment, roles == null ? List.of() : roles);
        Survey survey;
        try {
            survey = surveys.create(input, users.signedInId(authentication).orElse(null));
        } catch (InvalidInputException e) {
            model.addAttribute("form", input);
            model.addAttribute(
                    "errors", e.errors().stream().map(FieldError::toString).toList());
            return list(model);
        }
        if (send) {
            redirect.addFlashAttribute("message", sent(surveys.send(survey.id())));
        } else {
            redirect.addFlashAttribute("message", "Survey saved; send it when you are ready.");
        }
        return "redirect:/surveys/" + survey.id();
    }

    @GetMapping("/surveys/{id}")
    String survey(@PathVariable UUID id, Model model) {
        Survey survey = surveys.get(id);
        List<Surveys.Invitation> invitations = surveys.invitations(id);
        Map<UUID, String> names =
                accounts
                        .findAll(invitations.stream()
                                .map(i -> new AccountId(i.account()))
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(a -> a.id().value(), a -> a.name()));
        model.addAttribute("survey", survey);
        model.addAttribute("results", surveys.results(id));
        NpsOverTime overTime = surveys.overTime(id, "month");
        model.addAttribute("overTime", overTime);
        model.addAttribute("overTimeChart", json.writeValueAsString(overTime.overall()));
        model.addAttribute(
                "answered",
                invitations.stream()
                        .filter(i -> i.score() != null)
                        .sorted(java.util.Comparator.comparing(Surveys.Invitation::answeredAt)
                                .reversed())
                        .limit(200)
                        .toList());
        model.addAttribute("accountNames", names);
        model.addAttribute("activeNav", "surveys");
        return "survey/survey";
    }

    @PostMapping("/surveys/{id}/send")
    String send(@PathVariable UUID id, RedirectAttributes redirect) {
        redirect.addFlashAttribute("message", sent(surveys.send(id)));
        return "redirect:/surveys/" + id;
    }

    static String sent(SurveySending sending) {
        return "Emailed " + sending.emailed() + (sending.emailed() == 1 ? " contact" : " contacts") + "; "
                + sending.askedBefore() + " asked before, " + sending.unsubscribed() + " unsubscribed.";
    }
}
