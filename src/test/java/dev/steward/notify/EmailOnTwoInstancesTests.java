package dev.steward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.core.StewardInstance;
import dev.steward.core.TestDatabase;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two complete Steward instances on one database, both delivering (each one's job for what it queued and both sweeps
 * racing for every due row): every notification's email reaches the SMTP server exactly once.
 */
@Tag("postgres")
class EmailOnTwoInstancesTests {

    private static final int PER_INSTANCE = 20;

    @Test
    void eachEmailIsSentOnceWhateverInstanceTakesIt() throws Exception {
        int port = freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        String database = TestDatabase.createDatabase();
        List<StewardInstance> instances = new ArrayList<>();
        Map<String, AtomicInteger> jobsRun = new ConcurrentHashMap<>();
        try {
            for (String name : List.of("first", "second")) {
                instances.add(StewardInstance.start(
                        name,
                        database,
                        countingDeliveryJobs(name, jobsRun),
                        List.of(),
                        "--spring.mail.host=127.0.0.1",
                        "--spring.mail.port=" + port,
                        "--steward.notify.sweep-interval=200ms",
                        "--steward.jobs.polling-interval=200ms"));
            }
            UserManagement users = instances.get(0).bean(UserManagement.class);
            List<User> recipients = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                recipients.add(users.createIfAbsent("twice" + i + "@example.com", "Twice " + i, Role.CSM));
            }

            // Queued while neither delivers, so that both instances' jobs and sweeps go for the same rows at once.
            instances.forEach(instance -> instance.scheduler().pause());
            for (StewardInstance instance : instances) {
                Notifications notifications = instance.bean(Notifications.class);
                for (int i = 0; i < PER_INSTANCE; i++) {
                    User to = recipients.get(i % recipients.size());
                    notifications.send(Notification.of(
                            to.id(), "cta.assigned", instance.name() + " " + i, "Queued on " + instance.name()));
                }
            }
            instances.forEach(instance -> instance.scheduler().resume());

            JdbcClient jdbc = instances.get(0).bean(JdbcClient.class);
            int total = PER_INSTANCE * instances.size();
            await("every email sent")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select count(*) from notify_delivery where status = 'sent'")
                                    .query(Integer.class)
                                    .single()
                            == total);
            // Every row is marked sent, and a row is marked in the transaction that holds it while sending: no attempt
            // is under way any more, so whatever reached the server is all that ever will.
            List<String> deliveries = jdbc.sql("select id::text from notify_delivery where attempts = 1")
                    .query(String.class)
                    .list();
            assertThat(deliveries).as("deliveries sent at their first attempt").hasSize(total);

            Map<String, Long> received = Arrays.stream(smtp.getReceivedMessages())
                    .collect(Collectors.groupingBy(EmailOnTwoInstancesTests::delivery, Collectors.counting()));
            assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(deliveries);
            assertThat(received)
                    .allSatisfy((delivery, copies) -> assertThat(copies)
                            .as("copies of delivery %s", delivery)
                            .isEqualTo(1));
            System.out.println("Delivery jobs run by each instance: " + jobsRun);
            Map<String, Long> subjects = Arrays.stream(smtp.getReceivedMessages())
                    .map(EmailOnTwoInstancesTests::subject)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(subjects)
                    .hasSize(total)
                    .allSatisfy((subject, copies) -> assertThat(copies).isEqualTo(1));
        } finally {
            for (int i = instances.size() - 1; i >= 0; i--) {
                instances.get(i).close();
            }
            smtp.stop();
        }
    }

    private static SchedulerListener countingDeliveryJobs(String instance, Map<String, AtomicInteger> counts) {
        AtomicInteger count = counts.computeIfAbsent(instance, name -> new AtomicInteger());
        return new AbstractSchedulerListener() {
            @Override
            public void onExecutionComplete(ExecutionComplete complete) {
                if (complete.getExecution().getTaskName().equals(NotifyJobs.DELIVER)) {
                    count.incrementAndGet();
                }
            }
        };
    }

    private static String delivery(MimeMessage message) {
        try {
            return message.getHeader(EmailChannel.DELIVERY_HEADER, null);
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
