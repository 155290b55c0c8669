package dev.steward.playbook;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Service;

/**
 * What became of the CTAs over a period, read set-based for reports across the book (CSM productivity): which were
 * made and closed, against their SLA, and when people first acted on an account's CTAs.
 */
@Service
public class CtaRecords {

    /**
     * The kinds of history entry that only a person writes: work on a CTA, as opposed to its making by a playbook or
     * Steward's escalation and waking. A CTA made by hand counts as work too.
     */
    public static final List<String> PERSON_KINDS = List.of(
            "commented", "task_done", "task_reopened", "snoozed", "reassigned", "priority", "closed", "reopened");

    /** Whether a history entry {@code e} of a CTA {@code c} is a person's work on it (see {@link #PERSON_KINDS}). */
    private static final String PERSON_WORK =
            "(e.kind = any(:kinds) or (e.kind = 'created' and c.playbook_id is null))";

    private final JdbcClient jdbc;

    CtaRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A CTA as a report counts it: its account and owner ({@code null}: unassigned), when it was made and due under its
     * SLA, and when it was closed ({@code null}: still open or snoozed).
     */
    public record CtaSpan(
            UUID id,
            UUID account,
            @Nullable UUID owner,
            Instant createdAt,
            Instant dueAt,
            @Nullable Instant closedAt) {

        /** Whether it was closed by its due time (at or before it). */
        public boolean closedWithinSla() {
            return closedAt != null && !closedAt.isAfter(dueAt);
        }
    }

    /** Every CTA of these accounts made or closed from {@code from} to before {@code until}. */
    public List<CtaSpan> madeOrClosed(Collection<UUID> accounts, Instant from, Instant until) {
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select id, account_id, owner_id, created_at, due_at, closed_at from cta
                         where account_id = any(:accounts)
                           and ((created_at >= :from and created_at < :until)
                                or (closed_at >= :from and closed_at < :until))""")
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param("from", Timestamp.from(from))
                .param("until", Timestamp.from(until))
                .query((rs, n) -> new CtaSpan(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()))
                .list();
    }

    /**
     * For each account and time (the lists pair them by position), the time a person first worked on one of the
     * account's CTAs at or after it and before {@code until} (see {@link #PERSON_KINDS}); {@code null} where nobody did.
     */
    public List<@Nullable Instant> firstActions(List<UUID> accounts, List<Instant> since, Instant until) {
        if (accounts.size() != since.size()) {
            throw new IllegalArgumentException("one time per account");
        }
        if (accounts.isEmpty()) {
            return List.of();
        }
        Instant[] firsts = new Instant[accounts.size()];
        jdbc.sql("""
                        select p.n, (select min(e.at) from cta c join cta_event e on e.cta_id = c.id
                                      where c.account_id = p.account and e.at >= p.since and e.at < :until
                                        and %s)
                          from unnest(:accounts, :since) with ordinality as p(account, since, n)""".formatted(PERSON_WORK))
                .param("accounts", new SqlArrayValue("uuid", accounts.toArray()))
                .param(
                        "since",
                        new SqlArrayValue(
                                "timestamptz",
                                since.stream().map(Timestamp::from).toArray()))
                .param("until", Timestamp.from(until))
                .param("kinds", new SqlArrayValue("text", PERSON_KINDS.toArray()))
                .query(rs -> {
                    Timestamp at = rs.getTimestamp(2);
                    if (at != null) {
                        firsts[rs.getInt(1) - 1] = at.toInstant();
                    }
                });
        return Arrays.asList(firsts);
    }

    /**
     * A person worked on a CTA (see {@link #PERSON_KINDS}): who, as the CTA's history names them (their display name
     * when they did it), which CTA and when.
     */
    public record Work(String actor, @Nullable UUID actorId, UUID cta, Instant at) {}

    /** Every piece of a person's work on any CTA from {@code from} to before {@code until}. */
    public List<Work> work(Instant from, Instant until) {
        return jdbc.sql("""
                        select e.actor, e.cta_id, e.at, e.actor_id from cta_event e join cta c on c.id = e.cta_id
                         where e.at >= :from and e.at < :until and %s""".formatted(PERSON_WORK))
                .param("from", Timestamp.from(from))
                .param("until", Timestamp.from(until))
                .param("kinds", new SqlArrayValue("text", PERSON_KINDS.toArray()))
                .query((rs, n) -> new Work(
                        rs.getString(1),
                        rs.getObject(4, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant()))
                .list();
    }
}
