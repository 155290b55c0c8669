package dev.steward.core;

import java.util.regex.Pattern;

/**
 * Cells of every CSV file Steward writes (the import's rejected rows, backtest exports), safe to open in a
 * spreadsheet. Following OWASP's advice on CSV injection, a cell that starts with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return gets a leading apostrophe, so that a spreadsheet shows it as text instead of
 * running it as a formula ({@code =HYPERLINK(...)}); a plain number such as {@code -12.5} is left as it is, since a
 * spreadsheet reads it as the number it is. Cells are quoted as RFC 4180 says when they hold the separator, a quote
 * or a line break.
 */
public final class CsvCells {

    private static final String FORMULA_STARTS = "=+-@\t\r";
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvCells() {}

    /** The text, with a leading apostrophe when a spreadsheet would read it as a formula. */
    public static String defused(String text) {
        if (text == null
                || text.isEmpty()
                || FORMULA_STARTS.indexOf(text.charAt(0)) < 0
                || PLAIN_NUMBER.matcher(text).matches()) {
            return text;
        }
        return "'" + text;
    }

    /** One cell for a comma-separated file: defused, and quoted when needed; null is an empty cell. */
    public static String cell(Object value) {
        return cell(value, ',');
    }

    /** One cell for a file with this separator: defused, and quoted when needed; null is an empty cell. */
    public static String cell(Object value, char separator) {
        if (value == null) {
            return "";
        }
        String text = defused(value.toString());
        if (text.indexOf(separator) >= 0
                || text.indexOf('"') >= 0
                || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
