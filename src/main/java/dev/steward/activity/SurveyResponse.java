package dev.steward.activity;

import dev.steward.customer.AccountId;
import java.time.Instant;
import java.util.UUID;

/** One person's answer to an NPS or CSAT survey. */
public record SurveyResponse(
        UUID id,
        AccountId accountId,
        String source,
        String externalId,
        Instant respondedAt,
        Kind kind,
        int score,
        String comment,
        String respondentEmail) {

    /** The survey's scale: NPS 0–10 or CSAT 1–5. */
    public enum Kind {
        nps(0, 10),
        csat(1, 5);

        private final int lowest;
        private final int highest;

        Kind(int lowest, int highest) {
            this.lowest = lowest;
            this.highest = highest;
        }

        public boolean allows(int score) {
            return score >= lowest && score <= highest;
        }

        public String range() {
            return lowest + " to " + highest;
        }
    }
}
