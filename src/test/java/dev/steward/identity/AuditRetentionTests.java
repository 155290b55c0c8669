package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.MovableClock;
import dev.steward.core.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Retention of the audit trail on a database of its own (migrated, no application): old entries go behind an anchor
 * entry, the rest still verifies, and removals without an anchor — or past it — are refused or show as a break.
 */
class AuditRetentionTests {

    private final MovableClock clock = new MovableClock();
    private JdbcClient jdbc;
    private AuditTrail trail;

    @BeforeEach
    void database() throws Exception {
        SimpleDriverDataSource data = new SimpleDriverDataSource(
                new org.postgresql.Driver(),
                TestDatabase.createMigratedDatabase(),
                TestDatabase.username(),
                TestDatabase.password());
        jdbc = JdbcClient.create(data);
        trail = new AuditTrail(jdbc, new DataSourceTransactionManager(data), clock);
    }

    @Test
    void entriesOlderThanTheCutoffGoBehindAnAnchorAndTheRestStillVerifies() {
        for (int i = 0; i < 3; i++) {
            write("/api/v1/accounts/old-" + i);
        }
        clock.advance(Duration.ofDays(10));
        Instant cutoff = clock.instant().minus(Duration.ofDays(5));
        write("/api/v1/accounts/new-1");
        write("/api/v1/accounts/new-2");
        String hashOfThird = jdbc.sql("select hash from audit_entry where seq = 3")
                .query(String.class)
                .single();

        AuditTrail.Entry anchor = trail.retain(cutoff);

        assertThat(anchor).isNotNull();
        assertThat(anchor.seq()).isEqualTo(6);
        assertThat(anchor.actor()).isEqualTo("steward");
        assertThat(anchor.actorKind()).isEqualTo("job");
        assertThat(anchor.action()).isEqualTo("RETAIN");
        assertThat(anchor.detail())
                .contains("\"removedFrom\":1")
                .contains("\"removedThrough\":3")
                .contains("\"hashThrough\":\"" + hashOfThird + "\"");
        assertThat(seqs()).containsExactly(4L, 5L, 6L);
        AuditTrail.Verification verification = trail.verify();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.checked()).isEqualTo(3);

        // Nothing older is left: a second retention removes nothing and writes no anchor.
        assertThat(trail.retain(cutoff)).isNull();
        assertThat(seqs()).containsExactly(4L, 5L, 6L);

        // Later, the anchor itself grows old: a new anchor takes over.
        clock.advance(Duration.ofDays(10));
        write("/api/v1/accounts/newest");
        assertThat(trail.retain(clock.instant().minus(Duration.ofDays(1)))).isNotNull();
        assertThat(seqs()).containsExactly(7L, 8L);
        assertThat(trail.verify().intact()).isTrue();
    }

    @Test
    void removingEntriesWithoutTheRetentionJobIsRefusedAndARemovalPastTheAnchorShowsAsABreak() {
        write("/api/v1/accounts/a");
        write("/api/v1/accounts/b");
        write("/api/v1/accounts/c");
        assertThatThrownBy(
                        () -> jdbc.sql("delete from audit_entry where seq = 1").update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("truncate audit_entry").update()).hasMessageContaining("append-only");

        // Someone who drops the triggers and removes the oldest entries is found out: no anchor accounts for them.
        jdbc.sql("alter table audit_entry disable trigger audit_entry_no_change")
                .update();
        jdbc.sql("delete from audit_entry where seq <= 2").update();
        jdbc.sql("alter table audit_entry enable trigger audit_entry_no_change").update();
        AuditTrail.Verification verification = trail.verify();
        assertThat(verification.intact()).isFalse();
        assertThat(verification.brokenAt()).isEqualTo(3);
        assertThat(verification.reason())
                .isEqualTo("entries 1 to 2 are missing, and no retention entry on the trail removed them");
    }

    @Test
    void theNewestEntryIsNeverRemoved() {
        write("/api/v1/accounts/only");
        clock.advance(Duration.ofDays(30));
        assertThat(trail.retain(clock.instant())).isNull();
        assertThat(seqs()).containsExactly(1L);
    }

    private void write(String target) {
        trail.record("someone@example.com", "user", "192.0.2.1", "POST", target, 201, "{}");
    }

    private List<Long> seqs() {
        return jdbc.sql("select seq from audit_entry order by seq")
                .query(Long.class)
                .list();
    }
}
