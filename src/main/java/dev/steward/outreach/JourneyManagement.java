package dev.steward.outreach;

import dev.steward.core.Conditions;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactId;
import dev.steward.customer.ContactManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.AccountConditions;
import dev.steward.notify.EmailStatus;
import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import dev.steward.playbook.CtaWork;
import dev.steward.survey.SurveyManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps email journeys as versioned YAML documents (drafts, publication, history, diffs), switches them on
 * (publishing) and off, dry-runs a document on current data, previews and test-sends its emails, handles replies and
 * unsubscribes, and reports results against the holdout.
 */
@Service
public class JourneyManagement {

    /** Contacts a dry run lists. */
    static final int SAMPLE = 50;

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>\"]+@[^\\s@<>\"]+");

    private final EmailJourneys journeys;
    private final JourneyEngine engine;
    private final JourneyMail mail;
    private final ContactManagement contacts;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final AccountConditions conditions;
    private final SurveyManagement surveys;
    private final Notifications notifications;
    private final CtaWork ctas;
    private final ReplyMatching matching;
    private final SendTracking tracking;
    private final JourneyCrossings crossings;
    private final SendPacing pacing;
    private final MailPreferences preferences;
    private final OutreachProperties properties;
    private final Clock clock;

    JourneyManagement(
            EmailJourneys journeys,
            JourneyEngine engine,
            JourneyMail mail,
            ContactManagement contacts,
            AccountManagement accounts,
            UserDirectory users,
            AccountConditions conditions,
            SurveyManagement surveys,
            Notifications notifications,
            CtaWork ctas,
            ReplyMatching matching,
            SendTracking tracking,
            JourneyCrossings crossings,
            SendPacing pacing,
            MailPreferences preferences,
            OutreachProperties properties,
            Clock clock) {
        this.journeys = journeys;
        this.engine = engine;
        this.mail = mail;
        this.contacts = contacts;
        this.accounts = accounts;
        this.users = users;
        this.conditions = conditions;
        this.surveys = surveys;
        this.notifications = notifications;
        this.ctas = ctas;
        this.matching = matching;
        this.tracking = tracking;
        this.crossings = crossings;
        this.pacing = pacing;
        this.preferences = preferences;
        this.properties = properties;
        this.clock = clock;
    }

    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    JourneyViews.Validation validate(@Nullable String name, String yaml) {
        JourneyDocuments.Check check = journeys.reader().read(yaml, name);
        return new JourneyViews.Validation(check.isValid(), check.problems());
    }

    /** Saves the YAML, exactly as written, as the journey's next version, a draft with its problems. */
    @Transactional
    public DocumentText<JourneyProblem> saveDraft(String name, String yaml, User author) {
        requireEditor(author, "save");
        JourneyDocuments.checkLength(yaml);
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", "must be 1 to 100 characters");
        }
        JourneyDocuments.Check check = journeys.reader().read(yaml, name);
        VersionedDocuments<JourneyProblem> documents = journeys.documents();
        documents.create(name, clock.instant());
        UUID id = documents.lock(name).orElseThrow();
        int version = documents.insertVersion(
                id,
                yaml,
                DocumentVersion.Status.DRAFT,
                check.problems(),
                author.id(),
                author.displayName(),
                clock.instant());
        return version(name, version);
    }

    /**
     * Switches the version on, superseding the one before (and switching a journey that was off on again). Contacts
     * already in the journey go on with the version they entered; a renewal trigger enrols the accounts renewing
     * within its days at once. Refused with every problem when the version is invalid.
     */
    @Transactional
    public DocumentVersion publish(String name, int version, User author) {
        requireEditor(author, "publish");
        VersionedDocuments<JourneyProblem> documents = journeys.documents();
        UUID id = documents.lock(name).orElseThrow(() -> new NotFoundException("journey", name));
        DocumentText<JourneyProblem> text = version(name, version);
        JourneyDocuments.Check check = journeys.reader().read(text.yaml(), name);
        if (!check.isValid()) {
            throw new InvalidInputException(check.problems().stream()
                    .map(p -> dev.steward.core.FieldError.of(p.field(), p.toString()))
                    .toList());
        }
        if (text.version().status() != DocumentVersion.Status.PUBLISHED) {
            documents.publish(id, version, clock.instant());
        }
        journeys.stop(id, null);
        JourneyDocument document = check.document();
        if (document.trigger().type() == JourneyDocument.TriggerType.RENEWAL) {
            EmailJourneys.Active active = new EmailJourneys.Active(id, name, version, document);
            engine.enter(
                    active,
                    engine.triggered(document, LocalDate.now(clock)),
                    "renewal within " + document.trigger().days() + " days");
        } else if (JourneyCrossings.decides(document.trigger())) {
            // Takes stock: where every account is now is recorded, and only later crossings enrol (those since the
            // last evaluation of the same trigger, when a version with it was in force before, enrol now).
            EmailJourneys.Active active = new EmailJourneys.Active(id, name, version, document);
            conditions.eachBatch(batch -> engine.enter(
                    active, crossings.crossed(active, batch), document.trigger().describe()));
        }
        return version(name, version).version();
    }

    /** Switches the journey off: nobody enters it and its contacts stop where they are; its history stays. */
    @Transactional
    public void switchOff(String name, User author) {
        requireEditor(author, "switch off");
        UUID id = journeys.documents().lock(name).orElseThrow(() -> new NotFoundException("journey", name));
        journeys.stop(id, clock.instant());
    }

    public List<JourneyViews.Summary> list() {
        Set<UUID> stopped = journeys.stopped();
        JourneyDocuments reader = journeys.reader();
        List<JourneyViews.Summary> list = new ArrayList<>();
        for (VersionedDocuments.Listed listed : journeys.documents().listed()) {
            int shown = listed.published() != null ? listed.published() : listed.newest();
            JourneyDocument document =
                    reader.read(version(listed.name(), shown).yaml(), null).document();
            List<EmailJourneys.Enrolment> all = journeys.allEnrolments(listed.id());
            list.add(new JourneyViews.Summary(
                    listed.name(),
                    document == null ? "" : document.description(),
                    document == null ? "" : document.trigger().describe(),
                    listed.published(),
                    listed.newest(),
                    listed.published() != null && !stopped.contains(listed.id()),
                    all.stream().filter(e -> e.state().equals("active")).count(),
                    all.size()));
        }
        return list;
    }

    public boolean isOn(String name) {
        Optional<UUID> id = journeys.documents().id(name);
        return id.isPresent()
                && !journeys.stopped().contains(id.get())
                && versions(name).stream().anyMatch(v -> v.status() == DocumentVersion.Status.PUBLISHED);
    }

    public List<DocumentVersion> versions(String name) {
        List<DocumentVersion> history = journeys.documents().history(name);
        if (history.isEmpty()) {
            throw new NotFoundException("journey", name);
        }
        return history;
    }

    public DocumentText<JourneyProblem> version(String name, int version) {
        return journeys.documents()
                .find(name, version)
                .orElseThrow(() -> new NotFoundException("Journey " + name + " has no version " + version + "."));
    }

    public String diff(String name, int from, int to) {
        return VersionedDocuments.diff(name, version(name, from), version(name, to));
    }

    /** The contacts in a journey, newest first. */
    List<JourneyViews.Enrolled> enrolled(String name, int limit) {
        UUID id = journeys.documents().id(name).orElseThrow(() -> new NotFoundException("journey", name));
        return journeys.enrolments(id, limit).stream()
                .map(e -> new JourneyViews.Enrolled(
                        e.contact(),
                        e.account(),
                        e.email(),
                        e.version(),
                        e.step(),
                        e.state(),
                        e.reason(),
                        e.enteredAt(),
                        e.nextDueAt()))
                .toList();
    }

    // ---- Dry run ----

    /**
     * What the document would do now, without writing or sending anything: the contacts its trigger would enrol on
     * current data (as if it had just fired for every account it holds for), those held out, those off customer mail,
     * and for each contact the emails it would get and when, branches decided on today's data (no replies, no survey
     * answers yet). Each email goes when the engine would send it: inside the send window in the contact's time zone,
     * under the frequency cap and within its sender's daily limit, counting what was sent and what the run plans.
     */
    @Transactional(readOnly = true)
    JourneyViews.DryRun dryRun(@Nullable String name, String yaml) {
        JourneyDocuments.Check check = journeys.reader().read(yaml, name);
        if (!check.isValid()) {
            return new JourneyViews.DryRun(false, check.problems(), null, 0, 0, 0, 0, 0, 0, List.of(), List.of());
        }
        JourneyDocument document = check.document();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        Set<UUID> triggered = engine.triggered(document, today);
        List<Contact> audience = engine.audience(document, triggered, today);
        Set<UUID> already = name == null
                ? Set.of()
                : journeys.documents().id(name).map(journeys::enrolledContacts).orElse(Set.of());
        Set<UUID> accountIds = audience.stream().map(c -> c.accountId().value()).collect(Collectors.toSet());
        Map<UUID, Account> byId = accounts
                .findAll(accountIds.stream().map(AccountId::new).toList())
                .stream()
                .collect(Collectors.toMap(a -> a.id().value(), Function.identity()));
        Map<String, Set<UUID>> holding = new HashMap<>();
        Conditions declarations = conditions.declarations();
        List<String> texts = new ArrayList<>();
        if (document.exitWhen() != null) {
            texts.add(document.exitWhen());
        }
        for (JourneyDocument.Step step : document.steps()) {
            if (step instanceof JourneyDocument.Branch branch && !branch.readsMail()) {
                texts.add(branch.condition());
            }
        }
        for (String text : texts) {
            holding.computeIfAbsent(text, t -> conditions.holding(declarations.compile(t), t, accountIds, today));
        }
        Map<UUID, User> csms = users.findAll(byId.values().stream()
                .map(Account::ownerId)
                .filter(o -> o != null)
                .collect(Collectors.toSet()));
        int[] reaching = new int[document.steps().size()];
        int held = 0;
        int offMail = 0;
        int alreadyIn = 0;
        int emails = 0;
        int entering = 0;
        List<JourneyViews.Contact> sample = new ArrayList<>();
        // Sends planned per sender and day, on top of those made already: the daily limits count every contact's.
        Map<String, Map<Instant, Integer>> senderDays = new HashMap<>();
        for (Contact contact : audience) {
            if (already.contains(contact.id().value())) {
                alreadyIn++;
                continue;
            }
            entering++;
            boolean out = JourneyEngine.heldOut(document.name(), contact.id().value(), document.holdoutPercent());
            if (out) {
                held++;
            }
            boolean off = !out && surveys.unsubscribed(contact.email());
            if (off) {
                offMail++;
            }
            UUID account = contact.accountId().value();
            String exits = document.exitWhen() != null
                            && holding.get(document.exitWhen()).contains(account)
                    ? "the exit condition holds now: leaves at once"
                    : null;
            List<JourneyViews.Planned> planned = new ArrayList<>();
            if (!out && !off && exits == null) {
                Account a = byId.get(account);
                Map<String, String> values = JourneyMail.values(
                        contact,
                        contact.email(),
                        a,
                        a == null || a.ownerId() == null ? null : csms.get(a.ownerId()),
                        mail.unsubscribeLink("…"));
                Instant at = now;
                int step = 0;
                java.time.ZoneId zone = pacing.zoneOf(contact, a);
                List<Instant> sentTo = new ArrayList<>(
                        journeys.sentTo(contact.email(), now.minus(Duration.ofDays(properties.capDays()))));
                String categoryOff =
                        document.category() != null && preferences.off(contact.email(), document.category())
                                ? "chose no " + document.category() + " mail on the preference page"
                                : null;
                while (step < document.steps().size()) {
                    reaching[step]++;
                    JourneyDocument.Step current = document.steps().get(step);
                    if (current instanceof JourneyDocument.Email email) {
                        if (categoryOff != null) {
                            exits = categoryOff;
                            break;
                        }
                        Paced paced = pace(document, pacing.sender(document), zone, at, sentTo, senderDays);
                        at = paced.at();
                        planned.add(new JourneyViews.Planned(
                                step,
                                "email",
                                mail.render(email, values).subject(),
                                at,
                                at.atZone(zone).toLocalDateTime().withNano(0) + " " + zone,
                                paced.waiting()));
                        emails++;
                        step++;
                    } else if (current instanceof JourneyDocument.Wait wait) {
                        at = at.plus(Duration.ofDays(wait.days()));
                        step++;
                    } else if (current instanceof JourneyDocument.Branch branch) {
                        boolean holds = holding.getOrDefault(branch.condition(), Set.of())
                                .contains(account);
                        step = holds ? branch.then() : branch.otherwise();
                    } else if (current instanceof JourneyDocument.SurveyStep survey) {
                        Paced paced = pace(document, pacing.configuredSender(), zone, at, sentTo, senderDays);
                        at = paced.at();
                        planned.add(new JourneyViews.Planned(
                                step,
                                "survey",
                                "Survey: " + survey.surveyName(),
                                at,
                                at.atZone(zone).toLocalDateTime().withNano(0) + " " + zone,
                                paced.waiting()));
                        emails++;
                        step++;
                    } else {
                        break;
                    }
                }
            }
            if (sample.size() < SAMPLE) {
                Account a = byId.get(account);
                sample.add(new JourneyViews.Contact(
                        contact.id().value(),
                        contact.name() == null ? "" : contact.name(),
                        contact.email(),
                        a == null ? "" : a.name(),
                        out,
                        off ? "the address is off customer mail" : exits,
                        planned));
            }
        }
        List<JourneyViews.StepCount> steps = new ArrayList<>();
        for (int i = 0; i < document.steps().size(); i++) {
            steps.add(new JourneyViews.StepCount(
                    i, document.steps().get(i).kind(), label(document.steps().get(i)), reaching[i]));
        }
        return new JourneyViews.DryRun(
                true,
                List.of(),
                document.trigger().describe(),
                triggered.size(),
                entering,
                held,
                offMail,
                alreadyIn,
                emails,
                steps,
                sample);
    }

    /** When a planned email goes, and what held it back. */
    private record Paced(Instant at, @Nullable String waiting) {}

    /**
     * The first time from {@code at} when the email may go as the engine would send it: inside the send window in the
     * contact's zone, under the frequency cap (counting what was sent and what the run plans), and within the sender's
     * daily limit (counting what was sent that day and what the run plans); then counted as planned.
     */
    private Paced pace(
            JourneyDocument document,
            String sender,
            java.time.ZoneId zone,
            Instant at,
            List<Instant> sentTo,
            Map<String, Map<Instant, Integer>> senderDays) {
        Set<String> waiting = new java.util.LinkedHashSet<>();
        Map<Instant, Integer> days = senderDays.computeIfAbsent(sender, s -> new HashMap<>());
        // Each move goes forward to an opening, a freed cap or a new day: a few rounds settle it.
        for (int round = 0; round < 400; round++) {
            Instant capFree = engine.capFree(sentTo, at);
            if (capFree != null && capFree.isAfter(at)) {
                at = capFree;
                waiting.add("frequency cap");
                continue;
            }
            Instant opens = document.sendWindow().nextOpening(at, zone);
            if (opens.isAfter(at)) {
                at = opens;
                waiting.add("send window");
                continue;
            }
            Instant day = pacing.dayStart(at);
            int sent = days.computeIfAbsent(day, d -> pacing.sentOn(sender, d));
            if (sent >= pacing.limit(sender)) {
                at = pacing.nextDay(at);
                waiting.add("sender's daily limit");
                continue;
            }
            break;
        }
        days.merge(pacing.dayStart(at), 1, Integer::sum);
        sentTo.add(at);
        return new Paced(at, waiting.isEmpty() ? null : String.join(", ", waiting));
    }

    static String label(JourneyDocument.Step step) {
        String id = step.id() == null ? "" : step.id() + ": ";
        if (step instanceof JourneyDocument.Email email) {
            return id + "email “" + email.subject() + "”";
        } else if (step instanceof JourneyDocument.Wait wait) {
            return id + "wait " + wait.days() + (wait.days() == 1 ? " day" : " days");
        } else if (step instanceof JourneyDocument.Branch branch) {
            return id + "branch on " + branch.condition();
        } else if (step instanceof JourneyDocument.SurveyStep survey) {
            return id + "survey " + survey.surveyName();
        }
        return id + "exit";
    }

    // ---- Preview and test send ----

    /**
     * An email step of the document rendered for a real contact (the first of the audience when none is named),
     * with a placeholder unsubscribe link.
     */
    @Transactional(readOnly = true)
    public JourneyViews.Preview preview(@Nullable String name, String yaml, int step, @Nullable UUID contactId) {
        JourneyDocuments.Check check = journeys.reader().read(yaml, name);
        if (!check.isValid()) {
            throw new InvalidInputException(check.problems().stream()
                    .map(p -> dev.steward.core.FieldError.of(p.field(), p.toString()))
                    .toList());
        }
        JourneyDocument document = check.document();
        if (step < 0
                || step >= document.steps().size()
                || !(document.steps().get(step) instanceof JourneyDocument.Email emailStep)) {
            throw new InvalidInputException("step", "step " + step + " is not an email step of the journey");
        }
        Contact contact;
        if (contactId != null) {
            contact = contacts.find(new ContactId(contactId))
                    .orElseThrow(() -> new InvalidInputException("contact", "no contact has the id " + contactId));
        } else {
            LocalDate today = LocalDate.now(clock);
            contact = engine.audience(document, engine.triggered(document, today), today).stream()
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException(
                            "contact", "nobody is in the journey's audience now: name a contact to preview with"));
        }
        Account account = accounts.find(contact.accountId()).orElse(null);
        User csm = account == null || account.ownerId() == null
                ? null
                : users.find(account.ownerId()).orElse(null);
        String email = contact.email() == null ? "" : contact.email();
        JourneyMail.Rendered rendered = mail.render(
                emailStep, JourneyMail.values(contact, email, account, csm, mail.unsubscribeLink("preview")));
        return new JourneyViews.Preview(email, rendered.subject(), rendered.text(), rendered.html());
    }

    /** Sends the preview to the signed-in person's own address through the outbox, marked as a test. */
    @Transactional
    public JourneyViews.Preview testSend(
            @Nullable String name, String yaml, int step, @Nullable UUID contactId, User me) {
        requireEditor(me, "test-send");
        JourneyViews.Preview preview = preview(name, yaml, step, contactId);
        ExternalEmail email = new ExternalEmail(
                me.email(),
                "[Test] " + preview.subject(),
                preview.text(),
                preview.html(),
                Map.of(),
                "outreach-test:" + dev.steward.core.Ids.newId());
        notifications.sendExternalEmails(List.of(email));
        return new JourneyViews.Preview(me.email(), email.subject(), preview.text(), preview.html());
    }

    // ---- Replies, unsubscribes, bounces ----

    /**
     * A reply from a contact: stops that contact's journeys (those with {@code stopOnReply}, the default), puts the
     * reply on the account's timeline, and gives the account's CSM a CTA to answer it. Matched first by the Message-ID
     * it answers ({@code In-Reply-To}, {@code References}) to the email and its contact, whoever sent the reply; else by
     * the sender's address to the contacts journeys mailed.
     */
    @Transactional
    public JourneyViews.ReplyHandled reply(JourneyViews.Reply reply) {
        String from = address(reply.from());
        if (from == null) {
            throw new InvalidInputException("from", "is required: the address the reply came from");
        }
        String subject = reply.subject() == null || reply.subject().isBlank()
                ? "(no subject)"
                : reply.subject().strip().replaceAll("[\\r\\n\\t]+", " ");
        if (subject.length() > 500) {
            subject = subject.substring(0, 499) + "…";
        }
        String text = reply.text() == null ? "" : reply.text().strip();
        String excerpt = text.length() > 1000 ? text.substring(0, 999) + "…" : text;
        Optional<EmailJourneys.Send> answered = matching.answered(reply);
        // The contact the reply is about: the one the answered email went to, else the sender.
        String address = answered.map(EmailJourneys.Send::email).orElse(from);
        List<EmailJourneys.Enrolment> enrolments = journeys.anyFor(address);
        if (enrolments.isEmpty()) {
            return new JourneyViews.ReplyHandled(from, false, 0, List.of(), List.of());
        }
        Instant now = clock.instant();
        answered.ifPresent(send -> journeys.mark(send.id(), "replied_at", now));
        Map<UUID, String> names = new HashMap<>();
        for (VersionedDocuments.Listed listed : journeys.documents().listed()) {
            names.put(listed.id(), listed.name());
        }
        JourneyDocuments reader = journeys.reader();
        int stopped = 0;
        Set<UUID> accountsReplying = new LinkedHashSet<>();
        Map<UUID, String> journeyOf = new LinkedHashMap<>();
        for (EmailJourneys.Enrolment enrolment : journeys.activeFor(address)) {
            if (answered.isEmpty()) {
                journeys.latestSend(enrolment.id()).ifPresent(send -> journeys.mark(send.id(), "replied_at", now));
            }
            boolean stops = journeys.version(enrolment.journey(), enrolment.version(), reader)
                    .map(a -> a.document().stopOnReply())
                    .orElse(true);
            if (stops) {
                journeys.move(enrolment.id(), enrolment.step(), "stopped", "replied", null, now);
                stopped++;
            }
            journeyOf.putIfAbsent(enrolment.account(), names.getOrDefault(enrolment.journey(), "an email journey"));
        }
        for (EmailJourneys.Enrolment enrolment : enrolments) {
            accountsReplying.add(enrolment.account());
            journeyOf.putIfAbsent(enrolment.account(), names.getOrDefault(enrolment.journey(), "an email journey"));
        }
        List<UUID> made = new ArrayList<>();
        for (UUID account : accountsReplying) {
            UUID contact = enrolments.stream()
                    .filter(e -> e.account().equals(account))
                    .findFirst()
                    .map(EmailJourneys.Enrolment::contact)
                    .orElse(null);
            journeys.event(
                    account,
                    contact,
                    null,
                    now,
                    "replied",
                    "Reply from " + from + (address.equals(from) ? "" : " (about " + address + ")") + ": " + subject,
                    excerpt);
            ctas.raise(
                            new AccountId(account),
                            "Answer the reply from " + from + ": " + subject,
                            from + " replied to " + journeyOf.get(account) + ": " + excerpt,
                            "Email journey")
                    .ifPresent(made::add);
        }
        return new JourneyViews.ReplyHandled(from, true, stopped, List.copyOf(accountsReplying), made);
    }

    /**
     * A reply read from the mailbox, handled once however often it is read: its key (Message-ID, or UIDVALIDITY and
     * UID) is recorded in the transaction that handles it. Empty when it was handled before.
     */
    @Transactional
    public Optional<JourneyViews.ReplyHandled> replyOnce(String messageKey, JourneyViews.Reply reply) {
        if (!tracking.firstHandling(messageKey, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(reply(reply));
    }

    /**
     * Unsubscribes the address an email's link was sent to: off customer mail (no survey nor journey email again) and
     * out of every journey now. The address, or empty when the link is not one Steward sent.
     */
    @Transactional
    public Optional<String> unsubscribe(String token) {
        Optional<EmailJourneys.Send> found = journeys.sendByToken(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        EmailJourneys.Send send = found.get();
        Instant now = clock.instant();
        journeys.mark(send.id(), "unsubscribed_at", now);
        surveys.unsubscribeAddress(send.email());
        boolean first = false;
        for (EmailJourneys.Enrolment enrolment : journeys.activeFor(send.email())) {
            journeys.move(enrolment.id(), enrolment.step(), "stopped", "unsubscribed", null, now);
            first = true;
        }
        if (first) {
            journeys.event(
                    send.account(),
                    send.contact(),
                    send.journey(),
                    now,
                    "unsubscribed",
                    "Unsubscribed from customer mail: " + send.email(),
                    "from an email journey's link");
        }
        return Optional.of(send.email());
    }

    /** An address the mail server refused: its journeys stop, and the email it refused counts as bounced. */
    @Transactional
    public void bounced(UUID delivery, String address, String reason) {
        Instant now = clock.instant();
        journeys.sendByDelivery(delivery).ifPresent(send -> journeys.mark(send.id(), "bounced_at", now));
        for (EmailJourneys.Enrolment enrolment : journeys.activeFor(address)) {
            journeys.move(enrolment.id(), enrolment.step(), "stopped", "bounced: " + reason, null, now);
            journeys.event(
                    enrolment.account(),
                    enrolment.contact(),
                    enrolment.journey(),
                    now,
                    "bounced",
                    "Email bounced: " + address,
                    reason);
        }
    }

    // ---- Results ----

    /**
     * Per journey and step: sent, delivered, bounced, replied, unsubscribed, surveys answered; entries by state; and
     * the goal's conversion now among the contacts mailed against the holdout.
     */
    @Transactional(readOnly = true)
    JourneyViews.Results results(String name) {
        UUID id = journeys.documents().id(name).orElseThrow(() -> new NotFoundException("journey", name));
        List<EmailJourneys.Enrolment> all = journeys.allEnrolments(id);
        List<EmailJourneys.Send> sends = journeys.sends(id);
        Map<UUID, EmailStatus> statuses = notifications.emailStatuses(sends.stream()
                .map(EmailJourneys.Send::delivery)
                .filter(d -> d != null)
                .toList());
        JourneyDocument document = null;
        List<DocumentVersion> history = journeys.documents().history(name);
        JourneyDocuments reader = journeys.reader();
        for (DocumentVersion v : history) {
            if (v.status() == DocumentVersion.Status.PUBLISHED) {
                document = reader.read(version(name, v.version()).yaml(), null).document();
            }
        }
        Map<Integer, List<EmailJourneys.Send>> byStep = new java.util.TreeMap<>();
        sends.forEach(
                s -> byStep.computeIfAbsent(s.step(), k -> new ArrayList<>()).add(s));
        List<JourneyViews.StepResult> steps = new ArrayList<>();
        int stepCount = document == null ? 0 : document.steps().size();
        Set<Integer> indexes = new java.util.TreeSet<>(byStep.keySet());
        for (int i = 0; i < stepCount; i++) {
            JourneyDocument.Step s = document.steps().get(i);
            if (s instanceof JourneyDocument.Email || s instanceof JourneyDocument.SurveyStep) {
                indexes.add(i);
            }
        }
        for (int index : indexes) {
            List<EmailJourneys.Send> at = byStep.getOrDefault(index, List.of());
            int delivered = 0;
            int bounced = 0;
            int answered = 0;
            int[] opened = new int[2];
            tracking.opens(at.stream().map(EmailJourneys.Send::id).toList())
                    .values()
                    .forEach(o -> {
                        opened[0] += o[0];
                        opened[1] += o[1];
                    });
            for (EmailJourneys.Send send : at) {
                EmailStatus status = send.delivery() == null ? null : statuses.get(send.delivery());
                if (send.bouncedAt() != null
                        || (status != null && status.status().equals("failed"))) {
                    bounced++;
                } else if (status != null && status.status().equals("sent")) {
                    delivered++;
                }
                if (send.survey() != null && surveys.answered(send.survey(), send.contact())) {
                    answered++;
                }
            }
            String kind = index < stepCount
                    ? document.steps().get(index).kind()
                    : at.get(0).kind();
            String label = index < stepCount
                    ? label(document.steps().get(index))
                    : at.get(0).subject();
            steps.add(new JourneyViews.StepResult(
                    index,
                    kind,
                    label,
                    (int) at.stream().filter(s -> s.delivery() != null).count(),
                    delivered,
                    bounced,
                    (int) at.stream().filter(s -> s.repliedAt() != null).count(),
                    (int) at.stream().filter(s -> s.unsubscribedAt() != null).count(),
                    answered,
                    opened[0],
                    opened[1]));
        }
        Map<String, Long> states =
                all.stream().collect(Collectors.groupingBy(EmailJourneys.Enrolment::state, Collectors.counting()));
        Set<UUID> mailedEnrolments = sends.stream()
                .filter(s -> s.delivery() != null)
                .map(EmailJourneys.Send::enrolment)
                .collect(Collectors.toSet());
        List<EmailJourneys.Enrolment> mailed =
                all.stream().filter(e -> mailedEnrolments.contains(e.id())).toList();
        List<EmailJourneys.Enrolment> holdout =
                all.stream().filter(e -> e.state().equals("held_out")).toList();
        JourneyViews.Conversion mailedConversion = null;
        JourneyViews.Conversion holdoutConversion = null;
        String goal = document == null ? null : document.goal();
        if (goal != null) {
            Set<UUID> accountIds = new HashSet<>();
            mailed.forEach(e -> accountIds.add(e.account()));
            holdout.forEach(e -> accountIds.add(e.account()));
            Set<UUID> converted = accountIds.isEmpty()
                    ? Set.of()
                    : conditions.holding(
                            conditions.declarations().compile(goal), goal, accountIds, LocalDate.now(clock));
            mailedConversion = JourneyViews.Conversion.of(mailed.size(), (int)
                    mailed.stream().filter(e -> converted.contains(e.account())).count());
            holdoutConversion = JourneyViews.Conversion.of(holdout.size(), (int) holdout.stream()
                    .filter(e -> converted.contains(e.account()))
                    .count());
        }
        return new JourneyViews.Results(
                name,
                all.size(),
                states.getOrDefault("active", 0L).intValue(),
                states.getOrDefault("finished", 0L).intValue(),
                states.getOrDefault("exited", 0L).intValue(),
                states.getOrDefault("stopped", 0L).intValue(),
                states.getOrDefault("held_out", 0L).intValue(),
                (int) all.stream().filter(e -> "replied".equals(e.reason())).count(),
                (int) all.stream()
                        .filter(e -> "unsubscribed".equals(e.reason()))
                        .count(),
                steps,
                goal,
                mailedConversion,
                holdoutConversion);
    }

    private void requireEditor(User user, String what) {
        if (!mayEdit(user)) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "Only ADMIN and MANAGER may " + what + " email journeys.");
        }
    }

    /** The address in {@code Name <address>} or a bare address, lower case; {@code null} when there is none. */
    static @Nullable String address(@Nullable String from) {
        if (from == null) {
            return null;
        }
        Matcher matcher = ADDRESS.matcher(from);
        return matcher.find() ? matcher.group().toLowerCase(java.util.Locale.ROOT) : null;
    }
}
