package dev.steward.playbook;

import dev.steward.core.ConflictException;
import dev.steward.core.Cursor;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.OutsideBookException;
import dev.steward.core.Page;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountPermissions;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.BooksOfBusiness;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The work on CTAs: lists (mine, my team's, everyone's, unassigned) with filters and sorting, one CTA with its tasks
 * and history, and what people do with them — make one by hand, work its tasks, comment, snooze until a day, reassign,
 * change the priority, close with an outcome and reopen — each recorded in its history; and the follow-up that runs on
 * its own: overdue CTAs escalated to the owner's manager, snoozed ones woken on their day. A CSM works their own CTAs,
 * unassigned ones and those with a task for them; managers and admins any; viewers read.
 */
@Service
public class CtaWork {

    static final int MAXIMUM_LIMIT = 200;
    static final int MAXIMUM_TEXT = 2000;
    static final int MAXIMUM_BULK = 500;

    /** Outcomes a CTA is closed with. */
    public static final List<String> OUTCOMES = List.of("saved", "not_saved", "expanded", "renewed", "not_needed");

    private static final List<String> SCOPES = List.of("mine", "team", "all", "unassigned");
    private static final List<String> STATUSES = List.of("active", "open", "snoozed", "closed", "any");
    private static final List<String> SORTS = List.of("due", "priority", "created");

    private final Ctas ctas;
    private final CtaNotices notices;
    private final Calendars calendars;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final BooksOfBusiness books;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private final AccountPermissions permissions;

    CtaWork(
            Ctas ctas,
            CtaNotices notices,
            Calendars calendars,
            AccountManagement accounts,
            UserDirectory users,
            BooksOfBusiness books,
            TransactionTemplate transactions,
            Clock clock,
            AccountPermissions permissions) {
        this.permissions = permissions;
        this.ctas = ctas;
        this.notices = notices;
        this.calendars = calendars;
        this.accounts = accounts;
        this.users = users;
        this.books = books;
        this.transactions = transactions;
        this.clock = clock;
    }

    // ---- Reading ----

    public Page<Cta> list(CtaQuery query, User user) {
        String scope = choice("scope", query.scope(), SCOPES, "mine");
        String status = choice("status", query.status(), STATUSES, "active");
        String sort = choice("sort", query.sort(), SORTS, "due");
        int limit = new dev.steward.core.PageLimit(50, MAXIMUM_LIMIT).of(query.limit());
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (query.owner() != null) {
            where.add("c.owner_id = ?");
            params.add(query.owner());
        } else if (query.account() == null) {
            switch (scope) {
                case "mine" -> {
                    where.add("(c.owner_id = ? or exists (select 1 from cta_task t where t.cta_id = c.id"
                            + " and t.assignee_id = ? and t.done_at is null))");
                    params.add(user.id());
                    params.add(user.id());
                }
                case "team" -> {
                    List<UUID> team = team(user);
                    where.add("c.owner_id = any(?)");
                    params.add(team.toArray(UUID[]::new));
                }
                case "unassigned" -> where.add("c.owner_id is null");
                default -> {}
            }
        }
        switch (status) {
            case "active" -> where.add("c.status <> 'closed'");
            case "any" -> {}
            default -> {
                where.add("c.status = ?");
                params.add(status);
            }
        }
        if (query.type() != null && !query.type().isBlank()) {
            where.add("c.type = ?");
            params.add(choice("type", query.type(), types(), null));
        }
        if (query.priority() != null && !query.priority().isBlank()) {
            where.add("c.priority = ?");
            params.add(choice("priority", query.priority(), priorities(), null));
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (Boolean.TRUE.equals(query.overdue())) {
            where.add("c.status = 'open' and c.due_at < ?");
            params.add(now);
        }
        if (query.account() != null) {
            where.add("c.account_id = ?");
            params.add(query.account());
        }
        if (query.playbook() != null && !query.playbook().isBlank()) {
            where.add("p.name = ?");
            params.add(query.playbook());
        }
        String rank = "(case c.priority when 'urgent' then 4 when 'high' then 3 when 'medium' then 2 else 1 end)";
        String order;
        Cursor after = query.cursor() == null ? null : decode(query.cursor());
        switch (sort) {
            case "priority" -> {
                order = rank + " desc, c.due_at, c.id";
                if (after != null) {
                    String[] parts = after.sortValue().split(",", 2);
                    where.add("(" + rank + " < ? or (" + rank + " = ? and (c.due_at, c.id) > (?, ?)))");
                    if (parts.length < 2 || !parts[0].matches("[1-4]")) {
                        throw new InvalidInputException("cursor", "is not a cursor this list gave");
                    }
                    int r = Integer.parseInt(parts[0]);
                    params.addAll(List.of(r, r, Timestamp.from(instant(parts[1])), after.id()));
                }
            }
            case "created" -> {
                order = "c.created_at desc, c.id desc";
                if (after != null) {
                    where.add("(c.created_at, c.id) < (?, ?)");
                    params.add(Timestamp.from(instant(after.sortValue())));
                    params.add(after.id());
                }
            }
            default -> {
                order = "c.due_at, c.id";
                if (after != null) {
                    where.add("(c.due_at, c.id) > (?, ?)");
                    params.add(Timestamp.from(instant(after.sortValue())));
                    params.add(after.id());
                }
            }
        }
        List<Ctas.Row> rows =
                ctas.rows(where.isEmpty() ? "true" : String.join(" and ", where), params, order, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Ctas.Row last = rows.get(limit - 1);
            // The times keep the database's microseconds: CTAs made in one playbook run share their creation time to
            // the microsecond, and a cursor cut to milliseconds would skip the rest of them.
            String value = switch (sort) {
                case "priority" -> Priority.of(last.priority()).ordinal() + 1 + "," + last.dueAt();
                case "created" -> last.createdAt().toString();
                default -> last.dueAt().toString();
            };
            next = new Cursor(value, last.id()).encode();
        }
        return new Page<>(views(rows), next);
    }

    public CtaDetail get(UUID id) {
        Ctas.Row row = ctas.find(id).orElseThrow(() -> new NotFoundException("CTA", id));
        List<Ctas.TaskRow> tasks = ctas.tasks(id);
        Map<UUID, User> people = users.findAll(tasks.stream()
                .map(Ctas.TaskRow::assignee)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet()));
        Instant now = clock.instant();
        return new CtaDetail(
                views(List.of(row)).get(0),
                tasks.stream()
                        .map(t -> new CtaDetail.Task(
                                t.id(),
                                t.position(),
                                t.title(),
                                t.role(),
                                t.assignee(),
                                t.assignee() == null || !people.containsKey(t.assignee())
                                        ? null
                                        : people.get(t.assignee()).displayName(),
                                t.dueAt(),
                                t.doneAt() == null && t.dueAt().isBefore(now),
                                t.doneAt(),
                                t.doneBy()))
                        .toList(),
                ctas.events(id));
    }

    /** How many active CTAs each owner has and how many of them are overdue. */
    public record OwnerLoad(UUID owner, String name, long active, long overdue) implements Serializable {}

    public List<OwnerLoad> loads() {
        Map<UUID, long[]> counts = ctas.openCounts(clock.instant());
        Map<UUID, User> people = users.findAll(counts.keySet());
        return counts.entrySet().stream()
                .map(e -> new OwnerLoad(
                        e.getKey(),
                        people.containsKey(e.getKey()) ? people.get(e.getKey()).displayName() : "(former user)",
                        e.getValue()[0],
                        e.getValue()[1]))
                .sorted(java.util.Comparator.comparing(OwnerLoad::overdue)
                        .reversed()
                        .thenComparing(OwnerLoad::name))
                .toList();
    }

    /** How many of the person's CTAs are open and past due: what the navigation shows beside "CTAs". */
    public long overdueCount(UUID owner) {
        return ctas.overdueCount(owner, clock.instant());
    }

    // ---- Working ----

    /** A CTA made by hand: for an account, of a type, with a title, priority and SLA, owned by the account's CSM or someone named. */
    public record NewCta(
            UUID account, String type, String title, String priority, Integer slaDays, String owner, String note) {}

    @Transactional
    public CtaDetail create(NewCta request, User user) {
        requireWorker(user);
        List<FieldError> errors = new ArrayList<>();
        if (request.account() == null) {
            errors.add(FieldError.of("account", "is required: the account's id"));
        }
        if (request.title() == null
                || request.title().isBlank()
                || request.title().length() > 200) {
            errors.add(FieldError.of("title", "is required, at most 200 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Account account = accounts.find(new AccountId(request.account()))
                .orElseThrow(() -> new InvalidInputException("account", "no account has the id " + request.account()));
        permissions.checkChange(account.id());
        CtaType type = CtaType.of(choice("type", request.type(), types(), "activity"));
        Priority priority = Priority.of(choice("priority", request.priority(), priorities(), "medium"));
        int sla = request.slaDays() == null ? 5 : request.slaDays();
        if (sla < 1 || sla > PlaybookDocuments.MAXIMUM_SLA_DAYS) {
            throw new InvalidInputException(
                    "slaDays", "is " + sla + "; business days from 1 to " + PlaybookDocuments.MAXIMUM_SLA_DAYS);
        }
        UUID owner = request.owner() == null || request.owner().isBlank()
                ? account.ownerId()
                : person("owner", request.owner()).id();
        Instant now = clock.instant();
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("trigger", "manual");
        cause.put("fact", "Made by " + user.displayName() + (request.note() == null ? "" : ": " + request.note()));
        if (account.health() != null) {
            cause.put("score", account.health().score());
            cause.put("color", account.health().color());
        }
        UUID id = ctas.insert(
                        new Ctas.New(
                                account.id().value(),
                                null,
                                null,
                                type,
                                request.title().strip(),
                                priority,
                                owner,
                                now,
                                calendars.current().due(now, sla),
                                sla,
                                cause,
                                List.of()),
                        user)
                .orElseThrow();
        if (owner != null && !owner.equals(user.id())) {
            notices.created(id, owner, account.name(), request.title().strip());
        }
        return get(id);
    }

    /**
     * A CTA another module raises for an account, owned by its CSM (unassigned when it has none): an activity CTA of
     * medium priority due in two business days, made by {@code madeBy} (such as "Email journey: Onboarding") with
     * {@code fact} as its cause. No person's permissions apply; in the caller's transaction. Its id, or empty when the
     * account does not exist.
     */
    @Transactional
    public Optional<UUID> raise(AccountId accountId, String title, String fact, String madeBy) {
        Optional<Account> found = accounts.find(accountId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Account account = found.get();
        Instant now = clock.instant();
        String shortTitle = title.length() > 200 ? title.substring(0, 199) + "…" : title;
        Map<String, Object> cause = new LinkedHashMap<>();
        cause.put("trigger", "raised");
        cause.put("fact", fact);
        Optional<UUID> id = ctas.insert(
                new Ctas.New(
                        account.id().value(),
                        null,
                        null,
                        CtaType.ACTIVITY,
                        shortTitle,
                        Priority.MEDIUM,
                        account.ownerId(),
                        now,
                        calendars.current().due(now, 2),
                        2,
                        cause,
                        List.of()),
                madeBy);
        if (account.ownerId() != null) {
            id.ifPresent(cta -> notices.created(cta, account.ownerId(), account.name(), shortTitle));
        }
        return id;
    }

    @Transactional
    public CtaDetail comment(UUID id, String text, User user) {
        requireWorker(user);
        lockFor(id, user);
        ctas.event(id, clock.instant(), user, "commented", Map.of("text", text(text, "text", true)));
        return get(id);
    }

    @Transactional
    public CtaDetail task(UUID id, UUID task, boolean done, User user) {
        requireWorker(user);
        Ctas.Row row = lockFor(id, user);
        if (row.status().equals("closed")) {
            throw ConflictException.of("The CTA is closed; reopen it to work its tasks");
        }
        Ctas.TaskRow found = ctas.tasks(id).stream()
                .filter(t -> t.id().equals(task))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("task", task));
        if ((found.doneAt() != null) == done) {
            return get(id);
        }
        Instant now = clock.instant();
        ctas.markTask(id, task, done ? now : null, done ? user.displayName() : null);
        ctas.event(id, now, user, done ? "task_done" : "task_reopened", Map.of("task", found.title()));
        return get(id);
    }

    @Transactional
    public CtaDetail snooze(UUID id, LocalDate until, String reason, User user) {
        requireWorker(user);
        Ctas.Row row = lockFor(id, user);
        if (row.status().equals("closed")) {
            throw ConflictException.of("The CTA is closed; reopen it first");
        }
        LocalDate today = calendars.current().day(clock.instant());
        if (until == null || !until.isAfter(today) || until.isAfter(today.plusDays(365))) {
            throw new InvalidInputException("until", "must be a day after today (" + today + ") and within a year");
        }
        String why = text(reason, "reason", true);
        Instant due = calendars
                .current()
                .due(until.atStartOfDay(calendars.current().zone()).toInstant(), 0);
        ctas.update(
                id,
                "status = 'snoozed', snoozed_until = ?, snooze_reason = ?, due_at = greatest(due_at, ?)",
                until,
                why,
                Timestamp.from(due));
        ctas.event(id, clock.instant(), user, "snoozed", Map.of("until", until.toString(), "reason", why));
        return get(id);
    }

    @Transactional
    public CtaDetail reassign(UUID id, String owner, String reason, User user) {
        requireWorker(user);
        Ctas.Row row = lockFor(id, user);
        User to = person("owner", owner);
        if (to.id().equals(row.owner())) {
            return get(id);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("to", to.displayName());
        if (reason != null && !reason.isBlank()) {
            detail.put("reason", text(reason, "reason", false));
        }
        ctas.update(id, "owner_id = ?", to.id());
        ctas.event(id, clock.instant(), user, "reassigned", detail);
        if (!to.id().equals(user.id())) {
            notices.reassigned(id, to.id(), accountName(row.account()), row.title(), user.displayName());
        }
        return get(id);
    }

    @Transactional
    public CtaDetail prioritize(UUID id, String priority, User user) {
        requireWorker(user);
        lockFor(id, user);
        String value = choice("priority", priority, priorities(), null);
        ctas.update(id, "priority = ?", value);
        ctas.event(id, clock.instant(), user, "priority", Map.of("priority", value));
        return get(id);
    }

    @Transactional
    public CtaDetail close(UUID id, String outcome, String reason, User user) {
        requireWorker(user);
        Ctas.Row row = lockFor(id, user);
        if (row.status().equals("closed")) {
            throw ConflictException.of("The CTA is closed already (" + row.outcome() + ")");
        }
        String value = choice("outcome", outcome, OUTCOMES, null);
        if (value == null) {
            throw new InvalidInputException("outcome", "is required: one of " + OUTCOMES);
        }
        String why = reason == null || reason.isBlank() ? null : text(reason, "reason", false);
        Instant now = clock.instant();
        ctas.update(
                id,
                "status = 'closed', closed_at = ?, closed_by = ?, outcome = ?, outcome_reason = ?, snoozed_until = null",
                Timestamp.from(now),
                user.displayName(),
                value,
                why);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("outcome", value);
        if (why != null) {
            detail.put("reason", why);
        }
        ctas.event(id, now, user, "closed", detail);
        return get(id);
    }

    @Transactional
    public CtaDetail reopen(UUID id, User user) {
        requireWorker(user);
        Ctas.Row row = lockFor(id, user);
        if (!row.status().equals("closed")) {
            return get(id);
        }
        try {
            ctas.update(
                    id, "status = 'open', closed_at = null, closed_by = null, outcome = null, outcome_reason = null");
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw ConflictException.of("The account has another open CTA of this playbook; work that one");
        }
        ctas.event(id, clock.instant(), user, "reopened", Map.of());
        return get(id);
    }

    /** One action on many CTAs: {@code close}, {@code snooze}, {@code reassign} or {@code priority}. */
    public record Bulk(
            List<UUID> ids,
            String action,
            String outcome,
            String reason,
            LocalDate until,
            String owner,
            String priority) {}

    /** What a bulk action did: how many CTAs it changed, and why each of the others was left. */
    public record BulkDone(int changed, List<FieldError> refused) implements Serializable {}

    public BulkDone bulk(Bulk request, User user) {
        requireWorker(user);
        if (request.ids() == null || request.ids().isEmpty() || request.ids().size() > MAXIMUM_BULK) {
            throw new InvalidInputException("ids", "must list 1 to " + MAXIMUM_BULK + " CTAs");
        }
        String action = choice("action", request.action(), List.of("close", "snooze", "reassign", "priority"), null);
        if (action == null) {
            throw new InvalidInputException("action", "is required: close, snooze, reassign or priority");
        }
        int changed = 0;
        List<FieldError> refused = new ArrayList<>();
        for (int i = 0; i < request.ids().size(); i++) {
            UUID id = request.ids().get(i);
            int index = i;
            try {
                // Each CTA in a transaction of its own (calls on this object bypass the @Transactional proxy): its row
                // lock is held while it changes, and a refusal of one leaves the others' changes in place.
                transactions.executeWithoutResult(status -> {
                    switch (action) {
                        case "close" -> close(id, request.outcome(), request.reason(), user);
                        case "snooze" -> snooze(id, request.until(), request.reason(), user);
                        case "reassign" -> reassign(id, request.owner(), request.reason(), user);
                        default -> prioritize(id, request.priority(), user);
                    }
                });
                changed++;
            } catch (InvalidInputException e) {
                e.errors().forEach(error -> refused.add(error.forRecord(index, id.toString())));
            } catch (NotFoundException
                    | ConflictException
                    | OutsideBookException
                    | org.springframework.security.access.AccessDeniedException e) {
                refused.add(new FieldError(i, id.toString(), "id", e.getMessage()));
            }
        }
        return new BulkDone(changed, refused);
    }

    // ---- Follow-up (jobs) ----

    /** Marks open CTAs past due as escalated and tells the owner's manager; answers how many. */
    @Transactional
    public int escalateOverdue() {
        Instant now = clock.instant();
        List<Ctas.Row> overdue = ctas.overdue(now, 500);
        if (overdue.isEmpty()) {
            return 0;
        }
        Map<UUID, UUID> managers = books.managers();
        Map<UUID, String> names =
                accountNames(overdue.stream().map(Ctas.Row::account).toList());
        for (Ctas.Row row : overdue) {
            UUID manager = row.owner() == null ? null : managers.get(row.owner());
            if (manager != null && manager.equals(row.owner())) {
                manager = null;
            }
            ctas.update(row.id(), "escalated_at = ?", Timestamp.from(now));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("due", row.dueAt().toString());
            if (manager != null) {
                users.find(manager).ifPresent(m -> detail.put("to", m.displayName()));
            } else {
                detail.put("to", "no manager: the owner has no team in the books of business");
            }
            ctas.event(row.id(), now, "Steward", "escalated", detail);
            notices.escalated(row.id(), manager, row.owner(), names.getOrDefault(row.account(), ""), row.title());
        }
        return overdue.size();
    }

    /** Opens snoozed CTAs whose day has come; answers how many. */
    @Transactional
    public int wakeSnoozed() {
        LocalDate today = calendars.current().day(clock.instant());
        List<UUID> waking = ctas.waking(today, 500);
        for (UUID id : waking) {
            ctas.update(id, "status = 'open', snoozed_until = null");
            ctas.event(id, clock.instant(), "Steward", "woke", Map.of());
        }
        return waking.size();
    }

    // ---- Helpers ----

    /** The people whose CTAs a user's team list shows: those they manage in the books of business, and themselves. */
    List<UUID> team(User user) {
        List<UUID> team = new ArrayList<>();
        team.add(user.id());
        books.managers().forEach((member, manager) -> {
            if (manager.equals(user.id()) && !member.equals(user.id())) {
                team.add(member);
            }
        });
        return team;
    }

    private List<Cta> views(List<Ctas.Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, String> names =
                accountNames(rows.stream().map(Ctas.Row::account).toList());
        Map<UUID, User> owners = users.findAll(
                rows.stream().map(Ctas.Row::owner).filter(Objects::nonNull).collect(Collectors.toSet()));
        Instant now = clock.instant();
        return rows.stream()
                .map(r -> new Cta(
                        r.id(),
                        r.account(),
                        names.getOrDefault(r.account(), "(deleted account)"),
                        r.playbook(),
                        r.playbookVersion(),
                        r.type(),
                        r.title(),
                        r.priority(),
                        r.status(),
                        r.owner(),
                        r.owner() == null || !owners.containsKey(r.owner())
                                ? null
                                : owners.get(r.owner()).displayName(),
                        r.createdAt(),
                        r.dueAt(),
                        r.slaDays(),
                        r.status().equals("open") && r.dueAt().isBefore(now),
                        r.escalatedAt(),
                        r.snoozedUntil(),
                        r.snoozeReason(),
                        r.closedAt(),
                        r.closedBy(),
                        r.outcome(),
                        r.outcomeReason(),
                        r.cause(),
                        r.tasks(),
                        r.tasksDone()))
                .toList();
    }

    private Map<UUID, String> accountNames(Collection<UUID> ids) {
        Map<UUID, String> names = new HashMap<>();
        accounts.findAll(ids.stream().distinct().map(AccountId::new).toList())
                .forEach(a -> names.put(a.id().value(), a.name()));
        return names;
    }

    private String accountName(UUID account) {
        return accountNames(List.of(account)).getOrDefault(account, "");
    }

    /** The CTA, locked, if the user may work it: a CSM their own, unassigned ones and those with a task for them. */
    private Ctas.Row lockFor(UUID id, User user) {
        Ctas.Row row = ctas.lock(id).orElseThrow(() -> new NotFoundException("CTA", id));
        if (user.role() == Role.CSM
                && row.owner() != null
                && !row.owner().equals(user.id())
                && ctas.tasks(id).stream().noneMatch(t -> user.id().equals(t.assignee()))) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "This CTA is " + ownerName(row.owner()) + "'s; a CSM works their own CTAs");
        }
        if (user.role() != Role.CSM) {
            // A CSM works the CTAs given to them, whoever owns the account; anyone else within their book.
            permissions.checkChange(new AccountId(row.account()));
        }
        return row;
    }

    private String ownerName(UUID owner) {
        return users.find(owner).map(User::displayName).orElse("someone else");
    }

    private static void requireWorker(User user) {
        if (user.role() == Role.VIEWER) {
            throw new org.springframework.security.access.AccessDeniedException(
                    "Viewers read CTAs; they do not work them");
        }
    }

    private User person(String field, String owner) {
        if (owner == null || owner.isBlank()) {
            throw new InvalidInputException(field, "is required: the email or id of a CSM or manager");
        }
        User found;
        try {
            found = users.find(UUID.fromString(owner.strip())).orElse(null);
        } catch (IllegalArgumentException e) {
            found = users.findByEmail(owner.strip()).orElse(null);
        }
        if (found == null) {
            throw new InvalidInputException(field, "no user is '" + owner + "'");
        }
        if (!found.enabled() || !Set.of(Role.CSM, Role.MANAGER, Role.ADMIN).contains(found.role())) {
            throw new InvalidInputException(field, found.email() + " cannot own CTAs (disabled or a viewer)");
        }
        return found;
    }

    private static String text(String text, String field, boolean required) {
        if (text == null || text.isBlank()) {
            if (required) {
                throw new InvalidInputException(field, "is required");
            }
            return null;
        }
        if (text.length() > MAXIMUM_TEXT) {
            throw new InvalidInputException(field, "has " + text.length() + " characters; at most " + MAXIMUM_TEXT);
        }
        return text.strip();
    }

    static String choice(String field, String value, List<String> choices, String otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        String normal = value.strip().toLowerCase(Locale.ROOT);
        if (!choices.contains(normal)) {
            throw new InvalidInputException(field, "is '" + value + "'; use one of " + choices);
        }
        return normal;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("cursor", "is not a cursor this list gave");
        }
    }

    private static Cursor decode(String cursor) {
        try {
            Cursor decoded = Cursor.decode(cursor);
            if (decoded.sortValue() == null) {
                throw new IllegalArgumentException();
            }
            return decoded;
        } catch (RuntimeException e) {
            throw new InvalidInputException("cursor", "is not a cursor this list gave");
        }
    }

    static List<String> types() {
        return java.util.Arrays.stream(CtaType.values()).map(CtaType::value).toList();
    }

    static List<String> priorities() {
        return java.util.Arrays.stream(Priority.values()).map(Priority::value).toList();
    }
}
