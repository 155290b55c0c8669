package dev.steward.outreach;

import dev.steward.core.InvalidInputException;
import dev.steward.survey.SurveyManagement;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Complaints: a contact's mail program or provider reported one of our emails as spam (a feedback-loop report, posted
 * to the complaints webhook or arriving as an ARF message, RFC 5965, in the reply mailbox). The address goes on the
 * list of addresses off customer mail with the reason {@code complaint}, its journeys stop, and each account it
 * belongs to shows the complaint on its timeline.
 */
@Service
class Complaints {

    private final EmailJourneys journeys;
    private final SurveyManagement surveys;
    private final Clock clock;

    Complaints(EmailJourneys journeys, SurveyManagement surveys, Clock clock) {
        this.journeys = journeys;
        this.surveys = surveys;
        this.clock = clock;
    }

    /** A complaint as a feedback-loop service reports it. */
    record Complaint(
            @Nullable String email,
            @Nullable String feedbackType,
            @Nullable String source,
            @Nullable String subject) {}

    /** What a complaint did: the address, now off customer mail, the journeys stopped and the accounts told. */
    record Handled(String email, boolean suppressed, int stopped, List<UUID> accounts) {}

    @Transactional
    Handled complain(Complaint complaint) {
        String email = JourneyManagement.address(complaint.email());
        if (email == null) {
            throw new InvalidInputException("email", "is required: the address that complained");
        }
        String type =
                complaint.feedbackType() == null || complaint.feedbackType().isBlank()
                        ? "abuse"
                        : clip(complaint.feedbackType().strip(), 50);
        String source = complaint.source() == null || complaint.source().isBlank()
                ? "a feedback loop"
                : clip(complaint.source().strip(), 200);
        String detail = type + " report from " + source
                + (complaint.subject() == null || complaint.subject().isBlank()
                        ? ""
                        : " about \"" + clip(complaint.subject().strip(), 200) + "\"");
        Instant now = clock.instant();
        surveys.complained(email, detail);
        int stopped = 0;
        for (EmailJourneys.Enrolment enrolment : journeys.activeFor(email)) {
            journeys.move(enrolment.id(), enrolment.step(), "stopped", "complaint: " + detail, null, now);
            stopped++;
        }
        Set<UUID> accounts = new LinkedHashSet<>();
        for (EmailJourneys.Enrolment enrolment : journeys.anyFor(email)) {
            if (accounts.add(enrolment.account())) {
                journeys.event(
                        enrolment.account(),
                        enrolment.contact(),
                        enrolment.journey(),
                        now,
                        "complaint",
                        "Marked our email as spam: " + email,
                        detail + "; no more customer mail goes to the address");
            }
        }
        return new Handled(email, true, stopped, List.copyOf(accounts));
    }

    private static String clip(String text, int length) {
        String line = text.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > length ? line.substring(0, length - 1) + "…" : line;
    }
}
