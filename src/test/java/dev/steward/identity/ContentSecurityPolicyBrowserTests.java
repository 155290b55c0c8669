package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every page works under the Content-Security-Policy (scripts from Steward only: no inline script, no eval), and the
 * session cookie is marked Secure when Steward is reached over TLS through a proxy.
 */
@BrowserTest
class ContentSecurityPolicyBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Test
    void everyPageWorksUnderTheContentSecurityPolicy() {
        String account = accounts.create(new AccountInput(
                        null, "Policy Test Co", null, null, "SMB", null, null, 40, null, null, null, null, null))
                .id()
                .value()
                .toString();
        List<String> violations = new ArrayList<>();
        Page page = browsers.open(1280, 900);
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                violations.add(page.url() + ": " + message.text());
            }
        });
        page.onPageError(error -> violations.add(page.url() + ": " + error));
        page.navigate("http://localhost:" + port + "/login");
        Browsers.signIn(page, Browsers.ADMIN_EMAIL, Browsers.ADMIN_PASSWORD);
        page.waitForURL("**/accounts**");

        List<String> paths = List.of(
                "/accounts",
                "/accounts/" + account,
                "/scorecards",
                "/segments",
                "/segments/new",
                "/backtests",
                "/backtests/churn",
                "/sources",
                "/imports",
                "/data-quality",
                "/books",
                "/lifecycle",
                "/lifecycle/flow",
                "/ctas",
                "/ctas/new",
                "/playbooks",
                "/playbooks/new",
                "/settings/outbox",
                "/settings/webhooks",
                "/settings/users",
                "/settings/api-keys",
                "/settings/configuration",
                "/health/disagreements",
                "/insight/adoption",
                "/settings/handoff",
                "/account/password",
                "/docs",
                "/docs/health",
                "/api/docs");
        for (String path : paths) {
            page.navigate("http://localhost:" + port + path);
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
            assertThat(page.evaluate(
                            "() => typeof window.htmx !== 'undefined' || location.pathname.startsWith('/api')"))
                    .as("htmx loaded on %s", path)
                    .isEqualTo(true);
        }
        page.navigate("http://localhost:" + port + "/accounts/" + account);
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        assertThat(page.locator("#arr-chart canvas").count())
                .as("the ARR chart is drawn")
                .isPositive();
        page.navigate("http://localhost:" + port + "/insight/adoption");
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        assertThat(page.locator("#adoption-chart canvas").count())
                .as("the adoption chart is drawn")
                .isPositive();
        assertThat(violations).as("CSP violations and script errors").isEmpty();
    }

    @Test
    void theSessionCookieIsSecureBehindTlsAndThePolicyIsSent() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> overTls = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .header("X-Forwarded-Proto", "https")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(overTls.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("SESSION=").contains("Secure"));
        assertThat(overTls.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self';"));

        HttpResponse<String> plain = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("SESSION=").doesNotContain("Secure"));
    }
}
