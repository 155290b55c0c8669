package dev.steward.survey;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Page;
import dev.steward.core.BrowserTest;
import dev.steward.core.Browsers;
import dev.steward.core.Chromium;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A manager makes and sends an NPS survey on the Surveys page in a real browser; the contact opens the emailed link
 * (read from GreenMail) in a browser of their own, without signing in, clicks a score, adds a comment; the survey's
 * page then shows the answer and the NPS. On a database of its own.
 */
@BrowserTest
@TestPropertySource(properties = {"steward.test.survey-browser=own-database", "steward.notify.sweep-interval=1s"})
class SurveysBrowserTests {

    static final int SMTP_PORT = freePort();

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

    @Test
    void aManagerSendsASurveyAndTheContactAnswersThroughTheEmailedLink() throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        var account = accounts.create(new AccountInput(
                null, "Browser NPS Co", null, null, "SMB", null, null, 40, null, null, null, null, null));
        contacts.create(new ContactInput(
                null,
                account.id().value(),
                null,
                "Iris Champion",
                "iris.browser@example.com",
                null,
                null,
                ContactRole.CHAMPION,
                null,
                null));

        Page page = browsers.signedIn(port, "/accounts", 1280, 900);
        page.getByTestId("nav-engage").click();
        page.getByTestId("nav-surveys").click();
        page.getByLabel("Name (for your team)").fill("Spring NPS");
        page.getByLabel("champion").check();
        page.getByTestId("create-and-send").click();
        assertThat(page.getByTestId("message")).containsText("Emailed 1 contact");
        assertThat(page.getByTestId("nps")).hasText("no data");

        MimeMessage email = await().until(
                        () -> SurveyEmailTests.emailsTo(smtp, "iris.browser@example.com"), l -> l.size() == 1)
                .get(0);
        String text = SurveyEmailTests.part(email, "text/plain");
        Matcher link = Pattern.compile("(/nps/[A-Za-z0-9_-]{64}/)10\\b").matcher(text);
        assertThat(link.find()).as(text).isTrue();

        // The contact, who has no account in Steward, opens the link from the email.
        Page contact = browsers.open(900, 800);
        contact.navigate("http://localhost:" + port + link.group());
        assertThat(contact.getByTestId("recorded")).containsText("Your answer: 10");
        contact.getByLabel("Anything you'd like to tell us? (optional)").fill("The new reports are great");
        contact.getByTestId("send-comment").click();
        assertThat(contact.getByTestId("thanks")).isVisible();
        contact.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("survey-answer.png")));

        page.reload();
        assertThat(page.getByTestId("responses")).hasText("1");
        assertThat(page.getByTestId("nps")).hasText("100");
        assertThat(page.getByTestId("answers")).containsText("The new reports are great");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("survey.png")));
        assertThat(List.of(page.url())).allMatch(url -> url.contains("/surveys/"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
