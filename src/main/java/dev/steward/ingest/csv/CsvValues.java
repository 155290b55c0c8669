package dev.steward.ingest.csv;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the values spreadsheets and exports write into typed values: dates and times in the usual ISO shapes and
 * Unix seconds or milliseconds, numbers with thousands separators or a decimal comma, and the many ways of writing
 * yes and no. An empty cell is absent (null); a cell that cannot be read is refused with the forms that would have
 * been accepted.
 */
final class CsvValues {

    static final String DATE_FORMS = "2024-10-16, 2024/10/16, 2021-05-27T13:50:24.000+0000 (or Z, +00:00, no zone"
            + " = UTC), 2020-02-15 01:00:00.123456, Unix seconds such as 1729036800 or milliseconds such as"
            + " 1729036800000";
    static final String NUMBER_FORMS = "1234.5, 1,234.5, 1 234,5, 1.234,5 or $1,234.50";
    static final String BOOLEAN_FORMS = "true/false, yes/no, y/n, t/f or 1/0 (any case)";

    /** Unix times with up to 11 digits are seconds (until the year 5138), with 12 to 14 digits milliseconds. */
    private static final int MAX_SECONDS_DIGITS = 11;

    private static final int MAX_MILLIS_DIGITS = 14;

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final Pattern THOUSANDS_COMMA = Pattern.compile("\\d{1,3}(,\\d{3})+");
    private static final Pattern THOUSANDS_DOTS = Pattern.compile("-?\\d{1,3}(\\.\\d{3})+");
    private static final Pattern THOUSANDS_DOT = Pattern.compile("\\d{1,3}(\\.\\d{3}){2,}");

    private CsvValues() {}

    /** A value that cannot be read; the message says what was expected. */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Null for an empty or blank cell, else the cell without surrounding white space. */
    static String text(String cell) {
        if (cell == null) {
            return null;
        }
        String trimmed = cell.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** A calendar date; a date-time keeps the date as written, Unix times are read in UTC. */
    static LocalDate date(String cell) {
        String value = text(cell);
        if (value == null) {
            return null;
        }
        LocalDate plain = plainDate(value);
        if (plain != null) {
            return plain;
        }
        if (isUnixTime(value)) {
            return unixTime(value).atOffset(ZoneOffset.UTC).toLocalDate();
        }
        return LocalDate.from(dateTime(value));
    }

    /** A point in time; a date alone is its start in UTC, a time without zone is read as UTC. */
    static Instant instant(String cell) {
        String value = text(cell);
        if (value == null) {
            return null;
        }
        LocalDate plain = plainDate(value);
        if (plain != null) {
            return plain.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (isUnixTime(value)) {
            return unixTime(value);
        }
        TemporalAccessor parsed = dateTime(value);
        LocalDateTime local = LocalDateTime.from(parsed);
        ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
        return OffsetDateTime.of(local, offset).toInstant();
    }

    /** A number; thousands separators are dropped and a decimal comma is understood. */
    static BigDecimal decimal(String cell) {
        String value = text(cell);
        if (value == null) {
            return null;
        }
        if (isPlainNumber(value)) {
            return new BigDecimal(value);
        }
        String normalised = normaliseNumber(value);
        try {
            return new BigDecimal(normalised);
        } catch (NumberFormatException e) {
            throw new Refused("'" + value + "' is not a number; write numbers like " + NUMBER_FORMS);
        }
    }

    /** A number as a double, fast for the plain numbers of large usage files. */
    static double number(String value) {
        if (isPlainNumber(value)) {
            return Double.parseDouble(value);
        }
        BigDecimal decimal = decimal(value);
        if (decimal == null) {
            throw new Refused("is empty; a number is needed");
        }
        return decimal.doubleValue();
    }

    /**
     * A whole number; {@code 12.0} is 12, {@code 12.5} is refused. Dots grouping digits in threes ({@code 1.250})
     * can only be thousands separators here.
     */
    static Integer integer(String cell) {
        String value = text(cell);
        if (value != null && THOUSANDS_DOTS.matcher(value).matches()) {
            value = value.replace(".", "");
        }
        BigDecimal decimal = decimal(value);
        if (decimal == null) {
            return null;
        }
        try {
            return decimal.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            throw new Refused("'" + text(cell) + "' is not a whole number");
        }
    }

    static Boolean bool(String cell) {
        String value = text(cell);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "0" -> Boolean.FALSE;
            default -> throw new Refused("'" + value + "' is not a yes/no value; write " + BOOLEAN_FORMS);
        };
    }

    /** {@code yyyy-MM-dd} or {@code yyyy/MM/dd} read without a formatter: large usage files are mostly dates. */
    private static LocalDate plainDate(String value) {
        if (value.length() != 10) {
            return null;
        }
        char first = value.charAt(4);
        if ((first != '-' && first != '/') || value.charAt(7) != first) {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new Refused("'" + value + "' is not a date in the calendar (" + e.getMessage() + ")");
        }
    }

    private static int digits(String value, int from, int to) {
        int result = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static TemporalAccessor dateTime(String value) {
        String iso = value.length() > 10 && value.charAt(10) == ' '
                ? value.substring(0, 10) + 'T' + value.substring(11)
                : value;
        // "2020-02-15 01:00:00 +0100" puts a space before the zone too.
        iso = iso.replace(" ", "");
        try {
            return DATE_TIME.parse(iso);
        } catch (DateTimeParseException e) {
            throw new Refused("'" + value + "' is not a date or time Steward reads; write one of " + DATE_FORMS);
        }
    }

    private static boolean isUnixTime(String value) {
        int start = value.startsWith("-") ? 1 : 0;
        int dot = value.indexOf('.');
        int end = dot < 0 ? value.length() : dot;
        if (end - start < 1 || end - start > MAX_MILLIS_DIGITS) {
            return false;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && i != dot) {
                return false;
            }
        }
        return true;
    }

    private static Instant unixTime(String value) {
        int digits = (value.indexOf('.') < 0 ? value.length() : value.indexOf('.')) - (value.startsWith("-") ? 1 : 0);
        BigDecimal number = new BigDecimal(value);
        if (digits <= MAX_SECONDS_DIGITS) {
            long seconds = number.longValue();
            long nanos = number.subtract(BigDecimal.valueOf(seconds))
                    .movePointRight(9)
                    .longValue();
            return Instant.ofEpochSecond(seconds, nanos);
        }
        return Instant.ofEpochMilli(number.longValue());
    }

    private static boolean isPlainNumber(String value) {
        int length = value.length();
        if (length == 0 || length > 18) {
            return false;
        }
        int i = value.charAt(0) == '-' ? 1 : 0;
        if (i == length) {
            return false;
        }
        boolean dot = false;
        boolean digit = false;
        for (; i < length; i++) {
            char c = value.charAt(i);
            if (c == '.' && !dot) {
                dot = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                return false;
            }
        }
        return digit && value.charAt(length - 1) != '.';
    }

    private static String normaliseNumber(String value) {
        String number = value;
        if (!number.isEmpty() && "$€£¥".indexOf(number.charAt(0)) >= 0) {
            number = number.substring(1).strip();
        } else if (number.startsWith("-") && number.length() > 1 && "$€£¥".indexOf(number.charAt(1)) >= 0) {
            number = "-" + number.substring(2).strip();
        }
        // Spaces, no-break spaces and apostrophes group digits in many locales (1 234,5; 1'234.5).
        number = number.replaceAll("(?<=\\d)[\\s\\u00A0\\u202F'](?=\\d)", "");
        String unsigned = number.startsWith("-") ? number.substring(1) : number;
        int comma = unsigned.lastIndexOf(',');
        int dot = unsigned.lastIndexOf('.');
        if (comma >= 0 && dot >= 0) {
            return comma > dot ? number.replace(".", "").replace(',', '.') : number.replace(",", "");
        }
        if (comma >= 0) {
            if (THOUSANDS_COMMA.matcher(unsigned).matches()) {
                return number.replace(",", "");
            }
            return unsigned.indexOf(',') == comma ? number.replace(',', '.') : number;
        }
        if (dot >= 0 && THOUSANDS_DOT.matcher(unsigned).matches()) {
            return number.replace(".", "");
        }
        return number;
    }
}
