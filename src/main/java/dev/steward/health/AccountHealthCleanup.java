package dev.steward.health;

import dev.steward.customer.AccountDeleted;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes a deleted account's scores, overrides and score disagreements; the event publication registry retries this if it fails. */
@Component
class AccountHealthCleanup {

    private final HealthScores scores;
    private final ScoreDisagreements disagreements;

    AccountHealthCleanup(HealthScores scores, ScoreDisagreements disagreements) {
        this.scores = scores;
        this.disagreements = disagreements;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        scores.deleteAccount(deleted.account().value());
        disagreements.deleteAccount(deleted.account().value());
    }
}
