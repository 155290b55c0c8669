package dev.steward.notify;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Something one person should know: it lands in their in-app list and, by their preference, in an email at once or in
 * the daily digest.
 *
 * @param recipient the user it is for
 * @param kind what happened, as dotted lower-case words ({@code cta.escalated}, {@code cta.assigned})
 * @param subject one line (email subject, list title), at most {@value #MAX_SUBJECT} characters
 * @param body plain text, at most {@value #MAX_BODY} characters
 * @param link where in Steward to look, as a path ({@code /ctas/…}), or {@code null}
 * @param key makes sending idempotent: a second notification with the same key for the same recipient is ignored;
 *     {@code null} when every send counts
 */
public record Notification(UUID recipient, String kind, String subject, String body, String link, String key) {

    static final int MAX_SUBJECT = 200;
    static final int MAX_BODY = 20_000;
    static final int MAX_LINK = 500;
    static final int MAX_KEY = 200;
    static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    static final int MAX_KIND = 100;

    public Notification {
        Objects.requireNonNull(recipient, "recipient");
        kind = checkedKind(kind);
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject: is required");
        }
        // One line: it becomes an email header.
        subject = subject.strip().replaceAll("[\\r\\n\\t]+", " ");
        if (subject.length() > MAX_SUBJECT) {
            throw new IllegalArgumentException("subject: is longer than " + MAX_SUBJECT + " characters");
        }
        body = body == null ? "" : body;
        if (body.length() > MAX_BODY) {
            throw new IllegalArgumentException("body: is longer than " + MAX_BODY + " characters");
        }
        if (link != null && (!link.startsWith("/") || link.startsWith("//") || link.length() > MAX_LINK)) {
            throw new IllegalArgumentException("link: must be a path within Steward such as /ctas/42, at most "
                    + MAX_LINK + " characters, not '" + link + "'");
        }
        if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            throw new IllegalArgumentException("key: must be 1 to " + MAX_KEY + " characters when given");
        }
    }

    /** A notification without a link or key. */
    public static Notification of(UUID recipient, String kind, String subject, String body) {
        return new Notification(recipient, kind, subject, body, null, null);
    }

    /** The same notification pointing at a path within Steward. */
    public Notification withLink(String path) {
        return new Notification(recipient, kind, subject, body, path, key);
    }

    /** The same notification, sent at most once per recipient with this key. */
    public Notification withKey(String idempotenceKey) {
        return new Notification(recipient, kind, subject, body, link, idempotenceKey);
    }

    static String checkedKind(String kind) {
        if (kind == null || kind.length() > MAX_KIND || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind: must be dotted lower-case words such as cta.escalated, at most "
                    + MAX_KIND + " characters, not '" + kind + "'");
        }
        return kind;
    }
}
