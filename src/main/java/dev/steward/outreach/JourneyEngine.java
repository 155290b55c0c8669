package dev.steward.outreach;

import dev.steward.core.Conditions;
import dev.steward.core.Ids;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactId;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.lifecycle.SegmentManagement;
import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import dev.steward.survey.SurveyManagement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves contacts through journeys: enrols the contacts of accounts a trigger fired for (each once per journey; a
 * deterministic share held out), and advances every contact whose next step is due on the application's clock, a
 * batch per transaction with the rows locked so that two instances never advance one contact twice. A contact leaves
 * when the journey's exit condition holds, the audience no longer holds, or the address is off customer mail.
 */
@Component
class JourneyEngine {

    private static final Logger log = LoggerFactory.getLogger(JourneyEngine.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EmailJourneys journeys;
    private final JourneyMail mail;
    private final ContactManagement contacts;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final AccountConditions conditions;
    private final SegmentManagement segments;
    private final SurveyManagement surveys;
    private final Notifications notifications;
    private final JourneyCrossings crossings;
    private final SendTracking tracking;
    private final OpenTracking opens;
    private final ReplyMatching replies;
    private final SendPacing pacing;
    private final MailPreferences preferences;
    private final OutreachProperties properties;
    private final TransactionTemplate transactions;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    JourneyEngine(
            EmailJourneys journeys,
            JourneyMail mail,
            ContactManagement contacts,
            AccountManagement accounts,
            UserDirectory users,
            AccountConditions conditions,
            SegmentManagement segments,
            SurveyManagement surveys,
            Notifications notifications,
            JourneyCrossings crossings,
            SendTracking tracking,
            OpenTracking opens,
            ReplyMatching replies,
            SendPacing pacing,
            MailPreferences preferences,
            OutreachProperties properties,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.journeys = journeys;
        this.mail = mail;
        this.contacts = contacts;
        this.accounts = accounts;
        this.users = users;
        this.conditions = conditions;
        this.segments = segments;
        this.surveys = surveys;
        this.notifications = notifications;
        this.crossings = crossings;
        this.tracking = tracking;
        this.opens = opens;
        this.replies = replies;
        this.pacing = pacing;
        this.preferences = preferences;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        // Each contact's step within the batch's transaction, so that a failed statement is undone alone.
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    // ---- Entering ----

    /** Whether a contact of a journey is in its holdout: the same answer on every instance, every time. */
    static boolean heldOut(String journey, UUID contact, int percent) {
        if (percent <= 0) {
            return false;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((journey + ":" + contact).getBytes(StandardCharsets.UTF_8));
            long bucket =
                    ((hash[0] & 0xffL) << 24 | (hash[1] & 0xffL) << 16 | (hash[2] & 0xffL) << 8 | (hash[3] & 0xffL))
                            % 100;
            return bucket < percent;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The contacts of these accounts a journey's audience takes now: in its segment (if any) and roles, reachable. */
    List<Contact> audience(JourneyDocument document, Collection<UUID> accountIds, LocalDate today) {
        Collection<UUID> within = accountIds;
        if (document.audience().segment() != null) {
            Set<UUID> members =
                    segments.memberIds(document.audience().segment()).orElse(Set.of());
            within = accountIds.stream().filter(members::contains).toList();
        }
        String condition = document.audience().condition();
        if (condition != null && !within.isEmpty()) {
            Set<UUID> holding = conditions.holding(
                    conditions.declarations().compile(condition), condition, List.copyOf(within), today);
            within = within.stream().filter(holding::contains).toList();
        }
        if (within.isEmpty()) {
            return List.of();
        }
        List<ContactRole> roles = document.audience().roles().stream()
                .map(role -> ContactRole.valueOf(role.toUpperCase(Locale.ROOT)))
                .toList();
        return contacts.reachable(within, roles, today);
    }

    /** What entering did: contacts enrolled to be mailed, and held out. */
    record Entered(int enrolled, int heldOut) {}

    /** Enrols the audience's contacts of these accounts in the journey, in the caller's transaction. */
    Entered enter(EmailJourneys.Active journey, Collection<UUID> accountIds, String cause) {
        Instant now = clock.instant();
        int enrolled = 0;
        int held = 0;
        for (Contact contact : audience(journey.document(), accountIds, LocalDate.ofInstant(now, clock.getZone()))) {
            boolean out = heldOut(
                    journey.name(), contact.id().value(), journey.document().holdoutPercent());
            Optional<UUID> id = journeys.enrol(
                    journey.id(),
                    journey.version(),
                    contact.id().value(),
                    contact.accountId().value(),
                    contact.email(),
                    out,
                    now);
            if (id.isPresent()) {
                if (out) {
                    held++;
                } else {
                    enrolled++;
                }
                journeys.event(
                        contact.accountId().value(),
                        contact.id().value(),
                        journey.id(),
                        now,
                        "entered",
                        (out ? "Held out of email journey " : "Entered email journey ") + journey.name() + ": "
                                + contact.email(),
                        cause);
            }
        }
        return new Entered(enrolled, held);
    }

    /** The accounts a journey's trigger holds for on current data, as if it had just fired for each of them. */
    Set<UUID> triggered(JourneyDocument document, LocalDate today) {
        JourneyDocument.Trigger trigger = document.trigger();
        return switch (trigger.type()) {
            case SEGMENT_ENTERED -> segments.memberIds(trigger.segment()).orElse(Set.of());
            case STAGE_ENTERED ->
                conditions.inStage(trigger.stage()).stream()
                        .map(AccountConditions.Stay::account)
                        .collect(java.util.stream.Collectors.toSet());
            case RENEWAL -> renewing(today, trigger.days());
            case MEASURE_CROSSED, PRODUCT_EVENT -> {
                Set<UUID> past = new java.util.HashSet<>();
                conditions.eachBatch(batch -> crossings
                        .sides(trigger.crossing(), batch, today)
                        .forEach((account, side) -> {
                            if (side) {
                                past.add(account);
                            }
                        }));
                yield past;
            }
        };
    }

    /**
     * Enrols, for every journey in force with a measure or event trigger, the contacts of those of these accounts
     * ({@code null}: every account, a batch per transaction) that crossed its line since they were last seen.
     */
    int enterCrossings(@Nullable Collection<UUID> accountIds) {
        int entered = 0;
        for (EmailJourneys.Active journey : journeys.active()) {
            if (!JourneyCrossings.decides(journey.document().trigger())) {
                continue;
            }
            String cause = journey.document().trigger().describe();
            List<Entered> done = new java.util.ArrayList<>();
            if (accountIds == null) {
                conditions.eachBatch(batch -> done.add(
                        transactions.execute(status -> enter(journey, crossings.crossed(journey, batch), cause))));
            } else {
                done.add(transactions.execute(status -> enter(journey, crossings.crossed(journey, accountIds), cause)));
            }
            entered += done.stream().mapToInt(e -> e.enrolled() + e.heldOut()).sum();
        }
        return entered;
    }

    /** Accounts whose renewal date is from today to {@code days} ahead. */
    private Set<UUID> renewing(LocalDate today, int days) {
        Set<UUID> found = new java.util.HashSet<>();
        conditions.eachBatch(batch -> accounts
                .findAll(batch.stream().map(AccountId::new).toList())
                .stream()
                .filter(a -> a.renewalDate() != null
                        && !a.renewalDate().isBefore(today)
                        && !a.renewalDate().isAfter(today.plusDays(days)))
                .forEach(a -> found.add(a.id().value())));
        return found;
    }

    /** Enrols, for every journey in force with a renewal trigger, the contacts of accounts renewing within its days. */
    int enterRenewals() {
        int entered = 0;
        LocalDate today = LocalDate.now(clock);
        for (EmailJourneys.Active journey : journeys.active()) {
            if (journey.document().trigger().type() == JourneyDocument.TriggerType.RENEWAL) {
                Set<UUID> renewing =
                        renewing(today, journey.document().trigger().days());
                Entered done = transactions.execute(status -> enter(
                        journey,
                        renewing,
                        "renewal within " + journey.document().trigger().days() + " days"));
                entered += done.enrolled() + done.heldOut();
            }
        }
        return entered;
    }

    // ---- Advancing ----

    /** Advances every contact due now, a batch per transaction; how many were advanced. */
    int advanceDue() {
        int total = 0;
        while (true) {
            Integer done = transactions.execute(status -> advanceBatch());
            total += done;
            if (done < properties.batch()) {
                return total;
            }
        }
    }

    private int advanceBatch() {
        Instant now = clock.instant();
        List<EmailJourneys.Enrolment> due = journeys.lockDue(now, properties.batch());
        if (due.isEmpty()) {
            return 0;
        }
        Run run = new Run(now, journeys.reader(), journeys.stopped());
        for (EmailJourneys.Enrolment enrolment : due) {
            try {
                savepoint.executeWithoutResult(status -> advance(enrolment, run));
            } catch (RuntimeException e) {
                // One contact's problem (a template the outbox refuses, a statement the database refuses) must not hold
                // up the others: its step is undone to its savepoint and the contact stopped with the reason, in the
                // batch's transaction, visible on the journey's contacts.
                log.warn("Email journey step failed for enrolment {}", enrolment.id(), e);
                journeys.move(enrolment.id(), enrolment.step(), "stopped", "failed: " + e.getMessage(), null, now);
            }
        }
        return due.size();
    }

    /** What one batch reads once: versions, segment members, compiled conditions. */
    private final class Run {

        final Instant now;
        final LocalDate today;
        final JourneyDocuments reader;
        final Set<UUID> stopped;
        final Map<String, Optional<EmailJourneys.Active>> versions = new HashMap<>();
        final Map<String, Set<UUID>> members = new HashMap<>();
        final Map<String, Conditions.Compiled> compiled = new HashMap<>();
        final Conditions declarations;

        Run(Instant now, JourneyDocuments reader, Set<UUID> stopped) {
            this.now = now;
            this.today = LocalDate.ofInstant(now, clock.getZone());
            this.reader = reader;
            this.stopped = stopped;
            this.declarations = conditions.declarations();
        }

        Optional<EmailJourneys.Active> version(UUID journey, int version) {
            return versions.computeIfAbsent(journey + ":" + version, k -> journeys.version(journey, version, reader));
        }

        Set<UUID> members(String segment) {
            return members.computeIfAbsent(segment, s -> segments.memberIds(s).orElse(Set.of()));
        }

        boolean holds(String condition, UUID account) {
            Conditions.Compiled c = compiled.computeIfAbsent(condition, declarations::compile);
            return conditions.holding(c, condition, List.of(account), today).contains(account);
        }
    }

    private void advance(EmailJourneys.Enrolment enrolment, Run run) {
        Instant now = run.now;
        if (run.stopped.contains(enrolment.journey())) {
            leave(enrolment, enrolment.step(), "stopped", "the journey was switched off", now);
            return;
        }
        Optional<EmailJourneys.Active> found = run.version(enrolment.journey(), enrolment.version());
        if (found.isEmpty()) {
            leave(enrolment, enrolment.step(), "stopped", "its version no longer reads", now);
            return;
        }
        EmailJourneys.Active journey = found.get();
        JourneyDocument document = journey.document();
        Optional<Contact> contact = contacts.find(new ContactId(enrolment.contact()));
        if (contact.isEmpty()
                || contact.get().email() == null
                || !contact.get().email().equalsIgnoreCase(enrolment.email())
                || (contact.get().leftAt() != null && !contact.get().leftAt().isAfter(run.today))) {
            leave(enrolment, enrolment.step(), "exited", "the contact left, or their address changed", now);
            return;
        }
        String segment = document.audience().segment();
        String role =
                contact.get().role() == null ? "" : contact.get().role().name().toLowerCase(Locale.ROOT);
        if ((segment != null && !run.members(segment).contains(enrolment.account()))
                || !document.audience().roles().contains(role)) {
            leave(enrolment, enrolment.step(), "exited", "no longer in the audience", now);
            return;
        }
        if (document.exitWhen() != null && run.holds(document.exitWhen(), enrolment.account())) {
            leave(enrolment, enrolment.step(), "exited", "exit condition holds: " + document.exitWhen(), now);
            return;
        }
        if (surveys.unsubscribed(enrolment.email())) {
            leave(
                    enrolment,
                    enrolment.step(),
                    "stopped",
                    "the address is off customer mail (unsubscribed or bounced)",
                    now);
            return;
        }
        int step = enrolment.step();
        // Branches only go forward, so a contact passes each step at most once per advance.
        for (int guard = 0; guard <= document.steps().size(); guard++) {
            if (step >= document.steps().size()) {
                leave(enrolment, step, "finished", "reached the end", now);
                return;
            }
            JourneyDocument.Step current = document.steps().get(step);
            if (current instanceof JourneyDocument.Email email) {
                if (optedOut(document, enrolment, step, now)) {
                    return;
                }
                Instant capFree = capFree(enrolment.email(), now);
                if (capFree != null) {
                    capped(enrolment, step, capFree, now);
                    return;
                }
                String sender = pacing.sender(document);
                if (held(journey, enrolment, contact.get(), step, sender, now)) {
                    return;
                }
                sendEmail(journey, enrolment, step, email, contact.get(), now);
                pacing.sent(enrolment.id(), step, sender);
                step++;
            } else if (current instanceof JourneyDocument.Wait wait) {
                journeys.move(enrolment.id(), step + 1, "active", null, now.plus(Duration.ofDays(wait.days())), now);
                return;
            } else if (current instanceof JourneyDocument.Branch branch) {
                step = holds(branch, enrolment, run) ? branch.then() : branch.otherwise();
            } else if (current instanceof JourneyDocument.SurveyStep survey) {
                Instant capFree = capFree(enrolment.email(), now);
                if (capFree != null) {
                    capped(enrolment, step, capFree, now);
                    return;
                }
                String sender = pacing.configuredSender();
                if (held(journey, enrolment, contact.get(), step, sender, now)) {
                    return;
                }
                sendSurvey(journey, enrolment, step, survey, now);
                pacing.sent(enrolment.id(), step, sender);
                step++;
            } else {
                leave(enrolment, step, "finished", "exit step", now);
                return;
            }
        }
        leave(enrolment, step, "finished", "reached the end", now);
    }

    /** Whether the contact switched the journey's category off on their preference page: then stopped. */
    private boolean optedOut(JourneyDocument document, EmailJourneys.Enrolment enrolment, int step, Instant now) {
        if (document.category() == null || !preferences.off(enrolment.email(), document.category())) {
            return false;
        }
        leave(enrolment, step, "stopped", "chose no " + document.category() + " mail on the preference page", now);
        return true;
    }

    /**
     * Whether the step must wait, moved to when it may go: outside the journey's send window in the contact's time
     * zone (until its next opening), or past its sender's daily limit (until the sender's next day).
     */
    private boolean held(
            EmailJourneys.Active journey,
            EmailJourneys.Enrolment enrolment,
            Contact contact,
            int step,
            String sender,
            Instant now) {
        JourneyDocument document = journey.document();
        if (!document.sendWindow().always()) {
            java.time.ZoneId zone = pacing.zoneOf(
                    contact, accounts.find(new AccountId(enrolment.account())).orElse(null));
            Instant opens = document.sendWindow().nextOpening(now, zone);
            if (opens.isAfter(now)) {
                journeys.move(
                        enrolment.id(),
                        step,
                        "active",
                        "waiting: send window (" + document.sendWindow().describe() + " " + zone + "), opens "
                                + opens.atZone(zone).toLocalDateTime() + " " + zone,
                        opens,
                        now);
                return true;
            }
        }
        Instant nextDay = pacing.limitReached(sender, now);
        if (nextDay != null) {
            journeys.move(
                    enrolment.id(),
                    step,
                    "active",
                    "waiting: sender's daily limit (" + pacing.limit(sender) + " a day from " + sender + ") until "
                            + nextDay,
                    nextDay,
                    now);
            return true;
        }
        return false;
    }

    private void capped(EmailJourneys.Enrolment enrolment, int step, Instant capFree, Instant now) {
        journeys.move(enrolment.id(), step, "active", "frequency cap: next email from " + capFree, capFree, now);
    }

    private void sendSurvey(
            EmailJourneys.Active journey,
            EmailJourneys.Enrolment enrolment,
            int step,
            JourneyDocument.SurveyStep survey,
            Instant now) {
        Optional<UUID> delivery = surveys.sendTo(survey.survey(), new ContactId(enrolment.contact()));
        journeys.insertSend(
                Ids.newId(),
                enrolment,
                step,
                "survey",
                "Survey: " + survey.surveyName(),
                delivery.orElse(null),
                survey.survey(),
                token(),
                now);
        journeys.event(
                enrolment.account(),
                enrolment.contact(),
                journey.id(),
                now,
                "sent",
                "Survey " + survey.surveyName() + " sent to " + enrolment.email(),
                "email journey " + journey.name()
                        + (delivery.isEmpty() ? " (asked before or off customer mail: not sent again)" : ""));
    }

    private boolean holds(JourneyDocument.Branch branch, EmailJourneys.Enrolment enrolment, Run run) {
        return switch (branch.condition()) {
            case JourneyDocument.Branch.REPLIED -> journeys.replied(enrolment.id());
            case JourneyDocument.Branch.OPENED -> tracking.openedAny(enrolment.id(), false);
            case JourneyDocument.Branch.CLICKED -> tracking.openedAny(enrolment.id(), true);
            case JourneyDocument.Branch.ANSWERED ->
                journeys.latestSurvey(enrolment.id())
                        .map(survey -> surveys.answered(survey, enrolment.contact()))
                        .orElse(false);
            default -> run.holds(branch.condition(), enrolment.account());
        };
    }

    /** When the address may be mailed again under the frequency cap; {@code null} when it may be now. */
    @Nullable
    Instant capFree(String email, Instant now) {
        Duration window = Duration.ofDays(properties.capDays());
        if (window.isZero()) {
            return null;
        }
        return capFree(journeys.sentTo(email, now.minus(window)), now);
    }

    /** The same, for these send times of the address (oldest first); what a dry run plans counts too. */
    @Nullable
    Instant capFree(List<Instant> sent, Instant now) {
        Duration window = Duration.ofDays(properties.capDays());
        if (window.isZero()) {
            return null;
        }
        List<Instant> recent =
                sent.stream().filter(at -> at.isAfter(now.minus(window))).toList();
        if (recent.size() < properties.capEmails()) {
            return null;
        }
        return recent.get(recent.size() - properties.capEmails()).plus(window);
    }

    private void sendEmail(
            EmailJourneys.Active journey,
            EmailJourneys.Enrolment enrolment,
            int step,
            JourneyDocument.Email email,
            Contact contact,
            Instant now) {
        Account account = accounts.find(new AccountId(enrolment.account())).orElse(null);
        User csm = account == null || account.ownerId() == null
                ? null
                : users.find(account.ownerId()).orElse(null);
        String token = token();
        String unsubscribe = mail.unsubscribeLink(token);
        UUID send = Ids.newId();
        Map<String, String> values = JourneyMail.values(contact, enrolment.email(), account, csm, unsubscribe);
        values.put("preferences", mail.preferencesLink(token));
        opens.addLinks(values, send, token, email);
        JourneyMail.Rendered rendered = opens.withPixel(mail.render(email, values), send, token);
        String messageId = replies.messageId(send);
        ExternalEmail message = ReplyMatching.withMessageId(
                mail.email(
                        enrolment.email(),
                        rendered,
                        unsubscribe,
                        JourneyMail.key(journey.id(), enrolment.contact(), step)),
                messageId);
        if (journey.document().from() != null) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(message.headers());
            headers.put("From", journey.document().from());
            message = new ExternalEmail(
                    message.to(), message.subject(), message.text(), message.html(), headers, message.key());
        }
        UUID delivery = notifications.sendExternalEmails(List.of(message)).get(message.key());
        journeys.insertSend(send, enrolment, step, "email", rendered.subject(), delivery, null, token, now);
        tracking.recordMessageId(send, messageId);
        journeys.event(
                enrolment.account(),
                enrolment.contact(),
                journey.id(),
                now,
                "sent",
                "Email sent to " + enrolment.email() + ": " + rendered.subject(),
                "email journey " + journey.name() + ", step " + (step + 1));
    }

    private void leave(EmailJourneys.Enrolment enrolment, int step, String state, String reason, Instant now) {
        journeys.move(enrolment.id(), step, state, reason, null, now);
        if (!state.equals("finished")) {
            journeys.event(
                    enrolment.account(),
                    enrolment.contact(),
                    enrolment.journey(),
                    now,
                    state,
                    "Left an email journey: " + enrolment.email(),
                    reason);
        }
    }

    /** The unguessable capability in an email's unsubscribe link. */
    static String token() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
