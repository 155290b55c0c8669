package dev.steward.insight;

import dev.steward.customer.AccountManagement;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The alerts pages: one's rules with what each holds for now, a form to write one (checked as it is typed: the
 * condition's problems at their line and column, a figure's value now) and each rule's history.
 */
@Controller
@RequestMapping("/insight/alerts")
class AlertPages {

    private final Alerts alerts;
    private final UserDirectory users;
    private final AccountManagement accounts;

    AlertPages(Alerts alerts, UserDirectory users, AccountManagement accounts) {
        this.alerts = alerts;
        this.users = users;
        this.accounts = accounts;
    }

    /** A rule as a page shows it in the list: with whose it is and what it holds for now. */
    record Listed(AlertRule rule, String owner, String watches, String now) {}

    @GetMapping
    String list(Authentication authentication, Model model) {
        User viewer = users.signedIn(authentication);
        List<AlertRule> rules = alerts.list(viewer);
        Map<UUID, User> owners =
                users.findAll(rules.stream().map(AlertRule::ownerId).collect(java.util.stream.Collectors.toSet()));
        model.addAttribute(
                "rules",
                rules.stream()
                        .map(rule -> new Listed(
                                rule,
                                owners.containsKey(rule.ownerId())
                                        ? owners.get(rule.ownerId()).displayName()
                                        : rule.ownerId().toString(),
                                watches(rule),
                                now(rule)))
                        .toList());
        model.addAttribute("activeNav", "alerts");
        return "insight/alerts";
    }

    @GetMapping("/new")
    String create(
            @RequestParam(required = false) @Nullable String kind,
            @RequestParam(required = false) @Nullable String figure,
            @RequestParam(required = false) @Nullable String tier,
            Model model) {
        AlertRequest start = new AlertRequest(
                null,
                kind == null ? (figure == null ? "account" : "figure") : kind,
                "health.color == \"red\"",
                "book",
                figure == null ? "arr_at_risk" : figure,
                tier,
                null,
                "above",
                null,
                List.of("in_app"),
                "immediate",
                null,
                true);
        return form(null, start, null, model);
    }

    @PostMapping
    String created(
            @RequestParam Map<String, String> form,
            @RequestParam(required = false) @Nullable List<String> channels,
            Authentication authentication,
            Model model) {
        try {
            AlertRule rule = alerts.create(users.signedIn(authentication), request(form, channels, true));
            return "redirect:/insight/alerts/" + rule.id();
        } catch (InvalidAlertRule e) {
            return form(null, request(form, channels, false), e.problems(), model);
        }
    }

    @GetMapping("/{id}")
    String rule(@PathVariable UUID id, Authentication authentication, Model model) {
        AlertRule rule = alerts.get(users.signedIn(authentication), id);
        return form(rule, written(rule), null, model);
    }

    @PostMapping("/{id}")
    String updated(
            @PathVariable UUID id,
            @RequestParam Map<String, String> form,
            @RequestParam(required = false) @Nullable List<String> channels,
            Authentication authentication,
            Model model) {
        User viewer = users.signedIn(authentication);
        AlertRule current = alerts.get(viewer, id);
        try {
            alerts.update(viewer, id, request(form, channels, true));
            return "redirect:/insight/alerts/" + id;
        } catch (InvalidAlertRule e) {
            return form(current, request(form, channels, false), e.problems(), model);
        }
    }

    @PostMapping("/{id}/delete")
    String deleted(@PathVariable UUID id, Authentication authentication) {
        alerts.delete(users.signedIn(authentication), id);
        return "redirect:/insight/alerts";
    }

    /** The check shown beside the form as it is typed. */
    @PostMapping("/validate")
    String validate(
            @RequestParam Map<String, String> form,
            @RequestParam(required = false) @Nullable List<String> channels,
            Model model) {
        Alerts.Validation validation;
        try {
            validation = alerts.validate(request(form, channels, true));
        } catch (InvalidAlertRule e) {
            validation = new Alerts.Validation(false, e.problems(), null);
        }
        model.addAttribute("validation", validation);
        return "insight/alert :: validation";
    }

    private String form(
            @Nullable AlertRule rule, AlertRequest request, @Nullable List<AlertProblem> problems, Model model) {
        model.addAttribute("activeNav", "alerts");
        model.addAttribute("rule", rule);
        model.addAttribute("form", request);
        model.addAttribute("validation", problems == null ? null : new Alerts.Validation(false, problems, null));
        model.addAttribute("figures", AlertFigure.values());
        model.addAttribute("tiers", accounts.tiers());
        model.addAttribute("owners", users.accountOwners());
        if (rule != null) {
            model.addAttribute("now", now(rule));
            model.addAttribute(
                    "history", alerts.history(users.find(rule.ownerId()).orElseThrow(), rule.id(), null, null, 100));
        }
        return "insight/alert";
    }

    /** What the rule watches, in words. */
    static String watches(AlertRule rule) {
        if (rule.kind() == AlertRule.Kind.account) {
            return (rule.scope() == AlertRule.Scope.book ? "My book: " : "Every account: ") + rule.condition();
        }
        return rule.figure().label() + AlertDelivery.narrowing(rule, null) + " "
                + rule.operator().name() + " " + rule.figure().format(rule.threshold());
    }

    /** What holds now: an account rule's accounts, a figure rule's value. */
    private String now(AlertRule rule) {
        if (!rule.enabled()) {
            return "disabled";
        }
        if (rule.baselineAt() == null) {
            return "taking stock…";
        }
        if (rule.kind() == AlertRule.Kind.account) {
            long holding = alerts.holdingCount(rule.id());
            return holding == 1 ? "holds for 1 account" : "holds for " + holding + " accounts";
        }
        if (rule.lastValue() == null) {
            return rule.lastProblem() == null ? "no data" : rule.lastProblem();
        }
        return (rule.holding() ? "crossed: " : "within: ") + rule.figure().format(rule.lastValue());
    }

    private static AlertRequest written(AlertRule rule) {
        return new AlertRequest(
                rule.name(),
                rule.kind().name(),
                rule.condition(),
                rule.scope() == null ? null : rule.scope().name(),
                rule.figure() == null ? null : rule.figure().name(),
                rule.tier(),
                rule.figureOwnerId(),
                rule.operator() == null ? null : rule.operator().name(),
                rule.threshold(),
                rule.channels().stream().map(Enum::name).toList(),
                rule.delivery().name(),
                rule.webhookTopic(),
                rule.enabled());
    }

    /**
     * The form as a request; a value that does not read (a threshold that is no number) is refused by name when
     * {@code strict}, left out otherwise (to show the form again as it was).
     */
    private static AlertRequest request(Map<String, String> form, @Nullable List<String> channels, boolean strict) {
        Map<String, String> f = new HashMap<>(form);
        BigDecimal threshold = null;
        String written = blank(f.get("threshold"));
        if (written != null) {
            try {
                threshold = new BigDecimal(written.replace(",", "").replace("_", ""));
            } catch (NumberFormatException e) {
                if (strict)
                    throw new InvalidAlertRule(
                            List.of(AlertProblem.of("threshold", "'" + written + "' is not a number")));
            }
        }
        UUID owner = null;
        String ownerText = blank(f.get("owner"));
        if (ownerText != null) {
            try {
                owner = UUID.fromString(ownerText);
            } catch (IllegalArgumentException e) {
                if (strict)
                    throw new InvalidAlertRule(
                            List.of(AlertProblem.of("owner", "'" + ownerText + "' is not a user id")));
            }
        }
        return new AlertRequest(
                f.get("name"),
                f.get("kind"),
                f.get("condition"),
                blank(f.get("scope")),
                blank(f.get("figure")),
                blank(f.get("tier")),
                owner,
                blank(f.get("operator")),
                threshold,
                channels == null ? List.of() : channels,
                blank(f.get("delivery")),
                blank(f.get("webhookTopic")),
                f.containsKey("enabled"));
    }

    private static @Nullable String blank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
