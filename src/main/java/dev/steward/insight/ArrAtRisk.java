package dev.steward.insight;

import dev.steward.customer.RevenueHistory.BookEntry;
import dev.steward.health.engine.Color;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Today's ARR of the customers by health color, in total and by segment (tier), by CSM (owner) and by renewal month.
 * At risk is Red and Yellow; Black (too little data, or never scored) is shown apart and never counted as safe.
 *
 * @param total every customer
 * @param bySegment by tier ({@code key} the tier, empty when the account has none)
 * @param byOwner by owner ({@code key} the user id, empty when unowned)
 * @param byRenewalMonth by the month of the next renewal ({@code key} yyyy-MM, empty when open-ended)
 */
public record ArrAtRisk(Row total, List<Row> bySegment, List<Row> byOwner, List<Row> byRenewalMonth) {

    /** One group's customers and ARR per color; {@code atRisk} = Red + Yellow. */
    public record Row(
            String key,
            String label,
            long accounts,
            BigDecimal red,
            BigDecimal yellow,
            BigDecimal black,
            BigDecimal green,
            BigDecimal atRisk,
            BigDecimal total) {}

    /** The color a customer counts under: its current color, Black when it was never scored. */
    static Color colorOf(BookEntry entry) {
        return entry.healthColor() == null ? Color.BLACK : Color.of(entry.healthColor());
    }

    /** The segment key of a customer. */
    static String segmentOf(BookEntry entry) {
        return entry.tier() == null ? "" : entry.tier();
    }

    /** The owner key of a customer. */
    static String ownerOf(BookEntry entry) {
        return entry.owner() == null ? "" : entry.owner().toString();
    }

    /** The renewal-month key of a customer. */
    static String renewalMonthOf(BookEntry entry) {
        return entry.renewalDate() == null
                ? ""
                : YearMonth.from(entry.renewalDate()).toString();
    }

    /** Adds customers up, one at a time, into the total and the three breakdowns. */
    static final class Tally {

        private final Group total = new Group();
        private final Map<String, Group> segments = new LinkedHashMap<>();
        private final Map<String, Group> owners = new LinkedHashMap<>();
        private final Map<String, Group> months = new LinkedHashMap<>();

        void add(BookEntry entry) {
            Color color = colorOf(entry);
            total.add(color, entry.arr());
            segments.computeIfAbsent(segmentOf(entry), k -> new Group()).add(color, entry.arr());
            owners.computeIfAbsent(ownerOf(entry), k -> new Group()).add(color, entry.arr());
            months.computeIfAbsent(renewalMonthOf(entry), k -> new Group()).add(color, entry.arr());
        }

        /** The figures, owners labelled by {@code ownerNames} (keyed by the owner key). */
        ArrAtRisk result(Function<String, String> ownerNames) {
            Comparator<Row> byRisk = Comparator.comparing(Row::atRisk)
                    .reversed()
                    .thenComparing(Row::total, Comparator.reverseOrder())
                    .thenComparing(Row::key);
            return new ArrAtRisk(
                    total.row("", "All customers"),
                    rows(segments, key -> key.isEmpty() ? "(no tier)" : key, byRisk),
                    rows(owners, key -> key.isEmpty() ? "(unowned)" : ownerNames.apply(key), byRisk),
                    rows(
                            months,
                            key -> key.isEmpty() ? "(open-ended)" : key,
                            // Months in calendar order, open-ended last.
                            Comparator.comparing((Row row) -> row.key().isEmpty() ? "9999-99" : row.key())));
        }

        private static List<Row> rows(
                Map<String, Group> groups, Function<String, String> label, Comparator<Row> order) {
            List<Row> rows = new ArrayList<>();
            groups.forEach((key, group) -> rows.add(group.row(key, label.apply(key))));
            rows.sort(order);
            return rows;
        }
    }

    private static final class Group {

        private final Map<Color, BigDecimal> arr = new EnumMap<>(Color.class);
        private long accounts;

        void add(Color color, BigDecimal value) {
            accounts++;
            arr.merge(color, value, BigDecimal::add);
        }

        Row row(String key, String label) {
            BigDecimal red = arr.getOrDefault(Color.RED, BigDecimal.ZERO);
            BigDecimal yellow = arr.getOrDefault(Color.YELLOW, BigDecimal.ZERO);
            BigDecimal black = arr.getOrDefault(Color.BLACK, BigDecimal.ZERO);
            BigDecimal green = arr.getOrDefault(Color.GREEN, BigDecimal.ZERO);
            return new Row(
                    key,
                    label,
                    accounts,
                    red,
                    yellow,
                    black,
                    green,
                    red.add(yellow),
                    red.add(yellow).add(black).add(green));
        }
    }
}
