package dev.steward.usage;

import dev.steward.customer.AccountId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** The account page's usage panel: weekly active users and logins over six months, and key features in use. */
@Controller
class UsagePanel {

    private static final int WEEKS = 26;

    private final UsageRecorder usage;
    private final Clock clock;

    UsagePanel(UsageRecorder usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    @GetMapping("/accounts/{id}/usage-panel")
    String panel(@PathVariable UUID id, Model model) {
        // Up to yesterday: today's usage is still arriving, and a week that has just begun would look like a drop.
        LocalDate today = LocalDate.now(clock).minusDays(1);
        LocalDate from = today.minusWeeks(WEEKS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Map<LocalDate, BigDecimal> activeUsers = new TreeMap<>();
        Map<LocalDate, BigDecimal> logins = new TreeMap<>();
        List<String> featuresInUse = new ArrayList<>();
        for (LocalDate week = from; !week.isAfter(today); week = week.plusWeeks(1)) {
            activeUsers.put(week, BigDecimal.ZERO);
            logins.put(week, BigDecimal.ZERO);
        }
        for (UsageSeries series : usage.series(new AccountId(id), null, from, today)) {
            for (UsageSeries.Point point : series.points()) {
                LocalDate week = point.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                if (series.metric().equals("active_users")) {
                    // Weekly peak of daily active users: what a CSM compares with licensed seats.
                    activeUsers.merge(week, point.value(), BigDecimal::max);
                } else if (series.metric().equals("logins")) {
                    logins.merge(week, point.value(), BigDecimal::add);
                }
            }
            boolean recent = series.points().stream().anyMatch(p -> p.day().isAfter(today.minusDays(30)));
            if (series.metric().startsWith("feature.") && recent) {
                featuresInUse.add(series.metric().substring("feature.".length()));
            }
        }
        model.addAttribute(
                "weeks", activeUsers.keySet().stream().map(LocalDate::toString).toList());
        model.addAttribute(
                "activeUsers",
                activeUsers.values().stream()
                        .map(v -> v.setScale(0, RoundingMode.HALF_UP))
                        .toList());
        model.addAttribute(
                "logins",
                logins.values().stream()
                        .map(v -> v.setScale(0, RoundingMode.HALF_UP))
                        .toList());
        model.addAttribute("featuresInUse", featuresInUse);
        model.addAttribute(
                "keyFeatures",
                usage.metrics().stream()
                        .filter(m -> m.key().startsWith("feature."))
                        .map(m -> m.key().substring("feature.".length()))
                        .toList());
        return "usage/panel :: panel";
    }
}
