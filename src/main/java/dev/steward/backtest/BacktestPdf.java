package dev.steward.backtest;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;

/**
 * A finished backtest as a PDF a CS leader can forward: what was tested, then per horizon the headline figures, the
 * colors and outcomes, the segments, calibration and the accounts the score missed; and the suggested weights.
 */
final class BacktestPdf {

    private static final float MARGIN = 40;
    private static final Color MUTED = new Color(0x6c, 0x75, 0x7d);
    private static final Font TITLE = new Font(Font.HELVETICA, 18, Font.BOLD);
    private static final Font SUBTITLE = new Font(Font.HELVETICA, 9, Font.NORMAL, MUTED);
    private static final Font SECTION = new Font(Font.HELVETICA, 13, Font.BOLD);
    private static final Font HEAD = new Font(Font.HELVETICA, 8, Font.BOLD);
    private static final Font CELL = new Font(Font.HELVETICA, 8, Font.NORMAL);
    private static final Font BODY = new Font(Font.HELVETICA, 9, Font.NORMAL);
    private static final int MISSED_IN_PDF = 25;

    private BacktestPdf() {}

    static byte[] render(BacktestRun run) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, MARGIN);
        PdfWriter.getInstance(document, out);
        document.addTitle("Backtest: " + run.name());
        document.addCreator("Steward");
        document.open();
        BacktestResults results = run.results();
        document.add(new Paragraph("Backtest: " + run.name(), TITLE));
        document.add(new Paragraph(
                run.scorecardLabel() + " · " + results.asOfDates().size() + " as-of days from "
                        + results.asOfDates().get(0) + " to "
                        + results.asOfDates().get(results.asOfDates().size() - 1) + " · "
                        + (run.segment() == null ? "all segments" : run.segment()) + " · "
                        + String.format(Locale.ROOT, "%,d", results.accounts()) + " accounts observed · run by "
                        + run.createdBy() + " on " + run.createdAt().toString().substring(0, 10),
                SUBTITLE));
        BacktestResults.LeadTime lead = results.leadTime();
        document.add(paragraph("Warning before churn: " + lead.warned() + " of " + lead.churns()
                + " churns were Red at the last as-of day before them"
                + (lead.medianDays() == null
                        ? "."
                        : ", a median of " + Math.round(lead.medianDays()) + " days ahead.")));
        for (BacktestResults.HorizonResult horizon : results.horizons()) {
            Metrics m = horizon.overall();
            section(document, horizon.horizonDays() + "-day horizon");
            document.add(paragraph(String.format(
                    Locale.ROOT,
                    "%,d observations over %d as-of days; %,d churned within %d days (base rate %s).",
                    m.observations(),
                    horizon.asOfDates().size(),
                    m.churned(),
                    horizon.horizonDays(),
                    percent(m.baseChurnRate()))));
            if (horizon.censored() != null && horizon.censored() > 0) {
                document.add(paragraph(String.format(
                        Locale.ROOT,
                        "%,d observations whose %d days run past their sources' data (which ends on %s) are censored:"
                                + " left out of every figure.",
                        horizon.censored(),
                        horizon.horizonDays(),
                        results.knownUntil())));
            }
            if (m.verdict() != null && !m.verdict().conclusive()) {
                document.add(paragraph("Inconclusive: these figures do not judge the score: "
                        + String.join("; ", m.verdict().reasons()) + "."));
            }
            PdfPTable figures = table(new float[] {3, 2, 3, 2});
            row(figures, true, "Figure", "Value", "Figure", "Value");
            row(figures, false, "ROC AUC", number(m.rocAuc()), "Accuracy (70% bar)", percent(m.accuracy()));
            row(
                    figures,
                    false,
                    "Base churn rate",
                    percent(m.baseChurnRate()),
                    "Accuracy calling every account Green",
                    percent(m.retainAllAccuracy()));
            row(figures, false, "Precision of Red", percent(m.redPrecision()), "Recall of Red", percent(m.redRecall()));
            row(
                    figures,
                    false,
                    "Lift of Red",
                    m.lift() == null ? "—" : String.format(Locale.ROOT, "%.1f×", m.lift()),
                    "Accuracy on renewals and churns",
                    percent(m.decidedAccuracy()));
            row(
                    figures,
                    false,
                    "Green that churned",
                    percent(m.greenChurned()),
                    "Red that renewed",
                    percent(m.redRenewed()));
            document.add(figures);

            PdfPTable colors = table(new float[] {2, 2, 2, 2, 2, 2});
            row(colors, true, "Color", "Observations", "Churned", "Renewed", "Neither", "Churn rate");
            for (Metrics.ColorRow color : m.colors()) {
                row(
                        colors,
                        false,
                        color.color().value(),
                        count(color.accounts()),
                        count(color.churned()),
                        count(color.renewed()),
                        count(color.neither()),
                        percent(ScoreTally.ratio(color.churned(), color.accounts())));
            }
            document.add(colors);

            document.add(segmentTable("Segment", horizon.segments()));
            if (horizon.splits() != null && !horizon.splits().isEmpty()) {
                // Each observation in every lifecycle segment its account was in when its as-of day ended.
                document.add(segmentTable("By lifecycle segment", horizon.splits()));
            }

            PdfPTable calibration = table(new float[] {2, 2, 2, 2});
            row(calibration, true, "Score band", "Observations", "Churned", "Churn rate");
            for (Metrics.Band band : m.calibration()) {
                row(
                        calibration,
                        false,
                        band.from() + "–" + band.to(),
                        count(band.accounts()),
                        count(band.churned()),
                        percent(band.churnRate()));
            }
            document.add(calibration);

            if (!horizon.missed().isEmpty()) {
                document.add(paragraph("Missed: Green, then churned within " + horizon.horizonDays() + " days ("
                        + horizon.missedTotal() + " in all; the highest scores first)."));
                PdfPTable missed = table(new float[] {4, 2, 2, 1, 2});
                row(missed, true, "Account", "Segment", "As of", "Score", "Churned on");
                for (BacktestResults.MissedAccount account : horizon.missed()
                        .subList(0, Math.min(MISSED_IN_PDF, horizon.missed().size()))) {
                    row(
                            missed,
                            false,
                            account.name() == null ? account.account().toString() : account.name(),
                            account.segment(),
                            account.asOf().toString(),
                            String.format(Locale.ROOT, "%.1f", account.score()),
                            account.churnedOn().toString());
                }
                document.add(missed);
            }
        }
        for (Suggestion suggestion : results.suggestions()) {
            section(document, "Suggested weights for " + suggestion.scorecard() + " v" + suggestion.version());
            if (suggestion.headline() != null) {
                document.add(paragraph(suggestion.headline() + "."));
            }
            if (suggestion.caution() != null) {
                document.add(paragraph("Caution: " + suggestion.caution() + "."));
            }
            ModelBenchmark benchmark = suggestion.benchmark();
            if (benchmark != null) {
                document.add(paragraph(
                        benchmark.inconclusive() != null
                                ? "Model benchmark inconclusive: " + benchmark.inconclusive() + "."
                                : "A model on the same data would reach AUC " + number(benchmark.modelAuc())
                                        + " (scorecard: " + number(benchmark.scorecardAuc()) + "): a logistic"
                                        + " regression on the raw values of " + String.join(", ", benchmark.measures())
                                        + ", fitted on " + benchmark.fitted() + " observations and judged on the "
                                        + benchmark.evaluated() + " the scorecard is judged on."));
            }
            if (suggestion.problem() != null) {
                document.add(paragraph("No suggestion: " + suggestion.problem() + "."));
                continue;
            }
            document.add(paragraph("Fitted on " + suggestion.fitted() + " observations as of " + suggestion.fitFrom()
                    + " to " + suggestion.fitTo() + ", judged on " + suggestion.evaluated() + " as of "
                    + suggestion.evaluatedFrom() + " to " + suggestion.evaluatedTo() + ". Thresholds: Red up to "
                    + suggestion.currentRed() + " → " + suggestion.suggestedRed() + ", Yellow up to "
                    + suggestion.currentYellow() + " → " + suggestion.suggestedYellow() + "."));
            PdfPTable before = table(new float[] {3, 2, 2});
            row(before, true, "On the later days", "Now", "Suggested");
            row(
                    before,
                    false,
                    "ROC AUC",
                    number(suggestion.before().rocAuc()),
                    number(suggestion.after().rocAuc()));
            row(
                    before,
                    false,
                    "Accuracy",
                    percent(suggestion.before().accuracy()),
                    percent(suggestion.after().accuracy()));
            row(
                    before,
                    false,
                    "Recall of Red",
                    percent(suggestion.before().redRecall()),
                    percent(suggestion.after().redRecall()));
            row(
                    before,
                    false,
                    "Green that churned",
                    percent(suggestion.before().greenChurned()),
                    percent(suggestion.after().greenChurned()));
            document.add(before);
            PdfPTable weights = table(new float[] {4, 2, 2});
            row(weights, true, "Dimension · measure", "Weight now", "Suggested");
            for (Suggestion.DimensionWeight dimension : suggestion.dimensions()) {
                row(
                        weights,
                        true,
                        dimension.name(),
                        String.valueOf(dimension.current()),
                        String.valueOf(dimension.suggested()));
                for (Suggestion.MeasureWeight measure : suggestion.measures()) {
                    if (measure.dimension().equals(dimension.name())) {
                        row(
                                weights,
                                false,
                                "   " + measure.name(),
                                String.valueOf(measure.current()),
                                String.valueOf(measure.suggested()));
                    }
                }
            }
            document.add(weights);
            for (Suggestion.MeasureWeight measure : suggestion.measures()) {
                if (measure.ruleSuggested() != null) {
                    document.add(paragraph(measure.name() + ": rule now " + measure.ruleNow() + "; suggested "
                            + measure.ruleSuggested() + ". Why: " + measure.ruleReason() + "."));
                }
            }
        }
        document.close();
        return out.toByteArray();
    }

    private static void section(Document document, String title) {
        Paragraph heading = new Paragraph(title, SECTION);
        heading.setSpacingBefore(14);
        heading.setSpacingAfter(4);
        document.add(heading);
    }

    private static Paragraph paragraph(String text) {
        Paragraph paragraph = new Paragraph(text.replace('−', '-'), BODY);
        paragraph.setSpacingAfter(4);
        return paragraph;
    }

    /** The headline figures of each segment, one row each, under a heading naming what the segments are. */
    private static PdfPTable segmentTable(String heading, List<BacktestResults.SegmentMetrics> segments) {
        PdfPTable table = table(new float[] {3, 2, 2, 2, 2, 2, 2});
        row(table, true, heading, "Observations", "Churned", "ROC AUC", "Accuracy", "Recall of Red", "Green churned");
        for (BacktestResults.SegmentMetrics segment : segments) {
            Metrics s = segment.metrics();
            row(
                    table,
                    false,
                    segment.segment(),
                    count(s.observations()),
                    count(s.churned()),
                    s.rocAuc() == null ? "no churn" : number(s.rocAuc()),
                    percent(s.accuracy()),
                    percent(s.redRecall()),
                    percent(s.greenChurned()));
        }
        return table;
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setSpacingBefore(4);
        table.setSpacingAfter(6);
        table.setHeaderRows(1);
        return table;
    }

    private static void row(PdfPTable table, boolean head, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            PdfPCell cell = new PdfPCell(new Phrase(cells[i], head ? HEAD : CELL));
            cell.setBorderColor(new Color(0xde, 0xe2, 0xe6));
            cell.setPadding(3);
            if (i > 0) {
                cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
            }
            table.addCell(cell);
        }
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String number(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String percent(Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, "%.1f%%", value * 100);
    }
}
