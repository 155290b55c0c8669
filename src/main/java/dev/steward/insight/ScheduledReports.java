package dev.steward.insight;

import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.notify.Email;
import dev.steward.notify.EmailStatus;
import dev.steward.notify.EmailUndelivered;
import dev.steward.notify.Notification;
import dev.steward.notify.Notifications;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reports emailed on a schedule: people schedule the executive dashboard or their cockpit for themselves (an admin or
 * a manager also for others), the job sends each due schedule once per due time, and the history shows how each
 * email went, as the outbox says. A run that cannot make the report, or an email the outbox gives up on, is reported
 * to the schedule's owner in Steward.
 */
@Service
class ScheduledReports {

    static final int MAX_NAME = 200;
    static final int MAX_RECIPIENTS = 50;
    static final int NEXT_RUNS = 3;
    static final int HISTORY = 50;
    /** Schedules one run of the job sends at most; the next run (a minute later) takes the rest. */
    static final int BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(ScheduledReports.class);

    private final ReportSchedules schedules;
    private final ReportMail mail;
    private final Notifications notifications;
    private final UserDirectory users;
    private final AccountManagement accounts;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ScheduledReports(
            ReportSchedules schedules,
            ReportMail mail,
            Notifications notifications,
            UserDirectory users,
            AccountManagement accounts,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.schedules = schedules;
        this.mail = mail;
        this.notifications = notifications;
        this.users = users;
        this.accounts = accounts;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The schedules a person owns or receives; an admin sees every one. */
    List<ReportSchedule> list(User viewer) {
        List<ReportSchedules.Row> rows = schedules.list(viewer.role() == Role.ADMIN ? null : person(viewer));
        return views(rows);
    }

    ReportSchedule get(User viewer, UUID id) {
        return view(visible(viewer, id));
    }

    ReportSchedule create(User viewer, ReportSchedule.Request request) {
        UUID owner = person(viewer);
        Instant now = clock.instant();
        Checked checked = check(viewer, request, now);
        ReportSchedules.Row row = new ReportSchedules.Row(
                Ids.newId(),
                owner,
                checked.name(),
                checked.report(),
                checked.tier(),
                checked.cron().expression(),
                checked.cron().zone().getId(),
                checked.recipients(),
                checked.enabled(),
                checked.enabled() ? checked.cron().next(now) : null,
                null,
                now,
                now);
        transactions.executeWithoutResult(status -> schedules.insert(row));
        return get(viewer, row.id());
    }

    ReportSchedule update(User viewer, UUID id, ReportSchedule.Request request) {
        ReportSchedules.Row existing = changeable(viewer, id);
        Instant now = clock.instant();
        Checked checked = check(viewer, request, now);
        boolean sameTimes = existing.enabled()
                && checked.enabled()
                && existing.cron().equals(checked.cron().expression())
                && existing.timeZone().equals(checked.cron().zone().getId());
        // Unchanged times keep their due time: editing the recipients at 06:59 does not skip 07:00.
        Instant next = !checked.enabled()
                ? null
                : sameTimes ? existing.nextRunAt() : checked.cron().next(now);
        transactions.executeWithoutResult(status -> schedules.update(new ReportSchedules.Row(
                id,
                existing.ownerId(),
                checked.name(),
                checked.report(),
                checked.tier(),
                checked.cron().expression(),
                checked.cron().zone().getId(),
                checked.recipients(),
                checked.enabled(),
                next,
                existing.lastRunAt(),
                existing.createdAt(),
                now)));
        return get(viewer, id);
    }

    /** Pauses or resumes a schedule; resumed, it next runs at its first due time from now. */
    ReportSchedule setEnabled(User viewer, UUID id, boolean enabled) {
        ReportSchedules.Row row = changeable(viewer, id);
        return update(
                viewer,
                id,
                new ReportSchedule.Request(
                        row.name(), row.report(), row.tier(), row.cron(), row.timeZone(), row.recipientIds(), enabled));
    }

    void delete(User viewer, UUID id) {
        changeable(viewer, id);
        transactions.executeWithoutResult(status -> schedules.delete(id));
    }

    /** The next due times of a cron expression in a zone, as typed in a form; a 422 naming the field at fault. */
    ReportSchedule.Preview preview(@Nullable String cron, @Nullable String timeZone) {
        ReportCron parsed = ReportCron.parse(cron, timeZone, clock.instant());
        return new ReportSchedule.Preview(
                parsed.expression(), parsed.zone().getId(), offsets(parsed.nextRuns(clock.instant(), NEXT_RUNS)));
    }

    /** Sends the schedule's report now, to test it; its due times stay as they were. */
    ReportSchedule.Run sendNow(User viewer, UUID id) {
        ReportSchedules.Row row = changeable(viewer, id);
        UUID run = transactions.execute(status -> send(row, null, person(viewer)));
        return history(viewer, id).stream()
                .filter(r -> r.id().equals(run))
                .findFirst()
                .orElseThrow();
    }

    /** The schedule's latest runs, newest first, with how each email went. */
    List<ReportSchedule.Run> history(User viewer, UUID id) {
        visible(viewer, id);
        List<ReportSchedules.StoredRun> runs = schedules.runs(id, HISTORY);
        Set<UUID> deliveries = new HashSet<>();
        Set<UUID> people = new HashSet<>();
        runs.forEach(run -> run.queued().forEach(q -> {
            people.add(q.recipient());
            if (q.delivery() != null) {
                deliveries.add(q.delivery());
            }
        }));
        Map<UUID, EmailStatus> statuses = notifications.emailStatuses(deliveries);
        Map<UUID, User> named = users.findAll(people);
        return runs.stream()
                .map(run -> new ReportSchedule.Run(
                        run.id(),
                        run.dueAt(),
                        run.requestedBy(),
                        run.ranAt(),
                        run.error(),
                        run.queued().stream().map(q -> sent(q, statuses, named)).toList()))
                .toList();
    }

    private static ReportSchedule.Sent sent(
            ReportSchedules.Queued queued, Map<UUID, EmailStatus> statuses, Map<UUID, User> named) {
        Cockpit.Person recipient = person(queued.recipient(), named);
        if (queued.delivery() == null) {
            return new ReportSchedule.Sent(recipient, "not queued", 0, queued.error(), null, null, null);
        }
        EmailStatus status = statuses.get(queued.delivery());
        if (status == null) {
            return new ReportSchedule.Sent(
                    recipient, "unknown", 0, "the outbox no longer has this email", null, null, queued.delivery());
        }
        String shown = switch (status.status()) {
            case "pending" -> status.attempts() == 0 ? "queued" : "retrying";
            case "not_configured" -> "held";
            default -> status.status();
        };
        return new ReportSchedule.Sent(
                recipient,
                shown,
                status.attempts(),
                status.lastError(),
                status.nextAttemptAt(),
                status.sentAt(),
                queued.delivery());
    }

    /**
     * Sends every schedule that is due, each once per due time however many instances run this at once: the run
     * holds its schedule's row locked and moves it to its next due time before committing. A schedule due several
     * times while nothing ran (Steward was down) is sent once, and next at its first due time from now.
     */
    int sendDue(BooleanSupplier stopping) {
        int sent = 0;
        while (sent < BATCH && !stopping.getAsBoolean()) {
            Instant now = clock.instant();
            AtomicReference<ReportSchedules.Row> claimed = new AtomicReference<>();
            try {
                Optional<ReportSchedules.Row> due = transactions.execute(status -> schedules
                        .claimNextDue(now)
                        .map(row -> {
                            claimed.set(row);
                            send(row, row.nextRunAt(), null);
                            schedules.moveOn(row.id(), next(row, now), now);
                            return row;
                        }));
                if (due == null || due.isEmpty()) {
                    break;
                }
            } catch (RuntimeException e) {
                if (claimed.get() == null) {
                    throw e;
                }
                // The report could not be made: said once for this due time, and the schedule moves on.
                recordFailure(claimed.get(), now, e);
            }
            sent++;
        }
        return sent;
    }

    /** After a run failed and rolled back: the failure is stored for its due time, and the owner told. */
    private void recordFailure(ReportSchedules.Row failed, Instant now, RuntimeException e) {
        String reason = reason(e);
        log.warn("Scheduled report {} ({}) could not be sent: {}", failed.name(), failed.id(), reason, e);
        transactions.executeWithoutResult(status -> schedules
                .claimIfDue(failed.id(), failed.nextRunAt())
                .ifPresent(row -> {
                    UUID run = Ids.newId();
                    if (schedules.addRun(run, row.id(), row.nextRunAt(), null, now, reason)) {
                        notifications.send(Notification.of(
                                        row.ownerId(),
                                        "report.failed",
                                        "Scheduled report \"" + shortened(row.name()) + "\" was not sent",
                                        "The report due " + row.nextRunAt() + " could not be made: " + reason)
                                .withLink("/insight/schedules/" + row.id())
                                .withKey("report-run-" + run + "-failed"));
                    }
                    schedules.moveOn(row.id(), next(row, now), now);
                }));
    }

    private static @Nullable Instant next(ReportSchedules.Row row, Instant now) {
        return new ReportCron(row.cron(), ZoneId.of(row.timeZone())).next(now);
    }

    /**
     * Makes the report and queues an email for each recipient who can receive one, in the caller's transaction;
     * the run's id. A due run already stored (another run got there first) sends nothing again.
     */
    private UUID send(ReportSchedules.Row row, @Nullable Instant due, @Nullable UUID requestedBy) {
        Instant now = clock.instant();
        UUID run = Ids.newId();
        if (!schedules.addRun(run, row.id(), due, requestedBy, now, null)) {
            return run;
        }
        User owner = users.find(row.ownerId()).orElse(new User(row.ownerId(), "", "a former user", Role.VIEWER, false));
        Map<UUID, User> recipients = users.findAll(row.recipientIds());
        Function<User, Email> emails = null;
        for (UUID id : row.recipientIds()) {
            User recipient = recipients.get(id);
            String refused = recipient == null
                    ? "there is no user with id " + id + " any more"
                    : !recipient.enabled() ? recipient.email() + " is disabled" : null;
            if (refused != null) {
                schedules.addQueued(run, new ReportSchedules.Queued(id, null, refused));
                continue;
            }
            if (emails == null) {
                // Made once, for the first recipient who can receive it.
                emails = mail.render(row, owner);
            }
            UUID delivery = notifications.sendEmail(emails.apply(recipient));
            schedules.addQueued(run, new ReportSchedules.Queued(id, delivery, null));
        }
        return run;
    }

    /** An email the outbox gave up on: if a schedule sent it, its owner is told, with the reason. */
    @ApplicationModuleListener
    void on(EmailUndelivered undelivered) {
        UUID delivery = undelivered.delivery();
        UUID recipient = undelivered.recipient();
        int attempts = undelivered.attempts();
        String reason = undelivered.reason();
        schedules.scheduleOfDelivery(delivery).flatMap(schedules::find).ifPresent(row -> {
            String to = users.find(recipient).map(User::email).orElse("user " + recipient);
            notifications.send(Notification.of(
                            row.ownerId(),
                            "report.undelivered",
                            "Scheduled report \"" + shortened(row.name()) + "\" did not reach " + shortened(to),
                            "The email to " + to + " failed " + attempts + (attempts == 1 ? " time" : " times")
                                    + " and will not be tried again by itself: " + reason
                                    + "\nAn administrator can retry it from the Outbox page.")
                    .withLink("/insight/schedules/" + row.id())
                    .withKey("report-delivery-" + delivery + "-undelivered-" + attempts));
        });
    }

    private record Checked(
            String name,
            String report,
            @Nullable String tier,
            ReportCron cron,
            List<UUID> recipients,
            boolean enabled) {}

    private Checked check(User viewer, ReportSchedule.Request request, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            errors.add(FieldError.of("name", "is required, such as 'Monday executive report'"));
        } else if (name.length() > MAX_NAME) {
            errors.add(FieldError.of("name", "is longer than " + MAX_NAME + " characters"));
        }
        String report =
                request.report() == null ? "executive" : request.report().strip();
        if (!ReportSchedule.REPORTS.contains(report)) {
            errors.add(FieldError.of(
                    "report",
                    "must be one of " + String.join(", ", ReportSchedule.REPORTS) + ", not '" + report + "'"));
        }
        String tier = request.tier() == null || request.tier().isBlank()
                ? null
                : request.tier().strip();
        if (tier != null && report.equals("cockpit")) {
            errors.add(FieldError.of("tier", "applies to the executive report only; a cockpit is its owner's book"));
        } else if (tier != null && !accounts.tiers().contains(tier)) {
            errors.add(FieldError.of(
                    "tier", "no account has tier '" + tier + "'; tiers: " + String.join(", ", accounts.tiers())));
        }
        ReportCron cron = null;
        try {
            cron = ReportCron.parse(request.cron(), request.timeZone(), now);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<UUID> recipients = recipients(viewer, request.recipients(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Checked(name, report, tier, cron, recipients, request.enabled() == null || request.enabled());
    }

    private List<UUID> recipients(User viewer, @Nullable List<UUID> asked, List<FieldError> errors) {
        UUID self = person(viewer);
        if (asked == null || asked.isEmpty()) {
            return List.of(self);
        }
        if (asked.size() > MAX_RECIPIENTS) {
            errors.add(FieldError.of("recipients", asked.size() + " people, more than " + MAX_RECIPIENTS));
            return List.of();
        }
        boolean forOthers = viewer.role() == Role.ADMIN || viewer.role() == Role.MANAGER;
        Map<UUID, User> known =
                users.findAll(asked.stream().filter(id -> id != null).toList());
        Set<UUID> result = new LinkedHashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            UUID id = asked.get(i);
            String field = "recipients[" + i + "]";
            User user = id == null ? null : known.get(id);
            if (id == null) {
                errors.add(FieldError.of(field, "is required (a user id)"));
            } else if (!forOthers && !id.equals(self)) {
                errors.add(FieldError.of(
                        field,
                        "a " + viewer.role() + " schedules reports for themselves only; an admin or a manager may"
                                + " schedule them for others"));
            } else if (user == null) {
                errors.add(FieldError.of(field, "there is no user with id " + id));
            } else if (!user.enabled()) {
                errors.add(FieldError.of(field, user.email() + " is disabled"));
            } else if (!result.add(id)) {
                errors.add(FieldError.of(field, user.email() + " is named twice"));
            }
        }
        return List.copyOf(result);
    }

    private ReportSchedules.Row visible(User viewer, UUID id) {
        ReportSchedules.Row row = schedules.find(id).orElseThrow(() -> new NotFoundException("report schedule", id));
        boolean allowed = viewer.role() == Role.ADMIN
                || row.ownerId().equals(viewer.id())
                || (viewer.id() != null && row.recipientIds().contains(viewer.id()));
        if (!allowed) {
            // Whether a schedule of others exists is not said.
            throw new NotFoundException("report schedule", id);
        }
        return row;
    }

    private ReportSchedules.Row changeable(User viewer, UUID id) {
        ReportSchedules.Row row = visible(viewer, id);
        if (viewer.role() != Role.ADMIN && !row.ownerId().equals(viewer.id())) {
            throw new AccessDeniedException("Only the owner of the schedule \"" + row.name()
                    + "\" or an admin may change, send or remove it; you receive it");
        }
        return row;
    }

    private static UUID person(User viewer) {
        if (viewer.id() == null) {
            throw new AccessDeniedException(
                    "This sign-in has no user, and reports are scheduled by and for users: use a user's API key");
        }
        return viewer.id();
    }

    private ReportSchedule view(ReportSchedules.Row row) {
        return views(List.of(row)).get(0);
    }

    private List<ReportSchedule> views(List<ReportSchedules.Row> rows) {
        Set<UUID> people = new HashSet<>();
        rows.forEach(row -> {
            people.add(row.ownerId());
            people.addAll(row.recipientIds());
        });
        Map<UUID, User> named = users.findAll(people);
        Instant now = clock.instant();
        return rows.stream()
                .map(row -> {
                    ReportCron cron = new ReportCron(row.cron(), ZoneId.of(row.timeZone()));
                    Instant from =
                            row.nextRunAt() == null ? now : row.nextRunAt().minusNanos(1);
                    return new ReportSchedule(
                            row.id(),
                            row.name(),
                            row.report(),
                            row.tier(),
                            row.cron(),
                            row.timeZone(),
                            row.enabled(),
                            person(row.ownerId(), named),
                            row.recipientIds().stream()
                                    .map(id -> person(id, named))
                                    .toList(),
                            row.nextRunAt(),
                            offsets(cron.nextRuns(from, NEXT_RUNS)),
                            row.lastRunAt(),
                            row.createdAt(),
                            row.updatedAt());
                })
                .toList();
    }

    private static List<OffsetDateTime> offsets(Collection<java.time.ZonedDateTime> times) {
        return times.stream().map(java.time.ZonedDateTime::toOffsetDateTime).toList();
    }

    private static Cockpit.Person person(UUID id, Map<UUID, User> named) {
        User user = named.get(id);
        return user == null
                ? new Cockpit.Person(id, "(unknown user " + id + ")", "")
                : new Cockpit.Person(id, user.displayName(), user.email());
    }

    /** A name short enough for a notification's one-line subject (at most 200 characters) with words around it. */
    static String shortened(String name) {
        return name.length() <= 60 ? name : name.substring(0, 59) + "…";
    }

    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() <= 1000 ? message : message.substring(0, 1000) + "…";
    }
}
