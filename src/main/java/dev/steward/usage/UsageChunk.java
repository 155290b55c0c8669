package dev.steward.usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A chunk of an import's rows, held as columns and written as COPY text in the order of usage_daily's key (account,
 * metric, day): rows that arrive in any order then go into the table's index side by side rather than all over it,
 * which makes the COPY a third faster. Reused from chunk to chunk; accounts' and days' text is made once per chunk.
 */
final class UsageChunk {

    // A row's sort key packs account rank (18 bits), metric rank (10), day offset (16) and row number (18).
    private static final int ROW_BITS = 18;
    private static final int DAY_BITS = 16;
    private static final int METRIC_BITS = 10;
    static final int CAPACITY = 1 << ROW_BITS;

    private final UUID[] accounts = new UUID[CAPACITY];
    private final String[] metrics = new String[CAPACITY];
    private final long[] days = new long[CAPACITY];
    private final double[] values = new double[CAPACITY];
    private final Map<String, byte[]> metricText = new HashMap<>();
    private int size;

    void add(UUID account, String metric, LocalDate day, double value) {
        accounts[size] = account;
        metrics[size] = metric;
        days[size] = day.toEpochDay();
        values[size] = value;
        size++;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == CAPACITY;
    }

    /** Adds the chunk's rows to what the write stored. */
    void addTo(WrittenUsage written) {
        for (int i = 0; i < size; i++) {
            written.add(accounts[i], metrics[i], days[i], values[i]);
        }
    }

    /** The accounts of the chunk's rows. */
    Set<UUID> accounts() {
        Set<UUID> in = new HashSet<>();
        for (int i = 0; i < size; i++) {
            in.add(accounts[i]);
        }
        return in;
    }

    /** The rows as COPY text, those to append and those to merge. */
    record Split(byte[] appended, byte[] merged) {}

    /**
     * The rows as COPY text (account, metric, day, value), in key order: those of a day after the last their account
     * has stored ({@code lastDays}, an epoch day per account of the chunk) to append, the others to merge; the last days
     * are moved on past the rows to append. Empties the chunk.
     */
    Split split(Map<UUID, Long> lastDays) {
        int[] order = keyOrder();
        Map<UUID, byte[]> accountText = new HashMap<>();
        Map<Long, byte[]> dayText = new HashMap<>();
        Map<UUID, Long> appendedThrough = new HashMap<>();
        Bytes appended = new Bytes(size * 64);
        Bytes merged = new Bytes(0);
        for (int k = 0; k < size; k++) {
            int i = order[k];
            Bytes out;
            if (days[i] > lastDays.get(accounts[i])) {
                out = appended;
                appendedThrough.merge(accounts[i], days[i], Math::max);
            } else {
                out = merged;
            }
            out.put(accountText.computeIfAbsent(
                    accounts[i], a -> (a.toString() + '\t').getBytes(StandardCharsets.US_ASCII)));
            // Metric keys are checked against the catalog's pattern: never COPY's special characters.
            out.put(metricText.computeIfAbsent(metrics[i], m -> (m + '\t').getBytes(StandardCharsets.UTF_8)));
            out.put(dayText.computeIfAbsent(
                    days[i], d -> (LocalDate.ofEpochDay(d) + "\t").getBytes(StandardCharsets.US_ASCII)));
            double value = values[i];
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.putLong((long) value);
            } else {
                out.put(BigDecimal.valueOf(value).toPlainString().getBytes(StandardCharsets.US_ASCII));
            }
            out.put((byte) '\n');
        }
        lastDays.putAll(appendedThrough);
        Arrays.fill(accounts, 0, size, null);
        Arrays.fill(metrics, 0, size, null);
        size = 0;
        return new Split(appended.toArray(), merged.toArray());
    }

    /** Row numbers in key order; in arrival order when the chunk has too many metrics or too long a span to pack. */
    private int[] keyOrder() {
        int[] order = new int[size];
        Map<UUID, Integer> accountRank = ranks(accounts);
        Map<String, Integer> metricRank = ranks(metrics);
        long firstDay = Long.MAX_VALUE;
        long lastDay = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            firstDay = Math.min(firstDay, days[i]);
            lastDay = Math.max(lastDay, days[i]);
        }
        if (metricRank.size() > 1 << METRIC_BITS || lastDay - firstDay >= 1 << DAY_BITS) {
            Arrays.setAll(order, i -> i);
            return order;
        }
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) accountRank.get(accounts[i]) << (METRIC_BITS + DAY_BITS + ROW_BITS))
                    | ((long) metricRank.get(metrics[i]) << (DAY_BITS + ROW_BITS))
                    | ((days[i] - firstDay) << ROW_BITS)
                    | i;
        }
        Arrays.sort(keys);
        for (int k = 0; k < size; k++) {
            order[k] = (int) (keys[k] & (CAPACITY - 1));
        }
        return order;
    }

    /** Each distinct value's rank in the order PostgreSQL sorts uuid (unsigned bytes) and, for text, Java's. */
    private <T extends Comparable<T>> Map<T, Integer> ranks(T[] column) {
        Set<T> distinct = new HashSet<>();
        for (int i = 0; i < size; i++) {
            distinct.add(column[i]);
        }
        @SuppressWarnings("unchecked")
        T[] sorted = distinct.toArray(
                (T[]) java.lang.reflect.Array.newInstance(column.getClass().getComponentType(), distinct.size()));
        Arrays.sort(sorted, (a, b) -> a instanceof UUID x && b instanceof UUID y ? unsigned(x, y) : a.compareTo(b));
        Map<T, Integer> rank = new HashMap<>(sorted.length * 2);
        for (int r = 0; r < sorted.length; r++) {
            rank.put(sorted[r], r);
        }
        return rank;
    }

    private static int unsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** A growing byte buffer that writes decimal digits without making strings. */
    private static final class Bytes {
        private byte[] bytes;
        private int length;

        Bytes(int capacity) {
            bytes = new byte[Math.max(capacity, 64)];
        }

        void put(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void putLong(long value) {
            ensure(20);
            if (value < 0) {
                bytes[length++] = '-';
                value = -value;
            }
            int start = length;
            do {
                bytes[length++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value != 0);
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
