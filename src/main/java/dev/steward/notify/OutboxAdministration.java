package dev.steward.notify;

import dev.steward.core.NotFoundException;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.mail.MailException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What administrators see of the outbox and do with it: retry a delivery now, send a test email. */
@Service
class OutboxAdministration {

    static final int LISTED = 200;
    /** Deliveries asked for in one job when every email kept while SMTP was off is retried. */
    static final int PER_JOB = 500;

    private final Outbox outbox;
    private final DeliveryRequests requests;
    private final EmailChannel email;
    private final UserDirectory users;
    private final Clock clock;

    OutboxAdministration(
            Outbox outbox, DeliveryRequests requests, EmailChannel email, UserDirectory users, Clock clock) {
        this.outbox = outbox;
        this.requests = requests;
        this.email = email;
        this.users = users;
        this.clock = clock;
    }

    /** The outbox page: counts, whether email is on, and the deliveries not (yet) made with their recipients' emails. */
    record Overview(
            boolean emailConfigured,
            Map<Delivery.Status, Integer> counts,
            int waitingForDigest,
            List<OutboxEntry> open,
            Map<UUID, String> emails) {

        public int notConfigured() {
            return counts.getOrDefault(Delivery.Status.not_configured, 0);
        }
    }

    Overview overview() {
        List<OutboxEntry> open = outbox.open(LISTED);
        Map<UUID, String> emails = users
                .findAll(open.stream()
                        .map(OutboxEntry::recipientId)
                        .filter(java.util.Objects::nonNull)
                        .collect(Collectors.toSet()))
                .values()
                .stream()
                .collect(Collectors.toMap(User::id, User::email));
        return new Overview(email.configured(), outbox.countsByStatus(), outbox.waitingForDigest(), open, emails);
    }

    /** Makes the delivery due now and asks for it at once. */
    @Transactional
    void retry(UUID id) {
        if (!outbox.retryNow(id, clock.instant())) {
            throw new NotFoundException("There is no delivery " + id + " still to be made.");
        }
        requests.deliverSoon(List.of(id));
    }

    /** Sends every email kept while no SMTP server was configured; how many. */
    @Transactional
    int retryNotConfigured() {
        List<UUID> ids = outbox.retryNotConfigured(clock.instant());
        for (int from = 0; from < ids.size(); from += PER_JOB) {
            requests.deliverSoon(ids.subList(from, Math.min(ids.size(), from + PER_JOB)));
        }
        return ids.size();
    }

    /** Sends a test email to this address at once; the error when it failed, else null. */
    String sendTestEmail(String to) {
        try {
            email.sendTest(to);
            return null;
        } catch (MailException | MessagingException | IllegalStateException e) {
            return EmailChannel.describe(e);
        }
    }
}
