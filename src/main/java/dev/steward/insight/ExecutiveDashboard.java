package dev.steward.insight;

import dev.steward.backtest.BacktestRun;
import dev.steward.backtest.Backtests;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContractOutcomes;
import dev.steward.customer.ContractOutcomes.ContractOutcome;
import dev.steward.customer.RevenueHistory;
import dev.steward.customer.RevenueHistory.Period;
import dev.steward.health.DailyColors;
import dev.steward.health.HealthScoring;
import dev.steward.health.engine.Color;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * The executive figures of the whole book in money — revenue retention with its waterfall, ARR at risk, the health of
 * the customers over time, the renewal forecast against what renewed, cohort retention — each for every account or for
 * one tier, read set-based from the customer, health and backtest modules and kept until their data changes (see
 * {@link ExecutiveCache}).
 */
@Service
public class ExecutiveDashboard {

    /** The longest span any figure covers. */
    static final int MAX_MONTHS = 36;

    /** How many days a stored health color stands for (scores of the past are kept weekly). */
    static final int STALE_DAYS = 7;

    private final RevenueHistory revenue;
    private final ContractOutcomes contracts;
    private final AccountManagement accounts;
    private final HealthScoring health;
    private final Backtests backtests;
    private final UserDirectory users;
    private final ExecutiveCache cache;
    private final Clock clock;

    ExecutiveDashboard(
            RevenueHistory revenue,
            ContractOutcomes contracts,
            AccountManagement accounts,
            HealthScoring health,
            Backtests backtests,
            UserDirectory users,
            ExecutiveCache cache,
            Clock clock) {
        this.revenue = revenue;
        this.contracts = contracts;
        this.accounts = accounts;
        this.health = health;
        this.backtests = backtests;
        this.users = users;
        this.cache = cache;
        this.clock = clock;
    }

    /** Today, in the application's clock. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** The last month that is over. */
    public YearMonth lastCompleteMonth() {
        return YearMonth.from(today()).minusMonths(1);
    }

    /** NRR and GRR per month and over the trailing twelve months that end with {@code to}. */
    public record Retention(List<RevenueRetention> months, RevenueRetention trailingTwelveMonths) {}

    /**
     * Revenue retention of each month from {@code from} to {@code to} (both over), and of the twelve months up to
     * {@code to}.
     */
    public Retention retention(YearMonth from, YearMonth to, @Nullable String tier) {
        checkSpan(from, to);
        if (to.isAfter(lastCompleteMonth())) {
            throw new InvalidInputException(
                    "to", "month " + to + " is not over yet; the last month over is " + lastCompleteMonth());
        }
        checkTier(tier);
        // ARR on the first days of the months, and of the month after the last.
        LocalDate first = (from.isBefore(to.minusMonths(11)) ? from : to.minusMonths(11)).atDay(1);
        ExecutiveCache.Days read =
                new ExecutiveCache.Days(first, to.plusMonths(1).atDay(1));
        return cache.get(
                new ExecutiveCache.Figure("retention " + from + " " + to + " " + tier, null, null, read), () -> {
                    List<Period> periods = new ArrayList<>();
                    for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
                        periods.add(period(month, month));
                    }
                    Period trailing = period(to.minusMonths(11), to);
                    periods.add(trailing);
                    Map<Period, List<RevenueHistory.MovementTotal>> totals = new HashMap<>();
                    revenue.movements(periods, tier)
                            .forEach(total -> totals.computeIfAbsent(total.period(), p -> new ArrayList<>())
                                    .add(total));
                    List<RevenueRetention> months = new ArrayList<>();
                    for (Period period : periods.subList(0, periods.size() - 1)) {
                        months.add(RevenueRetention.of(
                                period.from(), period.to(), totals.getOrDefault(period, List.of())));
                    }
                    return new Retention(
                            months,
                            RevenueRetention.of(
                                    trailing.from(), trailing.to(), totals.getOrDefault(trailing, List.of())));
                });
    }

    /** From the first day of {@code first} to the first day after {@code last}. */
    static Period period(YearMonth first, YearMonth last) {
        return new Period(first.atDay(1), last.plusMonths(1).atDay(1));
    }

    /** Today's ARR at risk by color, segment, CSM and renewal month. */
    public ArrAtRisk arrAtRisk(@Nullable String tier) {
        checkTier(tier);
        return cache.get(
                new ExecutiveCache.Figure("risk " + tier, today(), today(), ExecutiveCache.Days.of(today())), () -> {
                    ArrAtRisk.Tally tally = new ArrAtRisk.Tally();
                    Set<UUID> owners = new HashSet<>();
                    revenue.book(tier, entry -> {
                        tally.add(entry);
                        if (entry.owner() != null) {
                            owners.add(entry.owner());
                        }
                    });
                    Map<UUID, User> named = users.findAll(owners);
                    return tally.result(key -> Optional.ofNullable(named.get(UUID.fromString(key)))
                            .map(User::displayName)
                            .orElse("(unknown user " + key + ")"));
                });
    }

    /**
     * The customers' health on the first day of each of the last {@code months} months and today, by count and ARR
     * per color.
     */
    public HealthDistribution healthDistribution(int months, @Nullable String tier) {
        checkMonths("months", months);
        checkTier(tier);
        // Each day kept on its own: a new score of today leaves the past days' points as they were, a changed contract
        // the days it did not count on. The days not kept are computed together, in one read of ARR and one of colors.
        Map<ExecutiveCache.Figure, LocalDate> dayOf = new HashMap<>();
        List<ExecutiveCache.Figure> figures = new ArrayList<>();
        for (LocalDate day : sampleDays(today(), months)) {
            ExecutiveCache.Figure figure = new ExecutiveCache.Figure(
                    "distribution " + day + " " + tier, day.minusDays(STALE_DAYS), day, ExecutiveCache.Days.of(day));
            figures.add(figure);
            dayOf.put(figure, day);
        }
        List<HealthDistribution.Point> points = cache.getAll(figures, missing -> {
            List<LocalDate> days = missing.stream().map(dayOf::get).toList();
            List<HealthDistribution.Point> computed = distributionsOn(days, tier);
            Map<ExecutiveCache.Figure, HealthDistribution.Point> byFigure = new HashMap<>();
            for (int i = 0; i < missing.size(); i++) {
                byFigure.put(missing.get(i), computed.get(i));
            }
            return byFigure;
        });
        return new HealthDistribution(STALE_DAYS, points);
    }

    /** The first day of each of the last {@code months} months (this one included), then today. */
    static List<LocalDate> sampleDays(LocalDate today, int months) {
        List<LocalDate> days = new ArrayList<>();
        YearMonth current = YearMonth.from(today);
        for (int back = months - 1; back >= 0; back--) {
            days.add(current.minusMonths(back).atDay(1));
        }
        if (today.getDayOfMonth() != 1) {
            days.add(today);
        }
        return days;
    }

    /**
     * The customers of each of these days by their stored color, from one read of every customer's ARR on all the days
     * and one of the stored colors.
     */
    private List<HealthDistribution.Point> distributionsOn(List<LocalDate> days, @Nullable String tier) {
        Map<UUID, BigDecimal[]> arr = revenue.arrOn(days, tier);
        DailyColors colors = health.colorsOn(days, STALE_DAYS);
        int count = days.size();
        long[] customers = new long[count];
        long[][] counts = new long[count][Color.values().length];
        BigDecimal[][] sums = new BigDecimal[count][Color.values().length];
        BigDecimal[] totals = new BigDecimal[count];
        for (int day = 0; day < count; day++) {
            java.util.Arrays.fill(sums[day], BigDecimal.ZERO);
            totals[day] = BigDecimal.ZERO;
        }
        for (Map.Entry<UUID, BigDecimal[]> customer : arr.entrySet()) {
            BigDecimal[] byDay = customer.getValue();
            for (int day = 0; day < count; day++) {
                BigDecimal value = byDay[day];
                if (value == null) {
                    continue;
                }
                Color color = colors.colorOf(customer.getKey(), day);
                int index = (color == null ? Color.BLACK : color).ordinal();
                customers[day]++;
                counts[day][index]++;
                sums[day][index] = sums[day][index].add(value);
                totals[day] = totals[day].add(value);
            }
        }
        List<HealthDistribution.Point> points = new ArrayList<>();
        for (int day = 0; day < count; day++) {
            if (!colors.anyScored(day)) {
                // Nobody was scored then: the colors are not known, which is no data rather than Black.
                points.add(new HealthDistribution.Point(
                        days.get(day),
                        customers[day],
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        totals[day],
                        false));
                continue;
            }
            long[] n = counts[day];
            BigDecimal[] sum = sums[day];
            points.add(new HealthDistribution.Point(
                    days.get(day),
                    customers[day],
                    n[Color.RED.ordinal()],
                    n[Color.YELLOW.ordinal()],
                    n[Color.GREEN.ordinal()],
                    n[Color.BLACK.ordinal()],
                    sum[Color.RED.ordinal()],
                    sum[Color.YELLOW.ordinal()],
                    sum[Color.GREEN.ordinal()],
                    sum[Color.BLACK.ordinal()],
                    totals[day],
                    true));
        }
        return points;
    }

    /** The stored colors of these accounts on a day (see {@link #STALE_DAYS}); accounts without one are left out. */
    private Map<UUID, Color> colorsOn(LocalDate day, Set<UUID> accounts) {
        Map<UUID, Color> colors = new HashMap<>();
        if (accounts.isEmpty()) {
            return colors;
        }
        // Past a few thousand accounts one pass over the day's scores is cheaper than an id list to match.
        health.colorsOn(day, STALE_DAYS, accounts.size() > 5_000 ? null : accounts, (account, color) -> {
            if (accounts.contains(account)) {
                colors.put(account, color);
            }
        });
        return colors;
    }

    /**
     * The renewals of the next twelve months (this one from tomorrow on) forecast with the latest backtest's renewal
     * rates, and the twelve months before this one, forecast against what happened.
     */
    public RenewalForecast renewalForecast(@Nullable String tier, @Nullable UUID backtest) {
        checkTier(tier);
        Optional<RenewalForecast.Calibration> calibration =
                backtest == null ? calibration() : Optional.of(calibration(backtest));
        String key = "forecast " + tier + " "
                + calibration.map(c -> c.backtest().toString()).orElse("none");
        LocalDate firstColors = YearMonth.from(today()).minusMonths(12).atDay(1).minusDays(STALE_DAYS);
        return cache.get(key, firstColors, today(), () -> {
            LocalDate today = today();
            YearMonth current = YearMonth.from(today);
            RenewalForecast.Calibration rates = calibration.orElse(null);
            Map<UUID, Color> now = new HashMap<>();
            revenue.book(tier, entry -> now.put(entry.account(), ArrAtRisk.colorOf(entry)));
            TreeMap<YearMonth, List<RenewalForecast.Entry>> coming = new TreeMap<>();
            for (ContractOutcome contract : contracts.endingBetween(
                    today.plusDays(1), current.plusMonths(11).atEndOfMonth(), tier)) {
                coming.computeIfAbsent(YearMonth.from(contract.end()), m -> new ArrayList<>())
                        .add(new RenewalForecast.Entry(contract, now.getOrDefault(contract.account(), Color.BLACK)));
            }
            List<RenewalForecast.Upcoming> upcoming = new ArrayList<>();
            for (int ahead = 0; ahead < 12; ahead++) {
                YearMonth month = current.plusMonths(ahead);
                upcoming.add(RenewalForecast.Upcoming.of(month, coming.getOrDefault(month, List.of()), rates));
            }
            List<RenewalForecast.Past> past = new ArrayList<>();
            for (int back = 12; back >= 1; back--) {
                YearMonth month = current.minusMonths(back);
                past.add(RenewalForecast.Past.of(month, pastEntries(month, tier), rates));
            }
            return new RenewalForecast(rates, rates == null ? RenewalForecast.NO_BACKTEST : null, upcoming, past);
        });
    }

    /** The contracts that ended in a past month, each with its account's color at the start of the month. */
    List<RenewalForecast.Entry> pastEntries(YearMonth month, @Nullable String tier) {
        List<ContractOutcome> ended = contracts.endingBetween(month.atDay(1), month.atEndOfMonth(), tier);
        Set<UUID> ids = new HashSet<>();
        ended.forEach(contract -> ids.add(contract.account()));
        Map<UUID, Color> then = colorsOn(month.atDay(1), ids);
        return ended.stream()
                .map(contract ->
                        new RenewalForecast.Entry(contract, then.getOrDefault(contract.account(), Color.BLACK)))
                .toList();
    }

    /** The renewal rates of one backtest, which must have finished. */
    RenewalForecast.Calibration calibration(UUID backtest) {
        BacktestRun run = backtests.get(backtest);
        return RenewalForecast.Calibration.of(run)
                .orElseThrow(() -> new InvalidInputException(
                        "backtest",
                        "backtest " + backtest + " is " + run.status().value() + " and has no results"));
    }

    /** The renewal rates of the newest finished backtest that has results. */
    public Optional<RenewalForecast.Calibration> calibration() {
        // A run's results are large and never change once it is done: read them once per run.
        return backtests.list().stream()
                .filter(run -> run.status() == BacktestRun.Status.DONE)
                .findFirst()
                .flatMap(run -> cache.get(
                        "calibration " + run.id(), () -> RenewalForecast.Calibration.of(backtests.get(run.id()))));
    }

    /** Logo and revenue retention of the cohorts of the last {@code quarters} start quarters (this one included). */
    public CohortRetention cohorts(int quarters, @Nullable String tier) {
        if (quarters < 1 || quarters > MAX_MONTHS / 3) {
            throw new InvalidInputException("quarters", "must be from 1 to " + MAX_MONTHS / 3 + ", not " + quarters);
        }
        checkTier(tier);
        return cache.get(
                "cohorts " + quarters + " " + tier,
                () -> CohortRetention.of(revenue.cohorts(firstQuarter(today(), quarters), tier)));
    }

    /** The first day of the quarter {@code quarters - 1} quarters before today's. */
    static LocalDate firstQuarter(LocalDate today, int quarters) {
        LocalDate current = LocalDate.of(today.getYear(), (today.getMonthValue() - 1) / 3 * 3 + 1, 1);
        return current.minusMonths(3L * (quarters - 1));
    }

    /** The accounts' ARR movements over a period, for drilling down. */
    List<RevenueHistory.AccountMovement> movementAccounts(YearMonth from, YearMonth to, @Nullable String tier) {
        checkSpan(from, to);
        checkTier(tier);
        return revenue.accountMovements(period(from, to), tier);
    }

    /** Today's customers, for drilling down into ARR at risk. */
    List<RevenueHistory.BookEntry> book(@Nullable String tier) {
        checkTier(tier);
        List<RevenueHistory.BookEntry> book = new ArrayList<>();
        revenue.book(tier, book::add);
        return book;
    }

    /** The owners' names, for listing. */
    Map<UUID, String> ownerNames(Set<UUID> owners) {
        Map<UUID, String> names = new HashMap<>();
        users.findAll(owners).forEach((id, user) -> names.put(id, user.displayName()));
        return names;
    }

    /** The customers of a day with their ARR and stored color (Black when none), for drilling down. */
    Map<UUID, Map.Entry<BigDecimal, Color>> customersOn(LocalDate day, @Nullable String tier) {
        checkTier(tier);
        Map<UUID, BigDecimal> arr = revenue.arrOn(day, tier);
        Map<UUID, Color> colors = colorsOn(day, arr.keySet());
        Map<UUID, Map.Entry<BigDecimal, Color>> customers = new HashMap<>();
        arr.forEach((id, value) -> customers.put(id, Map.entry(value, colors.getOrDefault(id, Color.BLACK))));
        return customers;
    }

    /** Whether any account was scored in the days that a day's colors are read from (see {@link #STALE_DAYS}). */
    boolean scoredOn(LocalDate day) {
        return health.anyScored(day, STALE_DAYS);
    }

    /** The contracts up for renewal in a month with the color that counts for each, for drilling down. */
    List<RenewalForecast.Entry> renewalEntries(YearMonth month, @Nullable String tier) {
        checkTier(tier);
        YearMonth current = YearMonth.from(today());
        if (month.isBefore(current.minusMonths(MAX_MONTHS)) || month.isAfter(current.plusMonths(11))) {
            throw new InvalidInputException(
                    "month", "must be from " + current.minusMonths(MAX_MONTHS) + " to " + current.plusMonths(11));
        }
        if (month.isBefore(current)) {
            return pastEntries(month, tier);
        }
        Map<UUID, Color> now = new HashMap<>();
        revenue.book(tier, entry -> now.put(entry.account(), ArrAtRisk.colorOf(entry)));
        return contracts.endingBetween(today().plusDays(1), month.atEndOfMonth(), tier).stream()
                .filter(contract -> YearMonth.from(contract.end()).equals(month))
                .map(contract -> new RenewalForecast.Entry(contract, now.getOrDefault(contract.account(), Color.BLACK)))
                .toList();
    }

    /** One cohort's accounts at a step, for drilling down. */
    List<RevenueHistory.CohortAccount> cohortAccounts(LocalDate quarter, int step, @Nullable String tier) {
        checkTier(tier);
        if (step < -1 || step > MAX_MONTHS / 3) {
            throw new InvalidInputException("step", "must be from -1 to " + MAX_MONTHS / 3 + ", not " + step);
        }
        return revenue.cohortAccounts(quarter, step, tier);
    }

    Map<UUID, String> names(Set<UUID> ids) {
        return revenue.names(ids);
    }

    /** A month as written in a request (yyyy-MM); anything else is refused with the field's name. */
    static YearMonth month(String field, String value) {
        try {
            return YearMonth.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + value + "' is not a month; write it as yyyy-MM, e.g. 2026-02");
        }
    }

    /** A quarter as written in a request (2025-Q3), as its first day. */
    static LocalDate quarter(String field, String value) {
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile("(\\d{4})-Q([1-4])").matcher(value.strip());
        if (!matcher.matches()) {
            throw new InvalidInputException(field, "'" + value + "' is not a quarter; write it as 2025-Q3");
        }
        return LocalDate.of(Integer.parseInt(matcher.group(1)), (Integer.parseInt(matcher.group(2)) - 1) * 3 + 1, 1);
    }

    /** A day as written in a request (yyyy-MM-dd). */
    static LocalDate day(String field, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + value + "' is not a day; write it as yyyy-MM-dd");
        }
    }

    private static void checkSpan(YearMonth from, YearMonth to) {
        if (from.isAfter(to)) {
            throw new InvalidInputException("from", "month " + from + " is after 'to' (" + to + ")");
        }
        long months = from.until(to, java.time.temporal.ChronoUnit.MONTHS) + 1;
        if (months > MAX_MONTHS) {
            throw new InvalidInputException(
                    "from", "the period covers " + months + " months; at most " + MAX_MONTHS + " are shown at once");
        }
    }

    private static void checkMonths(String field, int months) {
        if (months < 1 || months > MAX_MONTHS) {
            throw new InvalidInputException(field, "must be from 1 to " + MAX_MONTHS + ", not " + months);
        }
    }

    private void checkTier(@Nullable String tier) {
        if (tier != null && !accounts.tiers().contains(tier)) {
            throw new InvalidInputException(
                    "tier", "no account has tier '" + tier + "'; tiers: " + String.join(", ", accounts.tiers()));
        }
    }
}
