package dev.steward.survey;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SurveyResponse;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.Contact;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.ContactRole;
import dev.steward.health.SegmentMembershipLookup;
import dev.steward.notify.EmailStatus;
import dev.steward.notify.ExternalEmail;
import dev.steward.notify.Notifications;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * NPS surveys: made, sent to the eligible contacts of their audience (each once), answered through signed links
 * without signing in (the answer becomes a survey response of the account, which its health score reads), and
 * summed up in results. The public API a journey's survey step calls.
 */
@Service
public class SurveyManagement {

    public static final String DEFAULT_SUBJECT = "A quick question for you, {{contact}}";
    public static final String DEFAULT_QUESTION =
            "Based on {{account}}'s experience with us, how likely are you to recommend us to a friend or colleague?";
    static final int MAX_NAME = 200;
    static final int MAX_QUESTION = 500;
    static final int MAX_COMMENT = 5_000;

    /** The roles a survey may ask, by their names in the API. */
    static final Map<String, ContactRole> ROLES = Arrays.stream(ContactRole.values())
            .collect(Collectors.toMap(
                    role -> role.name().toLowerCase(Locale.ROOT),
                    Function.identity(),
                    (a, b) -> a,
                    java.util.LinkedHashMap::new));

    private final Surveys surveys;
    private final SurveyMail mail;
    private final SurveyTokens tokens;
    private final ContactManagement contacts;
    private final AccountManagement accounts;
    private final ActivityRecorder activity;
    private final Notifications notifications;
    private final ObjectProvider<SegmentMembershipLookup> segments;
    private final Clock clock;

    SurveyManagement(
            Surveys surveys,
            SurveyMail mail,
            SurveyTokens tokens,
            ContactManagement contacts,
            AccountManagement accounts,
            ActivityRecorder activity,
            Notifications notifications,
            ObjectProvider<SegmentMembershipLookup> segments,
            Clock clock) {
        this.surveys = surveys;
        this.mail = mail;
        this.tokens = tokens;
        this.contacts = contacts;
        this.accounts = accounts;
        this.activity = activity;
        this.notifications = notifications;
        this.segments = segments;
        this.clock = clock;
    }

    /** The published segments a survey may be sent to, by name. */
    public List<String> segmentNames() {
        SegmentMembershipLookup lookup = segments.getIfAvailable();
        return lookup == null
                ? List.of()
                : lookup.segments().stream()
                        .map(SegmentMembershipLookup.PublishedSegment::name)
                        .toList();
    }

    /** Checks and saves a survey, not sent yet. */
    @Transactional
    public Survey create(SurveyInput input, @Nullable UUID author) {
        List<FieldError> errors = new ArrayList<>();
        String name = input.name() == null ? "" : input.name().strip();
        if (name.isEmpty()) {
            errors.add(FieldError.of("name", "is required"));
        } else if (name.length() > MAX_NAME) {
            errors.add(FieldError.of("name", "is longer than " + MAX_NAME + " characters"));
        }
        String subject = blankToNull(input.subject()) == null ? DEFAULT_SUBJECT : oneLine(input.subject());
        if (subject.length() > MAX_NAME) {
            errors.add(FieldError.of("subject", "is longer than " + MAX_NAME + " characters"));
        }
        String question = blankToNull(input.question()) == null
                ? DEFAULT_QUESTION
                : input.question().strip();
        if (question.length() > MAX_QUESTION) {
            errors.add(FieldError.of("question", "is longer than " + MAX_QUESTION + " characters"));
        }
        String segment = blankToNull(input.segment());
        if (segment != null) {
            segment = segment.strip();
            List<String> known = segmentNames();
            if (!known.contains(segment)) {
                errors.add(FieldError.of(
                        "segment",
                        "no published segment is named '" + segment + "'"
                                + (known.isEmpty()
                                        ? " (none is published)"
                                        : "; published: " + String.join(", ", known))));
            }
        }
        Set<String> roles = new LinkedHashSet<>();
        List<String> given = input.roles() == null ? List.of() : input.roles();
        for (int i = 0; i < given.size(); i++) {
            String role = given.get(i) == null ? "" : given.get(i).strip().toLowerCase(Locale.ROOT);
            if (!ROLES.containsKey(role)) {
                errors.add(FieldError.of(
                        "roles[" + i + "]",
                        "'" + given.get(i) + "' is not a contact role; one of " + String.join(", ", ROLES.keySet())));
            } else {
                roles.add(role);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Survey survey = new Survey(
                Ids.newId(),
                name,
                subject,
                question,
                segment,
                List.copyOf(roles.isEmpty() ? ROLES.keySet() : roles),
                author,
                clock.instant(),
                null);
        surveys.insert(survey);
        return survey;
    }

    public List<Survey> list() {
        return surveys.all();
    }

    public Survey get(UUID id) {
        return surveys.find(id).orElseThrow(() -> new NotFoundException("survey", id));
    }

    /**
     * Emails the survey to every eligible contact of its audience who was not asked yet: contacts in its roles, with
     * an address that did not unsubscribe, who have not left, of the accounts in its segment now (every account
     * without one). Each contact (and each address) is asked once however often it is sent and however many
     * instances send it at once; the emails go through the outbox after commit. Sending again later asks those who
     * joined the audience since.
     */
    @Transactional
    public SurveySending send(UUID id) {
        Survey survey = surveys.lock(id).orElseThrow(() -> new NotFoundException("survey", id));
        Instant now = clock.instant();
        Collection<UUID> audience = null;
        if (survey.segment() != null) {
            SegmentMembershipLookup lookup = segments.getIfAvailable();
            audience = lookup == null
                    ? List.of()
                    : lookup.currentMembers(List.of(survey.segment())).keySet();
        }
        List<ContactRole> roles =
                survey.roles().stream().map(ROLES::get).filter(r -> r != null).toList();
        List<Contact> reachable = contacts.reachable(audience, roles, LocalDate.ofInstant(now, clock.getZone()));
        Set<String> unsubscribed = new HashSet<>(
                surveys.unsubscribed(reachable.stream().map(Contact::email).toList()));
        unsubscribed.addAll(
                surveys.optedOut(reachable.stream().map(Contact::email).toList()));
        Map<AccountId, String> names =
                accounts
                        .findAll(reachable.stream()
                                .map(Contact::accountId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Account::id, Account::name));
        int left = 0;
        int before = 0;
        List<ExternalEmail> emails = new ArrayList<>();
        Map<String, UUID> contactByKey = new HashMap<>();
        for (Contact contact : reachable) {
            if (unsubscribed.contains(Surveys.normal(contact.email()))) {
                left++;
                continue;
            }
            if (!surveys.invite(
                    survey.id(), contact.id().value(), contact.accountId().value(), contact.email(), now)) {
                before++;
                continue;
            }
            ExternalEmail email = mail.email(
                    survey,
                    contact.id().value(),
                    contact.name() == null ? "" : contact.name(),
                    contact.email(),
                    names.getOrDefault(contact.accountId(), "your company"));
            emails.add(email);
            contactByKey.put(email.key(), contact.id().value());
        }
        Map<String, UUID> queued = notifications.sendExternalEmails(emails);
        queued.forEach((key, delivery) -> surveys.setDelivery(survey.id(), contactByKey.get(key), delivery));
        surveys.markSent(survey.id(), now);
        return new SurveySending(queued.size(), before + (emails.size() - queued.size()), left);
    }

    /** What an answer page shows: the survey's question for this contact, and their answer so far. */
    public record Answer(
            String token,
            String question,
            String accountName,
            @Nullable Integer score,
            @Nullable String comment,
            int answers) {}

    /** The survey and answer a link is for; empty when the link is not one Steward signed, or its survey is gone. */
    @Transactional(readOnly = true)
    public Optional<Answer> open(String token) {
        return invitation(token).map(found -> answerOf(token, found));
    }

    /**
     * Records a score from a survey's link at once (the last answer wins: a second click changes it) and as a survey
     * response of the contact's account, which its NPS measure reads within seconds; empty when the link is not
     * valid.
     */
    @Transactional
    public Optional<Answer> answer(String token, int score) {
        if (!SurveyResponse.Kind.nps.allows(score)) {
            throw new InvalidInputException("score", "must be a whole number from 0 to 10, not " + score);
        }
        Optional<Surveys.Invitation> found = invitation(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Surveys.Invitation invitation = found.get();
        Instant now = clock.instant();
        surveys.answer(invitation.survey(), invitation.contact(), score, now);
        record(invitation, score, now, invitation.comment());
        return Optional.of(answerOf(
                token,
                surveys.invitation(invitation.survey(), invitation.contact()).orElseThrow()));
    }

    /**
     * Adds a comment to the answer given with this link (replacing an earlier one); empty when the link is not valid.
     * Refused when no score was given yet.
     */
    @Transactional
    public Optional<Answer> comment(String token, @Nullable String comment) {
        Optional<Surveys.Invitation> found = invitation(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Surveys.Invitation invitation = found.get();
        if (invitation.score() == null || invitation.answeredAt() == null) {
            throw new InvalidInputException("score", "choose a score from 0 to 10 before adding a comment");
        }
        String text = blankToNull(comment);
        if (text != null && text.strip().length() > MAX_COMMENT) {
            throw new InvalidInputException("comment", "is longer than " + MAX_COMMENT + " characters");
        }
        text = text == null ? null : text.strip();
        surveys.comment(invitation.survey(), invitation.contact(), text);
        record(invitation, invitation.score(), invitation.answeredAt(), text);
        return Optional.of(answerOf(
                token,
                surveys.invitation(invitation.survey(), invitation.contact()).orElseThrow()));
    }

    /**
     * Unsubscribes the address this link was sent to from all survey mail; the address, or empty when the link is not
     * valid. Doing it again changes nothing.
     */
    @Transactional
    public Optional<String> unsubscribe(String token) {
        return invitation(token).map(invitation -> {
            surveys.unsubscribe(invitation.email(), invitation.survey(), clock.instant());
            return invitation.email();
        });
    }

    /**
     * Emails the survey to one contact now (a journey's survey step), unless the contact has no address, was asked
     * this survey before, or the address is off customer mail; the outbox delivery, or empty when nothing was queued.
     * In the caller's transaction.
     */
    @Transactional
    public Optional<UUID> sendTo(UUID id, dev.steward.customer.ContactId contactId) {
        Survey survey = surveys.lock(id).orElseThrow(() -> new NotFoundException("survey", id));
        Optional<Contact> found = contacts.find(contactId);
        if (found.isEmpty()
                || found.get().email() == null
                || surveys.isUnsubscribed(found.get().email())
                || !surveys.optedOut(List.of(found.get().email())).isEmpty()) {
            return Optional.empty();
        }
        Contact contact = found.get();
        Instant now = clock.instant();
        if (!surveys.invite(
                survey.id(), contact.id().value(), contact.accountId().value(), contact.email(), now)) {
            return Optional.empty();
        }
        String accountName =
                accounts.find(contact.accountId()).map(Account::name).orElse("your company");
        ExternalEmail email = mail.email(
                survey,
                contact.id().value(),
                contact.name() == null ? "" : contact.name(),
                contact.email(),
                accountName);
        UUID delivery = notifications.sendExternalEmails(List.of(email)).get(email.key());
        if (delivery != null) {
            surveys.setDelivery(survey.id(), contact.id().value(), delivery);
        }
        return Optional.ofNullable(delivery);
    }

    /** Whether the contact answered the survey. */
    @Transactional(readOnly = true)
    public boolean answered(UUID survey, UUID contact) {
        return surveys.invitation(survey, contact)
                .map(invitation -> invitation.score() != null)
                .orElse(false);
    }

    /**
     * Takes an address off customer mail (from a journey email's unsubscribe link): neither surveys nor journeys mail
     * it again. Doing it again changes nothing.
     */
    @Transactional
    public void unsubscribeAddress(String email) {
        surveys.unsubscribe(email, null, clock.instant());
    }

    /**
     * Takes an address off customer mail because its owner reported a message as spam (a feedback-loop complaint):
     * neither surveys nor journeys mail it again; an earlier unsubscribe or bounce is kept as a complaint.
     */
    @Transactional
    public void complained(String email, String detail) {
        surveys.complained(email, detail, clock.instant());
    }

    /**
     * Puts an address that unsubscribed back on customer mail, as its owner chose on the preference page; an address
     * that bounced or complained stays off.
     */
    @Transactional
    public void resubscribeAddress(String email) {
        surveys.resubscribe(email);
    }

    /** Whether the address chose to get no surveys (on its preference page), while it may get other customer mail. */
    @Transactional(readOnly = true)
    public boolean surveysOff(String email) {
        return !surveys.optedOut(List.of(email)).isEmpty();
    }

    /** Switches surveys off (or on again) for an address, as chosen on its preference page. */
    @Transactional
    public void setSurveysOff(String email, boolean off) {
        surveys.optOut(email, off, clock.instant());
    }

    /** Whether an address unsubscribed from survey mail. */
    @Transactional(readOnly = true)
    public boolean unsubscribed(String email) {
        return surveys.isUnsubscribed(email);
    }

    /** How the survey went: sent, delivered, failed, answered, response rate and NPS, overall and by segment. */
    @Transactional(readOnly = true)
    public SurveyResults results(UUID id) {
        get(id);
        List<Surveys.Invitation> invitations = surveys.invitations(id);
        Map<UUID, EmailStatus> statuses = notifications.emailStatuses(invitations.stream()
                .map(Surveys.Invitation::delivery)
                .filter(d -> d != null)
                .toList());
        int delivered = 0;
        int failed = 0;
        for (EmailStatus status : statuses.values()) {
            if ("sent".equals(status.status())) {
                delivered++;
            } else if ("failed".equals(status.status())) {
                failed++;
            }
        }
        Map<String, List<Surveys.Invitation>> bySegment = bySegment(invitations);
        List<SurveyResults.BySegment> segmentResults = new ArrayList<>();
        bySegment.forEach((segment, members) -> {
            SurveyResults.Nps nps = nps(members);
            segmentResults.add(new SurveyResults.BySegment(
                    segment, members.size(), nps.answers(), SurveyResults.rate(nps.answers(), members.size()), nps));
        });
        SurveyResults.Nps nps = nps(invitations);
        return new SurveyResults(
                id,
                invitations.size(),
                delivered,
                failed,
                invitations.size() - delivered - failed,
                nps.answers(),
                SurveyResults.rate(nps.answers(), invitations.size()),
                nps,
                segmentResults);
    }

    /**
     * NPS and response rate per month the contacts were asked in ({@code by}: {@code month}, the only grouping there
     * is), overall and by segment; months in the application's time zone.
     */
    @Transactional(readOnly = true)
    public NpsOverTime overTime(UUID id, String by) {
        if (!"month".equals(by)) {
            throw new InvalidInputException("by", "is '" + by + "'; results over time are grouped by month");
        }
        get(id);
        List<Surveys.Invitation> invitations = surveys.invitations(id);
        java.util.List<java.time.YearMonth> span = NpsOverTime.span(invitations, clock.getZone());
        List<NpsOverTime.Segment> segmentMonths = new ArrayList<>();
        bySegment(invitations)
                .forEach((segment, members) -> segmentMonths.add(
                        new NpsOverTime.Segment(segment, NpsOverTime.months(members, span, clock.getZone()))));
        return new NpsOverTime(id, by, NpsOverTime.months(invitations, span, clock.getZone()), segmentMonths);
    }

    /** The invitations by the segments their accounts are in now (an account in several counts in each). */
    private Map<String, List<Surveys.Invitation>> bySegment(List<Surveys.Invitation> invitations) {
        Map<UUID, Set<String>> membership = Map.of();
        SegmentMembershipLookup lookup = segments.getIfAvailable();
        if (lookup != null && !invitations.isEmpty()) {
            membership = lookup.currentMembers(segmentNames());
        }
        Map<String, List<Surveys.Invitation>> bySegment = new TreeMap<>();
        for (Surveys.Invitation invitation : invitations) {
            Set<String> in = membership.getOrDefault(invitation.account(), Set.of());
            if (in.isEmpty()) {
                bySegment
                        .computeIfAbsent(SurveyResults.NO_SEGMENT, k -> new ArrayList<>())
                        .add(invitation);
            }
            for (String segment : in) {
                bySegment.computeIfAbsent(segment, k -> new ArrayList<>()).add(invitation);
            }
        }
        return bySegment;
    }

    /** The answers of a survey, for its page: each contact asked, with their address, account and answer. */
    @Transactional(readOnly = true)
    List<Surveys.Invitation> invitations(UUID id) {
        return surveys.invitations(id);
    }

    static SurveyResults.Nps nps(List<Surveys.Invitation> invitations) {
        int promoters = 0;
        int passives = 0;
        int detractors = 0;
        for (Surveys.Invitation invitation : invitations) {
            Integer score = invitation.score();
            if (score == null) {
                continue;
            }
            if (score >= 9) {
                promoters++;
            } else if (score >= 7) {
                passives++;
            } else {
                detractors++;
            }
        }
        return SurveyResults.Nps.of(promoters, passives, detractors);
    }

    private void record(Surveys.Invitation invitation, int score, Instant at, @Nullable String comment) {
        activity.recordSurveyResponse(
                new AccountId(invitation.account()),
                new SurveyResponseInput(
                        "steward-survey:" + invitation.survey() + ":" + invitation.contact(),
                        null,
                        null,
                        at,
                        SurveyResponse.Kind.nps,
                        score,
                        comment,
                        invitation.email()));
    }

    private Optional<Surveys.Invitation> invitation(String token) {
        return tokens.read(token).flatMap(invitee -> surveys.invitation(invitee.survey(), invitee.contact()));
    }

    private Answer answerOf(String token, Surveys.Invitation invitation) {
        Survey survey = get(invitation.survey());
        String accountName = accounts.find(new AccountId(invitation.account()))
                .map(Account::name)
                .orElse("your company");
        String contactName = contacts.find(new dev.steward.customer.ContactId(invitation.contact()))
                .map(Contact::name)
                .orElse("");
        return new Answer(
                token,
                SurveyMail.merge(survey.question(), accountName, contactName == null ? "" : contactName),
                accountName,
                invitation.score(),
                invitation.comment(),
                invitation.answers());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String oneLine(String value) {
        return value.strip().replaceAll("[\\r\\n\\t]+", " ");
    }
}
