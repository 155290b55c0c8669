package dev.steward.insight;

import dev.steward.activity.Timeline;
import dev.steward.core.NotFoundException;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.BookAccount;
import dev.steward.customer.OwnerTeams;
import dev.steward.health.DailyColors;
import dev.steward.health.HealthScoring;
import dev.steward.health.engine.Color;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.LifecycleManagement;
import dev.steward.playbook.Cta;
import dev.steward.playbook.CtaQuery;
import dev.steward.playbook.CtaWork;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * Builds the cockpit of a book: whose book a viewer may see (a CSM their own; a manager their own with their team's,
 * or one member's; an admin anyone's), then its facts read set-based by owner through the other modules' APIs — the
 * book's accounts, open CTAs, stored scores on thirteen days, overrides, overdue milestones, last touches, recent facts —
 * and ranked by {@link CockpitPriorities}.
 */
@Service
class Cockpits {

    /** Priorities a cockpit lists; the counts per kind cover them all. */
    static final int LISTED = 100;

    /** Weeks of trend. */
    static final int WEEKS = 12;

    /** Days of recent events. */
    static final int EVENT_DAYS = 7;

    static final int EVENTS = 20;

    /** Open CTAs read per cockpit, soonest due first: more than a day's work. */
    static final int CTAS = 200;

    private static final List<String> COLORS = List.of("red", "yellow", "green", "black", "unscored");

    private final AccountManagement accounts;
    private final OwnerTeams teams;
    private final UserDirectory users;
    private final CtaWork ctas;
    private final HealthScoring health;
    private final LifecycleManagement lifecycle;
    private final Timeline timeline;
    private final CockpitCache cache;
    private final Clock clock;

    Cockpits(
            AccountManagement accounts,
            OwnerTeams teams,
            UserDirectory users,
            CtaWork ctas,
            HealthScoring health,
            LifecycleManagement lifecycle,
            Timeline timeline,
            CockpitCache cache,
            Clock clock) {
        this.accounts = accounts;
        this.teams = teams;
        this.users = users;
        this.ctas = ctas;
        this.health = health;
        this.lifecycle = lifecycle;
        this.timeline = timeline;
        this.cache = cache;
        this.clock = clock;
    }

    /** Whose book a viewer sees: one person's, or a manager's team's (the manager first). */
    record Scope(List<User> owners, boolean team) {

        Set<UUID> ids() {
            return owners.stream().map(User::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        }
    }

    /**
     * The book a viewer asked for: {@code owner} {@code null} means their own (a manager's, with their team's); a user
     * id means that person's, which a CSM may ask only of themselves, a manager of themselves and the people they
     * manage, and an admin of anyone.
     */
    Scope scope(User viewer, UUID owner) {
        if (owner == null || owner.equals(viewer.id())) {
            if (viewer.id() == null) {
                throw new dev.steward.core.InvalidInputException(
                        "owner", "is required: this sign-in has no user, and so no book; name the CSM by user id");
            }
            if (owner == null && viewer.role() == Role.MANAGER) {
                List<UUID> team = team(viewer.id());
                Map<UUID, User> people = users.findAll(team);
                List<User> owners = new ArrayList<>();
                owners.add(viewer);
                team.stream()
                        .filter(id -> !id.equals(viewer.id()) && people.containsKey(id))
                        .map(people::get)
                        .sorted(Comparator.comparing(User::displayName))
                        .forEach(owners::add);
                return new Scope(owners, owners.size() > 1);
            }
            return new Scope(List.of(viewer), false);
        }
        User person = users.find(owner).orElseThrow(() -> new NotFoundException("user", owner));
        boolean allowed = viewer.role() == Role.ADMIN
                || (viewer.role() == Role.MANAGER
                        && viewer.id() != null
                        && team(viewer.id()).contains(owner));
        if (!allowed) {
            throw new AccessDeniedException(
                    viewer.role() == Role.MANAGER
                            ? person.displayName() + " is not in your team; a manager sees the cockpits of the people"
                                    + " they manage in the books of business"
                            : "A " + viewer.role() + " sees their own cockpit only, not " + person.displayName()
                                    + "'s");
        }
        return new Scope(List.of(person), false);
    }

    /** The people a manager manages in the books of business, and the manager. */
    List<UUID> team(UUID manager) {
        return teams.team(manager);
    }

    /** The cockpit of the book a viewer asked for (see {@link #scope}), as kept by {@link CockpitCache}. */
    Cockpit of(User viewer, UUID owner) {
        Scope scope = scope(viewer, owner);
        return cache.get("cockpit", scope.ids(), () -> build(scope));
    }

    private CockpitCache.Built<Cockpit> build(Scope scope) {
        Set<UUID> ownerIds = scope.ids();
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);

        List<BookAccount> book = accounts.books(ownerIds);
        List<UUID> ids = book.stream().map(BookAccount::id).toList();
        Map<UUID, CockpitPriorities.Account> byId = new LinkedHashMap<>();
        book.forEach(a -> byId.put(
                a.id(), new CockpitPriorities.Account(a.id(), a.name(), a.ownerId(), arr(a.arr()), a.color())));

        // Open CTAs of the owners, soonest due first; those due after today are not today's work.
        Instant tomorrow = today.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        List<Cta> open = ctaList(scope, "open", "due").stream()
                .filter(c -> c.dueAt().isBefore(tomorrow))
                .toList();
        Map<UUID, CockpitPriorities.Account> others =
                others(byId.keySet(), open.stream().map(Cta::accountId).toList());

        LocalDate weekAgo = today.minusDays(7);
        Map<LocalDate, Map<UUID, HealthScoring.StoredColor>> stored = health.storedColors(ids, List.of(weekAgo, today));

        CockpitPriorities.Book facts = new CockpitPriorities.Book(
                now,
                clock.getZone(),
                byId,
                others,
                open.stream()
                        .map(c -> new CockpitPriorities.OpenCta(c.id(), c.accountId(), c.title(), c.dueAt()))
                        .toList(),
                scores(stored.get(today)),
                scores(stored.get(weekAgo)),
                book.stream()
                        .filter(a -> a.renewalDate() != null)
                        .map(a -> new CockpitPriorities.Renewal(a.id(), a.renewalDate()))
                        .toList(),
                health.overridesInForce(ids).stream()
                        .map(o -> new CockpitPriorities.Override(o.account(), o.color(), o.reason(), o.expiresOn()))
                        .toList(),
                lifecycle.overdueMilestones(ids).stream()
                        .map(m -> new CockpitPriorities.Milestone(m.account(), m.name(), m.dueOn()))
                        .toList(),
                timeline.lastTouches(ids, now));
        List<Cockpit.Priority> ranked = CockpitPriorities.rank(facts);

        Map<String, Long> counts = ranked.stream()
                .collect(Collectors.groupingBy(Cockpit.Priority::kind, LinkedHashMap::new, Collectors.counting()));
        List<Cockpit.KindCount> kindCounts = new ArrayList<>();
        for (CockpitPriorities.Kind kind : CockpitPriorities.Kind.values()) {
            kindCounts.add(new Cockpit.KindCount(kind.value, kind.label, counts.getOrDefault(kind.value, 0L)));
        }

        List<Cockpit.ColorShare> distribution = shares(book, BookAccount::color);
        Map<String, BigDecimal> arrByColor = new HashMap<>();
        distribution.forEach(s -> arrByColor.put(s.color(), s.arr()));
        BigDecimal red = arrByColor.get("red");
        BigDecimal yellow = arrByColor.get("yellow");
        Cockpit.AtRisk atRisk = new Cockpit.AtRisk(red.add(yellow), red, yellow, arrByColor.get("black"));

        Set<UUID> concerning = new HashSet<>(byId.keySet());
        concerning.addAll(others.keySet());
        return new CockpitCache.Built<>(
                new Cockpit(
                        today,
                        people(scope),
                        book.size(),
                        book.stream().map(a -> arr(a.arr())).reduce(BigDecimal.ZERO, BigDecimal::add),
                        List.copyOf(ranked.size() > LISTED ? ranked.subList(0, LISTED) : ranked),
                        ranked.size(),
                        kindCounts,
                        distribution,
                        atRisk,
                        CockpitPriorities.rule()),
                concerning);
    }

    /** The book's trend over {@value #WEEKS} weeks and its events of the last {@value #EVENT_DAYS} days. */
    CockpitHistory history(User viewer, UUID owner) {
        Scope scope = scope(viewer, owner);
        return cache.get("history", scope.ids(), () -> buildHistory(scope));
    }

    private CockpitCache.Built<CockpitHistory> buildHistory(Scope scope) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        List<BookAccount> book = accounts.books(scope.ids());
        List<UUID> ids = book.stream().map(BookAccount::id).toList();
        Map<UUID, String> names = new HashMap<>();
        book.forEach(a -> names.put(a.id(), a.name()));
        List<LocalDate> weeks = new ArrayList<>();
        for (int back = WEEKS - 1; back >= 0; back--) {
            weeks.add(today.minusWeeks(back));
        }
        // The colors of every week in one read, one row per account.
        DailyColors stored = health.latestColors(ids, weeks);
        List<CockpitHistory.TrendPoint> trend = new ArrayList<>();
        for (int week = 0; week < weeks.size(); week++) {
            int day = week;
            trend.add(new CockpitHistory.TrendPoint(weeks.get(week), shares(book, a -> {
                Color color = stored.colorOf(a.id(), day);
                return color == null ? null : color.value();
            })));
        }
        return new CockpitCache.Built<>(
                new CockpitHistory(today, people(scope), trend, events(scope, names, ids, today, now)), ids);
    }

    private static List<Cockpit.Person> people(Scope scope) {
        return scope.owners().stream()
                .map(u -> new Cockpit.Person(u.id(), u.displayName(), u.email()))
                .toList();
    }

    private List<Cta> ctaList(Scope scope, String status, String sort) {
        CtaQuery query = scope.team()
                ? new CtaQuery("team", null, status, null, null, null, null, null, sort, CTAS, null)
                : new CtaQuery(
                        null, scope.owners().get(0).id(), status, null, null, null, null, null, sort, CTAS, null);
        return ctas.list(query, scope.owners().get(0)).items();
    }

    /** What happened in the book in the last {@value #EVENT_DAYS} days, newest first. */
    private List<CockpitHistory.Event> events(
            Scope scope, Map<UUID, String> names, List<UUID> ids, LocalDate today, Instant now) {
        Instant since = now.minus(Duration.ofDays(EVENT_DAYS));
        List<CockpitHistory.Event> events = new ArrayList<>();
        for (HealthScoring.ColorChange change : health.colorChanges(ids, today.minusDays(EVENT_DAYS - 1), today, 7)) {
            events.add(new CockpitHistory.Event(
                    change.day().atStartOfDay(clock.getZone()).toInstant(),
                    "color",
                    change.account(),
                    names.get(change.account()),
                    "Health turned " + CockpitPriorities.color(change.to()) + " from "
                            + CockpitPriorities.color(change.from()) + " (" + CockpitPriorities.points(change.score())
                            + ")",
                    "/accounts/" + change.account()));
        }
        for (Cta cta : ctaList(scope, "any", "created")) {
            if (!cta.createdAt().isBefore(since)) {
                events.add(new CockpitHistory.Event(
                        cta.createdAt(),
                        "cta_opened",
                        cta.accountId(),
                        cta.accountName(),
                        "CTA opened: " + cta.title() + " (" + cta.priority() + ")",
                        "/ctas/" + cta.id()));
            }
            if (cta.closedAt() != null && !cta.closedAt().isBefore(since)) {
                events.add(new CockpitHistory.Event(
                        cta.closedAt(),
                        "cta_closed",
                        cta.accountId(),
                        cta.accountName(),
                        "CTA closed (" + cta.outcome() + "): " + cta.title(),
                        "/ctas/" + cta.id()));
            }
        }
        for (Timeline.AccountEntry entry : timeline.recent(ids, Set.of("ticket"), since, now, EVENTS)) {
            events.add(new CockpitHistory.Event(
                    entry.entry().at(),
                    "ticket",
                    entry.account(),
                    names.getOrDefault(entry.account(), ""),
                    "Ticket opened: " + entry.entry().title(),
                    "/accounts/" + entry.account()));
        }
        events.sort(Comparator.comparing(CockpitHistory.Event::at)
                .reversed()
                .thenComparing(CockpitHistory.Event::accountName)
                .thenComparing(CockpitHistory.Event::text));
        return events.size() > EVENTS ? List.copyOf(events.subList(0, EVENTS)) : List.copyOf(events);
    }

    /** The accounts of CTAs that are not in the book: a CTA owned by the CSM for someone else's account. */
    private Map<UUID, CockpitPriorities.Account> others(Set<UUID> book, Collection<UUID> accountIds) {
        Set<UUID> missing = new HashSet<>(accountIds);
        missing.removeAll(book);
        Map<UUID, CockpitPriorities.Account> others = new HashMap<>();
        if (missing.isEmpty()) {
            return others;
        }
        for (Account a : accounts.findAll(missing.stream().map(AccountId::new).toList())) {
            others.put(
                    a.id().value(),
                    new CockpitPriorities.Account(
                            a.id().value(),
                            a.name(),
                            a.ownerId(),
                            arr(a.arr()),
                            a.health() == null ? null : a.health().color()));
        }
        return others;
    }

    private static Map<UUID, CockpitPriorities.Score> scores(Map<UUID, HealthScoring.StoredColor> stored) {
        Map<UUID, CockpitPriorities.Score> scores = new HashMap<>();
        if (stored != null) {
            stored.forEach((id, s) -> scores.put(id, new CockpitPriorities.Score(s.score(), s.color())));
        }
        return scores;
    }

    private static List<Cockpit.ColorShare> shares(
            List<BookAccount> book, java.util.function.Function<BookAccount, String> colorOf) {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, BigDecimal> arr = new HashMap<>();
        for (BookAccount account : book) {
            String color = Objects.requireNonNullElse(colorOf.apply(account), "unscored");
            counts.computeIfAbsent(color, c -> new long[1])[0]++;
            arr.merge(color, arr(account.arr()), BigDecimal::add);
        }
        return COLORS.stream()
                .map(c -> new Cockpit.ColorShare(
                        c, counts.containsKey(c) ? counts.get(c)[0] : 0, arr.getOrDefault(c, BigDecimal.ZERO)))
                .toList();
    }

    private static BigDecimal arr(BigDecimal arr) {
        return arr == null ? BigDecimal.ZERO : arr;
    }
}
