package dev.steward.insight;

import dev.steward.activity.Timeline;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.RevenueHistory.BookEntry;
import dev.steward.playbook.CtaRecords;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Computes CSM productivity ({@link CsmProductivity}) from today's book of customers, the touches on them (activity),
 * their CTAs (playbook) and their changes of color (health), and lists the accounts behind each figure. The figures
 * are kept in the executive cache until a touch, a CTA, a score of the period or the book changes.
 */
@Service
class CsmProductivities {

    /** How far back a stored color is looked for to tell that the first day of the period changed it. */
    static final int LOOK_BACK_DAYS = RedResponses.LOOK_BACK_DAYS;

    /** What a drill-down can add up, as requests name it. */
    static final List<String> MEASURES = List.of(
            "accounts", "arr", "touches", "opened", "opened-closed", "closed", "within-sla", "red", "red-acted");

    private final ExecutiveDashboard dashboard;
    private final Timeline timeline;
    private final CtaRecords ctas;
    private final RedResponses reds;
    private final ExecutiveCache cache;
    private final Clock clock;

    CsmProductivities(
            ExecutiveDashboard dashboard,
            Timeline timeline,
            CtaRecords ctas,
            RedResponses reds,
            ExecutiveCache cache,
            Clock clock) {
        this.dashboard = dashboard;
        this.cache = cache;
        this.timeline = timeline;
        this.ctas = ctas;
        this.reds = reds;
        this.clock = clock;
    }

    /** Every CSM's figures over the last {@code days} days (today included), narrowed to one tier or not. */
    CsmProductivity productivity(int days, @Nullable String tier) {
        checkDays(days);
        LocalDate today = dashboard.today();
        // Today's customers and their ARR: a contract that did not count today leaves the figures as they were.
        return cache.get(
                new ExecutiveCache.Figure(
                        ExecutiveCache.PRODUCTIVITY + days + " " + tier,
                        firstDay(today, days).minusDays(LOOK_BACK_DAYS),
                        today,
                        ExecutiveCache.Days.of(today)),
                () -> compute(days, tier));
    }

    private CsmProductivity compute(int days, @Nullable String tier) {
        List<CsmProductivity.AccountFigures> figures = accountFigures(days, tier);
        Set<UUID> owners = figures.stream()
                .map(CsmProductivity.AccountFigures::owner)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Map<UUID, String> names = dashboard.ownerNames(owners);
        Map<String, List<CsmProductivity.AccountFigures>> byOwner = new HashMap<>();
        figures.forEach(account -> byOwner.computeIfAbsent(key(account.owner()), k -> new ArrayList<>())
                .add(account));
        List<CsmProductivity.Row> rows = new ArrayList<>();
        byOwner.forEach((key, accounts) -> rows.add(CsmProductivity.row(key, label(key, names), accounts)));
        // By name; unowned customers last.
        rows.sort(Comparator.comparing((CsmProductivity.Row row) -> row.key().isEmpty())
                .thenComparing(row -> row.label().toLowerCase(Locale.ROOT))
                .thenComparing(CsmProductivity.Row::key));
        LocalDate today = dashboard.today();
        return new CsmProductivity(
                days, firstDay(today, days), today, rows, CsmProductivity.row("total", "All customers", figures));
    }

    /**
     * The customers behind one figure of one CSM ({@code owner}: a user id, empty for unowned customers, absent for
     * every customer), each with what it adds to the figure.
     */
    ExecutiveDrillDown accounts(Map<String, String> parameters, @Nullable String tier) {
        int days = days(parameters.getOrDefault("days", "30"));
        String measure = parameters.getOrDefault("measure", "accounts");
        if (!MEASURES.contains(measure)) {
            throw new InvalidInputException(
                    "measure", "unknown measure '" + measure + "'; use " + String.join(", ", MEASURES));
        }
        String owner = parameters.get("owner");
        if (owner != null && !owner.isEmpty()) {
            try {
                UUID.fromString(owner);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("owner", "'" + owner + "' is not a user id (empty: unowned)");
            }
        }
        checkDays(days);
        List<CsmProductivity.AccountFigures> figures = accountFigures(days, tier).stream()
                .filter(account -> owner == null || key(account.owner()).equals(owner))
                .toList();
        Set<UUID> owners = figures.stream()
                .map(CsmProductivity.AccountFigures::owner)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Map<UUID, String> names = dashboard.ownerNames(owners);
        List<ExecutiveDrillDown.Line> lines = new ArrayList<>();
        for (CsmProductivity.AccountFigures account : figures) {
            BigDecimal contribution = contribution(measure, account);
            if (measure.equals("accounts") || contribution.signum() != 0) {
                lines.add(new ExecutiveDrillDown.Line(
                        account.account(),
                        account.name(),
                        contribution,
                        List.of(
                                label(key(account.owner()), names),
                                account.arr().toPlainString(),
                                Long.toString(account.touches()),
                                Long.toString(account.ctasOpened()),
                                Long.toString(account.ctasOpenedClosed()),
                                Long.toString(account.ctasClosed()),
                                Long.toString(account.closedWithinSla()),
                                account.reds().stream()
                                        .map(red -> red.day().toString())
                                        .collect(Collectors.joining(" ")),
                                account.reds().stream()
                                        .map(CsmProductivities::waited)
                                        .collect(Collectors.joining(" ")))));
            }
        }
        lines.sort(Comparator.comparing(ExecutiveDrillDown.Line::contribution)
                .reversed()
                .thenComparing(ExecutiveDrillDown.Line::name));
        LocalDate today = dashboard.today();
        String whose = owner == null
                ? ""
                : owner.isEmpty() ? ", unowned" : ", " + names.getOrDefault(UUID.fromString(owner), owner);
        return ExecutiveDrillDown.of(
                "productivity",
                "CSM productivity, " + measure + whose + ", " + firstDay(today, days) + " to " + today
                        + (tier == null ? "" : " (tier " + tier + ")"),
                List.of(
                        "owner",
                        "ARR",
                        "touches",
                        "CTAs made",
                        "made and closed",
                        "CTAs closed",
                        "closed within SLA",
                        "turned Red on",
                        "days to first action"),
                lines,
                unit(measure));
    }

    /** What a measure counts, as the accounts page heads its contributions. */
    static String unit(String measure) {
        return switch (measure) {
            case "arr" -> ExecutiveDrillDown.ARR;
            case "touches" -> "touches";
            case "opened", "opened-closed", "closed", "within-sla" -> "CTAs";
            case "red", "red-acted" -> "Red changes";
            default -> "customers";
        };
    }

    /** What one customer adds to a measure. */
    static BigDecimal contribution(String measure, CsmProductivity.AccountFigures account) {
        return switch (measure) {
            case "arr" -> account.arr();
            case "touches" -> BigDecimal.valueOf(account.touches());
            case "opened" -> BigDecimal.valueOf(account.ctasOpened());
            case "opened-closed" -> BigDecimal.valueOf(account.ctasOpenedClosed());
            case "closed" -> BigDecimal.valueOf(account.ctasClosed());
            case "within-sla" -> BigDecimal.valueOf(account.closedWithinSla());
            case "red" -> BigDecimal.valueOf(account.reds().size());
            case "red-acted" -> BigDecimal.valueOf(account.redActedOn());
            default -> BigDecimal.ONE;
        };
    }

    private static String waited(CsmProductivity.RedChange red) {
        java.time.Duration wait = red.toAction();
        return wait == null
                ? "none yet"
                : CsmProductivity.medianDays(List.of(wait)).toPlainString();
    }

    /** Each customer of today's book with its touches, CTAs and Red changes over the period. */
    private List<CsmProductivity.AccountFigures> accountFigures(int days, @Nullable String tier) {
        LocalDate today = dashboard.today();
        LocalDate first = firstDay(today, days);
        Instant from = first.atStartOfDay(clock.getZone()).toInstant();
        Instant until = clock.instant();
        List<BookEntry> book = dashboard.book(tier);
        List<UUID> ids = book.stream().map(BookEntry::account).toList();

        Map<UUID, Long> touches = timeline.touchCounts(ids, from, until);
        Map<UUID, long[]> work = new HashMap<>();
        for (CtaRecords.CtaSpan cta : ctas.madeOrClosed(ids, from, until)) {
            long[] counts = work.computeIfAbsent(cta.account(), a -> new long[4]);
            boolean madeNow = !cta.createdAt().isBefore(from) && cta.createdAt().isBefore(until);
            boolean closedNow = cta.closedAt() != null
                    && !cta.closedAt().isBefore(from)
                    && cta.closedAt().isBefore(until);
            if (madeNow) {
                counts[0]++;
                if (cta.closedAt() != null) {
                    counts[1]++;
                }
            }
            if (closedNow) {
                counts[2]++;
                if (cta.closedWithinSla()) {
                    counts[3]++;
                }
            }
        }

        Map<UUID, List<CsmProductivity.RedChange>> changes = reds.redChanges(ids, first, today, until);

        List<CsmProductivity.AccountFigures> figures = new ArrayList<>(book.size());
        for (BookEntry entry : book) {
            long[] counts = work.getOrDefault(entry.account(), new long[4]);
            figures.add(new CsmProductivity.AccountFigures(
                    entry.account(),
                    entry.name(),
                    entry.owner(),
                    entry.arr(),
                    touches.getOrDefault(entry.account(), 0L),
                    counts[0],
                    counts[1],
                    counts[2],
                    counts[3],
                    changes.getOrDefault(entry.account(), List.of())));
        }
        return figures;
    }

    /** The first day of a period of {@code days} days that ends today. */
    static LocalDate firstDay(LocalDate today, int days) {
        return today.minusDays(days - 1L);
    }

    private static String key(@Nullable UUID owner) {
        return owner == null ? "" : owner.toString();
    }

    private static String label(String key, Map<UUID, String> names) {
        if (key.isEmpty()) {
            return "(unowned)";
        }
        return names.getOrDefault(UUID.fromString(key), "(unknown user " + key + ")");
    }

    /** The number of days as written in a request. */
    static int days(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("days", "'" + value + "' is not a whole number of days");
        }
    }

    private static void checkDays(int days) {
        if (days < 1 || days > CsmProductivity.MAX_DAYS) {
            throw new InvalidInputException("days", "must be from 1 to " + CsmProductivity.MAX_DAYS + ", not " + days);
        }
    }
}
