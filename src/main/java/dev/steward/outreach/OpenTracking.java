package dev.steward.outreach;

import dev.steward.notify.Notifications;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens and clicks of journey emails. Each email gets a tracking pixel in its HTML part and its
 * {@code {{link:https://…}}} merge fields become redirect links; both URLs carry the send's id and an HMAC-SHA256
 * keyed with the send's own random token (kept only in the database), so that nobody can forge an open, a click, or a
 * redirect to a page the email did not link to. Opens are approximate: mail programs that block images never fetch
 * the pixel, and privacy proxies (Apple Mail Privacy Protection) fetch it whether or not the contact read the email.
 */
@Component
class OpenTracking {

    static final String LINK = "link:";
    private static final int SIGNATURE = 16;

    private final Notifications notifications;
    private final SendTracking sends;
    private final Clock clock;

    OpenTracking(Notifications notifications, SendTracking sends, Clock clock) {
        this.notifications = notifications;
        this.sends = sends;
        this.clock = clock;
    }

    /** The template's tracked links, each as a merge value leading through the send's signed redirect. */
    void addLinks(Map<String, String> values, UUID send, String key, JourneyDocument.Email email) {
        for (String template : new String[] {email.text(), email.html()}) {
            if (template == null) {
                continue;
            }
            Matcher matcher = JourneyDocuments.MERGE_FIELD.matcher(template);
            while (matcher.find()) {
                String field = matcher.group(1);
                if (field.startsWith(LINK)) {
                    String target = field.substring(LINK.length()).strip();
                    values.put(
                            field,
                            notifications.linkTo("/email/track/" + send + "/" + sign(key, "click:" + target)
                                    + "/click?url=" + URLEncoder.encode(target, StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** The rendered email with a tracking pixel at the end of its HTML part (a text-only email has none). */
    JourneyMail.Rendered withPixel(JourneyMail.Rendered rendered, UUID send, String key) {
        if (rendered.html() == null) {
            return rendered;
        }
        String src = notifications.linkTo("/email/track/" + send + "/" + sign(key, "open") + ".gif");
        if (!src.startsWith("https://") && !src.startsWith("http://")) {
            return rendered; // without steward.mail.base-url there is no address a mail program could fetch
        }
        String pixel = "<img src=\"" + src + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        String html = rendered.html();
        int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
        html = end >= 0 ? html.substring(0, end) + pixel + html.substring(end) : html + pixel;
        return new JourneyMail.Rendered(rendered.subject(), rendered.text(), html);
    }

    /** Records the first open of the send whose pixel this is; nothing for a signature that does not match. */
    @Transactional
    void open(UUID send, String signature) {
        sends.tokenOf(send)
                .filter(key -> matches(key, "open", signature))
                .ifPresent(key -> sends.opened(send, clock.instant()));
    }

    /** Records a click and answers where it leads; empty for a signature that does not match the send and URL. */
    @Transactional
    Optional<URI> click(UUID send, String signature, String url) {
        Optional<String> key = sends.tokenOf(send).filter(k -> matches(k, "click:" + url, signature));
        if (key.isEmpty() || !JourneyDocuments.isTrackable(url)) {
            return Optional.empty();
        }
        sends.clicked(send, clock.instant());
        return Optional.of(URI.create(url));
    }

    static String sign(String key, String what) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] full = mac.doFinal(what.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, SIGNATURE));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static boolean matches(String key, String what, @Nullable String signature) {
        return signature != null
                && MessageDigest.isEqual(
                        sign(key, what).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
    }
}
