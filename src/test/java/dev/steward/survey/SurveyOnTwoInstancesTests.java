package dev.steward.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.core.StewardInstance;
import dev.steward.core.TestDatabase;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two complete Steward instances on one database send the same survey at the same moment, twice each: every contact
 * gets exactly one email.
 */
@Tag("postgres")
class SurveyOnTwoInstancesTests {

    private static final int CONTACTS = 6;

    @Test
    void eachContactGetsOneEmailWhicheverInstanceSendsTheSurvey() throws Exception {
        int port = freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
        smtp.start();
        String database = TestDatabase.createDatabase();
        List<StewardInstance> instances = new ArrayList<>();
        try {
            for (String name : List.of("first", "second")) {
                instances.add(StewardInstance.start(
                        name,
                        database,
                        new AbstractSchedulerListener() {},
                        List.of(),
                        "--spring.mail.host=127.0.0.1",
                        "--spring.mail.port=" + port,
                        "--steward.notify.sweep-interval=200ms",
                        "--steward.jobs.polling-interval=200ms"));
            }
            var account = instances
                    .get(0)
                    .bean(AccountManagement.class)
                    .create(new AccountInput(
                            null, "Two Instances Co", null, null, "SMB", null, null, 40, null, null, null, null, null));
            ContactManagement contacts = instances.get(0).bean(ContactManagement.class);
            for (int i = 1; i <= CONTACTS; i++) {
                contacts.create(new ContactInput(
                        null,
                        account.id().value(),
                        null,
                        "Contact " + i,
                        "contact" + i + "@two.example.com",
                        null,
                        null,
                        ContactRole.ADMIN,
                        null,
                        null));
            }
            UUID survey = instances
                    .get(0)
                    .bean(SurveyManagement.class)
                    .create(new SurveyInput("Two instances", null, null, null, List.of("admin")), null)
                    .id();

            List<CompletableFuture<SurveySending>> sends = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (StewardInstance instance : instances) {
                    SurveyManagement surveys = instance.bean(SurveyManagement.class);
                    sends.add(CompletableFuture.supplyAsync(() -> surveys.send(survey)));
                }
            }
            int emailed = sends.stream().mapToInt(send -> send.join().emailed()).sum();
            assertThat(emailed).as("emails queued by the four sends").isEqualTo(CONTACTS);

            JdbcClient jdbc = instances.get(0).bean(JdbcClient.class);
            await("every email sent")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select count(*) from notify_delivery where status = 'sent'")
                                    .query(Integer.class)
                                    .single()
                            == CONTACTS);
            Map<String, Long> received = Arrays.stream(smtp.getReceivedMessages())
                    .collect(Collectors.groupingBy(
                            message -> {
                                try {
                                    return message.getAllRecipients()[0].toString();
                                } catch (MessagingException e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            Collectors.counting()));
            assertThat(received)
                    .hasSize(CONTACTS)
                    .allSatisfy((to, copies) ->
                            assertThat(copies).as("emails to %s", to).isEqualTo(1));
        } finally {
            for (int i = instances.size() - 1; i >= 0; i--) {
                instances.get(i).close();
            }
            smtp.stop();
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
