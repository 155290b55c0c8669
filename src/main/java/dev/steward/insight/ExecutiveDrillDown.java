package dev.steward.insight;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The accounts behind one executive figure, each with what it contributes to it (the contributions add up to
 * {@code total}, the figure itself) and the values that explain it, in the order of {@code columns}. {@code unit} says
 * what the contributions count: {@value #ARR} (money), or a number of things ("touches", "CTAs", …).
 */
public record ExecutiveDrillDown(
        String figure, String title, List<String> columns, BigDecimal total, List<Line> accounts, String unit) {

    /** The unit of figures in money. */
    public static final String ARR = "ARR";

    /** One account of a figure. */
    public record Line(UUID account, String name, BigDecimal contribution, List<String> values) {}

    /** The figures a drill-down knows, as requests name them. */
    static final List<String> FIGURES = List.of("retention", "at-risk", "health", "renewals", "cohort", "productivity");

    static ExecutiveDrillDown of(String figure, String title, List<String> columns, List<Line> lines) {
        return of(figure, title, columns, lines, ARR);
    }

    static ExecutiveDrillDown of(String figure, String title, List<String> columns, List<Line> lines, String unit) {
        return new ExecutiveDrillDown(
                figure,
                title,
                columns,
                lines.stream().map(Line::contribution).reduce(BigDecimal.ZERO, BigDecimal::add),
                lines,
                unit);
    }
}
