package dev.steward.survey;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A survey's NPS and response rate per month its contacts were asked (each month a wave: those asked then, and how
 * many of them answered), overall and by the segments the accounts are in now. Every month from the first wave to the
 * last is listed; a month nobody was asked in, or nobody answered, has no rate or no NPS ("no data"), never a zero.
 */
public record NpsOverTime(UUID survey, String by, List<Period> overall, List<Segment> bySegment) {

    /** One month: contacts asked in it, how many of them answered, the response rate and their NPS. */
    public record Period(
            String period,
            int sent,
            int responses,
            @Nullable Double responseRate,
            SurveyResults.Nps nps) {}

    /** One segment's months. */
    public record Segment(String segment, List<Period> periods) {}

    /** The months of these invitations, from the first to the last, each month's figures. */
    static List<Period> months(List<Surveys.Invitation> invitations, List<YearMonth> span, ZoneId zone) {
        Map<YearMonth, List<Surveys.Invitation>> byMonth = new TreeMap<>();
        for (Surveys.Invitation invitation : invitations) {
            byMonth.computeIfAbsent(
                            YearMonth.from(LocalDate.ofInstant(invitation.invitedAt(), zone)), m -> new ArrayList<>())
                    .add(invitation);
        }
        List<Period> periods = new ArrayList<>();
        for (YearMonth month : span) {
            List<Surveys.Invitation> asked = byMonth.getOrDefault(month, List.of());
            SurveyResults.Nps nps = SurveyManagement.nps(asked);
            periods.add(new Period(
                    month.toString(),
                    asked.size(),
                    nps.answers(),
                    SurveyResults.rate(nps.answers(), asked.size()),
                    nps));
        }
        return periods;
    }

    /** Every month from the first invitation's to the last's. */
    static List<YearMonth> span(List<Surveys.Invitation> invitations, ZoneId zone) {
        List<YearMonth> span = new ArrayList<>();
        YearMonth first = null;
        YearMonth last = null;
        for (Surveys.Invitation invitation : invitations) {
            YearMonth month = YearMonth.from(LocalDate.ofInstant(invitation.invitedAt(), zone));
            first = first == null || month.isBefore(first) ? month : first;
            last = last == null || month.isAfter(last) ? month : last;
        }
        for (YearMonth month = first; month != null && !month.isAfter(last); month = month.plusMonths(1)) {
            span.add(month);
        }
        return span;
    }
}
