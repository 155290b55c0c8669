package dev.steward.playbook;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A playbook as read from its YAML: what fires it, which accounts it applies to ({@code when}, a CEL condition, or
 * {@code null} for all), the CTA it makes and its tasks, how often it may fire for one account, and the share of
 * triggered accounts held back as a control group.
 */
record PlaybookDocument(
        String name,
        String description,
        Trigger trigger,
        String when,
        Template cta,
        List<Task> tasks,
        int cooldownDays,
        int controlPercent) {

    PlaybookDocument {
        tasks = List.copyOf(tasks);
    }

    /** What fires a playbook. */
    enum TriggerType {
        /** The account's health turned a color ({@code color}), from any other. */
        HEALTH_COLOR,
        /** The account's renewal is {@code days} days away or nearer: once per renewal date. */
        RENEWAL,
        /** The account entered the journey stage {@code stage}. */
        STAGE_ENTERED,
        /** The account has been in the stage {@code stage} for {@code days} days or more: once per stay. */
        DAYS_IN_STAGE,
        /** The account entered the segment {@code segment}. */
        SEGMENT_ENTERED,
        /** The account left the segment {@code segment}. */
        SEGMENT_LEFT,
        /** The CEL condition {@code condition} holds when accounts are evaluated (daily and on each new score). */
        CONDITION,
        /** Every {@code every} (month or quarter), once per account per period. */
        SCHEDULE,
        /**
         * An NPS response in the band {@code score} (detractor 0–6, passive 7–8, promoter 9–10): once per response.
         */
        NPS,
        /** A ticket of the account is escalated: once per ticket. */
        TICKET_ESCALATED,
        /** {@code count} or more tickets were opened within {@code days} days: once a day at most. */
        TICKETS,
        /** A contact in the role {@code role} (champion or executive sponsor) left: once per contact and day left. */
        CONTACT_LEFT,
        /** An invoice is still unpaid {@code days} days after its due day: once per due day. */
        INVOICE_OVERDUE,
        /** No meeting with the account in the last {@code days} days: once per last meeting (or none). */
        NO_MEETING,
        /**
         * The account's score is {@code points} or more below its score {@code days} days before (its latest stored
         * score on or before that day): after each new score of the account and daily; once a day at most.
         */
        SCORE_DROP;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the daily evaluation looks for it (the others come from events as they happen). */
        boolean isTimeBased() {
            return this == RENEWAL
                    || this == DAYS_IN_STAGE
                    || this == CONDITION
                    || this == SCHEDULE
                    || this == INVOICE_OVERDUE
                    || this == NO_MEETING
                    || this == SCORE_DROP;
        }

        /**
         * Whether it follows accounts' tickets, survey responses and contacts as they change (see
         * {@link ActivityTriggers}).
         */
        boolean followsActivity() {
            return this == NPS || this == TICKET_ESCALATED || this == TICKETS || this == CONTACT_LEFT;
        }
    }

    /** A trigger with the settings its type reads; the others are {@code null}. */
    record Trigger(
            TriggerType type,
            String color,
            Integer days,
            String stage,
            String segment,
            String condition,
            String every,
            Integer count,
            String score,
            String role,
            Integer points) {}

    /** The CTA's type, title ({@code {account}} is replaced by the account's name), priority, SLA and owner. */
    record Template(CtaType type, String title, String priority, BigDecimal raiseAboveArr, int slaDays, String owner) {

        boolean isAutomaticPriority() {
            return "auto".equals(priority);
        }
    }

    /** One step, due {@code dueDays} business days after the CTA is made, for a role. */
    record Task(String title, int dueDays, String assignee) {}
}
