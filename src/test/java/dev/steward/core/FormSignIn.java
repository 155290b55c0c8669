package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser over real HTTP, for tests of running instances: signs in through the form and keeps the session cookie. */
public final class FormSignIn {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FormSignIn() {}

    /** Signs in on the instance at this port; returns the session cookie ({@code SESSION=…}). */
    public static String signIn(int port, String email, String password) throws Exception {
        HttpResponse<String> page = get(port, "/login", null);
        String cookie = cookie(page, null);
        Map<String, String> form = Map.of("email", email, "password", password, "_csrf", csrf(page.body()));
        HttpResponse<String> signedIn = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                                .collect(Collectors.joining("&"))))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.headers().firstValue("Location"))
                .as("where signing in led")
                .hasValueSatisfying(location -> assertThat(location).doesNotContain("error"));
        return cookie(signedIn, cookie);
    }

    public static HttpResponse<String> get(int port, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token of a page's form. */
    public static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token on the page").isTrue();
        return matcher.group(1);
    }

    private static String cookie(HttpResponse<?> response, String otherwise) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("SESSION="))
                .map(value -> value.substring(0, value.indexOf(';')))
                .findFirst()
                .orElse(otherwise);
    }
}
