package dev.steward.insight;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.Conditions;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.lifecycle.AccountConditions;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * People's alert rules: anyone signed in writes their own (an administrator sees and changes everyone's); each is
 * checked on save (a condition compiled against the variables segment and playbook conditions read, each problem at
 * its line and column), and a new or changed rule is evaluated at once in the background to take stock.
 */
@Service
class Alerts {

    static final int MAX_NAME = 200;
    static final int MAX_CONDITION = 4000;
    static final int MAX_RULES = 100;
    static final int MAX_HISTORY = 500;
    static final dev.steward.core.PageLimit HISTORY = new dev.steward.core.PageLimit(50, MAX_HISTORY);
    static final Pattern TOPIC = Pattern.compile("[a-z][a-z0-9_]{0,49}");

    /** Whether a rule as written can be saved, and what its figure reads now. */
    record Validation(
            boolean valid,
            List<AlertProblem> problems,
            @Nullable String currentValue) {}

    private final AlertRules rules;
    private final AlertFigures figures;
    private final AccountConditions conditions;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final SchedulerClient jobs;
    private final OneTimeTask<AlertJobs.Rule> takeStock;
    private final Clock clock;

    Alerts(
            AlertRules rules,
            AlertFigures figures,
            AccountConditions conditions,
            AccountManagement accounts,
            UserDirectory users,
            SchedulerClient jobs,
            OneTimeTask<AlertJobs.Rule> takeStock,
            Clock clock) {
        this.rules = rules;
        this.figures = figures;
        this.conditions = conditions;
        this.accounts = accounts;
        this.users = users;
        this.jobs = jobs;
        this.takeStock = takeStock;
        this.clock = clock;
    }

    /** The viewer's rules; an administrator's list holds everyone's. */
    List<AlertRule> list(User viewer) {
        return rules.list(viewer.role() == Role.ADMIN ? null : owner(viewer));
    }

    /** One rule, for its owner or an administrator; anyone else is told it does not exist. */
    AlertRule get(User viewer, UUID id) {
        return rules.find(id)
                .filter(rule -> viewer.role() == Role.ADMIN || rule.ownerId().equals(viewer.id()))
                .orElseThrow(() -> new NotFoundException("alert rule", id));
    }

    @Transactional
    AlertRule create(User viewer, AlertRequest request) {
        UUID owner = owner(viewer);
        if (rules.countOwnedBy(owner) >= MAX_RULES) {
            throw new InvalidInputException(
                    "rules",
                    "you have " + MAX_RULES + " alert rules, the most one person may" + " have; delete one first");
        }
        Instant now = clock.instant();
        AlertRule rule = checked(request, Ids.newId(), owner, now, now);
        rules.insert(rule);
        startOver(rule);
        return rules.find(rule.id()).orElseThrow();
    }

    @Transactional
    AlertRule update(User viewer, UUID id, AlertRequest request) {
        AlertRule current = get(viewer, id);
        Instant now = clock.instant();
        // Two writes within the clock's resolution would look like one version to a running evaluation.
        Instant version =
                now.isAfter(current.updatedAt()) ? now : current.updatedAt().plusMillis(1);
        AlertRule rule = checked(request, id, current.ownerId(), current.createdAt(), version);
        boolean restart = !rule.watchesTheSameAs(current) || (rule.enabled() && !current.enabled());
        rules.update(rule, restart);
        if (restart) {
            startOver(rule);
        }
        return rules.find(id).orElseThrow();
    }

    @Transactional
    void delete(User viewer, UUID id) {
        get(viewer, id);
        rules.delete(id);
    }

    /** A rule's firings, newest first. */
    List<AlertFiring> history(User viewer, UUID id, @Nullable Instant beforeAt, @Nullable UUID beforeId, int limit) {
        HISTORY.of(limit);
        get(viewer, id);
        return rules.firings(id, beforeAt, beforeId, limit);
    }

    /** How many accounts an account rule holds for now. */
    long holdingCount(UUID rule) {
        return rules.holdingCount(rule);
    }

    /** Checks a rule as written without saving it; a figure rule's figure is read as it stands now. */
    Validation validate(AlertRequest request) {
        try {
            AlertRule rule = checked(request, UUID.randomUUID(), UUID.randomUUID(), clock.instant(), clock.instant());
            String current = null;
            if (rule.kind() == AlertRule.Kind.figure) {
                AlertFigures.Reading reading = figures.read(rule.figure(), rule.tier(), rule.figureOwnerId());
                current = reading.value() == null
                        ? reading.problem()
                        : rule.figure().format(reading.value());
            }
            return new Validation(true, List.of(), current);
        } catch (InvalidAlertRule e) {
            return new Validation(false, e.problems(), null);
        }
    }

    /** The evaluation of a new or changed rule's condition, in the background once this transaction commits. */
    private void startOver(AlertRule rule) {
        if (rule.enabled()) {
            jobs.scheduleIfNotExists(
                    takeStock.instance(
                            rule.id() + "@" + rule.updatedAt().toEpochMilli(), new AlertJobs.Rule(rule.id())),
                    clock.instant());
        }
    }

    private static UUID owner(User viewer) {
        if (viewer.id() == null) {
            throw new InvalidInputException(
                    "owner", "this sign-in has no user to own alert rules; sign in as a person or use their API key");
        }
        return viewer.id();
    }

    /** The rule as written, or every problem with it. */
    private AlertRule checked(AlertRequest request, UUID id, UUID owner, Instant created, Instant updated) {
        List<AlertProblem> problems = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty()) {
            problems.add(AlertProblem.of("name", "is required: say what the alert is about"));
        } else if (name.length() > MAX_NAME) {
            problems.add(AlertProblem.of("name", "is longer than " + MAX_NAME + " characters"));
        }
        AlertRule.Kind kind = choice("kind", request.kind(), AlertRule.Kind.class, null, problems);
        String condition = null;
        AlertRule.Scope scope = null;
        AlertFigure figure = null;
        String tier = null;
        UUID figureOwner = null;
        AlertRule.Operator operator = null;
        BigDecimal threshold = null;
        if (kind == AlertRule.Kind.account) {
            condition = request.condition() == null ? "" : request.condition().strip();
            scope = choice("scope", request.scope(), AlertRule.Scope.class, AlertRule.Scope.book, problems);
            checkCondition(condition, problems);
        } else if (kind == AlertRule.Kind.figure) {
            figure = choice("figure", request.figure(), AlertFigure.class, null, problems);
            tier = request.tier() == null || request.tier().isBlank()
                    ? null
                    : request.tier().strip();
            if (tier != null && !accounts.tiers().contains(tier)) {
                problems.add(AlertProblem.of(
                        "tier", "no account has tier '" + tier + "'; tiers: " + String.join(", ", accounts.tiers())));
            }
            figureOwner = request.owner();
            if (figureOwner != null) {
                if (figure != null && !figure.byOwner()) {
                    problems.add(AlertProblem.of(
                            "owner", figure.name() + " is measured per tier, not per CSM; leave owner out"));
                } else if (users.find(figureOwner).isEmpty()) {
                    problems.add(AlertProblem.of("owner", "no user has id " + figureOwner));
                }
            }
            operator = choice("operator", request.operator(), AlertRule.Operator.class, null, problems);
            threshold = request.threshold();
            if (threshold == null) {
                problems.add(AlertProblem.of(
                        "threshold",
                        "is required: the value to compare the figure with (money as a number, a ratio as 0.9 for"
                                + " 90 %)"));
            } else if (figure != null
                    && figure.unit() == AlertFigure.Unit.ratio
                    && threshold.abs().compareTo(BigDecimal.TEN) > 0) {
                problems.add(AlertProblem.of(
                        "threshold",
                        figure.name() + " is a ratio: write 90 % as 0.9, not " + threshold.toPlainString()));
            }
        }
        Set<AlertRule.Channel> channels = EnumSet.noneOf(AlertRule.Channel.class);
        List<String> written = request.channels() == null ? List.of("in_app") : request.channels();
        for (int i = 0; i < written.size(); i++) {
            AlertRule.Channel channel =
                    choice("channels[" + i + "]", written.get(i), AlertRule.Channel.class, null, problems);
            if (channel != null) {
                channels.add(channel);
            }
        }
        if (written.isEmpty()) {
            problems.add(AlertProblem.of("channels", "name at least one of in_app, email, webhook"));
        }
        if (channels.contains(AlertRule.Channel.email)) {
            // An email is a notification, and every notification is in the in-app list.
            channels.add(AlertRule.Channel.in_app);
        }
        AlertRule.Delivery delivery = choice(
                "delivery", request.delivery(), AlertRule.Delivery.class, AlertRule.Delivery.immediate, problems);
        String topic = request.webhookTopic() == null || request.webhookTopic().isBlank()
                ? null
                : request.webhookTopic().strip();
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            problems.add(AlertProblem.of(
                    "webhookTopic",
                    "'" + topic + "' is not a topic: a lower-case word (letters, digits, _), at most 50 characters;"
                            + " events go out as alert.<topic>"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidAlertRule(problems);
        }
        return new AlertRule(
                id,
                owner,
                name,
                kind,
                condition,
                scope,
                figure,
                tier,
                figureOwner,
                operator,
                threshold,
                Set.copyOf(channels),
                delivery,
                topic,
                request.enabled() == null || request.enabled(),
                null,
                false,
                null,
                null,
                null,
                created,
                updated);
    }

    private void checkCondition(String condition, List<AlertProblem> problems) {
        if (condition.isEmpty()) {
            problems.add(AlertProblem.of(
                    "condition", "is required: a CEL condition over an account, such as health.color == \"red\""));
            return;
        }
        if (condition.length() > MAX_CONDITION) {
            problems.add(AlertProblem.of("condition", "is longer than " + MAX_CONDITION + " characters"));
            return;
        }
        Conditions.Compiled compiled = conditions.declarations().compile(condition);
        for (Conditions.Problem problem : compiled.problems()) {
            problems.add(new AlertProblem("condition", problem.line(), problem.column(), problem.reason()));
        }
    }

    private static <E extends Enum<E>> @Nullable E choice(
            String field, @Nullable String value, Class<E> type, @Nullable E fallback, List<AlertProblem> problems) {
        List<String> names =
                Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        if (value == null || value.isBlank()) {
            if (fallback == null) {
                problems.add(AlertProblem.of(field, "is required: one of " + String.join(", ", names)));
            }
            return fallback;
        }
        String wanted = value.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        problems.add(AlertProblem.of(field, "'" + value + "' is not one of " + String.join(", ", names)));
        return null;
    }
}
