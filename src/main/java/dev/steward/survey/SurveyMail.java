package dev.steward.survey;

import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * A survey's email to one contact: the question with a 0–10 scale of links, each of which answers at one click, in an
 * HTML part and the same links in the plain-text part; a one-click unsubscribe link in the body and in the
 * {@code List-Unsubscribe} header, with {@code List-Unsubscribe-Post} (RFC 8058) so that mail programs unsubscribe
 * with one POST.
 */
@Component
class SurveyMail {

    static final String UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click";

    private final Notifications notifications;
    private final SurveyTokens tokens;

    SurveyMail(Notifications notifications, SurveyTokens tokens) {
        this.notifications = notifications;
        this.tokens = tokens;
    }

    /** The key that makes the outbox queue a survey's email to a contact once. */
    static String key(UUID survey, UUID contact) {
        return "survey:" + survey + ":" + contact;
    }

    static String merge(String template, String account, String contact) {
        return template.replace("{{account}}", account).replace("{{contact}}", contact);
    }

    ExternalEmail email(Survey survey, UUID contact, String contactName, String email, String accountName) {
        String token = tokens.tokenFor(survey.id(), contact);
        String question = merge(survey.question(), accountName, contactName);
        String unsubscribe = notifications.linkTo("/nps/" + token + "/unsubscribe");
        String greeting = contactName.isBlank() ? "Hello," : "Hello " + contactName + ",";

        StringBuilder text =
                new StringBuilder(greeting).append("\n\n").append(question).append("\n\n");
        text.append("Click a score, from 0 (not at all likely) to 10 (extremely likely):\n\n");
        StringBuilder cells = new StringBuilder();
        for (int score = 0; score <= 10; score++) {
            String link = notifications.linkTo("/nps/" + token + "/" + score);
            text.append(score).append(": ").append(link).append('\n');
            cells.append("<td style=\"padding:2px\"><a href=\"")
                    .append(HtmlUtils.htmlEscape(link))
                    .append("\" style=\"display:inline-block;min-width:28px;padding:8px 4px;text-align:center;")
                    .append("border:1px solid #888;border-radius:4px;color:#222;text-decoration:none;")
                    .append("font-family:sans-serif\">")
                    .append(score)
                    .append("</a></td>");
        }
        text.append("\nOne click records your answer; you may add a comment after it.\n\n-- \n")
                .append("No more surveys from us: ")
                .append(unsubscribe)
                .append('\n');

        String html = "<!DOCTYPE html><html><body style=\"font-family:sans-serif;color:#222\">"
                + "<p>" + HtmlUtils.htmlEscape(greeting) + "</p>"
                + "<p style=\"font-size:16px\">" + HtmlUtils.htmlEscape(question) + "</p>"
                + "<table role=\"presentation\" cellspacing=\"0\" cellpadding=\"0\"><tr>" + cells + "</tr></table>"
                + "<table role=\"presentation\" style=\"width:100%;max-width:420px;font-size:12px;color:#666\"><tr>"
                + "<td>0 = not at all likely</td><td style=\"text-align:right\">10 = extremely likely</td></tr>"
                + "</table>"
                + "<p style=\"font-size:13px;color:#444\">One click records your answer; you may add a comment after"
                + " it.</p>"
                + "<p style=\"font-size:12px;color:#666\">No more surveys from us? <a href=\""
                + HtmlUtils.htmlEscape(unsubscribe) + "\">Unsubscribe</a></p>"
                + "</body></html>";

        Map<String, String> headers = new LinkedHashMap<>();
        // The header needs an absolute URL: without steward.mail.base-url the links are paths, and it is left out.
        if (unsubscribe.startsWith("https://") || unsubscribe.startsWith("http://")) {
            headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
            headers.put("List-Unsubscribe-Post", UNSUBSCRIBE_POST);
        }
        return new ExternalEmail(
                email,
                merge(survey.subject(), accountName, contactName),
                text.toString(),
                html,
                headers,
                key(survey.id(), contact));
    }
}
