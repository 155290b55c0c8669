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
import org.postgresql.util.ByteConverter;

/**
 * A chunk of an import's rows, held as columns and written in COPY's binary format in the order of usage_daily's key (account,
 * metric, day): rows that arrive in any order then go into the table's index side by side rather than all over it,
 * which makes the COPY a third faster. Reused from chunk to chunk.
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
    private final Map<String, byte[]> metricBytes = new HashMap<>();

    /** 2000-01-01, day 0 of PostgreSQL's binary dates. */
    private static final long POSTGRES_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();

    /** Whole values below 10,000 (most counts of a day) encoded once. */
    private static final byte[][] SMALL_WHOLE = new byte[10_000][];

    static {
        for (int v = 0; v < SMALL_WHOLE.length; v++) {
            SMALL_WHOLE[v] = ByteConverter.numeric(BigDecimal.valueOf(v));
        }
    }

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

    /** The rows in COPY's binary format, those to append and those to merge. */
    record Split(byte[] appended, byte[] merged) {}

    /**
     * The rows in COPY's binary format (account uuid, metric text, day date, value numeric), in key order: those of a
     * day after the last their account has stored ({@code lastDays}, an epoch day per account of the chunk) to
     * append, the others to merge; the last days are moved on past the rows to append. Empties the chunk. Binary rows
     * spare the database parsing text: a fifth of the COPY's time.
     */
    Split split(Map<UUID, Long> lastDays) {
        int[] order = keyOrder();
        Map<UUID, Long> appendedThrough = new HashMap<>();
        Bytes appended = Bytes.copyHeader(size * 60);
        Bytes merged = Bytes.copyHeader(0);
        for (int k = 0; k < size; k++) {
            int i = order[k];
            Bytes out;
            if (days[i] > lastDays.get(accounts[i])) {
                out = appended;
                appendedThrough.merge(accounts[i], days[i], Math::max);
            } else {
                out = merged;
            }
            out.putShort(4);
            out.putInt(16);
            out.putLong(accounts[i].getMostSignificantBits());
            out.putLong(accounts[i].getLeastSignificantBits());
            byte[] metric = metricBytes.computeIfAbsent(metrics[i], m -> m.getBytes(StandardCharsets.UTF_8));
            out.putInt(metric.length);
            out.put(metric);
            out.putInt(4);
            out.putInt((int) (days[i] - POSTGRES_EPOCH_DAY));
            byte[] value = numeric(values[i]);
            out.putInt(value.length);
            out.put(value);
        }
        lastDays.putAll(appendedThrough);
        Arrays.fill(accounts, 0, size, null);
        Arrays.fill(metrics, 0, size, null);
        size = 0;
        return new Split(appended.endCopy(), merged.endCopy());
    }

    /** A value as PostgreSQL's binary numeric, the same number the text COPY gave: whole numbers with no scale. */
    private static byte[] numeric(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            long whole = (long) value;
            if (whole >= 0 && whole < SMALL_WHOLE.length) {
                return SMALL_WHOLE[(int) whole];
            }
            return ByteConverter.numeric(BigDecimal.valueOf(whole));
        }
        return ByteConverter.numeric(BigDecimal.valueOf(value));
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

    /** A growing byte buffer of big-endian integers, for COPY's binary format. */
    private static final class Bytes {
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

        private byte[] bytes;
        private int length;

        private Bytes(int capacity) {
            bytes = new byte[Math.max(capacity, 64)];
        }

        /** A buffer that begins with the binary format's header: signature, flags, header extension length. */
        static Bytes copyHeader(int capacity) {
            Bytes out = new Bytes(capacity + 19);
            out.put(SIGNATURE);
            out.putInt(0);
            out.putInt(0);
            return out;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void putShort(int value) {
            ensure(2);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
        }

        void putInt(int value) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (value >>> shift);
            }
        }

        void putLong(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (value >>> shift);
            }
        }

        /** The rows with the trailer, or none at all when no row was added. */
        byte[] endCopy() {
            if (length == 19) {
                return new byte[0];
            }
            putShort(-1);
            return Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
