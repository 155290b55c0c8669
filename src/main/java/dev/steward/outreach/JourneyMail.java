package dev.steward.outreach;

import dev.steward.customer.Account;
import dev.steward.customer.Contact;
import dev.steward.identity.User;
import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * A journey's email to one contact: the step's templates with their merge fields filled in (escaped in the HTML part),
 * an unsubscribe link in both parts (where the template puts {@code {{unsubscribe}}}, else at the end) and in the
 * {@code List-Unsubscribe} header with {@code List-Unsubscribe-Post} (RFC 8058), as surveys send them.
 */
@Component
class JourneyMail {

    static final String UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click";

    private final Notifications notifications;
    private final OutreachProperties properties;

    JourneyMail(Notifications notifications, OutreachProperties properties) {
        this.notifications = notifications;
        this.properties = properties;
    }

    /** The key that makes the outbox queue a step's email to a contact once. */
    static String key(UUID journey, UUID contact, int step) {
        return "outreach:" + journey + ":" + contact + ":" + step;
    }

    /** What the merge fields stand for, for one contact. */
    static Map<String, String> values(
            @Nullable Contact contact,
            String email,
            @Nullable Account account,
            @Nullable User csm,
            String unsubscribe) {
        Map<String, String> values = new HashMap<>();
        String name =
                contact == null || contact.name() == null || contact.name().isBlank()
                        ? ""
                        : contact.name().strip();
        values.put("contact", name.isEmpty() ? "there" : name);
        values.put("contact.first_name", name.isEmpty() ? "there" : name.split("\\s+")[0]);
        values.put("contact.email", email);
        values.put("account", account == null ? "your company" : account.name());
        values.put("csm", csm == null ? "your customer success manager" : csm.displayName());
        values.put("csm.email", csm == null ? "" : csm.email());
        Account.Health health = account == null ? null : account.health();
        values.put("health.score", health == null ? "" : String.valueOf(Math.round(health.score())));
        values.put("health.color", health == null ? "" : health.color().toLowerCase(Locale.ROOT));
        values.put(
                "renewal",
                account == null || account.renewalDate() == null
                        ? ""
                        : account.renewalDate().toString());
        values.put("unsubscribe", unsubscribe);
        return values;
    }

    static String merge(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher matcher = JourneyDocuments.MERGE_FIELD.matcher(template);
        StringBuilder merged = new StringBuilder();
        while (matcher.find()) {
            String field = matcher.group(1);
            // A tracked link not made into a redirect (a preview) is its address.
            String value = values.getOrDefault(
                    field,
                    field.startsWith(OpenTracking.LINK)
                            ? field.substring(OpenTracking.LINK.length()).strip()
                            : "");
            matcher.appendReplacement(merged, Matcher.quoteReplacement(escape.apply(value)));
        }
        matcher.appendTail(merged);
        return merged.toString();
    }

    /** The unsubscribe link of a send's token. */
    String unsubscribeLink(String token) {
        return notifications.linkTo("/email/" + token + "/unsubscribe");
    }

    /** The preference page's link of a send's token, where the contact chooses which kinds of mail they get. */
    String preferencesLink(String token) {
        return notifications.linkTo("/email/" + token + "/preferences");
    }

    /** The rendered parts of an email step, without the outbox's envelope: for previews and sending. */
    record Rendered(String subject, String text, @Nullable String html) {}

    Rendered render(JourneyDocument.Email step, Map<String, String> values) {
        String unsubscribe = values.get("unsubscribe");
        String subject = merge(step.subject(), values, v -> v).strip().replaceAll("[\\r\\n\\t]+", " ");
        String text = merge(step.text(), values, v -> v);
        String preferences = values.getOrDefault("preferences", "");
        if (!usesUnsubscribe(step.text())) {
            text = text.stripTrailing() + "\n\n-- \nNo more emails from us: " + unsubscribe + "\n"
                    + (preferences.isEmpty() ? "" : "Choose which emails you get: " + preferences + "\n");
        }
        String html = null;
        if (step.html() != null) {
            html = merge(step.html(), values, HtmlUtils::htmlEscape);
            if (!usesUnsubscribe(step.html())) {
                String footer = "<p style=\"font-size:12px;color:#666\">No more emails from us? <a href=\""
                        + HtmlUtils.htmlEscape(unsubscribe) + "\">Unsubscribe</a>"
                        + (preferences.isEmpty()
                                ? ""
                                : " or <a href=\"" + HtmlUtils.htmlEscape(preferences)
                                        + "\">choose which emails you get</a>")
                        + "</p>";
                int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
                html = end >= 0 ? html.substring(0, end) + footer + html.substring(end) : html + footer;
            }
        }
        return new Rendered(subject.isEmpty() ? "(no subject)" : subject, text, html);
    }

    ExternalEmail email(String to, Rendered rendered, String unsubscribe, String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        // The header needs an absolute URL: without steward.mail.base-url the links are paths, and it is left out.
        if (unsubscribe.startsWith("https://") || unsubscribe.startsWith("http://")) {
            headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
            headers.put("List-Unsubscribe-Post", UNSUBSCRIBE_POST);
        }
        if (properties.replyTo() != null && !properties.replyTo().isBlank()) {
            headers.put("Reply-To", properties.replyTo().strip());
        }
        return new ExternalEmail(to, rendered.subject(), rendered.text(), rendered.html(), headers, key);
    }

    private static boolean usesUnsubscribe(String template) {
        Matcher matcher = JourneyDocuments.MERGE_FIELD.matcher(template);
        while (matcher.find()) {
            if (matcher.group(1).equals("unsubscribe")) {
                return true;
            }
        }
        return false;
    }
}
