package dev.steward.insight;

import dev.steward.identity.UserDirectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.ObjectMapper;

/** The adoption page for leaders: each figure as a table of CSMs by week, with the team's weeks as a chart. */
@Controller
@RequestMapping("/insight/adoption")
class AdoptionPages {

    /** What each figure means, as the page states it (docs/adoption.md says it at length). */
    static final List<String> DEFINITIONS = List.of(
            "Weeks run Monday to Sunday in Steward's time zone; this week is counted up to now. People: users with"
                    + " role CSM or MANAGER who own a customer today or signed in during the weeks.",
            "Sign-ins: sign-ins with a password or single sign-on (API keys are not sign-ins). Accounts viewed:"
                    + " distinct accounts whose page the person opened. Both are no data in weeks before Steward"
                    + " recorded any.",
            "Sentiment: sentiments the person recorded. Overrides: health overrides the person set. CTAs worked:"
                    + " distinct CTAs the person made by hand, commented on, did or reopened a task of, snoozed,"
                    + " reassigned, reprioritised, closed or reopened.",
            "Days to first action: for each customer of the person's book (as owned today) whose stored color changed"
                    + " to Red that week, from the start of that day to the first touch or person's work on a CTA of"
                    + " the account; the median over the changes acted on, no data without any. Totals add up the"
                    + " people shown.");

    private final Adoptions adoptions;
    private final UserDirectory users;
    private final ObjectMapper json;

    AdoptionPages(Adoptions adoptions, UserDirectory users, ObjectMapper json) {
        this.adoptions = adoptions;
        this.users = users;
        this.json = json;
    }

    /** One table of the page: the figure (its name in the JSON), its heading, and the unit after each number. */
    record Table(String key, String title, String unit) {}

    static final List<Table> TABLES = List.of(
            new Table("signIns", "Sign-ins", ""),
            new Table("accountsViewed", "Accounts viewed", ""),
            new Table("sentiments", "Sentiment recorded", ""),
            new Table("overrides", "Overrides set", ""),
            new Table("ctasWorked", "CTAs worked", ""),
            new Table("medianDaysToAction", "Days from Red to first action (median)", " days"));

    @GetMapping
    String page(@RequestParam(defaultValue = "12") int weeks, Authentication authentication, Model model) {
        Adoption adoption = adoptions.adoption(weeks, users.signedIn(authentication));
        model.addAttribute("activeNav", "adoption");
        model.addAttribute("adoption", adoption);
        model.addAttribute("periods", Adoption.PERIODS);
        model.addAttribute("tables", TABLES);
        model.addAttribute("definitions", DEFINITIONS);
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("weeks", adoption.weekStarts());
        chart.put("totals", adoption.totals());
        model.addAttribute("chartData", json.writeValueAsString(chart));
        return "insight/adoption";
    }
}
