package dev.steward.lifecycle;

import dev.steward.core.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** The onboarding milestones accounts have completed, by milestone key. */
@Repository
class AccountMilestones {

    private final JdbcClient jdbc;

    AccountMilestones(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A completed milestone: on which day, by whom, with what note. */
    record Completion(LocalDate on, String by, String note) {}

    /** The milestones each of these accounts has completed; accounts with none are left out. */
    Map<UUID, Map<String, Completion>> completed(Collection<UUID> accounts) {
        Map<UUID, Map<String, Completion>> completed = new HashMap<>();
        jdbc.sql("""
                        select account_id, milestone, completed_on, completed_by, note from account_milestone
                         where account_id = any(?)""").param(new SqlArrayValue("uuid", accounts.toArray())).query(rs -> {
            completed
                    .computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                    .put(
                            rs.getString(2),
                            new Completion(rs.getObject(3, LocalDate.class), rs.getString(4), rs.getString(5)));
        });
        return completed;
    }

    void complete(UUID account, String milestone, Completion completion, Instant at) {
        jdbc.sql("""
                        insert into account_milestone (account_id, milestone, completed_on, completed_by, note, recorded_at)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (account_id, milestone) do update
                           set completed_on = excluded.completed_on, completed_by = excluded.completed_by,
                               note = excluded.note, recorded_at = excluded.recorded_at""")
                .params(account, milestone, completion.on(), completion.by(), completion.note(), Timestamp.from(at))
                .update();
    }

    /** Records many completions in one statement, by one person; a milestone completed before is replaced. */
    void completeAll(List<LifecycleManagement.ImportedCompletion> completions, String by, Instant at) {
        if (completions.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        insert into account_milestone (account_id, milestone, completed_on, completed_by, note, recorded_at)
                        select c.account_id, c.milestone, c.completed_on, :by, c.note, :at
                          from unnest(:accounts, :milestones, :days, :notes) as c(account_id, milestone, completed_on, note)
                        on conflict (account_id, milestone) do update
                           set completed_on = excluded.completed_on, completed_by = excluded.completed_by,
                               note = excluded.note, recorded_at = excluded.recorded_at""")
                .param("by", by)
                .param("at", Timestamp.from(at))
                .param(
                        "accounts",
                        SqlArrays.column("uuid", completions, LifecycleManagement.ImportedCompletion::account))
                .param(
                        "milestones",
                        SqlArrays.column("text", completions, LifecycleManagement.ImportedCompletion::milestone))
                .param("days", SqlArrays.column("date", completions, c -> java.sql.Date.valueOf(c.on())))
                .param("notes", SqlArrays.column("text", completions, LifecycleManagement.ImportedCompletion::note))
                .update();
    }

    /** Whether there was a completion to undo. */
    boolean undo(UUID account, String milestone) {
        return jdbc.sql("delete from account_milestone where account_id = ? and milestone = ?")
                        .params(account, milestone)
                        .update()
                > 0;
    }

    void deleteAccount(UUID account) {
        jdbc.sql("delete from account_milestone where account_id = ?")
                .param(account)
                .update();
    }
}
