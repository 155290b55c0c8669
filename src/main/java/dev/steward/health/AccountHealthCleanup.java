package dev.steward.health;

import dev.steward.customer.AccountDeleted;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes a deleted account's scores and overrides; the event publication registry retries this if it fails. */
@Component
class AccountHealthCleanup {

    private final HealthScores scores;

    AccountHealthCleanup(HealthScores scores) {
        this.scores = scores;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        scores.deleteAccount(deleted.account().value());
    }
}
