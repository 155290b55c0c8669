package dev.steward.insight;

import dev.steward.core.Conditions;
import dev.steward.core.Ids;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.AccountConditions;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides whether alert rules hold and reports each crossing once. An account rule is evaluated for many accounts at
 * once (the accounts of one change, or a thousand at a time when every account was scored): every account's facts are
 * read once for all the rules, through lifecycle's {@link AccountConditions} (the variables segment and playbook
 * conditions read); the accounts a rule held for before are read in one query, and only the difference is written:
 * those that started to hold fire (one message per rule for all of them), those that stopped are recorded as
 * recovered, so that their next crossing fires again. A figure rule keeps the same on itself.
 *
 * <p>A new rule (or one whose condition, scope or threshold changed) first takes stock: what already holds is reported
 * once as its initial state, in one message; crossings are reported from then on.
 */
@Service
class AlertEvaluation {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluation.class);

    /** Accounts evaluated in one transaction. */
    static final int BATCH = 1000;

    private final AlertRules rules;
    private final AlertRequests requests;
    private final AlertFigures figures;
    private final AlertDelivery delivery;
    private final AccountConditions conditions;
    private final AccountManagement accounts;
    private final Cockpits cockpits;
    private final UserDirectory users;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AlertEvaluation(
            AlertRules rules,
            AlertRequests requests,
            AlertFigures figures,
            AlertDelivery delivery,
            AccountConditions conditions,
            AccountManagement accounts,
            Cockpits cockpits,
            UserDirectory users,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.rules = rules;
        this.requests = requests;
        this.figures = figures;
        this.delivery = delivery;
        this.conditions = conditions;
        this.accounts = accounts;
        this.cockpits = cockpits;
        this.users = users;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Evaluates the account rules for the accounts that asked for it, a batch per transaction, until none wait. */
    void evaluateRequested(BooleanSupplier stopping) {
        while (!stopping.getAsBoolean()) {
            Boolean more = transactions.execute(status -> {
                Set<UUID> ids = requests.take(BATCH);
                if (!ids.isEmpty()) {
                    evaluate(rules.enabled(AlertRule.Kind.account, true), ids, null);
                }
                return ids.size() == BATCH;
            });
            if (!Boolean.TRUE.equals(more)) {
                return;
            }
        }
    }

    /** Evaluates the account rules for every account (after every account was scored), a batch per transaction. */
    void evaluateAll() {
        if (rules.enabled(AlertRule.Kind.account, true).isEmpty()) {
            return;
        }
        conditions.eachBatch(batch -> transactions.executeWithoutResult(
                status -> evaluate(rules.enabled(AlertRule.Kind.account, true), batch, null)));
    }

    /** Evaluates the account rules for these accounts, in the caller's transaction. */
    void evaluate(Collection<UUID> ids) {
        evaluate(rules.enabled(AlertRule.Kind.account, true), ids, null);
    }

    /**
     * The first evaluation of a rule as last written: what holds already is recorded and reported once, as its
     * initial state. Nothing is reported when the rule was changed or removed meanwhile (its new version takes stock
     * afresh).
     */
    void takeStock(UUID id) {
        Optional<AlertRule> found = rules.find(id);
        if (found.isEmpty() || found.get().baselineAt() != null || !found.get().enabled()) {
            return;
        }
        AlertRule rule = found.get();
        if (rule.kind() == AlertRule.Kind.figure) {
            transactions.executeWithoutResult(status -> evaluateFigure(rule));
            return;
        }
        List<AlertDelivery.Line> initial = new ArrayList<>();
        long[] total = new long[1];
        UUID[] first = new UUID[1];
        conditions.eachBatch(batch -> transactions.executeWithoutResult(status -> {
            // A rule changed meanwhile is left out (it takes stock afresh): no state of its old condition is written.
            evaluate(List.of(rule), batch, new Initial(initial, total, first));
        }));
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            if (!rules.baselined(rule.id(), rule.updatedAt(), now)) {
                status.setRollbackOnly();
                return;
            }
            if (total[0] == 0) {
                rules.addFirings(List.of(new AlertFiring(
                        Ids.newId(),
                        rule.id(),
                        AlertFiring.Event.initial,
                        null,
                        null,
                        null,
                        "No account matched when the rule started",
                        now)));
            } else {
                initial.sort(Comparator.comparing(AlertDelivery.Line::name, String.CASE_INSENSITIVE_ORDER));
                delivery.accounts(rule, true, initial, total[0], first[0]);
            }
        });
    }

    /** Collects what held already during a rule's first evaluation, and the first of its firings (the message's key). */
    private record Initial(List<AlertDelivery.Line> lines, long[] total, UUID[] firstFiring) {}

    /**
     * Evaluates these rules for these accounts and records the difference; with {@code initial} (one rule taking
     * stock), what holds is collected there instead of delivered.
     */
    private void evaluate(List<AlertRule> read, Collection<UUID> ids, @Nullable Initial initial) {
        if (read.isEmpty() || ids.isEmpty()) {
            return;
        }
        List<AlertRule> active = rules.lockUnchanged(read);
        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        Conditions declarations = conditions.declarations();
        Map<String, Conditions.Compiled> compiled = new HashMap<>();
        List<AlertRule> runnable = new ArrayList<>();
        for (AlertRule rule : active) {
            Conditions.Compiled condition = compiled.computeIfAbsent(rule.condition(), declarations::compile);
            if (condition.compiles()) {
                runnable.add(rule);
            } else {
                // An attribute it read was removed: say so on the rule rather than deciding it does not hold.
                rules.recordProblem(rule.id(), "the condition no longer compiles: " + condition.problems(), now);
            }
        }
        compiled.values().removeIf(c -> !c.compiles());
        if (runnable.isEmpty()) {
            return;
        }
        Map<UUID, Account> found = new HashMap<>();
        accounts.findAll(ids.stream().map(AccountId::new).toList())
                .forEach(account -> found.put(account.id().value(), account));
        Map<UUID, Map<String, Conditions.Outcome>> outcomes = conditions.outcomes(compiled, found.keySet(), today);
        Map<UUID, Set<UUID>> before =
                rules.holding(runnable.stream().map(AlertRule::id).toList(), ids);
        Map<UUID, Set<UUID>> books = new HashMap<>();
        List<AlertFiring> firings = new ArrayList<>();
        for (AlertRule rule : runnable) {
            Set<UUID> book =
                    rule.scope() == AlertRule.Scope.book ? books.computeIfAbsent(rule.ownerId(), this::book) : null;
            Set<UUID> holds = new LinkedHashSet<>();
            outcomes.forEach((account, byCondition) -> {
                Conditions.Outcome outcome = byCondition.get(rule.condition());
                Account a = found.get(account);
                if (outcome != null
                        && outcome.holds()
                        && (book == null || (a.ownerId() != null && book.contains(a.ownerId())))) {
                    holds.add(account);
                }
            });
            Set<UUID> held = before.getOrDefault(rule.id(), Set.of());
            Set<UUID> started = new LinkedHashSet<>(holds);
            started.removeAll(held);
            Set<UUID> stopped = new HashSet<>(held);
            stopped.removeAll(holds);
            Set<UUID> crossed = rules.enter(rule.id(), started, now);
            Set<UUID> recovered = rules.leave(rule.id(), stopped);
            if (rule.lastProblem() != null && initial == null) {
                rules.recordProblem(rule.id(), null, now);
            }
            List<AlertDelivery.Line> lines = new ArrayList<>();
            AlertFiring.Event event = initial == null ? AlertFiring.Event.crossed : AlertFiring.Event.initial;
            UUID firing = null;
            for (UUID account : crossed) {
                AlertDelivery.Line line = line(found.get(account), today);
                lines.add(line);
                UUID id = Ids.newId();
                firing = firing == null ? id : firing;
                firings.add(new AlertFiring(
                        id, rule.id(), event, account, line.name(), null, line.name() + ": " + line.detail(), now));
            }
            for (UUID account : recovered) {
                Account a = found.get(account);
                String name = a == null ? "(deleted account)" : a.name();
                firings.add(new AlertFiring(
                        Ids.newId(),
                        rule.id(),
                        AlertFiring.Event.recovered,
                        account,
                        name,
                        null,
                        name + ": no longer matches"
                                + (a == null ? "" : " (" + line(a, today).detail() + ")"),
                        now));
            }
            if (lines.isEmpty()) {
                continue;
            }
            lines.sort(Comparator.comparing(AlertDelivery.Line::name, String.CASE_INSENSITIVE_ORDER));
            if (initial != null) {
                initial.total()[0] += lines.size();
                if (initial.firstFiring()[0] == null) {
                    initial.firstFiring()[0] = firing;
                }
                if (initial.lines().size() < AlertDelivery.NAMED) {
                    initial.lines().addAll(lines.subList(0, Math.min(lines.size(), AlertDelivery.NAMED)));
                }
            } else {
                delivery.accounts(rule, false, lines, lines.size(), firing);
            }
        }
        rules.addFirings(firings);
    }

    /** The accounts' owners a rule on "my book" watches: its owner's (a manager's, with their team's). */
    private Set<UUID> book(UUID owner) {
        Optional<User> user = users.find(owner);
        return user.isEmpty() ? Set.of() : cockpits.scope(user.get(), null).ids();
    }

    /** What an account looks like in a message: health, ARR, renewal. */
    static AlertDelivery.Line line(Account account, LocalDate today) {
        List<String> parts = new ArrayList<>();
        if (account.health() == null) {
            parts.add("not scored");
        } else {
            parts.add("health " + account.health().color().toLowerCase(Locale.ROOT) + " "
                    + Math.round(account.health().score()));
        }
        if (account.arr() != null && account.arr().signum() > 0) {
            parts.add("ARR " + AlertFigure.arr_at_risk.format(account.arr()));
        }
        if (account.renewalDate() != null) {
            long days = java.time.temporal.ChronoUnit.DAYS.between(today, account.renewalDate());
            parts.add("renews " + account.renewalDate() + (days >= 0 ? " (in " + days + " days)" : ""));
        }
        return new AlertDelivery.Line(account.id().value(), account.name(), String.join(", ", parts));
    }

    /** Evaluates every enabled figure rule, each in a transaction of its own. */
    void evaluateFigures() {
        for (AlertRule rule : rules.enabled(AlertRule.Kind.figure, false)) {
            try {
                transactions.executeWithoutResult(status -> evaluateFigure(rule));
            } catch (RuntimeException e) {
                log.warn("Alert rule {} could not be evaluated", rule.id(), e);
            }
        }
    }

    /** Reads the rule's figure, records it, and fires when it crossed (or reports it crossed already, at first). */
    private void evaluateFigure(AlertRule rule) {
        Instant now = clock.instant();
        boolean first = rule.baselineAt() == null;
        AlertFigures.Reading reading = figures.read(rule.figure(), rule.tier(), rule.figureOwnerId());
        if (reading.value() == null) {
            // No data is no crossing and no recovery: the rule keeps what it knew.
            rules.recordFigure(rule, rule.holding(), null, reading.problem(), first, now);
            return;
        }
        BigDecimal value = reading.value();
        boolean holds = rule.operator().crossed(value, rule.threshold());
        if (!rules.recordFigure(rule, holds, value, null, first, now)) {
            return; // changed meanwhile: its new version is evaluated afresh
        }
        if (!first && holds == rule.holding()) {
            return;
        }
        AlertFiring.Event event =
                first ? AlertFiring.Event.initial : holds ? AlertFiring.Event.crossed : AlertFiring.Event.recovered;
        String ownerName = rule.figureOwnerId() == null
                ? null
                : users.find(rule.figureOwnerId()).map(User::displayName).orElse(null);
        String message = rule.figure().label() + AlertDelivery.narrowing(rule, ownerName) + " is "
                + rule.figure().format(value) + ", "
                + (holds
                        ? rule.operator().name()
                        : first ? "not " + rule.operator().name() : "back within")
                + " " + rule.figure().format(rule.threshold());
        UUID firing = Ids.newId();
        rules.addFirings(List.of(new AlertFiring(firing, rule.id(), event, null, null, value, message, now)));
        if (holds) {
            delivery.figure(rule, first, value, ownerName, firing);
        }
    }
}
