package dev.steward.survey;

import dev.steward.customer.AccountDeleted;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes a deleted account's survey invitations and answers; the event publication registry retries this if it fails. */
@Component
class AccountSurveyCleanup {

    private final Surveys surveys;

    AccountSurveyCleanup(Surveys surveys) {
        this.surveys = surveys;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        surveys.removeAccount(deleted.account().value());
    }
}
