package dev.steward.outreach;

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
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
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
 * Two complete Steward instances on one database advance the same email journey at the same moment — their own
 * scheduled rounds every 200 ms and two rounds each started by hand at once — and every contact gets its email once.
 */
@Tag("postgres")
class JourneyOnTwoInstancesTests {

    private static final int CONTACTS = 8;

    @Test
    void eachContactGetsEachEmailOnceWhicheverInstanceAdvancesIt() throws Exception {
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
                        "--steward.jobs.polling-interval=200ms",
                        "--steward.outreach.advance-interval=200ms",
                        // Every contact of the account may be mailed at once: the cap is per address anyway.
                        "--steward.outreach.sender-daily-limit=1000"));
            }
            StewardInstance first = instances.get(0);
            LocalDate today = LocalDate.now(first.bean(Clock.class));
            UUID account = first.bean(AccountManagement.class)
                    .create(new AccountInput(
                            null, "Two Journeys Co", null, null, "SMB", null, null, 40, null, null, null, null, null))
                    .id()
                    .value();
            first.bean(ContractManagement.class)
                    .create(new ContractInput(
                            null,
                            account,
                            null,
                            today.minusDays(300),
                            today.plusDays(30),
                            BigDecimal.valueOf(12_000),
                            10,
                            "Pro",
                            ContractStatus.ACTIVE,
                            false,
                            null,
                            null));
            ContactManagement contacts = first.bean(ContactManagement.class);
            for (int i = 1; i <= CONTACTS; i++) {
                contacts.create(new ContactInput(
                        null,
                        account,
                        null,
                        "Contact " + i,
                        "journey" + i + "@two.example.com",
                        null,
                        null,
                        ContactRole.ADMIN,
                        null,
                        null));
            }
            User manager = first.bean(UserManagement.class)
                    .createIfAbsent("two.journeys@example.com", "Two Journeys", Role.MANAGER);
            JourneyManagement journeys = first.bean(JourneyManagement.class);
            String yaml = """
                    name: Renewal on two instances
                    audience: {roles: [admin]}
                    trigger: {type: renewal, days: 60}
                    steps:
                      - email: {subject: "Your renewal, {{contact.first_name}}", text: "Shall we talk about {{account}}?"}
                    """;
            int version = journeys.saveDraft("Renewal on two instances", yaml, manager)
                    .version()
                    .version();
            // Publishing enrols the contacts of accounts renewing within 60 days; both instances then advance them.
            journeys.publish("Renewal on two instances", version, manager);

            List<CompletableFuture<Integer>> rounds = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (StewardInstance instance : instances) {
                    JourneyEngine engine = instance.bean(JourneyEngine.class);
                    rounds.add(CompletableFuture.supplyAsync(engine::advanceDue));
                }
            }
            rounds.forEach(CompletableFuture::join);

            JdbcClient jdbc = first.bean(JdbcClient.class);
            await("every contact advanced and every email sent")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select count(*) from notify_delivery where status = 'sent'")
                                    .query(Integer.class)
                                    .single()
                            >= CONTACTS);
            // A little longer, so that a second copy, if any instance made one, would have gone out too.
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(jdbc.sql("select count(*) from outreach_send")
                            .query(Integer.class)
                            .single())
                    .as("sends recorded")
                    .isEqualTo(CONTACTS);
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
