package dev.steward.insight;

/**
 * An executive figure an alert rule can watch, as the executive dashboard computes it (see {@link ExecutivePages}'s
 * definitions): money, a count of accounts, or a ratio (0.9 is 90 %).
 */
enum AlertFigure {
    arr_at_risk("ARR at risk (Red + Yellow)", Unit.money, true),
    red_arr("ARR of Red customers", Unit.money, true),
    red_accounts("Red customers", Unit.count, true),
    at_risk_share("Share of ARR at risk", Unit.ratio, true),
    nrr_ttm("NRR, trailing 12 months", Unit.ratio, false),
    grr_ttm("GRR, trailing 12 months", Unit.ratio, false);

    enum Unit {
        money,
        count,
        ratio
    }

    private final String label;
    private final Unit unit;
    private final boolean byOwner;

    AlertFigure(String label, Unit unit, boolean byOwner) {
        this.label = label;
        this.unit = unit;
        this.byOwner = byOwner;
    }

    public String label() {
        return label;
    }

    Unit unit() {
        return unit;
    }

    /** Whether the figure can be narrowed to one CSM's customers (revenue retention is measured by tier only). */
    boolean byOwner() {
        return byOwner;
    }

    /** The value as the dashboard shows it: 1,250,000 · 7 · 92.5 %. */
    String format(java.math.BigDecimal value) {
        return switch (unit) {
            case money -> String.format(java.util.Locale.ROOT, "%,.0f", value);
            case count -> value.toPlainString();
            case ratio -> value.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
        };
    }
}
