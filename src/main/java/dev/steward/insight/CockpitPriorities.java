package dev.steward.insight;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The cockpit's ranking rule and the reasons it gives, in plain Java: what puts an account on a CSM's list today, and
 * in which order. Items are ranked by kind first (the tiers of {@link Kind}, in order), then by a weight within the
 * kind (larger first), then by ARR (larger first), then by account name. The rule is stated on the page and in
 * {@code docs/cockpit.md}; {@link #rule()} is that statement.
 */
final class CockpitPriorities {

    /** Accounts silent this long (no meeting, no note) are listed. */
    static final int SILENT_DAYS = 30;

    /** Renewals this close are listed. */
    static final int RENEWAL_DAYS = 120;

    /** Overrides that stop applying this soon are listed. */
    static final int OVERRIDE_DAYS = 7;

    /** Points a score must lose in a week to be listed. */
    static final double DROP_POINTS = 10;

    /** The days of silence a never-touched account counts as in its weight, and the most any silence counts. */
    static final int LONGEST_SILENCE = 365;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    private CockpitPriorities() {}

    /** The kinds of priority, in the order they rank, each with what weighs within it. */
    enum Kind {
        CTA_OVERDUE("cta_overdue", "Overdue CTAs", "days overdue (a part day counts as a whole one) × ARR"),
        CTA_DUE_TODAY("cta_due_today", "CTAs due today", "ARR"),
        TURNED_RED("turned_red", "Turned Red this week", "ARR"),
        HEALTH_DROP(
                "health_drop",
                "Health dropped 10+ points this week",
                "points dropped × ARR (an account that turned Red is listed for that instead)"),
        RENEWAL_AT_RISK(
                "renewal_at_risk",
                "Renewals in 120 days, not Green",
                "ARR per day left to the renewal (ARR ÷ days, at least 1): the soonest and largest first"),
        MILESTONE_OVERDUE(
                "milestone_overdue", "Onboarding milestones overdue", "days overdue × ARR; one item per milestone"),
        OVERRIDE_EXPIRING("override_expiring", "Health overrides ending within 7 days", "ARR per day left to the end"),
        NO_TOUCH(
                "no_touch",
                "No touch in 30 days",
                "days since the last meeting or note × ARR (never touched, or over a year, counts as 365 days)"),
        RENEWAL("renewal", "Renewals in 120 days, Green", "ARR per day left to the renewal");

        final String value;
        final String label;
        final String weighedBy;

        Kind(String value, String label, String weighedBy) {
            this.value = value;
            this.label = label;
            this.weighedBy = weighedBy;
        }

        int tier() {
            return ordinal() + 1;
        }
    }

    /** The rule as the page and the API state it, one line a kind after the first. */
    static List<String> rule() {
        List<String> lines = new ArrayList<>();
        lines.add("Ranked by kind in this order, then by the weight within the kind (larger first), then by ARR"
                + " (larger first), then by account name:");
        for (Kind kind : Kind.values()) {
            lines.add(kind.tier() + ". " + kind.label + " — by " + kind.weighedBy);
        }
        return lines;
    }

    /** An account as the rule reads it: name, owner, ARR (zero when unknown) and color now ({@code null}: unscored). */
    record Account(UUID id, String name, UUID owner, BigDecimal arr, String color) {}

    /** An open CTA: its account, title and due time. */
    record OpenCta(UUID id, UUID account, String title, Instant dueAt) {}

    /** A stored score and color. */
    record Score(double score, String color) {}

    /** An override in force: its color, reason and the day it stops applying. */
    record Override(UUID account, String color, String reason, LocalDate endsOn) {}

    /** An onboarding milestone not done by its due day. */
    record Milestone(UUID account, String name, LocalDate dueOn) {}

    /** An account's next renewal day. */
    record Renewal(UUID account, LocalDate on) {}

    /**
     * What the rule reads of a book, as of {@code now} (today being {@code now}'s day in {@code zone}): its accounts
     * by id, the accounts of its CTAs that are in another's book, open CTAs, stored scores today and a week ago,
     * renewals, overrides in force, overdue milestones and each account's last touch.
     */
    record Book(
            Instant now,
            ZoneId zone,
            Map<UUID, Account> accounts,
            Map<UUID, Account> otherAccounts,
            List<OpenCta> ctas,
            Map<UUID, Score> scoresToday,
            Map<UUID, Score> scoresWeekAgo,
            List<Renewal> renewals,
            List<Override> overrides,
            List<Milestone> milestones,
            Map<UUID, Instant> lastTouches) {

        LocalDate today() {
            return now.atZone(zone).toLocalDate();
        }
    }

    /** The ranked list of everything the rule finds in the book. */
    static List<Cockpit.Priority> rank(Book book) {
        List<Item> items = new ArrayList<>();
        LocalDate today = book.today();
        Instant tomorrow = today.plusDays(1).atStartOfDay(book.zone()).toInstant();
        for (OpenCta cta : book.ctas()) {
            Account account = book.accounts()
                    .getOrDefault(cta.account(), book.otherAccounts().get(cta.account()));
            if (account == null) {
                continue;
            }
            if (cta.dueAt().isBefore(book.now())) {
                long seconds = Duration.between(cta.dueAt(), book.now()).toSeconds();
                long days = (seconds + 86_399) / 86_400;
                items.add(new Item(
                        Kind.CTA_OVERDUE,
                        account,
                        "CTA “" + cta.title() + "” is " + days(days) + " overdue (due "
                                + DAY.format(cta.dueAt().atZone(book.zone())) + ")",
                        account.arr().multiply(BigDecimal.valueOf(days)),
                        days + " × " + money(account.arr()),
                        cta.id()));
            } else if (cta.dueAt().isBefore(tomorrow)) {
                items.add(new Item(
                        Kind.CTA_DUE_TODAY,
                        account,
                        "CTA “" + cta.title() + "” is due today",
                        account.arr(),
                        money(account.arr()),
                        cta.id()));
            }
        }
        for (Account account : book.accounts().values()) {
            Score now = book.scoresToday().get(account.id());
            Score before = book.scoresWeekAgo().get(account.id());
            if (before == null) {
                continue;
            }
            String weekAgo = DAY.format(today.minusDays(7));
            if ("red".equals(account.color()) && !"red".equals(before.color())) {
                items.add(new Item(
                        Kind.TURNED_RED,
                        account,
                        "Health turned Red this week: " + color(before.color()) + " (" + points(before.score())
                                + ") on " + weekAgo + (now == null ? "" : ", " + points(now.score()) + " now"),
                        account.arr(),
                        money(account.arr()),
                        null));
            } else if (now != null && before.score() - now.score() >= DROP_POINTS) {
                double drop = before.score() - now.score();
                items.add(new Item(
                        Kind.HEALTH_DROP,
                        account,
                        "Health dropped " + points(drop) + " points this week: " + points(before.score()) + " on "
                                + weekAgo + ", " + points(now.score()) + " now",
                        account.arr().multiply(BigDecimal.valueOf(drop)),
                        points(drop) + " × " + money(account.arr()),
                        null));
            }
        }
        for (Renewal renewal : book.renewals()) {
            Account account = book.accounts().get(renewal.account());
            long days = ChronoUnit.DAYS.between(today, renewal.on());
            if (account == null || days < 0 || days > RENEWAL_DAYS) {
                continue;
            }
            boolean green = "green".equals(account.color());
            items.add(new Item(
                    green ? Kind.RENEWAL : Kind.RENEWAL_AT_RISK,
                    account,
                    "Renews " + (days == 0 ? "today" : "in " + days(days)) + " (" + DAY.format(renewal.on()) + ")"
                            + (account.color() == null
                                    ? " with no health score yet"
                                    : " at " + color(account.color()) + " health"),
                    perDay(account.arr(), days),
                    money(account.arr()) + " ÷ " + days(Math.max(days, 1)),
                    null));
        }
        for (Milestone milestone : book.milestones()) {
            Account account = book.accounts().get(milestone.account());
            if (account == null) {
                continue;
            }
            long days = ChronoUnit.DAYS.between(milestone.dueOn(), today);
            items.add(new Item(
                    Kind.MILESTONE_OVERDUE,
                    account,
                    "Onboarding milestone “" + milestone.name() + "” is " + days(days) + " overdue (due "
                            + DAY.format(milestone.dueOn()) + ")",
                    account.arr().multiply(BigDecimal.valueOf(days)),
                    days + " × " + money(account.arr()),
                    null));
        }
        for (Override override : book.overrides()) {
            Account account = book.accounts().get(override.account());
            long days = ChronoUnit.DAYS.between(today, override.endsOn());
            if (account == null || days > OVERRIDE_DAYS) {
                continue;
            }
            items.add(new Item(
                    Kind.OVERRIDE_EXPIRING,
                    account,
                    "Health override to " + color(override.color()) + " (“" + override.reason() + "”) ends in "
                            + days(days) + " (" + DAY.format(override.endsOn()) + "): renew it or let the score speak",
                    perDay(account.arr(), days),
                    money(account.arr()) + " ÷ " + days(Math.max(days, 1)),
                    null));
        }
        Instant silentSince = book.now().minus(Duration.ofDays(SILENT_DAYS));
        for (Account account : book.accounts().values()) {
            Instant last = book.lastTouches().get(account.id());
            if (last != null && !last.isBefore(silentSince)) {
                continue;
            }
            long days = last == null
                    ? LONGEST_SILENCE
                    : ChronoUnit.DAYS.between(last.atZone(book.zone()).toLocalDate(), today);
            long counted = Math.min(days, LONGEST_SILENCE);
            items.add(new Item(
                    Kind.NO_TOUCH,
                    account,
                    last == null
                            ? "No meeting or note recorded"
                            : "No meeting or note in " + days + " days (last " + DAY.format(last.atZone(book.zone()))
                                    + ")",
                    account.arr().multiply(BigDecimal.valueOf(counted)),
                    counted + " × " + money(account.arr()),
                    null));
        }
        items.sort(Comparator.comparingInt((Item i) -> i.kind().tier())
                .thenComparing(Item::weight, Comparator.reverseOrder())
                .thenComparing(i -> i.account().arr(), Comparator.reverseOrder())
                .thenComparing(i -> i.account().name())
                .thenComparing(Item::reason));
        List<Cockpit.Priority> ranked = new ArrayList<>(items.size());
        for (Item item : items) {
            Account account = item.account();
            ranked.add(new Cockpit.Priority(
                    ranked.size() + 1,
                    item.kind().value,
                    item.kind().tier(),
                    account.id(),
                    account.name(),
                    account.owner(),
                    account.arr(),
                    account.color(),
                    item.reason(),
                    item.weight().setScale(0, RoundingMode.HALF_UP),
                    "Tier " + item.kind().tier() + " of " + Kind.values().length + " (" + item.kind().label
                            + "); weight " + item.weightText() + " = "
                            + number(item.weight().setScale(0, RoundingMode.HALF_UP)),
                    "/accounts/" + account.id(),
                    item.cta()));
        }
        return ranked;
    }

    private record Item(Kind kind, Account account, String reason, BigDecimal weight, String weightText, UUID cta) {}

    private static BigDecimal perDay(BigDecimal arr, long days) {
        return arr.divide(BigDecimal.valueOf(Math.max(days, 1)), 2, RoundingMode.HALF_UP);
    }

    private static String days(long days) {
        return days == 1 ? "1 day" : days + " days";
    }

    /** A color as people read it: Red. */
    static String color(String color) {
        return color == null ? "Unscored" : color.substring(0, 1).toUpperCase(Locale.ROOT) + color.substring(1);
    }

    /** A score in points, whole when it is, else to one decimal. */
    static String points(double points) {
        double rounded = Math.round(points * 10) / 10.0;
        return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }

    static String money(BigDecimal amount) {
        return "$" + number(amount.setScale(0, RoundingMode.HALF_UP));
    }

    /** A whole number with thousands separated by commas; by hand, as a number format costs more than the rest. */
    private static String number(BigDecimal amount) {
        String digits =
                amount.setScale(0, RoundingMode.HALF_UP).toBigInteger().abs().toString();
        StringBuilder grouped = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (amount.signum() < 0) {
            grouped.append('-');
        }
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                grouped.append(',');
            }
            grouped.append(digits.charAt(i));
        }
        return grouped.toString();
    }
}
