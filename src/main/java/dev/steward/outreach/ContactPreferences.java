package dev.steward.outreach;

import dev.steward.survey.SurveyManagement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a contact chooses on the preference page their emails link to: which kinds of journey mail (the categories of
 * the journeys in force) and whether surveys, or no customer mail at all. The link's token is the proof (the random
 * capability of one email Steward sent, as for unsubscribing); every change goes on the account's timeline.
 */
@Service
class ContactPreferences {

    private final EmailJourneys journeys;
    private final MailPreferences preferences;
    private final SurveyManagement surveys;
    private final Clock clock;

    ContactPreferences(EmailJourneys journeys, MailPreferences preferences, SurveyManagement surveys, Clock clock) {
        this.journeys = journeys;
        this.preferences = preferences;
        this.surveys = surveys;
        this.clock = clock;
    }

    /** One kind of mail and whether the address gets it. */
    record Kind(String name, boolean on) {}

    /** The page: the address, its kinds of journey mail, surveys, and whether it is off customer mail altogether. */
    record Choices(String email, List<Kind> categories, boolean surveys, boolean offAll) {}

    /** The choices of the address a link was sent to; empty when the link is not one Steward sent. */
    @Transactional(readOnly = true)
    Optional<Choices> choices(String token) {
        return send(token).map(send -> choicesOf(send.email()));
    }

    /**
     * Keeps the categories listed in {@code on} (every other one off), surveys on or off, and customer mail on or off
     * altogether; the choices now, or empty when the link is not one Steward sent.
     */
    @Transactional
    Optional<Choices> choose(String token, Collection<String> on, boolean surveysOn, boolean allOn) {
        Optional<EmailJourneys.Send> found = send(token);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        EmailJourneys.Send send = found.get();
        String email = send.email();
        Choices before = choicesOf(email);
        Instant now = clock.instant();
        List<String> changes = new ArrayList<>();
        Set<String> off = new TreeSet<>(preferences.categoriesOff(email));
        for (Kind kind : before.categories()) {
            boolean wanted = on.contains(kind.name());
            if (wanted != kind.on()) {
                changes.add(kind.name() + (wanted ? " on" : " off"));
            }
            if (wanted) {
                off.remove(kind.name());
            } else {
                off.add(kind.name());
            }
        }
        preferences.setCategoriesOff(email, off, now);
        if (surveysOn != before.surveys()) {
            surveys.setSurveysOff(email, !surveysOn);
            changes.add("surveys" + (surveysOn ? " on" : " off"));
        }
        if (allOn != !before.offAll()) {
            if (allOn) {
                surveys.resubscribeAddress(email);
                if (!surveys.unsubscribed(email)) {
                    changes.add("all customer mail on");
                }
            } else {
                surveys.unsubscribeAddress(email);
                for (EmailJourneys.Enrolment enrolment : journeys.activeFor(email)) {
                    journeys.move(enrolment.id(), enrolment.step(), "stopped", "unsubscribed", null, now);
                }
                journeys.mark(send.id(), "unsubscribed_at", now);
                changes.add("all customer mail off");
            }
        }
        if (!changes.isEmpty()) {
            journeys.event(
                    send.account(),
                    send.contact(),
                    send.journey(),
                    now,
                    "preferences",
                    "Mail preferences changed: " + email,
                    String.join(", ", changes) + " (on the preference page)");
        }
        return Optional.of(choicesOf(email));
    }

    private Optional<EmailJourneys.Send> send(String token) {
        return token.length() > 100 ? Optional.empty() : journeys.sendByToken(token);
    }

    private Choices choicesOf(String email) {
        Set<String> off = preferences.categoriesOff(email);
        Set<String> names = new TreeSet<>(off);
        for (EmailJourneys.Active journey : journeys.active()) {
            if (journey.document().category() != null) {
                names.add(journey.document().category());
            }
        }
        List<Kind> kinds =
                names.stream().map(name -> new Kind(name, !off.contains(name))).toList();
        return new Choices(email, kinds, !surveys.surveysOff(email), surveys.unsubscribed(email));
    }
}
