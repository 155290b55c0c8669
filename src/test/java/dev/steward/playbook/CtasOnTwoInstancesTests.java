package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.core.StewardInstance;
import dev.steward.core.TestDatabase;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.health.HealthColorsChanged;
import dev.steward.health.engine.Color;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two complete Steward instances on one database, both seeing the same facts (each account turned Red, announced on
 * both, as a replayed event would be): each account gets one CTA, and its owner one email about it, exactly once.
 */
@Tag("postgres")
class CtasOnTwoInstancesTests {

    private static final int ACCOUNTS = 12;

    static final String PLAYBOOK = """
            name: Twice Red
            trigger: {type: health_color, color: red}
            cta: {type: risk, title: "{account} turned Red", slaDays: 2}
            tasks:
              - {title: Call them, dueDays: 1, assignee: csm}
            """;

    @Test
    void eachFactMakesOneCtaAndOneEmailWhicheverInstanceSeesIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
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
            StewardInstance first = instances.get(0);
            UserManagement users = first.bean(UserManagement.class);
            User manager = users.createIfAbsent("twice-manager@example.com", "Twice Manager", Role.MANAGER);
            User csm = users.createIfAbsent("twice-csm@example.com", "Twice Csm", Role.CSM);
            AccountManagement accounts = first.bean(AccountManagement.class);
            List<AccountId> ids = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                ids.add(accounts.create(new AccountInput(
                                null,
                                "Twice " + i,
                                null,
                                null,
                                "SMB",
                                "Twice",
                                null,
                                10,
                                csm.id(),
                                null,
                                null,
                                null,
                                null))
                        .id());
            }
            PlaybookManagement playbooks = first.bean(PlaybookManagement.class);
            int version = playbooks
                    .saveDraft("Twice Red", PLAYBOOK, manager)
                    .version()
                    .version();
            playbooks.publish("Twice Red", version, manager);

            LocalDate today = LocalDate.now(first.bean(java.time.Clock.class));
            List<HealthColorsChanged.Change> changes = ids.stream()
                    .map(id -> new HealthColorsChanged.Change(id, Color.YELLOW, Color.RED, 30, "Test"))
                    .toList();
            // Both instances announce the same facts at once.
            java.util.concurrent.ExecutorService both = java.util.concurrent.Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<?>> announced = new ArrayList<>();
            for (StewardInstance instance : instances) {
                announced.add(both.submit(() -> new TransactionTemplate(
                                instance.bean(org.springframework.transaction.PlatformTransactionManager.class))
                        .executeWithoutResult(
                                status -> instance.context().publishEvent(new HealthColorsChanged(today, changes)))));
            }
            for (java.util.concurrent.Future<?> future : announced) {
                future.get();
            }
            both.shutdown();

            JdbcClient jdbc = first.bean(JdbcClient.class);
            await("a CTA for every account")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select count(distinct account_id) from cta")
                                    .query(Integer.class)
                                    .single()
                            == ACCOUNTS);
            await("an email for every CTA")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> smtp.getReceivedMessages().length >= ACCOUNTS);
            // Both instances' listeners have run (each fact was fired twice), and nothing more will be sent.
            await("both instances' firings decided")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("select count(*) from event_publication where completion_date is null")
                                    .query(Integer.class)
                                    .single()
                            == 0);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.sql(
                                            "select count(*) from notify_delivery where status <> 'sent' and channel = 'email'")
                                    .query(Integer.class)
                                    .single()
                            == 0);

            assertThat(jdbc.sql("select count(*) from cta").query(Integer.class).single())
                    .isEqualTo(ACCOUNTS);
            assertThat(jdbc.sql("select count(*) from playbook_firing")
                            .query(Integer.class)
                            .single())
                    .as("one firing per account and fact")
                    .isEqualTo(ACCOUNTS);
            Map<String, Long> subjects = Arrays.stream(smtp.getReceivedMessages())
                    .map(CtasOnTwoInstancesTests::subject)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(subjects).hasSize(ACCOUNTS).allSatisfy((subject, copies) -> {
                assertThat(subject).startsWith("New CTA: Twice ");
                assertThat(copies).as(subject).isEqualTo(1);
            });
            assertThat(Arrays.stream(smtp.getReceivedMessages()).map(CtasOnTwoInstancesTests::to))
                    .containsOnly(csm.email());
        } finally {
            for (int i = instances.size() - 1; i >= 0; i--) {
                instances.get(i).close();
            }
            smtp.stop();
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String to(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID id(AccountId account) {
        return account.value();
    }
}
