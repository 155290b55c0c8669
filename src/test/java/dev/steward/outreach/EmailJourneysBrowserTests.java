package dev.steward.outreach;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import dev.steward.lifecycle.SegmentManagement;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A manager builds an email journey in the YAML editor of a real browser: the check names a problem at its line, the
 * manager fixes it, a dry run shows who would get what, and the journey is published; when the account enters the
 * segment, the contact's email (read from GreenMail) has its subject and merge fields filled and a List-Unsubscribe
 * header. On a database of its own.
 */
@BrowserTest
@TestPropertySource(
        properties = {
            "steward.test.outreach-browser=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.outreach.advance-interval=1s",
            "steward.mail.base-url=https://steward.example.com/"
        })
class EmailJourneysBrowserTests {

    static final int SMTP_PORT = freePort();
    static final String PASSWORD = "journey-browser-password-1";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContactManagement contacts;

    @Autowired
    UserManagement users;

    @Autowired
    SegmentManagement segments;

    @Test
    void aManagerBuildsChecksDryRunsAndPublishesAJourneyWhoseEmailArrives() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        User manager = users.createIfAbsent("maya.journeys@example.com", "Maya Journeys", Role.MANAGER, PASSWORD);
        UUID account = accounts.create(new AccountInput(
                        null,
                        "Browser Journey Co",
                        null,
                        null,
                        "SMB",
                        null,
                        null,
                        40,
                        manager.id(),
                        null,
                        null,
                        null,
                        null))
                .id()
                .value();
        contacts.create(new ContactInput(
                null,
                account,
                null,
                "Rae Browser",
                "rae.browser@example.com",
                null,
                null,
                ContactRole.ADMIN,
                null,
                null));
        segments.saveDraft("Browser pilot", "name: Browser pilot\ntype: static\n", manager);
        segments.publish("Browser pilot", 1, manager);
        segments.addMembers("Browser pilot", List.of(account), manager);

        Page page = browsers.open(1280, 1000);
        page.navigate("http://localhost:" + port + "/accounts");
        Browsers.signIn(page, "maya.journeys@example.com", PASSWORD);
        page.getByTestId("nav-engage").click();
        page.getByTestId("nav-journeys").click();
        page.getByTestId("new-journey").click();

        // A misspelt merge field on line 7 is named at its line and field as it is typed.
        String journey = """
                name: Browser welcome
                audience: {segment: Browser pilot, roles: [admin]}
                trigger: {type: segment_entered, segment: Browser pilot}
                steps:
                  - email:
                      subject: "Welcome, {{contact.first_name}}"
                      text: "Hello {{contact}}, I am {{csm}}, your contact for {{acount}}."
                """;
        page.getByTestId("yaml-editor").fill(journey);
        Locator problem = page.getByTestId("problem")
                .filter(new Locator.FilterOptions().setHasText("{{acount}} is not a merge field"));
        assertThat(problem).hasCount(1);
        assertThat(problem).containsText("Line 7, column");
        assertThat(problem).containsText("steps[0].email.text");

        page.getByTestId("yaml-editor").fill(journey.replace("{{acount}}", "{{account}}"));
        assertThat(page.getByTestId("valid")).isVisible();

        // The dry run: the contact of the account in the segment now would get the welcome, filled in.
        page.getByTestId("dry-run").click();
        assertThat(page.getByTestId("dry-entering")).hasText("1");
        assertThat(page.getByTestId("dry-emails")).hasText("1");
        assertThat(page.getByTestId("dry-sample")).containsText("Rae Browser");
        assertThat(page.getByTestId("dry-sample")).containsText("Browser Journey Co");
        assertThat(page.getByTestId("dry-sample")).containsText("Welcome, Rae");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve("email-journey.png"))
                .setFullPage(true));
        assertThat(smtp.getReceivedMessages()).as("a dry run sends nothing").isEmpty();

        page.getByTestId("save-draft").click();
        assertThat(page.getByTestId("saved")).containsText("Saved version 1");
        page.getByTestId("publish").click();
        assertThat(page.getByTestId("published")).containsText("Published version 1");
        assertThat(page.getByTestId("journey-state")).hasText("on: version 1");

        // The account enters the segment again: the journey's trigger fires and the email goes out.
        segments.removeMember("Browser pilot", account, manager);
        segments.addMembers("Browser pilot", List.of(account), manager);
        MimeMessage welcome = await().until(() -> emailsTo("rae.browser@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(welcome.getSubject()).isEqualTo("Welcome, Rae");
        String text = EmailJourneyTests.part(welcome, "text/plain");
        assertThat(text).contains("Hello Rae Browser, I am Maya Journeys, your contact for Browser Journey Co.");
        String unsubscribe = welcome.getHeader("List-Unsubscribe", null);
        assertThat(unsubscribe)
                .startsWith("<https://steward.example.com/email/")
                .endsWith("/unsubscribe>");
        assertThat(text).as("the link is in the text too").contains(unsubscribe.substring(1, unsubscribe.length() - 1));

        page.getByTestId("results-link").click();
        assertThat(page.locator("body")).containsText("rae.browser@example.com");
    }

    private static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> EmailJourneyTests.recipient(message).equalsIgnoreCase(address))
                .toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
