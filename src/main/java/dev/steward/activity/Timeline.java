package dev.steward.activity;

import dev.steward.core.Cursor;
import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An account's facts of every kind in one list, newest first: what the account page shows as its history. The
 * activity facts come from this module's tables in one query; the facts other modules keep (stage moves, owner
 * changes) from their {@link TimelineSource}s, one query each, merged here by time. One cursor pages them all: the
 * last entry's time and id.
 */
@Service
public class Timeline {

    private final Facts facts;
    private final AccountManagement accounts;
    private final ObjectProvider<TimelineSource> sources;
    private final JdbcClient jdbc;

    Timeline(Facts facts, AccountManagement accounts, ObjectProvider<TimelineSource> sources, JdbcClient jdbc) {
        this.facts = facts;
        this.accounts = accounts;
        this.sources = sources;
        this.jdbc = jdbc;
    }

    /**
     * When each person recorded a sentiment in Steward from {@code from} to before {@code until} (the time it was
     * stored, whatever time it is about), by author; imported sentiments, which have no author, are left out.
     */
    public Map<UUID, List<Instant>> sentimentsRecorded(Instant from, Instant until) {
        Map<UUID, List<Instant>> recorded = new HashMap<>();
        jdbc.sql("""
                        select author_id, created_at from sentiment
                         where author_id is not null and created_at >= ? and created_at < ?""").params(Timestamp.from(from), Timestamp.from(until)).query(rs -> {
            recorded.computeIfAbsent(rs.getObject(1, UUID.class), a -> new ArrayList<>())
                    .add(rs.getTimestamp(2).toInstant());
        });
        return recorded;
    }

    /** The kinds of fact the timeline can show, e.g. {@code ticket}, {@code invoice}, {@code stage}. */
    public Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>(ActivityKinds.BY_KIND.keySet());
        sources.orderedStream().forEach(source -> kinds.addAll(source.kinds()));
        return kinds;
    }

    /**
     * One page of the account's timeline. {@code kinds} empty or null means every kind; {@code cursor} is the
     * {@code next} of the previous page.
     */
    public Page<TimelineEntry> forAccount(AccountId account, Set<String> kinds, Integer limit, String cursor) {
        int size = ActivityRecorder.effectiveLimit(limit);
        accounts.get(account);
        Set<String> known = kinds();
        Set<String> wanted = kinds == null || kinds.isEmpty() ? known : kinds;
        for (String kind : wanted) {
            if (!known.contains(kind)) {
                throw new InvalidInputException("kinds", "unknown kind '" + kind + "'; known kinds are " + known);
            }
        }
        TimelineSource.Position after = cursor == null || cursor.isBlank() ? null : position(cursor);

        // Each part answers one entry more than a page: the merged page then knows whether another follows.
        List<TimelineEntry> entries = new ArrayList<>();
        List<FactTable<?, ?>> tables = wanted.stream()
                .map(ActivityKinds.BY_KIND::get)
                .filter(Objects::nonNull)
                .toList();
        if (!tables.isEmpty()) {
            entries.addAll(facts.timeline(tables, account.value(), after, size + 1));
        }
        sources.orderedStream().forEach(source -> {
            Set<String> theirs = new LinkedHashSet<>(source.kinds());
            theirs.retainAll(wanted);
            if (!theirs.isEmpty()) {
                entries.addAll(source.entries(account, theirs, after, size + 1));
            }
        });
        entries.sort(TimelineEntry.NEWEST_FIRST);
        if (entries.size() <= size) {
            return new Page<>(List.copyOf(entries), null);
        }
        TimelineEntry last = entries.get(size - 1);
        return new Page<>(
                List.copyOf(entries.subList(0, size)), new Cursor(last.at().toString(), last.id()).encode());
    }

    /** The kinds of fact that count as a touch: a meeting or a note with or about the customer. */
    public static final Set<String> TOUCHES = Set.of("meeting", "note");

    /**
     * The time of each of these accounts' latest touch (a meeting held or a note written, see {@link #TOUCHES}) before
     * {@code until}; accounts never touched are left out. One index probe per account and kind.
     */
    public Map<UUID, Instant> lastTouches(Collection<UUID> accounts, Instant until) {
        return facts.latest(List.of(ActivityKinds.MEETINGS, ActivityKinds.NOTES), accounts, until);
    }

    /**
     * How many touches (meetings held and notes written, see {@link #TOUCHES}) each of these accounts had from
     * {@code from} to before {@code until}; accounts without one are left out.
     */
    public Map<UUID, Long> touchCounts(Collection<UUID> accounts, Instant from, Instant until) {
        return facts.touchCounts(accounts, from, until);
    }

    /**
     * For each account and time (the lists pair them by position), the time of the account's first touch at or after
     * it and before {@code until}; {@code null} where there was none.
     */
    public List<@Nullable Instant> firstTouches(List<UUID> accounts, List<Instant> since, Instant until) {
        if (accounts.size() != since.size()) {
            throw new IllegalArgumentException("one time per account");
        }
        return facts.firstTouches(accounts, since, until);
    }

    /** A timeline entry of one of several accounts. */
    public record AccountEntry(UUID account, TimelineEntry entry) {}

    /**
     * The newest {@code limit} facts of these activity kinds (e.g. {@code ticket}) of any of these accounts, from
     * {@code since} to before {@code until}, newest first: what happened lately across a book of accounts.
     */
    public List<AccountEntry> recent(
            Collection<UUID> accounts, Set<String> kinds, Instant since, Instant until, int limit) {
        List<FactTable<?, ?>> tables = new ArrayList<>();
        for (String kind : kinds) {
            FactTable<?, ?> table = ActivityKinds.BY_KIND.get(kind);
            if (table == null) {
                throw new InvalidInputException(
                        "kinds", "unknown kind '" + kind + "'; known kinds are " + ActivityKinds.BY_KIND.keySet());
            }
            tables.add(table);
        }
        return facts.recent(tables, accounts, since, until, limit);
    }

    /** The position a cursor of this timeline names; the cursor of a per-kind list is refused. */
    private static TimelineSource.Position position(String cursor) {
        Cursor decoded = Cursor.decode(cursor);
        if (decoded.sortValue() != null) {
            try {
                return new TimelineSource.Position(Instant.parse(decoded.sortValue()), decoded.id());
            } catch (DateTimeParseException notAnInstant) {
                // Refused below, as any other cursor this API did not hand out.
            }
        }
        throw new InvalidInputException("cursor", "is not a cursor returned by this API; start again without it");
    }
}
