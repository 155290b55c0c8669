package dev.steward.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An email to an address outside Steward's users, such as a customer's contact asked to answer a survey: a subject, a
 * plain-text part, optionally an HTML part (sent as the alternative to the text), extra headers such as
 * {@code List-Unsubscribe}, and a key: queueing a second email with the same key queues nothing, however many
 * instances try at once. Checks itself when made.
 */
public record ExternalEmail(
        String to, String subject, String text, @Nullable String html, Map<String, String> headers, String key) {

    static final int MAX_KEY = 200;
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"]+@[^\\s@<>\"]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,75}");

    public ExternalEmail {
        if (to == null || !ADDRESS.matcher(to.strip()).matches() || to.strip().length() > 320) {
            throw new IllegalArgumentException("to: is not an email address: '" + to + "'");
        }
        to = to.strip();
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject: is required");
        }
        subject = subject.strip().replaceAll("[\\r\\n\\t]+", " ");
        if (subject.length() > Notification.MAX_SUBJECT) {
            throw new IllegalArgumentException("subject: is longer than " + Notification.MAX_SUBJECT + " characters");
        }
        text = text == null ? "" : text;
        if (text.length() > Notification.MAX_BODY || (html != null && html.length() > Notification.MAX_BODY)) {
            throw new IllegalArgumentException("body: is longer than " + Notification.MAX_BODY + " characters");
        }
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!HEADER_NAME.matcher(header.getKey()).matches()
                    || header.getValue() == null
                    || header.getValue().matches("(?s).*[\\r\\n].*")) {
                throw new IllegalArgumentException(
                        "headers: '" + header.getKey() + "' must be a header name with a one-line value");
            }
        }
        headers = java.util.Collections.unmodifiableMap(headers);
        if (key == null || key.isBlank() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("key: is required, at most " + MAX_KEY + " characters");
        }
    }

    /** The headers as stored with the delivery: one {@code Name: value} a line. */
    String headerLines() {
        StringBuilder lines = new StringBuilder();
        headers.forEach(
                (name, value) -> lines.append(name).append(": ").append(value).append('\n'));
        return lines.toString();
    }

    /** Headers read back from {@link #headerLines()}. */
    static Map<String, String> parseHeaderLines(@Nullable String lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (lines != null) {
            for (String line : lines.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    headers.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        return headers;
    }
}
