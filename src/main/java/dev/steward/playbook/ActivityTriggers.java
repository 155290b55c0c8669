package dev.steward.playbook;

import dev.steward.activity.ActivityFreshness;
import dev.steward.activity.ActivityWindow;
import dev.steward.activity.ActivityWindow.InvoiceFact;
import dev.steward.activity.ActivityWindow.SurveyFact;
import dev.steward.activity.ActivityWindow.TicketFact;
import dev.steward.activity.ActivityWindows;
import dev.steward.activity.SurveyResponse;
import dev.steward.customer.AccountId;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.lifecycle.AccountConditions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Finds the facts of the triggers that read accounts' activity and contacts: an NPS response in a band, an escalated
 * ticket, a run of tickets and a contact leaving, within seconds of their facts being recorded (for the accounts that
 * {@link ActivityRequests} noted); an invoice left unpaid and a long time without a meeting, on the daily evaluation.
 * An NPS response or a departure already {@value #RECENT_DAYS} days old when first seen (an import of history, a
 * playbook switched on later) fires nothing; an escalated ticket fires while it is unresolved or was opened or resolved
 * in those days.
 */
@Component
class ActivityTriggers {

    /** How far back a response, an escalation or a departure still fires when it is first seen. */
    static final int RECENT_DAYS = 14;

    /** Requests taken by one run of the job; the rest wait for the next. */
    static final int TAKEN_AT_ONCE = 10_000;

    private final Playbooks playbooks;
    private final PlaybookRunner runner;
    private final ActivityRequests requests;
    private final ActivityWindows windows;
    private final ActivityFreshness freshness;
    private final ContactManagement contacts;
    private final AccountConditions conditions;
    private final Clock clock;

    ActivityTriggers(
            Playbooks playbooks,
            PlaybookRunner runner,
            ActivityRequests requests,
            ActivityWindows windows,
            ActivityFreshness freshness,
            ContactManagement contacts,
            AccountConditions conditions,
            Clock clock) {
        this.playbooks = playbooks;
        this.runner = runner;
        this.requests = requests;
        this.windows = windows;
        this.freshness = freshness;
        this.contacts = contacts;
        this.conditions = conditions;
        this.clock = clock;
    }

    /**
     * Fires the playbooks in force that follow activity for the accounts whose tickets, survey responses or contacts
     * changed since the last time. With none in force the requests are dropped unread; after a failure they are noted
     * again (facts that fired meanwhile do not fire twice).
     */
    PlaybookRunner.Fired fireRequested() {
        Set<UUID> accounts = requests.take(TAKEN_AT_ONCE);
        if (accounts.isEmpty()) {
            return PlaybookRunner.Fired.NONE;
        }
        List<Playbooks.Active> following = playbooks.active().stream()
                .filter(p -> p.trigger().followsActivity())
                .toList();
        PlaybookRunner.Fired total = PlaybookRunner.Fired.NONE;
        try {
            List<UUID> ids = List.copyOf(accounts);
            for (int from = 0; !following.isEmpty() && from < ids.size(); from += PlaybookRunner.BATCH) {
                Reading reading = read(following, ids.subList(from, Math.min(ids.size(), from + PlaybookRunner.BATCH)));
                for (Playbooks.Active playbook : following) {
                    total = total.plus(runner.fire(playbook, reading.facts(playbook)));
                }
            }
        } catch (RuntimeException e) {
            requests.note(accounts);
            throw e;
        }
        return total;
    }

    /** The facts of a trigger that follows activity on every account's current data: what a dry run shows. */
    List<PlaybookRunner.Candidate> everyAccount(Playbooks.Active playbook) {
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        conditions.eachBatch(
                ids -> candidates.addAll(read(List.of(playbook), ids).facts(playbook)));
        return candidates;
    }

    /** The facts of a time-based activity trigger (an invoice overdue, no meeting) on today's data. */
    List<PlaybookRunner.Candidate> timeBased(Playbooks.Active playbook) {
        PlaybookDocument.Trigger trigger = playbook.document().trigger();
        return switch (trigger.type()) {
            case INVOICE_OVERDUE -> invoicesOverdue(trigger.days());
            case NO_MEETING -> withoutMeeting(trigger.days());
            default -> List.of();
        };
    }

    /** The band of an NPS score: detractor 0–6, passive 7–8, promoter 9–10. */
    static String npsBand(int score) {
        return score <= 6 ? "detractor" : score <= 8 ? "passive" : "promoter";
    }

    /** The scores of an NPS band. */
    static String npsRange(String band) {
        return switch (band) {
            case "detractor" -> "0–6";
            case "passive" -> "7–8";
            default -> "9–10";
        };
    }

    /** What the playbooks read of these accounts, read once for all of them. */
    private Reading read(List<Playbooks.Active> following, List<UUID> accounts) {
        Instant now = clock.instant();
        int days = 0;
        Map<String, List<Contact>> left = new HashMap<>();
        for (Playbooks.Active playbook : following) {
            PlaybookDocument.Trigger trigger = playbook.document().trigger();
            switch (trigger.type()) {
                case NPS, TICKET_ESCALATED -> days = Math.max(days, RECENT_DAYS);
                case TICKETS -> days = Math.max(days, trigger.days());
                case CONTACT_LEFT ->
                    left.computeIfAbsent(
                            trigger.role(),
                            role -> contacts.leftSince(
                                    accounts,
                                    ContactRole.valueOf(role.toUpperCase(Locale.ROOT)),
                                    LocalDate.now(clock).minusDays(RECENT_DAYS)));
                default -> {}
            }
        }
        // The activity module's windows are of UTC days.
        Map<UUID, ActivityWindow> read = days == 0
                ? Map.of()
                : windows.read(
                        accounts,
                        LocalDate.ofInstant(now.minus(days, ChronoUnit.DAYS), ZoneOffset.UTC),
                        LocalDate.ofInstant(now, ZoneOffset.UTC));
        return new Reading(now, read, left);
    }

    /** Accounts' windows of activity and the contacts that left, by role, as read at {@code now}. */
    private final class Reading {

        private final Instant now;
        private final Map<UUID, ActivityWindow> windows;
        private final Map<String, List<Contact>> left;

        Reading(Instant now, Map<UUID, ActivityWindow> windows, Map<String, List<Contact>> left) {
            this.now = now;
            this.windows = windows;
            this.left = left;
        }

        List<PlaybookRunner.Candidate> facts(Playbooks.Active playbook) {
            PlaybookDocument.Trigger trigger = playbook.document().trigger();
            List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
            Instant recent = now.minus(RECENT_DAYS, ChronoUnit.DAYS);
            switch (trigger.type()) {
                case NPS ->
                    windows.forEach((account, window) -> window.surveys().stream()
                            .filter(s -> SurveyResponse.Kind.nps.name().equals(s.kind()))
                            .filter(s -> !s.respondedAt().isBefore(recent))
                            .filter(s -> npsBand(s.score()).equals(trigger.score()))
                            .sorted(Comparator.comparing(SurveyFact::respondedAt)
                                    .reversed())
                            .forEach(s -> candidates.add(new PlaybookRunner.Candidate(
                                    account,
                                    "nps:" + s.respondedAt(),
                                    "NPS " + s.score() + " (" + trigger.score() + ") on " + day(s.respondedAt()),
                                    null,
                                    null))));
                case TICKET_ESCALATED ->
                    windows.forEach((account, window) -> window.tickets().stream()
                            .filter(TicketFact::escalated)
                            .filter(t -> t.resolvedAt() == null
                                    || !t.openedAt().isBefore(recent)
                                    || !t.resolvedAt().isBefore(recent))
                            .sorted(Comparator.comparing(TicketFact::openedAt).reversed())
                            .forEach(t -> candidates.add(new PlaybookRunner.Candidate(
                                    account,
                                    "ticket_escalated:" + t.openedAt(),
                                    "Ticket opened on " + day(t.openedAt()) + " escalated"
                                            + (t.resolvedAt() == null
                                                    ? ", unresolved"
                                                    : ", resolved on " + day(t.resolvedAt())),
                                    null,
                                    null))));
                case TICKETS -> {
                    Instant since = now.minus(trigger.days(), ChronoUnit.DAYS);
                    LocalDate today = LocalDate.ofInstant(now, clock.getZone());
                    windows.forEach((account, window) -> {
                        long opened = window.tickets().stream()
                                .filter(t -> t.openedAt().isAfter(since)
                                        && !t.openedAt().isAfter(now))
                                .count();
                        if (opened >= trigger.count()) {
                            candidates.add(new PlaybookRunner.Candidate(
                                    account,
                                    "tickets:" + today,
                                    opened + " tickets opened in the last " + trigger.days() + " days ("
                                            + trigger.count() + " or more fire it)",
                                    null,
                                    null));
                        }
                    });
                }
                case CONTACT_LEFT -> {
                    LocalDate today = LocalDate.ofInstant(now, clock.getZone());
                    String who = trigger.role().equals("champion") ? "Champion " : "Executive sponsor ";
                    for (Contact contact : left.getOrDefault(trigger.role(), List.of())) {
                        candidates.add(new PlaybookRunner.Candidate(
                                contact.accountId().value(),
                                "contact_left:" + contact.id().value() + ":" + contact.leftAt(),
                                who
                                        + contact.name()
                                        + (contact.email() == null ? "" : " (" + contact.email() + ")")
                                        + (contact.leftAt().isAfter(today) ? " leaves on " : " left on ")
                                        + contact.leftAt(),
                                null,
                                null));
                    }
                }
                default -> {}
            }
            // Two copies of one fact (a response recorded twice) are one fact.
            Set<String> seen = new HashSet<>();
            return candidates.stream()
                    .filter(c -> seen.add(c.account() + " " + c.factKey()))
                    .toList();
        }
    }

    /**
     * Every account's invoices still unpaid {@code days} days or more after their due day, one fact per due day, the
     * oldest first; void and draft invoices are never late.
     */
    private List<PlaybookRunner.Candidate> invoicesOverdue(int days) {
        LocalDate today = LocalDate.now(clock);
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        conditions.eachBatch(ids -> windows.read(ids, today, today)
                .forEach((account, window) -> window.invoices().stream()
                        .filter(i -> i.billable() && i.paidOn() == null)
                        .map(InvoiceFact::dueOn)
                        .filter(due -> !due.plusDays(days).isAfter(today))
                        .distinct()
                        .sorted()
                        .forEach(due -> candidates.add(new PlaybookRunner.Candidate(
                                account,
                                "invoice_overdue:" + due,
                                "An invoice due on " + due + " is unpaid " + ChronoUnit.DAYS.between(due, today)
                                        + " days later",
                                null,
                                null)))));
        return candidates;
    }

    /**
     * The accounts without a meeting in the last {@code days} days, one fact per last meeting (or none on record). A
     * meeting recorded ahead of time counts as one: the account has one booked.
     */
    private List<PlaybookRunner.Candidate> withoutMeeting(int days) {
        Instant now = clock.instant();
        Instant since = now.minus(days, ChronoUnit.DAYS);
        Map<AccountId, Instant> latest = freshness.latestMeetings();
        List<PlaybookRunner.Candidate> candidates = new ArrayList<>();
        conditions.eachBatch(ids -> {
            for (UUID id : ids) {
                Instant last = latest.get(new AccountId(id));
                if (last == null) {
                    candidates.add(
                            new PlaybookRunner.Candidate(id, "no_meeting:never", "No meeting on record", null, null));
                } else if (last.isBefore(since)) {
                    candidates.add(new PlaybookRunner.Candidate(
                            id,
                            "no_meeting:" + day(last),
                            "No meeting since " + day(last) + " (" + ChronoUnit.DAYS.between(last, now) + " days)",
                            null,
                            null));
                }
            }
        });
        return candidates;
    }

    private LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, clock.getZone());
    }
}
