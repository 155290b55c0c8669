package dev.steward.outreach;

import dev.steward.core.DocumentVersion;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What the journeys' API and pages answer. */
final class JourneyViews {

    private JourneyViews() {}

    /** Whether a document is valid, and every problem with line, column, field and reason. */
    record Validation(boolean valid, List<JourneyProblem> problems) implements Serializable {}

    /** A journey in the list. */
    record Summary(
            String name,
            String description,
            String trigger,
            @Nullable Integer published,
            int newest,
            boolean on,
            long active,
            long entered) {}

    /**
     * One email a dry run plans: the step, what it sends and when (also in the contact's time zone), and what holds it
     * back from going earlier (send window, frequency cap, sender's daily limit), if anything.
     */
    record Planned(
            int step,
            String kind,
            String subject,
            Instant at,
            String local,
            @Nullable String waiting) implements Serializable {}

    /** One contact a dry run enrols, with what they would get. */
    record Contact(
            UUID contact,
            String name,
            String email,
            String account,
            boolean heldOut,
            @Nullable String exits,
            List<Planned> planned)
            implements Serializable {}

    /** How many contacts would reach a step. */
    record StepCount(int step, String kind, String label, int contacts) implements Serializable {}

    /** What a document would do now on current data, without sending anything. */
    record DryRun(
            boolean valid,
            List<JourneyProblem> problems,
            @Nullable String trigger,
            int accounts,
            int entering,
            int heldOut,
            int offMail,
            int alreadyIn,
            int emails,
            List<StepCount> steps,
            List<Contact> sample)
            implements Serializable {}

    /** What happened at one step. */
    record StepResult(
            int step,
            String kind,
            String label,
            int sent,
            int delivered,
            int bounced,
            int replied,
            int unsubscribed,
            int surveysAnswered,
            int opened,
            int clicked) {}

    /** The goal's conversion for one group: contacts, those whose account meets the goal now, and the rate. */
    record Conversion(int contacts, int converted, @Nullable Double rate) {

        static Conversion of(int contacts, int converted) {
            return new Conversion(
                    contacts, converted, contacts == 0 ? null : Math.round(converted * 1000.0 / contacts) / 1000.0);
        }
    }

    /** A journey's results: entries by state, per step, and goal conversion of the mailed against the holdout. */
    record Results(
            String name,
            int entered,
            int active,
            int finished,
            int exited,
            int stopped,
            int heldOut,
            int replied,
            int unsubscribed,
            List<StepResult> steps,
            @Nullable String goal,
            @Nullable Conversion mailed,
            @Nullable Conversion holdout) {}

    /** A contact's way through a journey, for its page. */
    record Enrolled(
            UUID contact,
            UUID account,
            String email,
            int version,
            int step,
            String state,
            @Nullable String reason,
            Instant enteredAt,
            @Nullable Instant nextDueAt) {}

    /** An email step rendered for a contact. */
    record Preview(
            String to,
            String subject,
            String text,
            @Nullable String html) implements Serializable {}

    /**
     * A reply as the webhook receives it; {@code inReplyTo} and {@code references} are its headers of those names (the
     * Message-IDs it answers).
     */
    record Reply(
            @Nullable String from,
            @Nullable String subject,
            @Nullable String inReplyTo,
            @Nullable String text,
            @Nullable String references) {

        Reply(@Nullable String from, @Nullable String subject, @Nullable String inReplyTo, @Nullable String text) {
            this(from, subject, inReplyTo, text, null);
        }
    }

    /** What a reply did: the contacts it matched, the journeys it stopped, the CTAs it raised. */
    record ReplyHandled(String from, boolean matched, int stopped, List<UUID> accounts, List<UUID> ctas) {}

    /** A version saved or published, for pages carrying it over a redirect. */
    record Saved(DocumentVersion version) implements Serializable {}
}
