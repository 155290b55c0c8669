package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.StewardTest;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@StewardTest
class StoredScoresTests {

    @Autowired
    HealthScoring scoring;

    @Autowired
    AccountManagement accounts;

    /**
     * PgJDBC switches a statement to binary results after it has run five times, and then writes arrays as text with
     * each element quoted: the sixth read of a score must still see its raw values.
     */
    @Test
    void aScoreReadsTheSameTheTenthTimeAsTheFirst() {
        UUID account = accounts.create(new AccountInput(
                        null, "Read Often Co", null, null, "SMB", null, null, null, null, null, null, null, null))
                .id()
                .value();
        scoring.rescoreAll(scoring.today());
        AccountHealth first = scoring.current(account).orElseThrow();
        for (int i = 0; i < 9; i++) {
            assertThat(scoring.current(account).orElseThrow()).isEqualTo(first);
        }
    }
}
