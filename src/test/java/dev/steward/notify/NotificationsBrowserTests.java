package dev.steward.notify;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.identity.UserDirectory;
import java.nio.file.Files;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A person notices the bell in a real browser, opens their notifications, follows one to where it points and marks
 * the rest read; the bell follows. On a database of its own: the administrator's notifications are counted.
 */
@BrowserTest
@TestPropertySource(properties = "steward.test.notify-browser=own-database")
class NotificationsBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    Notifications notifications;

    @Autowired
    UserDirectory users;

    @Test
    void theBellLeadsToTheNotificationsWhichLeadOn() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        UUID admin = users.findByEmail(Browsers.ADMIN_EMAIL).orElseThrow().id();
        notifications.send(Notification.of(admin, "cta.escalated", "Acme Corp escalated", "Call them today.")
                .withLink("/settings/api-keys"));
        notifications.send(Notification.of(admin, "cta.assigned", "Globex is yours", "A new CTA for you."));

        Page page = browsers.signedIn(port, "/accounts", 1280, 800);
        assertThat(page.getByTestId("unread-count")).hasText("2");
        page.getByTestId("notifications-bell").click();

        assertThat(page).hasURL(Pattern.compile("/notifications$"));
        assertThat(page.getByTestId("notifications")).containsText("Acme Corp escalated");
        assertThat(page.getByTestId("notifications")).containsText("Globex is yours");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("notifications.png")));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open"))
                .click();
        assertThat(page).hasURL(Pattern.compile("/settings/api-keys$"));
        assertThat(page.getByTestId("unread-count")).hasText("1");

        page.getByTestId("notifications-bell").click();
        page.getByTestId("mark-all-read").click();
        assertThat(page.getByText("1 notification marked read")).isVisible();
        assertThat(page.getByTestId("unread-count")).hasCount(0);

        // An administrator goes on to the outbox: without an SMTP server, the emails wait there.
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Outbox and webhooks"))
                .click();
        assertThat(page.getByTestId("email-off")).isVisible();
        assertThat(page.getByTestId("outbox")).containsText("Acme Corp escalated");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("outbox.png")));
    }
}
