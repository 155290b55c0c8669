package dev.steward.usage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packed form of one account's month in {@code usage_month.metrics}: one block per metric in key order, all
 * integers big-endian: the 2-byte length of the key in UTF-8 bytes, the key, the 2-byte count n of days with a value,
 * n 2-byte days of the month (ascending), n 8-byte float values. A month is held unpacked as, per metric, 31 values
 * indexed by day of month minus one, {@code NaN} where none is stored.
 */
final class MonthBlocks {

    static final int DAYS = 31;

    private MonthBlocks() {}

    /** Visits each metric's values of a packed month. */
    interface Visitor {

        /** Returns false to skip the metric's values (then {@link #value} is not called for it). */
        boolean metric(String key);

        void value(String key, int dayOfMonth, double value);
    }

    static void read(byte[] packed, Visitor visitor) {
        ByteBuffer blocks = ByteBuffer.wrap(packed);
        while (blocks.hasRemaining()) {
            byte[] keyBytes = new byte[blocks.getShort()];
            blocks.get(keyBytes);
            int count = blocks.getShort();
            String key = new String(keyBytes, StandardCharsets.UTF_8);
            int daysAt = blocks.position();
            int valuesAt = daysAt + 2 * count;
            if (visitor.metric(key)) {
                for (int i = 0; i < count; i++) {
                    visitor.value(key, blocks.getShort(daysAt + 2 * i), blocks.getDouble(valuesAt + 8 * i));
                }
            }
            blocks.position(valuesAt + 8 * count);
        }
    }

    /** A packed month unpacked: 31 values per metric. */
    static Map<String, double[]> unpack(byte[] packed) {
        Map<String, double[]> month = new TreeMap<>();
        read(packed, new Visitor() {
            @Override
            public boolean metric(String key) {
                month.put(key, empty());
                return true;
            }

            @Override
            public void value(String key, int dayOfMonth, double value) {
                month.get(key)[dayOfMonth - 1] = value;
            }
        });
        return month;
    }

    /** Packs a month; metrics without any value are left out. */
    static byte[] pack(Map<String, double[]> month) {
        Map<String, double[]> sorted = month instanceof TreeMap<String, double[]> ? month : new TreeMap<>(month);
        int size = 0;
        for (Map.Entry<String, double[]> metric : sorted.entrySet()) {
            int count = count(metric.getValue());
            if (count > 0) {
                size += 4 + metric.getKey().getBytes(StandardCharsets.UTF_8).length + 10 * count;
            }
        }
        ByteBuffer packed = ByteBuffer.allocate(size);
        for (Map.Entry<String, double[]> metric : sorted.entrySet()) {
            double[] values = metric.getValue();
            int count = count(values);
            if (count == 0) {
                continue;
            }
            byte[] key = metric.getKey().getBytes(StandardCharsets.UTF_8);
            packed.putShort((short) key.length).put(key).putShort((short) count);
            for (int day = 0; day < DAYS; day++) {
                if (!Double.isNaN(values[day])) {
                    packed.putShort((short) (day + 1));
                }
            }
            for (int day = 0; day < DAYS; day++) {
                if (!Double.isNaN(values[day])) {
                    packed.putDouble(values[day]);
                }
            }
        }
        return packed.array();
    }

    /** 31 days without a value. */
    static double[] empty() {
        double[] none = new double[DAYS];
        java.util.Arrays.fill(none, Double.NaN);
        return none;
    }

    private static int count(double[] values) {
        int count = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                count++;
            }
        }
        return count;
    }
}
