package dev.steward.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.activity.ActivityWindow;
import dev.steward.activity.ActivityWindow.InvoiceFact;
import dev.steward.activity.ActivityWindow.MeetingFact;
import dev.steward.activity.ActivityWindow.SurveyFact;
import dev.steward.activity.ActivityWindow.TicketFact;
import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshot.ContactTenure;
import dev.steward.customer.AccountSnapshot.ContractTerm;
import dev.steward.usage.UsageWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MeasureValuesTests {

    /** 2024 is a leap year: the 30 days up to 15 March 2024 start on 15 February and include 29 February. */
    static final LocalDate DAY = LocalDate.of(2024, 3, 15);

    static final Map<String, List<String>> FAMILIES =
            Map.of("feature.*", List.of("feature.reports", "feature.api", "feature.dashboards", "feature.automations"));

    /** Data of every metric and kind from long before to the day: the account's own values decide. */
    static final DataSpans KNOWN = spans(DAY.minusDays(1000), DAY);

    final MeasureValues values = new MeasureValues(FAMILIES, KNOWN);

    static DataSpans spans(LocalDate first, LocalDate last) {
        DataSpans.Span span = new DataSpans.Span(first, last);
        Map<String, DataSpans.Span> metrics = new java.util.HashMap<>();
        for (String metric : List.of("logins", "active_users", "usage.total")) {
            metrics.put(metric, span);
        }
        FAMILIES.get("feature.*").forEach(metric -> metrics.put(metric, span));
        return new DataSpans(metrics, Map.of(MeasureValues.TICKETS, span, MeasureValues.MEETINGS, span));
    }

    /**
     * An export whose facts end 100 days before the day: a 30-day window lies wholly after it, so it has no data,
     * whatever the account sent before; a 90-day window ending 50 days after it still has 40 days of data.
     */
    @Test
    void aWindowAfterTheDataEndsHasNoDataRatherThanZeroUse() {
        MeasureValues export = new MeasureValues(FAMILIES, spans(DAY.minusDays(800), DAY.minusDays(100)));
        UsageWindow usage = usage(Map.of("logins", daily(DAY.minusDays(100), 60, 2)), DAY.minusDays(400));
        Measure logins = measure("logins", Aggregate.sum, 30);
        AccountSnapshot account = account(List.of(), List.of());
        assertThat(export.value(logins, DAY, account, usage, none())).isEmpty();
        assertThat(export.value(measure("feature.*", Aggregate.distinct_ratio, 30), DAY, account, usage, none()))
                .isEmpty();
        assertThat(export.value(measure("tickets.count", Aggregate.count, 30), DAY, account, usage, none()))
                .as("no tickets in a month nobody exported tickets for is not zero tickets")
                .isEmpty();
        assertThat(export.value(measure("meetings.qbr", Aggregate.count, 90), DAY, account, usage, none()))
                .isEmpty();
        // As of the export's last day, the same account has 30 days of 2 logins.
        assertThat(export.value(logins, DAY.minusDays(100), account, usage, none()))
                .hasValue(60);
        // 140 days of data end 60 days before: 60 of the 120-day window's days lie within it, exactly half.
        assertThat(export.value(measure("logins", Aggregate.average, 120), DAY.minusDays(40), account, usage, none()))
                .as("an average over the 60 days with data: 2 logins on each")
                .hasValue(2);
        assertThat(export.value(measure("logins", Aggregate.average, 120), DAY.minusDays(39), account, usage, none()))
                .as("59 of 120 days with data is too few")
                .isEmpty();
    }

    /** Within the days the metric has data, an account that sent nothing used it zero times. */
    @Test
    void withinTheDataAnAccountThatSentNothingUsedNothing() {
        UsageWindow silent = usage(Map.of("active_users", daily(DAY, 30, 1)), DAY.minusDays(400));
        assertThat(value("logins", Aggregate.sum, 30, silent)).hasValue(0);
        assertThat(value("logins", Aggregate.days_since, 30, silent)).hasValue(30);
    }

    /** A metric of the catalog that no account ever sent is not a feature nobody adopted: it is left out. */
    @Test
    void aFamilyMemberWithoutAnyDataIsLeftOutOfTheShare() {
        Map<String, DataSpans.Span> metrics = new java.util.HashMap<>(KNOWN.metrics());
        metrics.remove("feature.api");
        metrics.put("feature.automations", new DataSpans.Span(DAY.minusDays(1000), DAY.minusDays(400)));
        MeasureValues withoutApi = new MeasureValues(FAMILIES, new DataSpans(metrics, KNOWN.kinds()));
        UsageWindow usage =
                usage(Map.of("feature.reports", daily(DAY, 1, 4), "feature.dashboards", daily(DAY, 1, 0)), DAY);
        // Reports and dashboards had data in the window (dashboards at zero); api never, automations long ago.
        assertThat(withoutApi.value(
                        measure("feature.*", Aggregate.distinct_ratio, 90),
                        DAY,
                        account(List.of(), List.of()),
                        usage,
                        none()))
                .hasValue(0.5);
    }

    /** Metric keys with dots are usage like any other, not only those of the {@code feature.} family. */
    @Test
    void aDottedMetricIsReadLikeAnyOther() {
        UsageWindow usage = usage(Map.of("usage.total", daily(DAY, 10, 7)), DAY.minusDays(400));
        assertThat(value("usage.total", Aggregate.sum, 30, usage)).hasValue(70);
    }

    @Test
    void sumsAndAveragesCountDaysWithoutUsageAsZeroOnceTrackingBegan() {
        UsageWindow usage = usage(Map.of("logins", daily(DAY, 30, 2)), DAY.minusDays(200));
        assertThat(value("logins", Aggregate.sum, 30, usage)).hasValue(60);
        // Usage on 30 of the last 60 days: the 60-day sum is the same, the average halves.
        assertThat(value("logins", Aggregate.sum, 60, usage)).hasValue(60);
        assertThat(value("logins", Aggregate.average, 60, usage)).hasValue(1);
        assertThat(value("logins", Aggregate.count, 60, usage)).hasValue(30);
    }

    @Test
    void usageBeforeTrackingBeganIsNoData() {
        UsageWindow untracked = usage(Map.of(), null);
        assertThat(value("logins", Aggregate.sum, 30, untracked)).isEmpty();
        UsageWindow startsLater = usage(Map.of("logins", daily(DAY, 5, 1)), DAY.plusDays(1));
        assertThat(value("logins", Aggregate.sum, 30, startsLater)).isEmpty();
        // A window that starts before the account's first day counts from that day.
        UsageWindow young = usage(Map.of("logins", daily(DAY, 10, 3)), DAY.minusDays(9));
        assertThat(value("logins", Aggregate.sum, 30, young)).hasValue(30);
    }

    @Test
    void percentChangeComparesWithTheWindowBefore() {
        double[] logins = daily(DAY, 60, 4);
        for (int i = 0; i < 30; i++) {
            logins[logins.length - 1 - i] = 3;
        }
        UsageWindow usage = usage(Map.of("logins", logins), DAY.minusDays(400));
        assertThat(value("logins", Aggregate.pct_change, 30, usage)).hasValue(-0.25);
        // Nothing before and nothing now is no change; something from nothing has no ratio.
        UsageWindow idle = usage(Map.of(), DAY.minusDays(400));
        assertThat(value("logins", Aggregate.pct_change, 30, idle)).hasValue(0);
        UsageWindow fresh = usage(Map.of("logins", daily(DAY, 10, 1)), DAY.minusDays(400));
        assertThat(value("logins", Aggregate.pct_change, 30, fresh)).isEmpty();
    }

    @Test
    void utilizationIsPeakActiveUsersOverSeatsInForceAndNoSeatsIsNoData() {
        double[] active = daily(DAY, 30, 3);
        active[active.length - 5] = 6;
        UsageWindow usage = usage(Map.of("active_users", active), DAY.minusDays(400));
        AccountSnapshot tenSeats = account(List.of(), List.of(contract(DAY.minusDays(100), DAY.plusDays(265), 10)));
        assertThat(values.value(measure("active_users", Aggregate.ratio_to_seats, 30), DAY, tenSeats, usage, none()))
                .hasValue(0.6);
        AccountSnapshot ended = account(List.of(), List.of(contract(DAY.minusDays(400), DAY, 10)));
        assertThat(values.value(measure("active_users", Aggregate.ratio_to_seats, 30), DAY, ended, usage, none()))
                .isEmpty();
    }

    @Test
    void featureAdoptionIsTheShareOfKeyFeaturesUsedInTheWindow() {
        UsageWindow usage = usage(
                Map.of(
                        "feature.reports", daily(DAY, 1, 4),
                        "feature.api", daily(DAY.minusDays(100), 1, 9)),
                DAY.minusDays(400));
        assertThat(value("feature.*", Aggregate.distinct_ratio, 90, usage)).hasValue(0.25);
    }

    @Test
    void ticketsCountTheWindowAndAveragesNeedSomethingToAverage() {
        ActivityWindow activity = new ActivityWindow(
                List.of(
                        new TicketFact(at(DAY.minusDays(3)), at(DAY.minusDays(2)), true, 2),
                        new TicketFact(at(DAY.minusDays(40)), null, false, null),
                        new TicketFact(at(DAY.minusDays(100)), at(DAY.minusDays(1)), false, 4)),
                List.of(),
                List.of(),
                List.of(),
                List.of());
        assertThat(fact("tickets.count", 90, activity)).hasValue(2);
        assertThat(fact("tickets.escalated", 90, activity)).hasValue(1);
        // Resolved in the window: the one opened 3 days ago (24 h) and the one opened 100 days ago (99 days).
        assertThat(fact("tickets.resolution_hours", 90, activity)).hasValue((24 + 99 * 24) / 2.0);
        assertThat(fact("tickets.csat", 90, activity)).hasValue(3);
        assertThat(fact("tickets.csat", 90, none())).isEmpty();
        assertThat(fact("tickets.count", 90, none())).hasValue(0);
    }

    @Test
    void paymentTimelinessIsTheOldestOpenInvoicesDaysPastDue() {
        ActivityWindow activity = new ActivityWindow(
                List.of(),
                List.of(
                        new InvoiceFact(DAY.minusDays(60), DAY.minusDays(30), null, true),
                        new InvoiceFact(DAY.minusDays(50), DAY.minusDays(20), DAY.minusDays(25), true),
                        new InvoiceFact(DAY.minusDays(70), DAY.minusDays(45), null, false)),
                List.of(),
                List.of(),
                List.of());
        assertThat(fact("invoices.days_overdue", 90, activity)).hasValue(30);
        assertThat(fact("invoices.days_overdue", 90, none())).isEmpty();
    }

    /**
     * Facts that reach past the day or far before the window (as when many as-of days share one read) change nothing:
     * invoices count when issued in the window or still open at its start, tickets when opened at most a year before
     * it, and nothing after the day is read.
     */
    @Test
    void onlyTheWindowsFactsCountHoweverMuchMoreIsRead() {
        ActivityWindow settledLongAgo = new ActivityWindow(
                List.of(),
                List.of(new InvoiceFact(DAY.minusDays(200), DAY.minusDays(170), DAY.minusDays(180), true)),
                List.of(),
                List.of(),
                List.of());
        assertThat(fact("invoices.days_overdue", 90, settledLongAgo))
                .as("no invoice in the window")
                .isEmpty();
        assertThat(fact("invoices.late", 90, settledLongAgo)).isEmpty();

        ActivityWindow openSinceBefore = new ActivityWindow(
                List.of(),
                List.of(
                        new InvoiceFact(DAY.minusDays(200), DAY.minusDays(170), DAY.plusDays(5), true),
                        new InvoiceFact(DAY.plusDays(1), DAY.plusDays(31), null, true),
                        new InvoiceFact(DAY.minusDays(600), DAY.minusDays(570), null, true)),
                List.of(),
                List.of(),
                List.of());
        // Issued before the window and paid only after the day: 170 days overdue on the day. The invoice issued
        // after the day and the one issued over a year before the window are not read.
        assertThat(fact("invoices.days_overdue", 90, openSinceBefore)).hasValue(170);

        ActivityWindow oldAndLater = new ActivityWindow(
                List.of(
                        new TicketFact(at(DAY.minusDays(500)), at(DAY.minusDays(10)), false, 5),
                        new TicketFact(at(DAY.minusDays(20)), at(DAY.plusDays(3)), true, 1),
                        new TicketFact(at(DAY.plusDays(2)), null, true, null)),
                List.of(),
                List.of(),
                List.of(),
                List.of());
        assertThat(fact("tickets.count", 90, oldAndLater))
                .as("opened in the window, on or before the day")
                .hasValue(1);
        assertThat(fact("tickets.escalated", 90, oldAndLater)).hasValue(1);
        // The ticket opened 500 days ago is beyond a year before the window; the other is resolved after the day.
        assertThat(fact("tickets.resolution_hours", 90, oldAndLater)).isEmpty();
        assertThat(fact("tickets.csat", 90, oldAndLater)).isEmpty();
    }

    @Test
    void npsIsPromotersMinusDetractorsAndMeetingsCountOrAgeWithinTheWindow() {
        ActivityWindow activity = new ActivityWindow(
                List.of(),
                List.of(),
                List.of(
                        new MeetingFact(at(DAY.minusDays(20)), "qbr", true),
                        new MeetingFact(at(DAY.minusDays(5)), "check_in", false)),
                List.of(
                        new SurveyFact(at(DAY.minusDays(1)), "nps", 10),
                        new SurveyFact(at(DAY.minusDays(2)), "nps", 9),
                        new SurveyFact(at(DAY.minusDays(3)), "nps", 3),
                        new SurveyFact(at(DAY.minusDays(4)), "nps", 8),
                        new SurveyFact(at(DAY.minusDays(4)), "csat", 5)),
                List.of());
        assertThat(fact("surveys.nps", 90, activity)).hasValue(25);
        assertThat(fact("meetings.qbr", 90, activity)).hasValue(1);
        assertThat(fact("meetings.exec_sponsor_days_since", 90, activity)).hasValue(20);
        // No executive-sponsor meeting in the window reads as the whole window.
        assertThat(fact("meetings.exec_sponsor_days_since", 14, activity)).hasValue(14);
    }

    @Test
    void championAndContractsAreReadAsOfTheDay() {
        AccountSnapshot account = account(
                List.of(
                        new ContactTenure("champion", DAY.minusDays(300), DAY.minusDays(10)),
                        new ContactTenure("end_user", DAY.minusDays(300), null)),
                List.of(
                        contract(DAY.minusDays(500), DAY.minusDays(135), 10_000),
                        contract(DAY.minusDays(135), DAY.plusDays(230), 8_000)));
        assertThat(values.value(
                        measure("contacts.champion_present", Aggregate.latest, 90), DAY, account, usageNone(), none()))
                .hasValue(0);
        assertThat(values.value(
                        measure("contacts.champion_present", Aggregate.latest, 90),
                        DAY.minusDays(11),
                        account,
                        usageNone(),
                        none()))
                .hasValue(1);
        assertThat(values.value(
                        measure("contracts.arr_change_12m", Aggregate.latest, 90), DAY, account, usageNone(), none()))
                .hasValue(-0.2);
        assertThat(values.value(
                        measure("contracts.days_to_renewal", Aggregate.latest, 90), DAY, account, usageNone(), none()))
                .hasValue(230);
    }

    /**
     * A customer since 15 January 2022 (DAY is 15 March 2024): a first one-year contract, renewed on 15 January 2023 and
     * again on 15 January 2024 until 15 January 2025. A fourth contract is signed for a start on 1 April 2024, after DAY.
     */
    @Test
    void tenureIsReadAsOfTheDayAndALaterContractDoesNotCount() {
        AccountSnapshot account = account(
                List.of(),
                List.of(
                        contract(LocalDate.of(2022, 1, 15), LocalDate.of(2023, 1, 15), 10_000),
                        contract(LocalDate.of(2023, 1, 15), LocalDate.of(2024, 1, 15), 10_000),
                        contract(LocalDate.of(2024, 1, 15), LocalDate.of(2025, 1, 15), 12_000),
                        // An add-on signed after DAY that would look like a renewal, and make the contract 0 months
                        // old.
                        contract(LocalDate.of(2024, 4, 1), LocalDate.of(2025, 4, 1), 2_000)));
        assertThat(tenure(MeasureValues.TENURE_MONTHS, DAY, account)).hasValue(26);
        assertThat(tenure(MeasureValues.CONTRACT_AGE_MONTHS, DAY, account)).hasValue(2);
        assertThat(tenure(MeasureValues.MONTHS_TO_RENEWAL, DAY, account)).hasValue(10);
        assertThat(tenure(MeasureValues.RENEWALS, DAY, account))
                .as("the contracts of 2023 and 2024 each followed one; the one starting in April is not signed yet")
                .hasValue(2);
        // A year earlier the 2024 contract did not exist yet: one renewal, two months into the second contract.
        LocalDate yearBefore = LocalDate.of(2023, 3, 15);
        assertThat(tenure(MeasureValues.TENURE_MONTHS, yearBefore, account)).hasValue(14);
        assertThat(tenure(MeasureValues.CONTRACT_AGE_MONTHS, yearBefore, account))
                .hasValue(2);
        assertThat(tenure(MeasureValues.MONTHS_TO_RENEWAL, yearBefore, account)).hasValue(10);
        assertThat(tenure(MeasureValues.RENEWALS, yearBefore, account)).hasValue(1);
        // Once started, the add-on is the latest contract in force; the 2024 contract it overlaps has not ended yet, so
        // the add-on is no renewal.
        LocalDate afterAddOn = LocalDate.of(2024, 6, 1);
        assertThat(tenure(MeasureValues.CONTRACT_AGE_MONTHS, afterAddOn, account))
                .hasValue(2);
        assertThat(tenure(MeasureValues.RENEWALS, afterAddOn, account)).hasValue(2);
    }

    @Test
    void tenureWithoutAContractInForceIsNoDataNotZero() {
        AccountSnapshot prospect = account(List.of(), List.of());
        AccountSnapshot signedLater = account(List.of(), List.of(contract(DAY.plusDays(1), DAY.plusDays(366), 5_000)));
        AccountSnapshot leftBefore =
                account(List.of(), List.of(contract(DAY.minusDays(400), DAY.minusDays(35), 5_000)));
        AccountSnapshot openEnded = account(List.of(), List.of(contract(DAY.minusDays(40), null, 5_000)));
        for (String metric : List.of(
                MeasureValues.TENURE_MONTHS,
                MeasureValues.CONTRACT_AGE_MONTHS,
                MeasureValues.MONTHS_TO_RENEWAL,
                MeasureValues.RENEWALS)) {
            assertThat(tenure(metric, DAY, prospect)).as(metric).isEmpty();
            assertThat(tenure(metric, DAY, signedLater))
                    .as(metric + ": a contract signed after the day")
                    .isEmpty();
            assertThat(tenure(metric, DAY, leftBefore))
                    .as(metric + ": a former customer")
                    .isEmpty();
        }
        assertThat(tenure(MeasureValues.TENURE_MONTHS, DAY, openEnded)).hasValue(1);
        assertThat(tenure(MeasureValues.RENEWALS, DAY, openEnded)).hasValue(0);
        assertThat(tenure(MeasureValues.MONTHS_TO_RENEWAL, DAY, openEnded))
                .as("an open-ended contract has no renewal date")
                .isEmpty();
    }

    /** Tenure measures are written in a scorecard like any other fact and read with aggregate latest. */
    @Test
    void tenureMeasuresAreAcceptedInScorecardDocuments() {
        String yaml = """
                name: Tenure
                appliesTo: "true"
                priority: 10
                dimensions:
                  - name: Financial
                    weight: 100
                    measures:
                      - name: Months as a customer
                        metric: contracts.tenure_months
                        aggregate: latest
                        window: 90d
                        weight: 50
                        score: { linear: { from: 3, to: 24 } }
                      - name: Renewals so far
                        metric: contracts.renewals
                        aggregate: latest
                        window: 90d
                        weight: 50
                        score: { linear: { from: 0, to: 2 } }
                """;
        ScorecardCheck check = new ScorecardDocuments(java.util.Set.of()).read(yaml);
        assertThat(check.problems()).isEmpty();
        double[] raw = values.values(
                check.scorecard(),
                DAY,
                account(
                        List.of(),
                        List.of(
                                contract(LocalDate.of(2023, 1, 15), LocalDate.of(2024, 1, 15), 1_000),
                                contract(LocalDate.of(2024, 1, 15), LocalDate.of(2025, 1, 15), 1_000))),
                usageNone(),
                none());
        assertThat(raw).containsExactly(14, 1);
    }

    /**
     * Days in the lifecycle stage are read as of the day: the stage the account was in when the day ended, counted from
     * the day it entered it; a stage entered after the day is not read (the one before it still holds then), and
     * without a stage there is no data.
     */
    @Test
    void daysInStageAreReadAsOfTheDayAndALaterStageDoesNotCount() {
        String yaml = """
                name: Stage
                appliesTo: "true"
                priority: 10
                dimensions:
                  - name: Lifecycle
                    weight: 100
                    measures:
                      - name: Days in stage
                        metric: lifecycle.days_in_stage
                        aggregate: latest
                        window: 90d
                        weight: 100
                        score: { linear: { from: 0, to: 90 } }
                """;
        ScorecardCheck check = new ScorecardDocuments(java.util.Set.of()).read(yaml);
        assertThat(check.problems()).isEmpty();
        List<StageStay> stays = List.of(
                new StageStay(
                        "onboarding", Instant.parse("2024-01-10T09:00:00Z"), Instant.parse("2024-02-20T16:00:00Z")),
                new StageStay("adoption", Instant.parse("2024-02-20T16:00:00Z"), Instant.parse("2024-03-20T08:00:00Z")),
                new StageStay("renewal", Instant.parse("2024-03-20T08:00:00Z"), null));
        AccountSnapshot account = account(List.of(), List.of());

        assertThat(values.values(check.scorecard(), DAY, account, usageNone(), none(), stays))
                .as("15 March: in adoption since 20 February; renewal, entered on 20 March, is not read")
                .containsExactly(24);
        assertThat(values.values(check.scorecard(), LocalDate.of(2024, 2, 20), account, usageNone(), none(), stays))
                .as("a stage entered during the day holds when the day ends")
                .containsExactly(0);
        assertThat(values.values(check.scorecard(), LocalDate.of(2024, 2, 19), account, usageNone(), none(), stays))
                .containsExactly(40);
        assertThat(values.values(check.scorecard(), LocalDate.of(2024, 4, 1), account, usageNone(), none(), stays))
                .containsExactly(12);
        assertThat(values.values(check.scorecard(), LocalDate.of(2024, 1, 9), account, usageNone(), none(), stays)[0])
                .as("before the first stage: no data, not zero")
                .isNaN();
        assertThat(values.values(check.scorecard(), DAY, account, usageNone(), none())[0])
                .as("without stays (no lifecycle module): no data")
                .isNaN();
    }

    private OptionalDouble tenure(String metric, LocalDate day, AccountSnapshot account) {
        return values.value(measure(metric, Aggregate.latest, 90), day, account, usageNone(), none());
    }

    private OptionalDouble value(String metric, Aggregate aggregate, int window, UsageWindow usage) {
        return values.value(measure(metric, aggregate, window), DAY, account(List.of(), List.of()), usage, none());
    }

    private OptionalDouble fact(String metric, int window, ActivityWindow activity) {
        return values.value(
                measure(metric, Aggregate.count, window), DAY, account(List.of(), List.of()), usageNone(), activity);
    }

    private static Measure measure(String metric, Aggregate aggregate, int window) {
        return new Measure(metric, metric, aggregate, Window.days(window), 100, new ScoreRule.Linear(0, 1));
    }

    /** A span of 180 days ending on DAY with these metrics, each given as its last values up to DAY. */
    private static UsageWindow usage(Map<String, double[]> lastValues, LocalDate trackedSince) {
        LocalDate from = DAY.minusDays(179);
        Map<String, double[]> daily = new java.util.HashMap<>();
        lastValues.forEach((metric, last) -> {
            double[] span = new double[180];
            Arrays.fill(span, Double.NaN);
            System.arraycopy(last, 0, span, 180 - last.length, last.length);
            daily.put(metric, span);
        });
        return new UsageWindow(from, DAY, trackedSince, daily);
    }

    private static UsageWindow usageNone() {
        return usage(Map.of(), null);
    }

    /** {@code days} values of {@code value} ending on {@code end}, followed by NaN up to DAY. */
    private static double[] daily(LocalDate end, int days, double value) {
        int tail = (int) (DAY.toEpochDay() - end.toEpochDay());
        double[] values = new double[days + tail];
        Arrays.fill(values, Double.NaN);
        Arrays.fill(values, 0, days, value);
        return values;
    }

    private static ActivityWindow none() {
        return ActivityWindow.empty();
    }

    private static Instant at(LocalDate day) {
        return day.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
    }

    private static AccountSnapshot account(List<ContactTenure> contacts, List<ContractTerm> contracts) {
        return new AccountSnapshot(
                java.util.UUID.randomUUID(),
                "Test",
                null,
                "Mid-Market",
                null,
                null,
                null,
                null,
                BigDecimal.ZERO,
                Map.of(),
                null,
                contacts,
                contracts,
                Map.of());
    }

    private static ContractTerm contract(LocalDate start, LocalDate end, int seatsOrArr) {
        return new ContractTerm(start, end, BigDecimal.valueOf(seatsOrArr), seatsOrArr, "active");
    }
}
