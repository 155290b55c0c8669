package dev.steward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Email over real SMTP: what arrives, that a server that is down loses nothing and sends nothing twice, that a
 * rolled-back transaction sends nothing, that a crash between commit and sending delays the email but does not lose
 * it, and the daily digest.
 */
class EmailDeliveryTests extends DeliveryTest {

    @Autowired
    Scheduler scheduler;

    @Autowired
    DailyDigest digest;

    @Test
    void anEmailGoesToTheRecipientsAddressWithTheSubjectBodyAndLink() throws Exception {
        User ada = user("ada.email@example.com", Role.CSM);

        notifications.send(Notification.of(
                        ada.id(),
                        "cta.escalated",
                        "Acme Corp escalated",
                        "The CTA for Acme was escalated.\nCall today.")
                .withLink("/ctas/42"));

        List<MimeMessage> received = await().until(() -> emailsTo(ada.email()), emails -> emails.size() == 1);
        MimeMessage email = received.get(0);
        assertThat(email.getSubject()).isEqualTo("Acme Corp escalated");
        assertThat(email.getFrom()[0].toString()).isEqualTo("Steward Test <steward@test.example>");
        assertThat(text(email))
                .startsWith("The CTA for Acme was escalated.\nCall today.\n\n")
                .contains("Open in Steward: https://steward.example.com/ctas/42")
                .contains("https://steward.example.com/notifications");

        Delivery delivery = emailDeliveryOf(notificationId(ada.id(), "Acme Corp escalated"));
        await().until(() -> emailDeliveryOf(delivery.notificationId()).status() == Delivery.Status.sent);
        Delivery sent = emailDeliveryOf(delivery.notificationId());
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.sentAt()).isEqualTo(CLOCK.instant());
        assertThat(deliveryOf(email)).isEqualTo(sent.id().toString());
    }

    @Test
    void whileTheSmtpServerIsDownTheEmailWaitsWithTheErrorAndGoesOutOnceWhenItIsBack() {
        User bob = user("bob.down@example.com", Role.CSM);
        smtp.stop();
        try {
            notifications.send(Notification.of(bob.id(), "cta.assigned", "Globex assigned to you", "Globex is yours."));
            UUID notification = notificationId(bob.id(), "Globex assigned to you");

            Delivery failed = await().until(() -> emailDeliveryOf(notification), d -> d.attempts() == 1);
            assertThat(failed.status()).isEqualTo(Delivery.Status.pending);
            assertThat(failed.lastError()).containsIgnoringCase("connect");
            assertThat(failed.nextAttemptAt()).isEqualTo(CLOCK.instant().plus(Duration.ofSeconds(30)));
        } finally {
            smtp.start();
        }
        UUID notification = notificationId(bob.id(), "Globex assigned to you");
        // The server is back, but the retry is not due yet: the sweep, every second, leaves it.
        assertThat(emailDeliveryOf(notification).status()).isEqualTo(Delivery.Status.pending);

        CLOCK.advance(Duration.ofSeconds(30));

        Delivery sent = await().until(() -> emailDeliveryOf(notification), d -> d.status() == Delivery.Status.sent);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.lastError()).isNull();
        List<MimeMessage> received = emailsTo(bob.email());
        assertThat(received).hasSize(1);
        assertThat(deliveryOf(received.get(0))).isEqualTo(sent.id().toString());
    }

    @Test
    void anAdministratorSeesAFailedDeliveryWithItsErrorAndRetriesItNow() throws Exception {
        User admin = user("olga.outbox@example.com", Role.ADMIN);
        User cara = user("cara.retry@example.com", Role.CSM);
        smtp.stop();
        UUID notification;
        try {
            notifications.send(Notification.of(cara.id(), "cta.assigned", "Initech assigned to you", "Initech."));
            notification = notificationId(cara.id(), "Initech assigned to you");
            await().until(() -> emailDeliveryOf(notification).attempts() == 1);
        } finally {
            smtp.start();
        }
        Delivery failed = emailDeliveryOf(notification);

        mvc.perform(get("/settings/outbox").with(as(cara))).andExpect(status().isForbidden());
        mvc.perform(get("/settings/outbox").with(as(admin)))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Initech assigned to you")))
                .andExpect(content().string(containsString(cara.email())))
                .andExpect(content().string(containsString("Couldn&#39;t connect")))
                .andExpect(content().string(containsString("/settings/outbox/" + failed.id() + "/retry")));

        mvc.perform(post("/settings/outbox/" + failed.id() + "/retry")
                        .with(as(admin))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());

        await().until(() -> emailDeliveryOf(notification).status() == Delivery.Status.sent);
        assertThat(emailsTo(cara.email())).hasSize(1);
    }

    @Test
    void aRolledBackTransactionSendsNothing() {
        User dan = user("dan.rollback@example.com", Role.CSM);

        transactions().executeWithoutResult(status -> {
            notifications.send(Notification.of(dan.id(), "cta.escalated", "Rolled back", "Never sent."));
            status.setRollbackOnly();
        });
        notifications.send(Notification.of(dan.id(), "cta.escalated", "Committed", "Sent."));

        // The committed one arrives; by then the rolled-back one, queued first, would have too.
        List<MimeMessage> received = await().until(() -> emailsTo(dan.email()), emails -> !emails.isEmpty());
        assertThat(received).extracting(DeliveryTest::subject).containsExactly("Committed");
        await().until(() ->
                emailDeliveryOf(notificationId(dan.id(), "Committed")).status() == Delivery.Status.sent);
        assertThat(jdbc.sql("select count(*) from notify_notification where recipient_id = ?")
                        .param(dan.id())
                        .query(Integer.class)
                        .single())
                .as("notifications of Dan kept")
                .isEqualTo(1);
        assertThat(emailsTo(dan.email())).hasSize(1);
    }

    @Test
    void aNotificationCommittedWhileNoDeliveryRunsIsDeliveredLaterOnce() {
        User erin = user("erin.crash@example.com", Role.CSM);
        scheduler.pause();
        try {
            notifications.send(Notification.of(erin.id(), "cta.escalated", "First while down", "One."));
            notifications.send(Notification.of(erin.id(), "cta.escalated", "Second while down", "Two."));
            Delivery first = emailDeliveryOf(notificationId(erin.id(), "First while down"));
            Delivery second = emailDeliveryOf(notificationId(erin.id(), "Second while down"));
            assertThat(List.of(first, second)).allSatisfy(delivery -> {
                assertThat(delivery.status()).isEqualTo(Delivery.Status.pending);
                assertThat(delivery.attempts()).isZero();
            });
            // Each delivery's job was stored with it. As if the second's were lost too: the sweep still finds it.
            assertThat(jobs()).contains(first.id().toString(), second.id().toString());
            jdbc.sql("delete from scheduled_tasks where task_name = ? and task_instance = ?")
                    .params(NotifyJobs.DELIVER, second.id().toString())
                    .update();
        } finally {
            scheduler.resume();
        }

        await().until(() -> emailsTo(erin.email()).size() == 2);
        await().until(() -> List.of("First while down", "Second while down").stream()
                .allMatch(subject ->
                        emailDeliveryOf(notificationId(erin.id(), subject)).status() == Delivery.Status.sent));
        assertThat(emailsTo(erin.email()))
                .extracting(DeliveryTest::subject)
                .containsExactlyInAnyOrder("First while down", "Second while down");
    }

    @Test
    void aSecondNotificationWithTheSameKeyIsIgnored() {
        User fay = user("fay.key@example.com", Role.CSM);
        Notification once =
                Notification.of(fay.id(), "cta.escalated", "Only once", "Once.").withKey("cta-7-escalated");

        notifications.send(once);
        notifications.send(once);

        UUID notification = notificationId(fay.id(), "Only once");
        await().until(() -> emailDeliveryOf(notification).status() == Delivery.Status.sent);
        assertThat(emailsTo(fay.email())).hasSize(1);
    }

    @Test
    void whoChoseTheDailyDigestGetsOneEmailWithEverythingOnceAndWhoChoseNoneGetsNone() throws Exception {
        User gus = user("gus.digest@example.com", Role.CSM);
        User hal = user("hal.none@example.com", Role.CSM);
        mvc.perform(post("/notifications/preferences")
                        .param("email", "daily")
                        .with(as(gus))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/notifications/preferences")
                        .param("email", "off")
                        .with(as(hal))
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());

        for (String account : List.of("Acme", "Globex", "Initech")) {
            notifications.send(Notification.of(gus.id(), "cta.escalated", account + " escalated", account + ".")
                    .withLink("/accounts/" + account));
            notifications.send(Notification.of(hal.id(), "cta.escalated", account + " escalated", account + "."));
        }
        assertThat(jdbc.sql("select channel from notify_delivery where recipient_id = ?")
                        .param(gus.id())
                        .query(String.class)
                        .list())
                .containsExactly("digest", "digest", "digest");
        assertThat(jdbc.sql("select count(*) from notify_delivery where recipient_id = ?")
                        .param(hal.id())
                        .query(Integer.class)
                        .single())
                .as("deliveries for a person who wants no email")
                .isZero();
        assertThat(jdbc.sql("select count(*) from notify_notification where recipient_id = ?")
                        .param(hal.id())
                        .query(Integer.class)
                        .single())
                .as("in-app notifications of a person who wants no email")
                .isEqualTo(3);

        digest.send();
        digest.send();

        MimeMessage email = await().until(() -> emailsTo(gus.email()), emails -> emails.size() == 1)
                .get(0);
        assertThat(email.getSubject()).isEqualTo("Steward daily digest: 3 notifications");
        assertThat(text(email))
                .contains("* Acme escalated", "* Globex escalated", "* Initech escalated")
                .contains("https://steward.example.com/accounts/Globex");
        digest.send();
        UUID digestEmail = UUID.fromString(deliveryOf(email));
        await().until(() -> jdbc.sql("select status from notify_delivery where id = ?")
                .param(digestEmail)
                .query(String.class)
                .single()
                .equals("sent"));
        assertThat(emailsTo(gus.email())).hasSize(1);
        assertThat(emailsTo(hal.email())).isEmpty();
    }

    private List<String> jobs() {
        return jdbc.sql("select task_instance from scheduled_tasks where task_name = ?")
                .param(NotifyJobs.DELIVER)
                .query(String.class)
                .list();
    }
}
