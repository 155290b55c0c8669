package dev.steward.notify;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.core.MovableClock;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery tests share one application on a database of their own, with a real SMTP server (GreenMail on a free port
 * of this machine) and a clock that stands still until a test moves it on, so that retries fall due when a test says.
 * The delivery sweep runs every second.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.test.notify-delivery=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.mail.from=Steward Test <steward@test.example>",
            "steward.mail.base-url=https://steward.example.com/"
        })
abstract class DeliveryTest {

    static final int SMTP_PORT = freePort();
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp")).withPerMethodLifecycle(false);

    @TestBean(name = "fixedClock", methodName = "movableClock")
    Clock clock;

    @Autowired
    Notifications notifications;

    @Autowired
    UserManagement users;

    @Autowired
    UserDetailsService userDetails;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    @Autowired
    PlatformTransactionManager transactionManager;

    static Clock movableClock() {
        return CLOCK;
    }

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    User user(String email, Role role) {
        return users.createIfAbsent(email, email.substring(0, email.indexOf('@')), role);
    }

    /** Signs the request in as this user, as their session would. */
    RequestPostProcessor as(User user) {
        return org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user(
                userDetails.loadUserByUsername(user.email()));
    }

    TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> {
                    try {
                        return Arrays.stream(message.getAllRecipients())
                                .anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address));
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    static String deliveryOf(MimeMessage message) {
        try {
            return message.getHeader(EmailChannel.DELIVERY_HEADER, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(MimeMessage message) {
        try {
            return ((String) message.getContent()).replace("\r\n", "\n");
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    UUID notificationId(UUID recipient, String subject) {
        return jdbc.sql("select id from notify_notification where recipient_id = ? and subject = ?")
                .params(recipient, subject)
                .query(UUID.class)
                .single();
    }

    Delivery emailDeliveryOf(UUID notification) {
        return jdbc.sql("select * from notify_delivery where notification_id = ? and channel = 'email'")
                .param(notification)
                .query(Outbox::map)
                .single();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
