package dev.steward.health.engine;

import dev.steward.activity.ActivityWindow;
import dev.steward.activity.ActivityWindow.InvoiceFact;
import dev.steward.activity.ActivityWindow.MeetingFact;
import dev.steward.activity.ActivityWindow.SentimentFact;
import dev.steward.activity.ActivityWindow.SurveyFact;
import dev.steward.activity.ActivityWindow.TicketFact;
import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshot.ContactTenure;
import dev.steward.customer.AccountSnapshot.ContractTerm;
import dev.steward.usage.UsageWindow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns one account's facts into the raw value of each measure of a scorecard as of a day: the metric aggregated over
 * the window of days ending on that day (a 30d window as of 31 March is 2–31 March). Only facts dated on or before
 * the day are read, so scoring a past day sees the account as it stood then.
 *
 * <p>Missing is not zero. Usage before the account's first tracked day is "no data" (N/A), and so is a window that lies
 * mostly (more than half of it) after the last day on which any account has data of the metric ({@link DataSpans}):
 * after an export's last day nobody knows who used what; averages count only the days up to it. Within those days, a day without usage is zero use, and a metric of a
 * family that nobody used in the window does not count in the family's share. Counts of tickets, escalations and QBRs
 * are zero when there were none, on the same condition that the window lies mostly on or before the last day Steward
 * has a ticket or meeting of anyone; averages (resolution time, CSAT, NPS) and latest values (sentiment) are N/A when nothing was
 * recorded in the window. An account attribute ({@code attribute.<name>}) is its latest value dated in the window.
 */
public final class MeasureValues {

    /** Days looked back for the year-on-year ARR change. */
    static final int YEAR = 365;

    /** The kinds of activity whose counts depend on having data, as {@link DataSpans#kinds()} names them. */
    static final String TICKETS = "ticket";

    static final String MEETINGS = "meeting";

    /** Whole months since the first contract started, while one is in force. */
    public static final String TENURE_MONTHS = "contracts.tenure_months";

    /** Whole months since the current contract (the latest started of those in force) started. */
    public static final String CONTRACT_AGE_MONTHS = "contracts.contract_age_months";

    /** Whole months to the end of the earliest-ending contract in force. */
    public static final String MONTHS_TO_RENEWAL = "contracts.months_to_renewal";

    /** Contracts started so far that continued an earlier one. */
    public static final String RENEWALS = "contracts.renewals";

    /** Whole days since the account entered the lifecycle stage it was in when the day ended. */
    public static final String DAYS_IN_STAGE = "lifecycle.days_in_stage";

    private final Map<String, List<String>> families;
    private final DataSpans spans;

    /**
     * @param families the usage metrics of each family a {@code prefix.*} metric names, such as the key features
     * @param spans the days on which there is data of each metric and kind of activity
     */
    public MeasureValues(Map<String, List<String>> families, DataSpans spans) {
        this.families = Map.copyOf(families);
        this.spans = spans;
    }

    /** How many days of usage and activity before the day a scorecard's measures read (the day itself included). */
    public static int lookbackDays(List<Scorecard> scorecards) {
        int days = 1;
        for (Scorecard scorecard : scorecards) {
            for (Dimension dimension : scorecard.dimensions()) {
                for (Measure measure : dimension.measures()) {
                    int window = measure.window().lengthInDays();
                    days = Math.max(days, measure.aggregate() == Aggregate.pct_change ? 2 * window : window);
                }
            }
        }
        return days;
    }

    /** The family members a {@code prefix.*} metric stands for, or the metric itself. */
    public List<String> usageMetrics(String metric) {
        return metric.endsWith(".*") ? families.getOrDefault(metric, List.of()) : List.of(metric);
    }

    /**
     * The measures' raw values for one account, dimension by dimension as the scorecard lists them; {@code NaN} for a
     * measure without data. The usage and activity windows may reach past the day: what is dated after it is not read.
     */
    public double[] values(
            Scorecard scorecard, LocalDate day, AccountSnapshot account, UsageWindow usage, ActivityWindow activity) {
        return values(scorecard, day, account, usage, activity, List.of());
    }

    /**
     * As {@link #values(Scorecard, LocalDate, AccountSnapshot, UsageWindow, ActivityWindow)}, with the account's stays
     * in lifecycle stages (any entered after the day are not read).
     */
    public double[] values(
            Scorecard scorecard,
            LocalDate day,
            AccountSnapshot account,
            UsageWindow usage,
            ActivityWindow activity,
            List<StageStay> stays) {
        int count = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            count += dimension.measures().size();
        }
        double[] values = new double[count];
        int i = 0;
        for (Dimension dimension : scorecard.dimensions()) {
            for (Measure measure : dimension.measures()) {
                OptionalDouble value = DAYS_IN_STAGE.equals(measure.metric())
                        ? daysInStage(stays, day)
                        : value(measure, day, account, usage, activity);
                values[i++] =
                        value.isPresent() && Double.isFinite(value.getAsDouble()) ? value.getAsDouble() : Double.NaN;
            }
        }
        return values;
    }

    OptionalDouble value(
            Measure measure, LocalDate day, AccountSnapshot account, UsageWindow usage, ActivityWindow activity) {
        int window = measure.window().lengthInDays();
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant start = day.minusDays(window - 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant oldest = start.minus(Duration.ofDays(ActivityWindow.OPEN_FOR_AT_MOST));
        LocalDate firstDay = day.minusDays(window - 1L);
        return switch (measure.metric()) {
            case "tickets.count" ->
                !DataSpans.covers(spans.kinds().get(TICKETS), day, window)
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(activity.tickets().stream()
                                .filter(t -> within(t.openedAt(), start, end))
                                .count());
            case "tickets.escalated" ->
                !DataSpans.covers(spans.kinds().get(TICKETS), day, window)
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(activity.tickets().stream()
                                .filter(t -> t.escalated() && within(t.openedAt(), start, end))
                                .count());
            case "tickets.resolution_hours" ->
                activity.tickets().stream()
                        .filter(t -> t.resolvedAt() != null
                                && within(t.resolvedAt(), start, end)
                                && !t.openedAt().isBefore(oldest))
                        .mapToDouble(t ->
                                Duration.between(t.openedAt(), t.resolvedAt()).toMinutes() / 60.0)
                        .average();
            case "tickets.csat" ->
                activity.tickets().stream()
                        .filter(t -> t.csat() != null
                                && t.resolvedAt() != null
                                && within(t.resolvedAt(), start, end)
                                && !t.openedAt().isBefore(oldest))
                        .mapToDouble(TicketFact::csat)
                        .average();
            case "invoices.days_overdue" -> daysOverdue(activity.invoices(), firstDay, day);
            case "invoices.late" -> lateInvoices(activity.invoices(), firstDay, day);
            case "meetings.qbr" ->
                !DataSpans.covers(spans.kinds().get(MEETINGS), day, window)
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(activity.meetings().stream()
                                .filter(m -> "qbr".equals(m.type()) && within(m.occurredAt(), start, end))
                                .count());
            case "meetings.exec_sponsor_days_since" ->
                !DataSpans.covers(spans.kinds().get(MEETINGS), day, window)
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(activity.meetings().stream()
                                .filter(m -> m.executiveSponsorAttended() && within(m.occurredAt(), start, end))
                                .map(MeetingFact::occurredAt)
                                .max(Instant::compareTo)
                                .map(at -> (double) ChronoUnit.DAYS.between(
                                        at.atZone(ZoneOffset.UTC).toLocalDate(), day))
                                .orElse((double) window));
            case "contacts.champion_present" -> championPresent(account.contacts(), day);
            case "contracts.arr_change_12m" -> arrChange(account.contracts(), day);
            case "contracts.days_to_renewal" -> daysToRenewal(account.contracts(), day);
            case TENURE_MONTHS -> tenureMonths(account.contracts(), day);
            case CONTRACT_AGE_MONTHS -> contractAgeMonths(account.contracts(), day);
            case MONTHS_TO_RENEWAL -> monthsToRenewal(account.contracts(), day);
            case RENEWALS -> renewals(account.contracts(), day);
            case DAYS_IN_STAGE -> OptionalDouble.empty();
            case "surveys.nps" -> nps(activity.surveys(), start, end);
            case "sentiment.csm" ->
                activity.sentiments().stream()
                        .filter(s -> within(s.recordedAt(), start, end))
                        .max((a, b) -> a.recordedAt().compareTo(b.recordedAt()))
                        .map(SentimentFact::score)
                        .map(score -> OptionalDouble.of(score))
                        .orElse(OptionalDouble.empty());
            default ->
                measure.metric().startsWith(ScorecardDocuments.ATTRIBUTE)
                        ? attribute(
                                account,
                                measure.metric().substring(ScorecardDocuments.ATTRIBUTE.length()),
                                firstDay,
                                day)
                        : usage(measure, day, account, usage);
        };
    }

    /**
     * Whole days from the day the account entered the stage it was in when the day ended to that day; N/A when it was
     * in none. A stage entered after the day is not read, and one left after it counts as still held then.
     */
    static OptionalDouble daysInStage(List<StageStay> stays, LocalDate day) {
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return stays.stream()
                .filter(stay -> stay.heldAt(end))
                .map(StageStay::entered)
                .max(Instant::compareTo)
                .map(entered -> OptionalDouble.of(
                        ChronoUnit.DAYS.between(entered.atZone(ZoneOffset.UTC).toLocalDate(), day)))
                .orElse(OptionalDouble.empty());
    }

    /** The attribute's latest value dated in the window, or N/A. */
    private static OptionalDouble attribute(AccountSnapshot account, String name, LocalDate firstDay, LocalDate day) {
        Double value = account.attribute(name, firstDay, day);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private OptionalDouble usage(Measure measure, LocalDate day, AccountSnapshot account, UsageWindow usage) {
        if (usage.trackedSince() == null || usage.trackedSince().isAfter(day)) {
            return OptionalDouble.empty();
        }
        int window = measure.window().lengthInDays();
        LocalDate firstDay = day.minusDays(window - 1L);
        // The metrics with data in the window, and the days on which any of them has data.
        List<String> withData = new ArrayList<>();
        DataSpans.Span span = null;
        for (String member : usageMetrics(measure.metric())) {
            DataSpans.Span known = spans.metrics().get(member);
            if (known != null && known.daysWithin(firstDay, day) > 0) {
                withData.add(member);
                span = known.union(span);
            }
        }
        if (!DataSpans.covers(span, day, window)) {
            return OptionalDouble.empty();
        }
        LocalDate coveredTo = span.last().isBefore(day) ? span.last() : day;
        int first = (int) (firstDay.toEpochDay() - usage.from().toEpochDay());
        int last = (int) (coveredTo.toEpochDay() - usage.from().toEpochDay());
        int covered = last - first + 1;
        if (measure.aggregate() == Aggregate.distinct_ratio) {
            int used = 0;
            for (String member : withData) {
                if (sum(usage.values(member), first, last) > 0) {
                    used++;
                }
            }
            return OptionalDouble.of((double) used / withData.size());
        }
        double[] values = usage.values(measure.metric());
        return switch (measure.aggregate()) {
            case sum -> OptionalDouble.of(sum(values, first, last));
            case average -> OptionalDouble.of(sum(values, first, last) / covered);
            case count, distinct -> OptionalDouble.of(activeDays(values, first, last));
            case latest -> latest(values, first, last);
            case days_since -> OptionalDouble.of(daysSinceActive(values, first, last, window));
            case pct_change -> {
                // Daily averages of this window (over its days with data) and the whole window before.
                LocalDate previousTo = firstDay.minusDays(1);
                if (!DataSpans.covers(span, previousTo, window)) {
                    yield OptionalDouble.empty();
                }
                int previousFirst = first - window;
                int previousLast = first - 1;
                double current = sum(values, first, last) / covered;
                double previous = sum(values, previousFirst, previousLast) / window;
                if (previous == 0) {
                    yield current == 0 ? OptionalDouble.of(0) : OptionalDouble.empty();
                }
                yield OptionalDouble.of((current - previous) / previous);
            }
            case ratio_to_seats -> {
                long seats = account.contracts().stream()
                        .filter(c -> c.inForceOn(day) && c.seats() != null)
                        .mapToLong(ContractTerm::seats)
                        .sum();
                yield seats == 0 ? OptionalDouble.empty() : OptionalDouble.of(max(values, first, last) / seats);
            }
            case distinct_ratio -> throw new IllegalStateException("handled above");
        };
    }

    private static boolean within(Instant at, Instant start, Instant end) {
        return !at.isBefore(start) && at.isBefore(end);
    }

    private static double sum(double[] values, int first, int last) {
        double sum = 0;
        for (int i = Math.max(0, first); i <= last && i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
            }
        }
        return sum;
    }

    private static double max(double[] values, int first, int last) {
        double max = 0;
        for (int i = Math.max(0, first); i <= last && i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                max = Math.max(max, values[i]);
            }
        }
        return max;
    }

    private static int activeDays(double[] values, int first, int last) {
        int days = 0;
        for (int i = Math.max(0, first); i <= last && i < values.length; i++) {
            if (values[i] > 0) {
                days++;
            }
        }
        return days;
    }

    private static OptionalDouble latest(double[] values, int first, int last) {
        for (int i = Math.min(last, values.length - 1); i >= Math.max(0, first); i--) {
            if (!Double.isNaN(values[i])) {
                return OptionalDouble.of(values[i]);
            }
        }
        return OptionalDouble.empty();
    }

    private static double daysSinceActive(double[] values, int first, int last, int window) {
        for (int i = Math.min(last, values.length - 1); i >= Math.max(0, first); i--) {
            if (values[i] > 0) {
                return last - i;
            }
        }
        return window;
    }

    /**
     * Whether an invoice counts in a window: billable, issued in it, or issued at most a year before it and unpaid at its
     * start.
     */
    private static boolean counts(InvoiceFact invoice, LocalDate firstDay, LocalDate day) {
        if (!invoice.billable()
                || invoice.issuedOn().isAfter(day)
                || invoice.issuedOn().isBefore(firstDay.minusDays(ActivityWindow.OPEN_FOR_AT_MOST))) {
            return false;
        }
        return !invoice.issuedOn().isBefore(firstDay)
                || invoice.paidOn() == null
                || !invoice.paidOn().isBefore(firstDay);
    }

    /**
     * Days the oldest unpaid invoice is past due on the day; 0 when none is; N/A without any invoice issued in or open
     * during the window.
     */
    private static OptionalDouble daysOverdue(List<InvoiceFact> invoices, LocalDate firstDay, LocalDate day) {
        boolean any = false;
        long overdue = 0;
        for (InvoiceFact invoice : invoices) {
            if (!counts(invoice, firstDay, day)) {
                continue;
            }
            any = true;
            boolean unpaid = invoice.paidOn() == null || invoice.paidOn().isAfter(day);
            if (unpaid && invoice.dueOn().isBefore(day)) {
                overdue = Math.max(overdue, ChronoUnit.DAYS.between(invoice.dueOn(), day));
            }
        }
        return any ? OptionalDouble.of(overdue) : OptionalDouble.empty();
    }

    /** Invoices due in the window that were paid after their due date or are still unpaid past it. */
    private static OptionalDouble lateInvoices(List<InvoiceFact> invoices, LocalDate firstDay, LocalDate day) {
        boolean any = false;
        int late = 0;
        for (InvoiceFact invoice : invoices) {
            if (!counts(invoice, firstDay, day)) {
                continue;
            }
            any = true;
            if (invoice.dueOn().isBefore(firstDay) || !invoice.dueOn().isBefore(day)) {
                continue;
            }
            boolean paidLate = invoice.paidOn() != null && invoice.paidOn().isAfter(invoice.dueOn());
            boolean stillUnpaid = invoice.paidOn() == null || invoice.paidOn().isAfter(day);
            if (paidLate || stillUnpaid) {
                late++;
            }
        }
        return any ? OptionalDouble.of(late) : OptionalDouble.empty();
    }

    private static OptionalDouble championPresent(List<ContactTenure> contacts, LocalDate day) {
        boolean anyone = false;
        for (ContactTenure contact : contacts) {
            if (contact.presentOn(day)) {
                anyone = true;
                if ("champion".equalsIgnoreCase(contact.role())) {
                    return OptionalDouble.of(1);
                }
            }
        }
        return anyone ? OptionalDouble.of(0) : OptionalDouble.empty();
    }

    private static OptionalDouble arrChange(List<ContractTerm> contracts, LocalDate day) {
        double now = arrOn(contracts, day);
        double yearBefore = arrOn(contracts, day.minusDays(YEAR));
        return yearBefore == 0 ? OptionalDouble.empty() : OptionalDouble.of((now - yearBefore) / yearBefore);
    }

    private static double arrOn(List<ContractTerm> contracts, LocalDate day) {
        return contracts.stream()
                .filter(c -> c.inForceOn(day))
                .map(ContractTerm::arr)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .doubleValue();
    }

    private static OptionalDouble daysToRenewal(List<ContractTerm> contracts, LocalDate day) {
        return contracts.stream()
                .filter(c -> c.inForceOn(day) && c.end() != null)
                .mapToLong(c -> ChronoUnit.DAYS.between(day, c.end()))
                .min()
                .stream()
                .mapToDouble(days -> days)
                .findFirst();
    }

    /**
     * The contracts as known on the day: those started on or before it. A contract signed later does not exist yet, so a
     * past day's tenure never counts a renewal that came after it.
     */
    private static List<ContractTerm> startedBy(List<ContractTerm> contracts, LocalDate day) {
        return contracts.stream().filter(c -> !c.start().isAfter(day)).toList();
    }

    /** Months since the first contract started; N/A unless a contract is in force on the day. */
    private static OptionalDouble tenureMonths(List<ContractTerm> contracts, LocalDate day) {
        List<ContractTerm> known = startedBy(contracts, day);
        if (known.stream().noneMatch(c -> c.inForceOn(day))) {
            return OptionalDouble.empty();
        }
        LocalDate first = known.stream()
                .map(ContractTerm::start)
                .min(LocalDate::compareTo)
                .orElseThrow();
        return OptionalDouble.of(ChronoUnit.MONTHS.between(first, day));
    }

    /** Months since the latest-started contract in force started; N/A without one. */
    private static OptionalDouble contractAgeMonths(List<ContractTerm> contracts, LocalDate day) {
        return contracts.stream()
                .filter(c -> c.inForceOn(day))
                .map(ContractTerm::start)
                .max(LocalDate::compareTo)
                .map(start -> OptionalDouble.of(ChronoUnit.MONTHS.between(start, day)))
                .orElse(OptionalDouble.empty());
    }

    /** Whole months to the end of the earliest-ending contract in force (the one up for renewal next); N/A without. */
    private static OptionalDouble monthsToRenewal(List<ContractTerm> contracts, LocalDate day) {
        return contracts.stream()
                .filter(c -> c.inForceOn(day) && c.end() != null)
                .map(ContractTerm::end)
                .min(LocalDate::compareTo)
                .map(end -> OptionalDouble.of(ChronoUnit.MONTHS.between(day, end)))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Contracts started on or before the day that continued an earlier-started contract which had ended by the day:
     * they were in force on the day it ended, the rule by which backtests tell a renewal from a churn. N/A unless a
     * contract is in force on the day.
     */
    private static OptionalDouble renewals(List<ContractTerm> contracts, LocalDate day) {
        List<ContractTerm> known = startedBy(contracts, day);
        if (known.stream().noneMatch(c -> c.inForceOn(day))) {
            return OptionalDouble.empty();
        }
        long renewals = known.stream()
                .filter(next -> known.stream()
                        .anyMatch(previous -> previous != next
                                && previous.end() != null
                                && !previous.end().isAfter(day)
                                && previous.start().isBefore(next.start())
                                && next.inForceOn(previous.end())))
                .count();
        return OptionalDouble.of(renewals);
    }

    /** Net promoter score of the NPS responses in the window: % promoters (9–10) minus % detractors (0–6). */
    private static OptionalDouble nps(List<SurveyFact> surveys, Instant start, Instant end) {
        int responses = 0;
        int promoters = 0;
        int detractors = 0;
        for (SurveyFact survey : surveys) {
            if (!"nps".equals(survey.kind()) || !within(survey.respondedAt(), start, end)) {
                continue;
            }
            responses++;
            if (survey.score() >= 9) {
                promoters++;
            } else if (survey.score() <= 6) {
                detractors++;
            }
        }
        return responses == 0
                ? OptionalDouble.empty()
                : OptionalDouble.of(100.0 * (promoters - detractors) / responses);
    }
}
