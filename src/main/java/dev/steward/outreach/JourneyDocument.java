package dev.steward.outreach;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An email journey as read from its YAML: who it is for, what enrols a contact, the steps each enrolled contact goes
 * through in order, when a contact leaves early, what the journey aims at, and the share held out to measure it; the
 * kind of mail it is ({@code category}, which a contact may switch off on the preference page), when in the contact's
 * day it may send, and its sender ({@code from}, {@code null} for the configured one).
 */
record JourneyDocument(
        String name,
        String description,
        Audience audience,
        Trigger trigger,
        List<Step> steps,
        @Nullable String exitWhen,
        @Nullable String goal,
        int holdoutPercent,
        boolean stopOnReply,
        @Nullable String category,
        SendWindow sendWindow,
        @Nullable String from) {

    /**
     * The accounts (a published segment, or every account when {@code segment} is null; of those, the ones a CEL
     * {@code condition} over the account holds for, when there is one) and their contacts' roles.
     */
    record Audience(
            @Nullable String segment,
            List<String> roles,
            @Nullable String condition) {

        Audience(@Nullable String segment, List<String> roles) {
            this(segment, roles, null);
        }
    }

    /** What enrols an account's contacts. */
    enum TriggerType {
        SEGMENT_ENTERED,
        STAGE_ENTERED,
        RENEWAL,
        MEASURE_CROSSED,
        PRODUCT_EVENT;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A trigger: a segment entered, a lifecycle stage entered, {@code days} before the account's renewal date, a
     * measure (a scorecard measure or a usage metric) crossing {@code value} ({@code crosses} above or below), or a
     * product event done ({@code did}) or not done within {@code days} days.
     */
    record Trigger(
            TriggerType type,
            @Nullable String segment,
            @Nullable String stage,
            @Nullable Integer days,
            @Nullable Crossing crossing) {

        Trigger(TriggerType type, @Nullable String segment, @Nullable String stage, @Nullable Integer days) {
            this(type, segment, stage, days, null);
        }

        String describe() {
            return switch (type) {
                case SEGMENT_ENTERED -> "entered segment " + segment;
                case STAGE_ENTERED -> "entered stage " + stage;
                case RENEWAL -> days + " days before renewal";
                case MEASURE_CROSSED, PRODUCT_EVENT -> crossing.describe();
            };
        }
    }

    /**
     * What a measure or event trigger watches per account: {@code key} (a scorecard measure's name or a usage metric's
     * key) past {@code value} on the side {@code below} says, or, for an event ({@code within} days set), whether the
     * account did it ({@code did}) within that many days. {@code metric} says whether the key is a usage metric.
     */
    record Crossing(
            String key,
            boolean metric,
            boolean below,
            double value,
            @Nullable Integer within,
            boolean did) {

        boolean isEvent() {
            return within != null;
        }

        String describe() {
            return isEvent()
                    ? (did ? "did " : "did not do ") + key + " within " + within + " days"
                    : key + " crosses " + (below ? "below " : "above ") + JourneyDocuments.number(value);
        }
    }

    /** One step of the journey; {@code id} names it for branches, {@code null} when the document gives none. */
    sealed interface Step permits Email, Wait, Branch, SurveyStep, Exit {

        @Nullable
        String id();

        String kind();
    }

    /** Sends an email: subject, plain text and an optional HTML part, with merge fields. */
    record Email(
            @Nullable String id,
            String subject,
            String text,
            @Nullable String html) implements Step {

        @Override
        public String kind() {
            return "email";
        }
    }

    /** Waits whole days before the next step. */
    record Wait(@Nullable String id, int days) implements Step {

        @Override
        public String kind() {
            return "wait";
        }
    }

    /**
     * Goes on at {@code then} when the condition holds, else at {@code otherwise} (step indexes; the number of steps
     * is the end). The condition is {@code replied}, {@code answered} (the journey's last survey) or CEL over the
     * account.
     */
    record Branch(@Nullable String id, String condition, int then, int otherwise) implements Step {

        static final String REPLIED = "replied";
        static final String ANSWERED = "answered";
        static final String OPENED = "opened";
        static final String CLICKED = "clicked";

        /** Whether the condition reads what the contact did with the journey's mail rather than the account. */
        boolean readsMail() {
            return List.of(REPLIED, ANSWERED, OPENED, CLICKED).contains(condition);
        }

        @Override
        public String kind() {
            return "branch";
        }
    }

    /** Sends an existing survey to the contact. */
    record SurveyStep(@Nullable String id, UUID survey, String surveyName) implements Step {

        @Override
        public String kind() {
            return "survey";
        }
    }

    /** Ends the contact's journey here. */
    record Exit(@Nullable String id) implements Step {

        @Override
        public String kind() {
            return "exit";
        }
    }
}
