package dev.steward.insight;

import dev.steward.identity.User;
import dev.steward.notify.Attachment;
import dev.steward.notify.Email;
import dev.steward.notify.Notifications;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A scheduled report as emails: the executive dashboard (once, the same for every recipient) or each recipient's own
 * cockpit, as a PDF with a CSV of each table, made by the same code as the page's exports, with a few headline
 * figures in the text.
 */
@Component
class ReportMail {

    static final String CSV = "text/csv; charset=UTF-8";
    static final String PDF = "application/pdf";

    private final ExecutiveReport executive;
    private final ExecutiveDashboard dashboard;
    private final Cockpits cockpits;
    private final Notifications notifications;

    ReportMail(
            ExecutiveReport executive, ExecutiveDashboard dashboard, Cockpits cockpits, Notifications notifications) {
        this.executive = executive;
        this.dashboard = dashboard;
        this.cockpits = cockpits;
        this.notifications = notifications;
    }

    /**
     * Makes the report of the schedule as of now; the result makes each recipient's email. Throws when the report
     * cannot be made (a tier no account has any more).
     */
    Function<User, Email> render(ReportSchedules.Row schedule, User owner) {
        String footer = footer(schedule, owner);
        LocalDate day = dashboard.today();
        if (schedule.report().equals("executive")) {
            ExecutiveReport.Figures figures =
                    executive.figures(schedule.tier(), null, null, null, ExecutiveReport.PRODUCTIVITY_DAYS);
            List<Attachment> files = new ArrayList<>();
            files.add(new Attachment("executive-dashboard-" + day + ".pdf", PDF, executive.pdf(figures)));
            for (ExecutiveTable table : figures.tables()) {
                files.add(csv(table, day));
            }
            String body = executiveText(figures, day) + footer;
            String subject = subject(schedule, day);
            return recipient -> new Email(recipient.id(), subject, body, files);
        }
        return recipient -> {
            Cockpit cockpit = cockpits.of(recipient, null);
            List<ExecutiveTable> tables = List.of(priorities(cockpit), health(cockpit));
            String title = "Cockpit of " + recipient.displayName();
            String summary = cockpit.accounts() + " accounts, ARR " + money(cockpit.arr()) + ", at risk (Red + Yellow) "
                    + money(cockpit.atRisk().total()) + ", " + cockpit.totalPriorities() + " priorities";
            byte[] pdf = ExecutivePdf.render(
                    title, "As of " + cockpit.day() + ": " + summary, cockpit.rankingRule(), tables);
            List<Attachment> files = new ArrayList<>();
            files.add(new Attachment("cockpit-" + cockpit.day() + ".pdf", PDF, pdf));
            tables.forEach(table -> files.add(csv(table, cockpit.day())));
            StringBuilder body = new StringBuilder(title + " as of " + cockpit.day() + ".\n\n" + summary + ".\n");
            cockpit.priorities().stream()
                    .limit(5)
                    .forEach(p -> body.append("\n")
                            .append(p.rank())
                            .append(". ")
                            .append(p.accountName())
                            .append(": ")
                            .append(p.reason()));
            body.append("\n\nThe PDF has the whole list; each table is attached as CSV.\nOpen in Steward: ")
                    .append(notifications.linkTo("/cockpit"))
                    .append('\n')
                    .append(footer);
            return new Email(recipient.id(), subject(schedule, cockpit.day()), body.toString(), files);
        };
    }

    private String executiveText(ExecutiveReport.Figures figures, LocalDate day) {
        ArrAtRisk.Row total = figures.risk().total();
        RevenueRetention trailing = figures.retention().trailingTwelveMonths();
        String link = "/insight/executive"
                + (figures.tier() == null ? "" : "?tier=" + URLEncoder.encode(figures.tier(), StandardCharsets.UTF_8));
        return "Executive dashboard" + (figures.tier() == null ? "" : " (tier " + figures.tier() + ")") + " as of "
                + day + ".\n\n"
                + "ARR: " + money(total.total()) + " across " + total.accounts() + " customers\n"
                + "ARR at risk (Red + Yellow): " + money(total.atRisk()) + "; Black (no data): " + money(total.black())
                + "\n"
                + "NRR, trailing 12 months to " + figures.to() + ": " + percent(trailing.nrr()) + "; GRR: "
                + percent(trailing.grr()) + "\n\n"
                + "The PDF has every figure with its definition; each table is attached as CSV.\n"
                + "Open in Steward: " + notifications.linkTo(link) + "\n";
    }

    private String footer(ReportSchedules.Row schedule, User owner) {
        return "\n-- \nYou receive this because " + owner.displayName() + " scheduled \"" + schedule.name() + "\" ("
                + schedule.cron() + ", " + ZoneId.of(schedule.timeZone()) + "). See, change or pause it: "
                + notifications.linkTo("/insight/schedules/" + schedule.id()) + "\n";
    }

    /** The schedule's name and the day; a long name is cut so that the subject stays one line of 200 characters. */
    static String subject(ReportSchedules.Row schedule, LocalDate day) {
        String name = schedule.name().length() <= 180
                ? schedule.name()
                : schedule.name().substring(0, 179) + "…";
        return name + " — " + day;
    }

    private static Attachment csv(ExecutiveTable table, LocalDate day) {
        return new Attachment(
                table.name() + "-" + day + ".csv", CSV, table.csv().getBytes(StandardCharsets.UTF_8));
    }

    static ExecutiveTable priorities(Cockpit cockpit) {
        List<List<String>> rows = cockpit.priorities().stream()
                .map(p -> List.of(
                        Integer.toString(p.rank()),
                        p.kind(),
                        p.accountName(),
                        p.arr().toPlainString(),
                        p.color(),
                        p.reason(),
                        p.rankedBy()))
                .toList();
        return new ExecutiveTable(
                "cockpit-priorities",
                "Priorities (" + cockpit.priorities().size() + " of " + cockpit.totalPriorities() + ")",
                List.of("rank", "kind", "account", "ARR", "color", "reason", "ranked by"),
                rows);
    }

    static ExecutiveTable health(Cockpit cockpit) {
        List<List<String>> rows = cockpit.distribution().stream()
                .map(s ->
                        List.of(s.color(), Long.toString(s.accounts()), s.arr().toPlainString()))
                .toList();
        return new ExecutiveTable(
                "cockpit-health", "The book by health color", List.of("color", "accounts", "ARR"), rows);
    }

    static String money(@Nullable BigDecimal amount) {
        if (amount == null) {
            return ExecutiveTable.NO_DATA;
        }
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ENGLISH))
                .format(amount.setScale(0, RoundingMode.HALF_UP));
    }

    static String percent(@Nullable BigDecimal ratio) {
        return ratio == null
                ? ExecutiveTable.NO_DATA
                : ratio.movePointRight(2).setScale(2, RoundingMode.HALF_UP).toPlainString() + " %";
    }
}
