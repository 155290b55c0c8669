package dev.steward.lifecycle;

import dev.steward.core.AuditedChanges;
import dev.steward.core.Conditions;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountPermissions;
import dev.steward.customer.BookAccount;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Books of business: the assignment rules (teams, territories and their pools, workload weights) as a versioned YAML
 * document, every account's owner with its history, assignment by hand and in bulk, each CSM's workload, and balancing
 * suggestions that even the load within territories; the lifecycle module's API for owners.
 */
@Service
public class BooksOfBusiness {

    /** Most accounts a balancing suggestion moves at once. */
    static final int MAXIMUM_MOVES = 200;

    static final dev.steward.core.PageLimit MOVES = new dev.steward.core.PageLimit(20, MAXIMUM_MOVES);

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);

    private final Journeys journeys;
    private final AccountOwnerships ownerships;
    private final OwnerDecisions decisions;
    private final SegmentEvaluation evaluation;
    private final AccountFactsReader reader;
    private final AccountManagement accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    private final AccountPermissions permissions;

    BooksOfBusiness(
            Journeys journeys,
            AccountOwnerships ownerships,
            OwnerDecisions decisions,
            SegmentEvaluation evaluation,
            AccountFactsReader reader,
            AccountManagement accounts,
            ApplicationEventPublisher events,
            Clock clock,
            AccountPermissions permissions) {
        this.permissions = permissions;
        this.journeys = journeys;
        this.ownerships = ownerships;
        this.decisions = decisions;
        this.evaluation = evaluation;
        this.reader = reader;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    // ---- The assignment rules as a document ----

    /** Whether a user may change the rules and move accounts between owners. */
    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    /** Checks assignment rules without saving them. */
    public SegmentValidation validate(String yaml) {
        AssignmentDocuments.Check check = read(yaml);
        return new SegmentValidation(check.isValid(), check.problems());
    }

    /** Saves the YAML, exactly as written, as the rules' next version, a draft, with its problems. */
    @Transactional
    public DocumentText<SegmentProblem> saveDraft(String yaml, User author) {
        requireEditor(author, "save assignment rules");
        return version(journeys.insert(
                Journeys.ASSIGNMENT,
                yaml,
                DocumentVersion.Status.DRAFT,
                read(yaml).problems(),
                author.id(),
                author.displayName(),
                clock.instant()));
    }

    /** Puts the version in force; every account's owner is then decided again within seconds. */
    @Transactional
    public DocumentVersion publish(int version, User author) {
        requireEditor(author, "publish assignment rules");
        if (journeys.publish(
                Journeys.ASSIGNMENT,
                version,
                "The assignment rules",
                yaml -> read(yaml).problems(),
                clock.instant())) {
            events.publishEvent(new AssignmentPublished(version));
        }
        return version(version).version();
    }

    /** The rules' versions, newest first. */
    public List<DocumentVersion> versions() {
        return journeys.history(Journeys.ASSIGNMENT);
    }

    public DocumentText<SegmentProblem> version(int version) {
        return journeys.version(Journeys.ASSIGNMENT, version, "The assignment rules");
    }

    public String diff(int from, int to) {
        return VersionedDocuments.diff(Journeys.ASSIGNMENT, version(from), version(to));
    }

    /** One person of a pool or team, as pages and the API show them. */
    public record Person(UUID id, String email, String name, boolean mayOwn) {}

    /** A territory in force: its key, name, rule ({@code null} for the rest), the team it draws on, its pool. */
    public record TerritoryView(
            String key, String name, String description, String rule, String team, List<Person> pool, long accounts) {}

    /** A team: its key, name, manager and members. */
    public record TeamView(String key, String name, Person manager, List<Person> members) {}

    /** The rules in force ({@code version} {@code null} when none is published) and the weights of the load. */
    public record Rules(
            Integer version,
            List<TeamView> teams,
            List<TerritoryView> territories,
            AssignmentDocument.Workload weights) {}

    public Rules rules() {
        OwnerRules rules = decisions.rules();
        if (rules.isEmpty()) {
            return new Rules(null, List.of(), List.of(), AssignmentDocument.Workload.DEFAULT);
        }
        Map<String, User> people = decisions.people();
        Map<String, Map<UUID, Integer>> counts = ownerships.countsByTerritory();
        AssignmentDocument document = rules.document();
        List<TeamView> teams = document.teams().stream()
                .map(t -> new TeamView(
                        t.key(),
                        t.name(),
                        person(people.get(t.manager())),
                        t.members().stream().map(m -> person(people.get(m))).toList()))
                .toList();
        List<TerritoryView> territories = document.territories().stream()
                .map(t -> new TerritoryView(
                        t.key(),
                        t.name(),
                        t.description(),
                        t.rule(),
                        t.team(),
                        document.pool(t).stream()
                                .map(m -> person(people.get(m)))
                                .toList(),
                        counts.getOrDefault(t.key(), Map.of()).values().stream()
                                .mapToLong(Integer::longValue)
                                .sum()))
                .toList();
        return new Rules(publishedVersion(), teams, territories, document.workload());
    }

    /**
     * Each account owner's manager, by user id, from the teams of the rules in force: the manager of the first team
     * that has them as a member (a manager of a team is their own manager); empty while no rules are published.
     */
    public Map<UUID, UUID> managers() {
        OwnerRules rules = decisions.rules();
        if (rules.isEmpty()) {
            return Map.of();
        }
        Map<String, User> people = decisions.people();
        Map<UUID, UUID> managers = new java.util.HashMap<>();
        for (AssignmentDocument.Team team : rules.document().teams()) {
            User manager = people.get(team.manager());
            if (manager == null) {
                continue;
            }
            managers.putIfAbsent(manager.id(), manager.id());
            for (String member : team.members()) {
                User user = people.get(member);
                if (user != null) {
                    managers.putIfAbsent(user.id(), manager.id());
                }
            }
        }
        return managers;
    }

    // ---- An account's owner ----

    /** One owner's time with an account. */
    public record OwnerStay(
            Person owner,
            String territory,
            Instant from,
            Instant until,
            String cause,
            String assignedBy,
            String reason) {}

    /**
     * An account's owner now ({@code null} for none), how they came to own it, whether the rules leave them in place
     * (pinned), and every owner before.
     */
    public record AccountOwner(UUID account, OwnerStay current, boolean pinned, List<OwnerStay> history) {}

    public AccountOwner of(UUID accountId) {
        accounts.get(new AccountId(accountId));
        List<AccountOwnerships.Ownership> history = ownerships.history(accountId);
        Map<String, User> byId = new HashMap<>();
        decisions.people().values().forEach(u -> byId.put(u.id().toString(), u));
        List<OwnerStay> stays = history.stream()
                .map(o -> new OwnerStay(
                        person(byId.get(o.owner().toString())),
                        o.territory(),
                        o.enteredAt(),
                        o.leftAt(),
                        o.cause(),
                        o.assignedBy(),
                        o.reason()))
                .toList();
        AccountOwnerships.Ownership open =
                history.stream().filter(o -> o.leftAt() == null).findFirst().orElse(null);
        return new AccountOwner(
                accountId,
                open == null ? null : stays.get(history.indexOf(open)),
                open != null && open.pinned(),
                stays);
    }

    /**
     * Gives the account to an owner by hand, with a reason; the rules leave it with them until it is handed back.
     * {@code owner} is the person's email or id.
     */
    @Transactional
    public AccountOwner assign(UUID accountId, String owner, String reason, User author) {
        requireEditor(author, "assign accounts");
        accounts.get(new AccountId(accountId));
        User to = owner(owner, "owner");
        String why = reason(reason, "say why " + to.displayName() + " owns this account");
        permissions.checkChange(new AccountId(accountId));
        permissions.checkNewOwner(accountId, to.id());
        AccountOwner before = of(accountId);
        evaluation.lockMembership();
        AccountOwnerships.Ownership current =
                ownerships.current(Set.of(accountId)).get(accountId);
        UUID recorded = accounts.get(new AccountId(accountId)).ownerId();
        decisions.record(
                List.of(new OwnerDecisions.Assignment(
                        accountId,
                        recorded,
                        current,
                        new OwnerRules.Decision(to.id(), null, "manual", true),
                        author.displayName(),
                        why)),
                clock.instant(),
                true);
        return audited(before, of(accountId));
    }

    /** Notes an owner change for the audit trail: owner, territory, cause, reason and pin, before and after. */
    private static AccountOwner audited(AccountOwner before, AccountOwner after) {
        AuditedChanges.note("account owner", after.account(), ownerFacts(before), ownerFacts(after));
        return after;
    }

    private static Map<String, Object> ownerFacts(AccountOwner owner) {
        Map<String, Object> facts = new LinkedHashMap<>();
        OwnerStay current = owner.current();
        facts.put(
                "owner",
                current == null || current.owner() == null
                        ? null
                        : current.owner().email());
        facts.put("territory", current == null ? null : current.territory());
        facts.put("cause", current == null ? null : current.cause());
        facts.put("reason", current == null ? null : current.reason());
        facts.put("pinned", owner.pinned());
        return facts;
    }

    /** Hands an account assigned by hand (or on its record) back to the rules, which decide its owner now. */
    @Transactional
    public AccountOwner handBack(UUID accountId, User author) {
        requireEditor(author, "hand accounts back to the rules");
        accounts.get(new AccountId(accountId));
        permissions.checkChange(new AccountId(accountId));
        if (decisions.rules().isEmpty()) {
            throw new InvalidInputException(
                    "owner", "no assignment rules are published: publish them before handing accounts to them");
        }
        evaluation.lockMembership();
        AccountOwnerships.Ownership current =
                ownerships.current(Set.of(accountId)).get(accountId);
        if (current == null || !current.pinned()) {
            throw new InvalidInputException("owner", "the account's owner already follows the rules");
        }
        AccountOwner before = of(accountId);
        ownerships.leave(Set.of(accountId), clock.instant());
        evaluation.decideOwners(Set.of(accountId), Set.of(), author.displayName(), "handed back to the rules");
        return audited(before, of(accountId));
    }

    /** What a bulk reassignment did: accounts moved, and to whom how many. */
    public record Reassigned(int accounts, Map<String, Integer> byOwner) implements java.io.Serializable {}

    /**
     * Moves a person's whole book (a CSM leaves or changes role): to one person, who then holds them by hand, or, with
     * {@code to} {@code null}, by the rules among the rest of each territory's pool. Nothing moves when any account
     * would be left with them (a territory with nobody else).
     */
    @Transactional
    public Reassigned reassign(String from, String to, String reason, User author) {
        requireEditor(author, "move books of business");
        User leaving = person(from, "from");
        String why = reason(reason, "say why " + leaving.displayName() + "'s accounts move");
        evaluation.lockMembership();
        Set<UUID> book = new HashSet<>();
        ownerships.ofOwner(leaving.id()).forEach(o -> book.add(o.account()));
        accounts.books(Set.of(leaving.id())).forEach(a -> book.add(a.id()));
        if (book.isEmpty()) {
            throw new InvalidInputException("from", leaving.email() + " owns no account");
        }
        permissions.checkChange(book);
        if (to != null && !to.isBlank()) {
            User taking = owner(to, "to");
            permissions.checkNewOwner(null, taking.id());
            if (taking.id().equals(leaving.id())) {
                throw new InvalidInputException("to", "is the person whose accounts move");
            }
            Map<UUID, AccountOwnerships.Ownership> current = ownerships.current(book);
            Map<UUID, UUID> recorded = new HashMap<>();
            accounts.findAll(book.stream().map(AccountId::new).toList())
                    .forEach(a -> recorded.put(a.id().value(), a.ownerId()));
            List<OwnerDecisions.Assignment> moves = book.stream()
                    .sorted()
                    .map(id -> new OwnerDecisions.Assignment(
                            id,
                            recorded.get(id),
                            current.get(id),
                            new OwnerRules.Decision(taking.id(), null, "manual", true),
                            author.displayName(),
                            why))
                    .toList();
            decisions.record(moves, clock.instant(), true);
            return new Reassigned(moves.size(), Map.of(taking.email(), moves.size()));
        }
        if (decisions.rules().isEmpty()) {
            throw new InvalidInputException(
                    "to", "no assignment rules are published: name the person who takes the accounts");
        }
        evaluation.decideOwners(book, Set.of(leaving.id()), author.displayName(), why);
        Map<UUID, AccountOwnerships.Ownership> after = ownerships.current(book);
        List<String> stuck = after.values().stream()
                .filter(o -> o.owner().equals(leaving.id()))
                .map(o -> o.territory() == null ? "(by hand)" : o.territory())
                .distinct()
                .sorted()
                .toList();
        if (!stuck.isEmpty()) {
            throw new InvalidInputException(
                    "to",
                    "nobody else owns accounts in " + stuck + ": add someone to the pool or name who takes "
                            + leaving.displayName() + "'s accounts");
        }
        Map<UUID, User> byId = new HashMap<>();
        decisions.people().values().forEach(u -> byId.put(u.id(), u));
        Map<String, Integer> byOwner = new LinkedHashMap<>();
        after.values().stream()
                .sorted(Comparator.comparing(o -> byId.get(o.owner()).email()))
                .forEach(o -> byOwner.merge(byId.get(o.owner()).email(), 1, Integer::sum));
        return new Reassigned(book.size(), byOwner);
    }

    // ---- Workload and balancing ----

    /**
     * One owner's book: accounts, ARR, Red and Yellow accounts, renewals within the rules' window, the weighted load
     * and its share of the average; {@code teams} the teams they are in; {@code mayOwn} false for a disabled user or
     * one who may not own accounts (their book should move).
     */
    public record OwnerLoad(
            Person owner,
            List<String> teams,
            int accounts,
            BigDecimal arr,
            int red,
            int yellow,
            int renewals,
            double load,
            Double ofAverage) {}

    /** Every owner's load, heaviest first, with the weights and renewal window used and the accounts without owner. */
    public record Workload(
            List<OwnerLoad> owners, AssignmentDocument.Workload weights, double averageLoad, long unowned) {}

    public Workload workload() {
        OwnerRules rules = decisions.rules();
        AssignmentDocument.Workload weights = rules.isEmpty()
                ? AssignmentDocument.Workload.DEFAULT
                : rules.document().workload();
        LocalDate today = LocalDate.now(clock);
        Map<UUID, List<BookAccount>> books = new HashMap<>();
        accounts.books(null)
                .forEach(a -> books.computeIfAbsent(a.ownerId(), k -> new ArrayList<>())
                        .add(a));
        Map<UUID, User> people = new HashMap<>();
        decisions.people().values().forEach(u -> people.put(u.id(), u));
        Map<String, List<String>> teamsOf = new HashMap<>();
        if (!rules.isEmpty()) {
            for (AssignmentDocument.Team team : rules.document().teams()) {
                team.members()
                        .forEach(m -> teamsOf.computeIfAbsent(m, k -> new ArrayList<>())
                                .add(team.name()));
            }
        }
        // Everyone who may own accounts is listed, with or without a book: an empty book is what balancing fills.
        Set<UUID> owners = new HashSet<>(books.keySet());
        people.values().stream()
                .filter(u -> u.enabled() && (u.role() == Role.CSM || u.role() == Role.MANAGER))
                .filter(u -> rules.isEmpty()
                        || teamsOf.containsKey(AssignmentDocuments.normal(u.email()))
                        || rules.territories().stream().anyMatch(t -> t.pool().contains(u.id())))
                .forEach(u -> owners.add(u.id()));
        List<OwnerLoad> loads = new ArrayList<>();
        double total = 0;
        for (UUID owner : owners) {
            List<BookAccount> book = books.getOrDefault(owner, List.of());
            User user = people.get(owner);
            BigDecimal arr = BigDecimal.ZERO;
            int red = 0;
            int yellow = 0;
            int renewals = 0;
            double load = 0;
            for (BookAccount account : book) {
                arr = arr.add(account.arr() == null ? BigDecimal.ZERO : account.arr());
                red += "red".equals(account.color()) ? 1 : 0;
                yellow += "yellow".equals(account.color()) ? 1 : 0;
                renewals += account.renewsWithin(today, weights.renewalDays()) ? 1 : 0;
                load += load(account, weights, today);
            }
            total += load;
            loads.add(new OwnerLoad(
                    person(user),
                    user == null
                            ? List.of()
                            : teamsOf.getOrDefault(AssignmentDocuments.normal(user.email()), List.of()),
                    book.size(),
                    arr,
                    red,
                    yellow,
                    renewals,
                    round(load),
                    null));
        }
        double average = loads.isEmpty() ? 0 : total / loads.size();
        List<OwnerLoad> shown = loads.stream()
                .map(l -> new OwnerLoad(
                        l.owner(),
                        l.teams(),
                        l.accounts(),
                        l.arr(),
                        l.red(),
                        l.yellow(),
                        l.renewals(),
                        l.load(),
                        average == 0 ? null : round(l.load() / average)))
                .sorted(Comparator.comparingDouble(OwnerLoad::load)
                        .reversed()
                        .thenComparing(l -> l.owner().email()))
                .toList();
        return new Workload(shown, weights, round(average), accounts.unowned());
    }

    /** One suggested move: the account, its load, from whom to whom, within which territory. */
    public record Move(UUID account, String name, double load, Person from, Person to, String territory) {}

    /** Each owner's load before and after the moves. */
    public record LoadChange(Person owner, double before, double after) {}

    /**
     * Moves that even the load within territories, and what they do: the largest gap between two people of one
     * territory's pool before and after. Moves only accounts that follow the rules (not those assigned by hand).
     */
    public record Balance(
            String territory, List<Move> moves, List<LoadChange> loads, double gapBefore, double gapAfter) {}

    /**
     * Suggests up to {@code limit} moves within one territory ({@code null} for all), each taking an account from
     * the most loaded person of a pool to the least loaded, choosing the account that best halves their gap, until no
     * move narrows a gap. Records nothing.
     */
    public Balance suggest(String territoryKey, int limit) {
        MOVES.of(limit);
        OwnerRules rules = decisions.rules();
        if (rules.isEmpty()) {
            throw new InvalidInputException(
                    "territory", "no assignment rules are published: balancing keeps accounts within territories");
        }
        List<OwnerRules.Territory> territories = rules.territories();
        if (territoryKey != null && !territoryKey.isBlank()) {
            OwnerRules.Territory only = rules.territory(territoryKey);
            if (only == null) {
                String nearest = Conditions.nearest(
                        territoryKey,
                        territories.stream().map(OwnerRules.Territory::key).toList());
                throw new InvalidInputException(
                        "territory",
                        "no territory has the key '" + territoryKey + "'"
                                + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
            }
            territories = List.of(only);
        }
        LocalDate today = LocalDate.now(clock);
        AssignmentDocument.Workload weights = rules.document().workload();
        Map<UUID, BookAccount> byId = new HashMap<>();
        Map<UUID, Double> loads = new HashMap<>();
        for (BookAccount account : accounts.books(null)) {
            byId.put(account.id(), account);
            loads.merge(account.ownerId(), load(account, weights, today), Double::sum);
        }
        Map<UUID, Double> before = new HashMap<>(loads);
        // The accounts each person may give away, per territory: those that follow the rules there.
        Map<String, Map<UUID, List<BookAccount>>> movable = new HashMap<>();
        for (AccountOwnerships.Ownership o : ownerships.current()) {
            BookAccount account = byId.get(o.account());
            if (!o.pinned()
                    && o.territory() != null
                    && account != null
                    && account.ownerId().equals(o.owner())) {
                movable.computeIfAbsent(o.territory(), k -> new HashMap<>())
                        .computeIfAbsent(o.owner(), k -> new ArrayList<>())
                        .add(account);
            }
        }
        Map<UUID, User> people = new HashMap<>();
        decisions.people().values().forEach(u -> people.put(u.id(), u));
        double gapBefore = gap(territories, loads);
        List<Move> moves = new ArrayList<>();
        while (moves.size() < limit) {
            Move best = null;
            double bestGain = 1e-9;
            for (OwnerRules.Territory territory : territories) {
                List<UUID> pool = territory.pool();
                if (pool.size() < 2) {
                    continue;
                }
                UUID heaviest = pool.stream()
                        .max(Comparator.comparingDouble(p -> loads.getOrDefault(p, 0.0)))
                        .orElseThrow();
                UUID lightest = pool.stream()
                        .min(Comparator.comparingDouble(p -> loads.getOrDefault(p, 0.0)))
                        .orElseThrow();
                double gap = loads.getOrDefault(heaviest, 0.0) - loads.getOrDefault(lightest, 0.0);
                for (BookAccount account :
                        movable.getOrDefault(territory.key(), Map.of()).getOrDefault(heaviest, List.of())) {
                    double weight = load(account, weights, today);
                    // The pair's gap after the move is |gap - 2 × weight|; the gain is how much narrower it gets.
                    double gain = gap - Math.abs(gap - 2 * weight);
                    if (gain > bestGain) {
                        bestGain = gain;
                        best = new Move(
                                account.id(),
                                account.name(),
                                round(weight),
                                person(people.get(heaviest)),
                                person(people.get(lightest)),
                                territory.key());
                    }
                }
            }
            if (best == null) {
                break;
            }
            moves.add(best);
            Move move = best;
            BookAccount account = byId.get(move.account());
            double weight = load(account, weights, today);
            loads.merge(move.from().id(), -weight, Double::sum);
            loads.merge(move.to().id(), weight, Double::sum);
            Map<UUID, List<BookAccount>> inTerritory = movable.get(move.territory());
            inTerritory.get(move.from().id()).remove(account);
            // Moved once is enough: it is not handed on again in the same suggestion.
        }
        Set<UUID> involved = new HashSet<>();
        territories.forEach(t -> involved.addAll(t.pool()));
        List<LoadChange> changes = involved.stream()
                .map(p -> new LoadChange(
                        person(people.get(p)), round(before.getOrDefault(p, 0.0)), round(loads.getOrDefault(p, 0.0))))
                .sorted(Comparator.comparingDouble(LoadChange::before).reversed())
                .toList();
        return new Balance(
                territoryKey == null || territoryKey.isBlank() ? null : territoryKey,
                moves,
                changes,
                round(gapBefore),
                round(gap(territories, loads)));
    }

    /** A move to apply: the account and the two people, as a suggestion named them. */
    public record MoveRequest(UUID account, UUID from, UUID to) {}

    /** What applying moves did: moved, and those left out because the account or the pool changed meanwhile. */
    public record Applied(int moved, List<String> skipped) implements java.io.Serializable {}

    /**
     * Applies moves as suggested, with a reason; each account stays in its territory, and the rules keep it with its
     * new owner. A move whose account has another owner now, or whose new owner is not in its territory's pool, is
     * left out and said why.
     */
    @Transactional
    public Applied apply(List<MoveRequest> moves, String reason, User author) {
        requireEditor(author, "balance books of business");
        String why = reason(reason, "say why these accounts move");
        if (moves == null || moves.isEmpty() || moves.size() > MAXIMUM_MOVES) {
            throw new InvalidInputException("moves", "must list 1 to " + MAXIMUM_MOVES + " moves");
        }
        OwnerRules rules = decisions.rules();
        evaluation.lockMembership();
        Set<UUID> ids = new HashSet<>();
        moves.forEach(m -> ids.add(Objects.requireNonNull(m.account(), "account")));
        permissions.checkChange(ids);
        permissions.checkNewOwners(moves.stream()
                .map(m -> (Map.Entry<UUID, UUID>) new java.util.AbstractMap.SimpleEntry<>(m.account(), m.to()))
                .toList());
        Map<UUID, AccountOwnerships.Ownership> current = ownerships.current(ids);
        List<OwnerDecisions.Assignment> assignments = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            MoveRequest move = moves.get(i);
            AccountOwnerships.Ownership o = current.get(move.account());
            OwnerRules.Territory territory = o == null || o.territory() == null ? null : rules.territory(o.territory());
            if (o == null || !o.owner().equals(move.from()) || o.pinned()) {
                skipped.add("moves[" + i + "]: account " + move.account() + " is no longer owned by " + move.from()
                        + " by the rules");
            } else if (territory == null || !territory.pool().contains(move.to())) {
                skipped.add("moves[" + i + "]: " + move.to() + " is not in the pool of territory " + o.territory());
            } else {
                assignments.add(new OwnerDecisions.Assignment(
                        move.account(),
                        move.from(),
                        o,
                        OwnerRules.Decision.byRule(move.to(), o.territory(), "balance"),
                        author.displayName(),
                        why));
            }
        }
        return new Applied(decisions.record(assignments, clock.instant(), true), skipped);
    }

    // ---- helpers ----

    private static double load(BookAccount account, AssignmentDocument.Workload weights, LocalDate today) {
        double load = weights.account().doubleValue();
        if ("red".equals(account.color())) {
            load += weights.red().doubleValue();
        } else if ("yellow".equals(account.color())) {
            load += weights.yellow().doubleValue();
        }
        if (account.renewsWithin(today, weights.renewalDays())) {
            load += weights.renewal().doubleValue();
        }
        if (account.arr() != null) {
            load += account.arr().doubleValue() / 100_000 * weights.per100kArr().doubleValue();
        }
        return load;
    }

    private static double gap(List<OwnerRules.Territory> territories, Map<UUID, Double> loads) {
        double gap = 0;
        for (OwnerRules.Territory territory : territories) {
            if (territory.pool().size() < 2) {
                continue;
            }
            double max = territory.pool().stream()
                    .mapToDouble(p -> loads.getOrDefault(p, 0.0))
                    .max()
                    .orElse(0);
            double min = territory.pool().stream()
                    .mapToDouble(p -> loads.getOrDefault(p, 0.0))
                    .min()
                    .orElse(0);
            gap = Math.max(gap, max - min);
        }
        return gap;
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    private Integer publishedVersion() {
        return journeys.published(Journeys.ASSIGNMENT)
                .map(p -> p.text().version().version())
                .orElse(null);
    }

    private static Person person(User user) {
        return user == null
                ? null
                : new Person(
                        user.id(),
                        user.email(),
                        user.displayName(),
                        user.enabled() && (user.role() == Role.CSM || user.role() == Role.MANAGER));
    }

    /** A user named by email or id. */
    private User person(String emailOrId, String field) {
        if (emailOrId == null || emailOrId.isBlank()) {
            throw new InvalidInputException(field, "is required: the email or id of a user");
        }
        Map<String, User> people = decisions.people();
        User user = people.get(AssignmentDocuments.normal(emailOrId));
        if (user == null) {
            user = people.values().stream()
                    .filter(u -> u.id().toString().equalsIgnoreCase(emailOrId.strip()))
                    .findFirst()
                    .orElse(null);
        }
        if (user == null) {
            String nearest = Conditions.nearest(AssignmentDocuments.normal(emailOrId), people.keySet());
            throw new InvalidInputException(
                    field,
                    "no user has the email or id '" + emailOrId + "'"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
        }
        return user;
    }

    /** A user who may own accounts: enabled, CSM or manager. */
    private User owner(String emailOrId, String field) {
        User user = person(emailOrId, field);
        if (!user.enabled() || (user.role() != Role.CSM && user.role() != Role.MANAGER)) {
            throw new InvalidInputException(
                    field,
                    user.email() + (user.enabled() ? " is " + user.role() : " is disabled")
                            + "; accounts are owned by enabled CSMs and managers");
        }
        return user;
    }

    private static String reason(String reason, String required) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "is required: " + required);
        }
        if (reason.length() > 500) {
            throw new InvalidInputException("reason", "has " + reason.length() + " characters; at most 500");
        }
        return reason.strip();
    }

    private AssignmentDocuments.Check read(String yaml) {
        return new AssignmentDocuments(SegmentVariables.declare(reader.attributeNames()), decisions.people())
                .read(yaml);
    }

    private void requireEditor(User author, String action) {
        if (!mayEdit(author)) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not " + action + "; ADMIN and MANAGER may");
        }
    }
}
