package dev.steward.notify;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What Steward's emails say about themselves ({@code steward.mail.*}).
 *
 * @param from the sender, as {@code address} or {@code Name <address>}
 * @param baseUrl Steward's address as people open it ({@code https://steward.example.com}), for links in emails;
 *     without it, emails name the path alone
 */
@ConfigurationProperties("steward.mail")
record MailSettings(String from, String baseUrl) {

    MailSettings {
        from = from == null || from.isBlank() ? "Steward <steward@localhost>" : from.strip();
        baseUrl = baseUrl == null ? "" : baseUrl.strip().replaceAll("/+$", "");
    }

    /** A link to a path within Steward, absolute when the base URL is known. */
    String link(String path) {
        return baseUrl + path;
    }
}
