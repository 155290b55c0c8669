package dev.steward.survey;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a survey went: contacts emailed ({@code sent}), how their emails are doing ({@code delivered} by the SMTP
 * server, {@code failed} for good, {@code pending} still to go or retried), how many answered, the response rate
 * (answers ÷ sent, null before anything was sent) and the NPS, overall and by the segments the accounts are in now.
 */
public record SurveyResults(
        UUID survey,
        int sent,
        int delivered,
        int failed,
        int pending,
        int responses,
        @Nullable Double responseRate,
        Nps nps,
        List<BySegment> bySegment) {

    /** The segment of accounts in no segment. */
    public static final String NO_SEGMENT = "(in no segment)";

    /**
     * Net Promoter Score: the percentage of promoters (9–10) minus that of detractors (0–6), from −100 to 100; null
     * ("no data") when nobody answered.
     */
    public record Nps(
            int promoters,
            int passives,
            int detractors,
            @Nullable Integer score) {

        static Nps of(int promoters, int passives, int detractors) {
            int answers = promoters + passives + detractors;
            return new Nps(
                    promoters,
                    passives,
                    detractors,
                    answers == 0 ? null : (int) Math.round(100.0 * (promoters - detractors) / answers));
        }

        public int answers() {
            return promoters + passives + detractors;
        }
    }

    /** The figures of the contacts of one segment's accounts. */
    public record BySegment(
            String segment,
            int sent,
            int responses,
            @Nullable Double responseRate,
            Nps nps) {}

    static @Nullable Double rate(int responses, int sent) {
        return sent == 0 ? null : Math.round(1000.0 * responses / sent) / 1000.0;
    }
}
