package dev.steward.insight;

import dev.steward.core.InvalidInputException;
import dev.steward.customer.RenewalOutcome;
import dev.steward.customer.RevenueHistory;
import dev.steward.customer.RevenueHistory.Movement;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Lists the accounts behind an executive figure, from the parameters its page links with. */
@Service
class ExecutiveDrillDowns {

    private final ExecutiveDashboard dashboard;
    private final CsmProductivities productivity;

    ExecutiveDrillDowns(ExecutiveDashboard dashboard, CsmProductivities productivity) {
        this.dashboard = dashboard;
        this.productivity = productivity;
    }

    /** The accounts behind {@code figure}, narrowed by the figure's parameters (see docs/insight.md). */
    ExecutiveDrillDown accounts(String figure, Map<String, String> parameters) {
        String tier = blankToNull(parameters.get("tier"));
        return switch (figure) {
            case "retention" -> retention(parameters, tier);
            case "at-risk" -> atRisk(parameters, tier);
            case "health" -> health(parameters, tier);
            case "renewals" -> renewals(parameters, tier);
            case "cohort" -> cohort(parameters, tier);
            case "productivity" -> productivity.accounts(parameters, tier);
            default ->
                throw new InvalidInputException(
                        "figure",
                        "unknown figure '" + figure + "'; use " + String.join(", ", ExecutiveDrillDown.FIGURES));
        };
    }

    private ExecutiveDrillDown retention(Map<String, String> parameters, @Nullable String tier) {
        YearMonth from = ExecutiveDashboard.month("from", required(parameters, "from"));
        YearMonth to = parameters.containsKey("to") ? ExecutiveDashboard.month("to", parameters.get("to")) : from;
        String movement = parameters.getOrDefault("movement", "all");
        List<String> known = List.of("all", "start", "expansion", "contraction", "churn", "new", "ending");
        if (!known.contains(movement)) {
            throw new InvalidInputException(
                    "movement", "unknown movement '" + movement + "'; use " + String.join(", ", known));
        }
        List<ExecutiveDrillDown.Line> lines = new ArrayList<>();
        for (RevenueHistory.AccountMovement account : dashboard.movementAccounts(from, to, tier)) {
            BigDecimal contribution = contribution(movement, account);
            if (contribution != null) {
                lines.add(new ExecutiveDrillDown.Line(
                        account.account(),
                        account.name(),
                        contribution,
                        List.of(
                                account.movement().name().toLowerCase(Locale.ROOT),
                                account.arrFrom().toPlainString(),
                                account.arrTo().toPlainString())));
            }
        }
        lines.sort(Comparator.comparing(
                        (ExecutiveDrillDown.Line line) -> line.contribution().abs())
                .reversed()
                .thenComparing(ExecutiveDrillDown.Line::name));
        return ExecutiveDrillDown.of(
                "retention",
                "ARR " + movement + " from " + from.atDay(1) + " to "
                        + to.plusMonths(1).atDay(1) + tierNote(tier),
                List.of("movement", "ARR at start", "ARR at end"),
                lines);
    }

    /**
     * What an account adds to a line of the waterfall ({@code null}: it is not in that line); "all" is its change of
     * ARR.
     */
    static @Nullable BigDecimal contribution(String line, RevenueHistory.AccountMovement account) {
        Movement movement = account.movement();
        BigDecimal from = account.arrFrom();
        BigDecimal to = account.arrTo();
        return switch (line) {
            case "start" -> movement == Movement.NEW ? null : from;
            case "ending" -> movement == Movement.NEW ? null : to;
            case "expansion" -> movement == Movement.EXPANDED ? to.subtract(from) : null;
            case "contraction" -> movement == Movement.CONTRACTED ? from.subtract(to) : null;
            case "churn" -> movement == Movement.CHURNED ? from : null;
            case "new" -> movement == Movement.NEW ? to : null;
            default -> to.subtract(from);
        };
    }

    private ExecutiveDrillDown atRisk(Map<String, String> parameters, @Nullable String tier) {
        String color = parameters.getOrDefault("color", "at-risk");
        Set<Color> colors = colors(color, true);
        String owner = parameters.get("owner");
        if (owner != null && !owner.isEmpty()) {
            try {
                UUID.fromString(owner);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("owner", "'" + owner + "' is not a user id (empty: unowned)");
            }
        }
        String renewalMonth = parameters.get("renewalMonth");
        if (renewalMonth != null && !renewalMonth.isEmpty()) {
            ExecutiveDashboard.month("renewalMonth", renewalMonth);
        }
        List<RevenueHistory.BookEntry> entries = dashboard.book(tier).stream()
                .filter(entry -> colors.contains(ArrAtRisk.colorOf(entry)))
                .filter(entry -> owner == null || ArrAtRisk.ownerOf(entry).equals(owner))
                .filter(entry ->
                        renewalMonth == null || ArrAtRisk.renewalMonthOf(entry).equals(renewalMonth))
                .sorted(Comparator.comparing(RevenueHistory.BookEntry::arr)
                        .reversed()
                        .thenComparing(RevenueHistory.BookEntry::name))
                .toList();
        Set<UUID> owners = new HashSet<>();
        entries.forEach(entry -> {
            if (entry.owner() != null) {
                owners.add(entry.owner());
            }
        });
        Map<UUID, String> names = dashboard.ownerNames(owners);
        List<ExecutiveDrillDown.Line> lines = entries.stream()
                .map(entry -> new ExecutiveDrillDown.Line(
                        entry.account(),
                        entry.name(),
                        entry.arr(),
                        List.of(
                                ArrAtRisk.colorOf(entry).value(),
                                entry.tier() == null ? "" : entry.tier(),
                                entry.owner() == null
                                        ? ""
                                        : names.getOrDefault(
                                                entry.owner(), entry.owner().toString()),
                                entry.renewalDate() == null
                                        ? ""
                                        : entry.renewalDate().toString())))
                .toList();
        String narrowed = (owner == null
                        ? ""
                        : owner.isEmpty()
                                ? ", unowned"
                                : ", owner " + names.getOrDefault(UUID.fromString(owner), owner))
                + (renewalMonth == null
                        ? ""
                        : renewalMonth.isEmpty() ? ", open-ended" : ", renewing in " + renewalMonth);
        return ExecutiveDrillDown.of(
                "at-risk",
                "ARR today, " + color + narrowed + tierNote(tier),
                List.of("color", "tier", "owner", "renewal date"),
                lines);
    }

    private ExecutiveDrillDown health(Map<String, String> parameters, @Nullable String tier) {
        LocalDate day = ExecutiveDashboard.day("day", required(parameters, "day"));
        if (day.isAfter(dashboard.today())) {
            throw new InvalidInputException("day", day + " has not come yet");
        }
        String color = parameters.getOrDefault("color", "all");
        Set<Color> colors = colors(color, false);
        Map<UUID, Map.Entry<BigDecimal, Color>> customers = dashboard.customersOn(day, tier);
        Map<UUID, String> names = dashboard.names(customers.keySet());
        List<ExecutiveDrillDown.Line> lines = new ArrayList<>();
        if (!dashboard.scoredOn(day)) {
            // Nobody was scored then: no customer had a color, and every one of them was of unknown health.
            if (color.equals("all")) {
                customers.forEach((id, entry) -> lines.add(new ExecutiveDrillDown.Line(
                        id, names.getOrDefault(id, id.toString()), entry.getKey(), List.of(ExecutiveTable.NO_DATA))));
            }
            lines.sort(Comparator.comparing(ExecutiveDrillDown.Line::contribution)
                    .reversed()
                    .thenComparing(ExecutiveDrillDown.Line::name));
            return ExecutiveDrillDown.of(
                    "health",
                    "Customers on " + day + ", " + color + tierNote(tier) + ": no data, nobody was scored in the "
                            + ExecutiveDashboard.STALE_DAYS + " days up to it",
                    List.of("color"),
                    lines);
        }
        customers.forEach((id, entry) -> {
            if (colors.contains(entry.getValue())) {
                lines.add(new ExecutiveDrillDown.Line(
                        id,
                        names.getOrDefault(id, id.toString()),
                        entry.getKey(),
                        List.of(entry.getValue().value())));
            }
        });
        lines.sort(Comparator.comparing(ExecutiveDrillDown.Line::contribution)
                .reversed()
                .thenComparing(ExecutiveDrillDown.Line::name));
        return ExecutiveDrillDown.of(
                "health", "Customers on " + day + ", " + color + tierNote(tier), List.of("color"), lines);
    }

    private ExecutiveDrillDown renewals(Map<String, String> parameters, @Nullable String tier) {
        YearMonth month = ExecutiveDashboard.month("month", required(parameters, "month"));
        String outcome = parameters.get("outcome");
        RenewalOutcome wanted = null;
        if (outcome != null) {
            try {
                wanted = RenewalOutcome.valueOf(outcome.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        "outcome",
                        "unknown outcome '" + outcome + "'; use renewed, expanded, contracted, churned or pending");
            }
        }
        Set<Color> colors = colors(parameters.getOrDefault("color", "all"), false);
        RenewalOutcome only = wanted;
        List<RenewalForecast.Entry> entries = dashboard.renewalEntries(month, tier).stream()
                .filter(entry -> only == null || entry.contract().outcome() == only)
                .filter(entry -> colors.contains(entry.color()))
                .toList();
        Set<UUID> ids = new HashSet<>();
        entries.forEach(entry -> ids.add(entry.contract().account()));
        Map<UUID, String> names = dashboard.names(ids);
        List<ExecutiveDrillDown.Line> lines = entries.stream()
                .map(entry -> new ExecutiveDrillDown.Line(
                        entry.contract().account(),
                        names.getOrDefault(entry.contract().account(), ""),
                        entry.contract().arr(),
                        List.of(
                                entry.contract().end().toString(),
                                entry.color().value(),
                                entry.contract().outcome().name().toLowerCase(Locale.ROOT),
                                entry.contract().renewalArr() == null
                                        ? ""
                                        : entry.contract().renewalArr().toPlainString())))
                .sorted(Comparator.comparing(ExecutiveDrillDown.Line::contribution)
                        .reversed()
                        .thenComparing(ExecutiveDrillDown.Line::name))
                .toList();
        return ExecutiveDrillDown.of(
                "renewals",
                "ARR up for renewal in " + month + (outcome == null ? "" : ", " + outcome) + tierNote(tier),
                List.of("contract ends", "color", "outcome", "renewal ARR"),
                lines);
    }

    private ExecutiveDrillDown cohort(Map<String, String> parameters, @Nullable String tier) {
        LocalDate quarter = ExecutiveDashboard.quarter("quarter", required(parameters, "quarter"));
        int step;
        try {
            step = Integer.parseInt(parameters.getOrDefault("step", "-1"));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("step", "'" + parameters.get("step") + "' is not a whole number");
        }
        List<ExecutiveDrillDown.Line> lines = dashboard.cohortAccounts(quarter, step, tier).stream()
                .map(account -> new ExecutiveDrillDown.Line(
                        account.account(),
                        account.name(),
                        step < 0 ? account.startArr() : account.arr(),
                        List.of(
                                account.firstDay().toString(),
                                account.startArr().toPlainString(),
                                account.arr().toPlainString())))
                .toList();
        return ExecutiveDrillDown.of(
                "cohort",
                "Cohort " + CohortRetention.label(quarter) + (step < 0 ? " at its start" : ", step " + step)
                        + tierNote(tier),
                List.of("first contract", "starting ARR", step < 0 ? "ARR at start" : "ARR at step " + step),
                lines);
    }

    /** The colors a parameter names: one color, "all", or (where allowed) "at-risk" for Red and Yellow. */
    private static Set<Color> colors(String value, boolean atRiskAllowed) {
        if ("all".equals(value)) {
            return Set.of(Color.values());
        }
        if (atRiskAllowed && "at-risk".equals(value)) {
            return Set.of(Color.RED, Color.YELLOW);
        }
        try {
            return Set.of(Color.of(value));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "color",
                    "unknown color '" + value + "'; use red, yellow, green, black, all"
                            + (atRiskAllowed ? " or at-risk" : ""));
        }
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(name, "is required");
        }
        return value;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String tierNote(@Nullable String tier) {
        return tier == null ? "" : " (tier " + tier + ")";
    }
}
