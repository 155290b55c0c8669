package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.core.StewardTest;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import dev.steward.lifecycle.BooksOfBusiness;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * CTAs by email over real SMTP (GreenMail): the owner hears of a CTA made for them; when it is overdue it escalates
 * once, the owner's manager in the books of business receives the escalation email and the owner a reminder.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.test.cta-email=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.playbook.escalation-interval=PT1S",
            "steward.mail.from=Steward Test <steward@test.example>",
            "steward.mail.base-url=https://steward.example.com/"
        })
class CtaEmailTests {

    static final int SMTP_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    UserManagement users;

    @Autowired
    BooksOfBusiness books;

    @Autowired
    AccountManagement accounts;

    @Autowired
    CtaWork work;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Test
    void theManagerReceivesTheEscalationEmailOfAnOverdueCta() throws Exception {
        User manager = users.createIfAbsent("esc-manager@example.com", "Esme Manager", Role.MANAGER);
        User csm = users.createIfAbsent("esc-csm@example.com", "Ezra Csm", Role.CSM);
        String rules = """
                name: Books of business
                teams:
                  - key: core
                    name: Core
                    manager: esc-manager@example.com
                    members: [esc-csm@example.com]
                territories:
                  - key: all
                    name: Everyone
                    team: core
                """;
        books.publish(books.saveDraft(rules, manager).version().version(), manager);
        AccountId account = accounts.create(new AccountInput(
                        null, "Escalated Co", null, null, "SMB", "Esc", null, 10, csm.id(), null, null, null, null))
                .id();

        UUID cta = work.create(
                        new CtaWork.NewCta(account.value(), "risk", "Save Escalated Co", "high", 2, csm.email(), null),
                        manager)
                .cta()
                .id();
        MimeMessage made =
                await().atMost(Duration.ofSeconds(15)).until(() -> emailTo(csm.email(), "New CTA"), m -> m != null);
        assertThat(subject(made)).isEqualTo("New CTA: Save Escalated Co");
        assertThat(text(made)).contains("https://steward.example.com/ctas/" + cta);

        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(Timestamp.from(clock.instant().minusSeconds(1)), cta)
                .update();
        MimeMessage escalation = await().atMost(Duration.ofSeconds(15))
                .until(() -> emailTo(manager.email(), "Overdue CTA escalated"), m -> m != null);
        assertThat(subject(escalation)).isEqualTo("Overdue CTA escalated: Save Escalated Co");
        assertThat(text(escalation)).contains("Escalated Co").contains("/ctas/" + cta);
        await().atMost(Duration.ofSeconds(15)).until(() -> emailTo(csm.email(), "Your CTA is overdue") != null);
        assertThat(work.get(cta).cta().escalatedAt()).isEqualTo(clock.instant());
        // Escalated once: later sweeps find nothing more to escalate or send.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> Arrays.stream(smtp.getReceivedMessages())
                                .filter(m -> subject(m).startsWith("Overdue CTA escalated"))
                                .count()
                        == 1);
    }

    private static MimeMessage emailTo(String address, String subjectStart) {
        List<MimeMessage> found = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> to(m).equalsIgnoreCase(address) && subject(m).startsWith(subjectStart))
                .toList();
        return found.isEmpty() ? null : found.get(0);
    }

    private static String to(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage message) {
        try {
            return ((String) message.getContent()).replace("\r\n", "\n");
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
