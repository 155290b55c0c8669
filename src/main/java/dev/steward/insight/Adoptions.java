package dev.steward.insight;

import dev.steward.activity.Timeline;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountViews;
import dev.steward.customer.OwnerTeams;
import dev.steward.customer.RevenueHistory.BookEntry;
import dev.steward.health.HealthScoring;
import dev.steward.identity.Role;
import dev.steward.identity.SignIns;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.playbook.CtaRecords;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Computes {@link Adoption}: what each CSM and manager did in Steward week by week, from the sign-ins (identity), the
 * account pages opened (customer), sentiment (activity), overrides (health), work on CTAs (playbook) and the Red
 * changes in their book with the first action after each ({@link RedResponses}, as CSM productivity counts them).
 */
@Service
class Adoptions {

    private final ExecutiveDashboard dashboard;
    private final UserDirectory users;
    private final ObjectProvider<OwnerTeams> teams;
    private final SignIns signIns;
    private final AccountViews views;
    private final Timeline timeline;
    private final HealthScoring health;
    private final CtaRecords ctas;
    private final RedResponses reds;
    private final Clock clock;

    Adoptions(
            ExecutiveDashboard dashboard,
            UserDirectory users,
            ObjectProvider<OwnerTeams> teams,
            SignIns signIns,
            AccountViews views,
            Timeline timeline,
            HealthScoring health,
            CtaRecords ctas,
            RedResponses reds,
            Clock clock) {
        this.dashboard = dashboard;
        this.users = users;
        this.teams = teams;
        this.signIns = signIns;
        this.views = views;
        this.timeline = timeline;
        this.health = health;
        this.ctas = ctas;
        this.reds = reds;
        this.clock = clock;
    }

    /**
     * The last {@code weeks} weeks (this one included) of the people this viewer may see: everyone for an
     * administrator or a viewer (who read every figure), a manager's team, a CSM only themselves.
     */
    Adoption adoption(int weeks, User viewer) {
        if (weeks < 1 || weeks > Adoption.MAX_WEEKS) {
            throw new InvalidInputException("weeks", "must be from 1 to " + Adoption.MAX_WEEKS + ", not " + weeks);
        }
        LocalDate today = LocalDate.now(clock);
        LocalDate first = monday(today).minusWeeks(weeks - 1L);
        List<LocalDate> mondays = new ArrayList<>();
        for (int i = 0; i < weeks; i++) {
            mondays.add(first.plusWeeks(i));
        }
        Instant from = first.atStartOfDay(clock.getZone()).toInstant();
        // The end of this week: what happened up to now, this very instant included.
        Instant until = first.plusWeeks(weeks).atStartOfDay(clock.getZone()).toInstant();

        List<SignIns.SignIn> signedIn = signIns.between(from, until);
        List<BookEntry> book = dashboard.book(null);
        Set<UUID> owners =
                book.stream().map(BookEntry::owner).filter(Objects::nonNull).collect(Collectors.toSet());
        Set<UUID> signers = signedIn.stream().map(SignIns.SignIn::user).collect(Collectors.toSet());
        Optional<Set<UUID>> visible = visible(viewer);
        List<User> people = users.everyone().stream()
                .filter(u -> u.role() == Role.CSM || u.role() == Role.MANAGER)
                .filter(u -> owners.contains(u.id()) || signers.contains(u.id()))
                .filter(u -> visible.map(v -> v.contains(u.id())).orElse(true))
                .sorted(Comparator.comparing((User u) -> u.displayName().toLowerCase(Locale.ROOT))
                        .thenComparing(User::email))
                .toList();
        Set<UUID> shown = people.stream().map(User::id).collect(Collectors.toSet());

        Tally tally = new Tally(clock);
        signedIn.forEach(s -> tally.count(Figure.SIGN_INS, s.user(), s.at()));
        for (AccountViews.View view : views.between(first, today)) {
            tally.distinct(Figure.ACCOUNTS_VIEWED, view.user(), monday(view.day()), view.account());
        }
        timeline.sentimentsRecorded(from, until)
                .forEach((person, times) -> times.forEach(at -> tally.count(Figure.SENTIMENTS, person, at)));
        health.overridesMade(from, until)
                .forEach((person, times) -> times.forEach(at -> tally.count(Figure.OVERRIDES, person, at)));
        Map<String, UUID> byName = uniqueNames(people);
        for (CtaRecords.Work work : ctas.work(from, until)) {
            // By id; entries made before ids were kept, by a name that is one person's.
            UUID person = work.actorId() != null
                    ? (shown.contains(work.actorId()) ? work.actorId() : null)
                    : byName.get(work.actor());
            if (person != null) {
                tally.distinct(Figure.CTAS_WORKED, person, tally.week(work.at()), work.cta());
            }
        }
        Map<UUID, UUID> ownerOf = new HashMap<>();
        book.stream().filter(e -> e.owner() != null).forEach(e -> ownerOf.put(e.account(), e.owner()));
        Map<Key, List<CsmProductivity.RedChange>> redsByWeek = new HashMap<>();
        reds.redChanges(book.stream().map(BookEntry::account).toList(), first, today, until)
                .forEach((account, changes) -> {
                    UUID owner = ownerOf.get(account);
                    if (owner != null) {
                        changes.forEach(change -> redsByWeek
                                .computeIfAbsent(new Key(owner, monday(change.day())), k -> new ArrayList<>())
                                .add(change));
                    }
                });

        Optional<Instant> signInsSince = signIns.recordedSince();
        Optional<LocalDate> viewsSince = views.recordedSince();
        List<Adoption.Person> rows = new ArrayList<>();
        for (User person : people) {
            List<Adoption.Week> row = new ArrayList<>();
            for (LocalDate monday : mondays) {
                row.add(week(
                        monday,
                        List.of(person.id()),
                        tally,
                        redsByWeek,
                        measured(monday, signInsSince),
                        viewsSince.isPresent() && !monday.plusDays(6).isBefore(viewsSince.get())));
            }
            rows.add(new Adoption.Person(
                    person.id(), person.displayName(), person.role().name(), row));
        }
        List<Adoption.Week> totals = new ArrayList<>();
        for (LocalDate monday : mondays) {
            totals.add(week(
                    monday,
                    shown,
                    tally,
                    redsByWeek,
                    measured(monday, signInsSince),
                    viewsSince.isPresent() && !monday.plusDays(6).isBefore(viewsSince.get())));
        }
        return new Adoption(weeks, first, today, mondays, rows, totals);
    }

    /** Whether sign-ins were recorded by the end of this week. */
    private boolean measured(LocalDate monday, Optional<Instant> since) {
        return since.isPresent()
                && monday.plusWeeks(1).atStartOfDay(clock.getZone()).toInstant().isAfter(since.get());
    }

    private static Adoption.Week week(
            LocalDate monday,
            Collection<UUID> people,
            Tally tally,
            Map<Key, List<CsmProductivity.RedChange>> redsByWeek,
            boolean signInsMeasured,
            boolean viewsMeasured) {
        List<Duration> waits = new ArrayList<>();
        long changes = 0;
        for (UUID person : people) {
            for (CsmProductivity.RedChange change : redsByWeek.getOrDefault(new Key(person, monday), List.of())) {
                changes++;
                Duration wait = change.toAction();
                if (wait != null) {
                    waits.add(wait);
                }
            }
        }
        return new Adoption.Week(
                monday,
                signInsMeasured ? tally.sum(Figure.SIGN_INS, people, monday) : null,
                viewsMeasured ? tally.sum(Figure.ACCOUNTS_VIEWED, people, monday) : null,
                tally.sum(Figure.SENTIMENTS, people, monday),
                tally.sum(Figure.OVERRIDES, people, monday),
                tally.sum(Figure.CTAS_WORKED, people, monday),
                changes,
                waits.size(),
                CsmProductivity.medianDays(waits));
    }

    /** The people this viewer may see; empty: everyone. */
    private Optional<Set<UUID>> visible(User viewer) {
        return switch (viewer.role()) {
            case ADMIN, VIEWER -> Optional.empty();
            case MANAGER ->
                Optional.of(
                        viewer.id() == null
                                ? Set.of()
                                : new HashSet<>(teams.getObject().team(viewer.id())));
            case CSM -> Optional.of(viewer.id() == null ? Set.of() : Set.of(viewer.id()));
        };
    }

    /**
     * The people by the name a CTA's history recorded them with before it kept their id (their display name); a name
     * two people share is nobody's, rather than both's.
     */
    private static Map<String, UUID> uniqueNames(List<User> people) {
        Map<String, List<User>> byName = people.stream().collect(Collectors.groupingBy(User::displayName));
        return byName.entrySet().stream()
                .filter(e -> e.getValue().size() == 1)
                .collect(Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().get(0).id()));
    }

    static LocalDate monday(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private enum Figure {
        SIGN_INS,
        ACCOUNTS_VIEWED,
        SENTIMENTS,
        OVERRIDES,
        CTAS_WORKED
    }

    private record Key(UUID person, LocalDate monday) {}

    /** Counts per figure, person and week: occurrences, or distinct things (accounts, CTAs). */
    private static final class Tally {

        private final Clock clock;
        private final Map<Figure, Map<Key, Set<Object>>> counted = new HashMap<>();
        private long occurrence;

        Tally(Clock clock) {
            this.clock = clock;
        }

        LocalDate week(Instant at) {
            return monday(LocalDate.ofInstant(at, clock.getZone()));
        }

        void count(Figure figure, UUID person, Instant at) {
            distinct(figure, person, week(at), occurrence++);
        }

        void distinct(Figure figure, UUID person, LocalDate monday, Object thing) {
            counted.computeIfAbsent(figure, f -> new HashMap<>())
                    .computeIfAbsent(new Key(person, monday), k -> new HashSet<>())
                    .add(thing);
        }

        long sum(Figure figure, Collection<UUID> people, LocalDate monday) {
            Map<Key, Set<Object>> byKey = counted.getOrDefault(figure, Map.of());
            return people.stream()
                    .map(person -> byKey.getOrDefault(new Key(person, monday), Set.of()))
                    .mapToLong(Set::size)
                    .sum();
        }
    }
}
