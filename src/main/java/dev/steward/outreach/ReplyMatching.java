package dev.steward.outreach;

import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Which journey email a reply answers. Each journey email goes out with a Message-ID of its own, recorded with its
 * send (the outbox leaves a given Message-ID as it is; the SMTP sender keeps one that is set); a reply names it in
 * {@code In-Reply-To} and {@code References}, which mail programs keep whoever answers — a colleague the email was
 * forwarded to, or the contact writing from another address. Replies that name none are matched by the sender's
 * address, as before.
 */
@Component
class ReplyMatching {

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]{1,250}>");
    /** Message-IDs read from one reply's headers, at most. */
    private static final int MAXIMUM_IDS = 50;

    private final Notifications notifications;
    private final SendTracking sends;

    ReplyMatching(Notifications notifications, SendTracking sends) {
        this.notifications = notifications;
        this.sends = sends;
    }

    /** The Message-ID a send goes out with: its id at Steward's host (from {@code steward.mail.base-url}). */
    String messageId(UUID send) {
        String host = null;
        try {
            host = URI.create(notifications.linkTo("/")).getHost();
        } catch (IllegalArgumentException e) {
            // a path without a host: the fallback below
        }
        return "<outreach." + send + "@" + (host == null || host.isBlank() ? "steward.invalid" : host) + ">";
    }

    /** The email with its Message-ID header. */
    static ExternalEmail withMessageId(ExternalEmail email, String messageId) {
        Map<String, String> headers = new LinkedHashMap<>(email.headers());
        headers.put("Message-ID", messageId);
        return new ExternalEmail(email.to(), email.subject(), email.text(), email.html(), headers, email.key());
    }

    /** The Message-IDs a reply names: {@code In-Reply-To} first, then {@code References} from the latest. */
    static List<String> named(@Nullable String inReplyTo, @Nullable String references) {
        List<String> ids = new ArrayList<>();
        if (inReplyTo != null) {
            Matcher matcher = MESSAGE_ID.matcher(inReplyTo);
            while (matcher.find() && ids.size() < MAXIMUM_IDS) {
                ids.add(matcher.group());
            }
        }
        if (references != null) {
            List<String> referenced = new ArrayList<>();
            Matcher matcher = MESSAGE_ID.matcher(references);
            while (matcher.find() && referenced.size() < MAXIMUM_IDS) {
                referenced.add(matcher.group());
            }
            for (int i = referenced.size() - 1; i >= 0 && ids.size() < MAXIMUM_IDS; i--) {
                if (!ids.contains(referenced.get(i))) {
                    ids.add(referenced.get(i));
                }
            }
        }
        return ids;
    }

    /** The journey email a reply names, if it names one of ours. */
    Optional<EmailJourneys.Send> answered(JourneyViews.Reply reply) {
        List<String> ids = named(reply.inReplyTo(), reply.references());
        return ids.isEmpty() ? Optional.empty() : sends.sendByMessageId(ids);
    }
}
