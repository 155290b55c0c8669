package dev.steward.core;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What every benchmark shares so that its figures say how sure they are: the machine it ran on (cores, memory, load
 * average at the start and end, the JVM's maximum heap), the number of measured runs ({@code --runs N}, default 3,
 * each after the benchmark's warm-up), every run's figure next to its baseline, their {@code min / median / max},
 * and the final {@code BENCH} lines, whose ratio is the ratio of the medians.
 *
 * <p>A benchmark records one or more figures per run with {@link #record}; their {@code BENCH} lines come out in the
 * order the figures were first recorded, so the last one recorded is the benchmark's last line, the one CI reads.
 */
public final class BenchRuns {

    /** How many measured runs a benchmark makes unless told otherwise. */
    public static final int DEFAULT_RUNS = 3;

    /**
     * The BENCH lines of the benchmark this process runs ({@link #start}): {@link SubCommands} prints them once the
     * application has shut down, so that nothing the shutdown logs (an event listener still finishing, say) comes
     * after them and the last line is a BENCH line.
     */
    static final List<String> LAST_LINES = new CopyOnWriteArrayList<>();

    private final String bench;
    private final int runs;
    private final PrintStream out;
    private final Consumer<String> benchLine;
    private final Map<String, Series> series = new LinkedHashMap<>();

    BenchRuns(String bench, int runs, PrintStream out) {
        this(bench, runs, out, out::println);
    }

    private BenchRuns(String bench, int runs, PrintStream out, Consumer<String> benchLine) {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        this.bench = bench;
        this.runs = runs;
        this.out = out;
        this.benchLine = benchLine;
    }

    /**
     * Starts a benchmark's runs: reads {@code --runs} and prints the machine and its load average now, before the
     * benchmark loads anything.
     */
    public static BenchRuns start(String bench, CommandOptions options) {
        BenchRuns runs = new BenchRuns(bench, options.getInt("runs", DEFAULT_RUNS), System.out, LAST_LINES::add);
        runs.out.println("Machine: " + Machine.now().describe() + "; " + runs.runs + " measured runs after a warm-up");
        if (runs.runs < DEFAULT_RUNS) {
            runs.out.println("WARN fewer than " + DEFAULT_RUNS + " runs: the spread below says little");
        }
        return runs;
    }

    /** The number of measured runs. */
    public int count() {
        return runs;
    }

    /**
     * How a figure is written: its name on the BENCH line, its unit (none for a share or a ratio), and the decimals of
     * values, of the ratio and of the baseline (as the values' unless said).
     */
    public record Figure(String name, String unit, int decimals, int ratioDecimals, int baselineDecimals) {

        public Figure(String name, String unit, int decimals, int ratioDecimals) {
            this(name, unit, decimals, ratioDecimals, decimals);
        }

        String value(double v) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }

        String baseline(double v) {
            return String.format(Locale.ROOT, "%." + baselineDecimals + "f", v);
        }

        /** A value with its unit after it, if it has one. */
        String withUnit(String value) {
            return unit.isEmpty() ? value : value + " " + unit;
        }

        String ratio(double v) {
            return String.format(Locale.ROOT, "%." + ratioDecimals + "f", v);
        }
    }

    /**
     * Records one run's figure and its baseline (measured in the same run; {@code NaN} for a figure without one) and
     * prints them.
     */
    public void record(int run, Figure figure, double value, double baseline) {
        Series s = series.computeIfAbsent(figure.name(), n -> new Series(figure));
        s.values.add(value);
        s.baselines.add(baseline);
        out.printf(
                "  run %d/%d: %s=%s%s%n",
                run + 1,
                runs,
                figure.name(),
                figure.withUnit(figure.value(value)),
                Double.isNaN(baseline) ? "" : " baseline=" + figure.baseline(baseline));
    }

    /** The runs of one figure. */
    public Series series(String figure) {
        Series s = series.get(figure);
        if (s == null) {
            throw new IllegalStateException("no run recorded " + figure);
        }
        return s;
    }

    /** Prints each figure's spread and the load average now; then the benchmark prints its warnings. */
    public void summary() {
        out.printf("Spread over %d runs (min / median / max):%n", runs);
        for (Series s : series.values()) {
            Spread values = s.values();
            out.printf(
                    "  %s: %s / %s / %s",
                    s.figure.name(),
                    s.figure.value(values.min()),
                    s.figure.value(values.median()),
                    s.figure.withUnit(s.figure.value(values.max())));
            if (s.hasBaseline()) {
                Spread baselines = s.baselines();
                out.printf(
                        "; baseline %s / %s / %s; ratio of medians %s",
                        s.figure.baseline(baselines.min()),
                        s.figure.baseline(baselines.median()),
                        s.figure.baseline(baselines.max()),
                        s.figure.ratio(s.ratio()));
            }
            out.println();
        }
        out.println("Load average at the end: " + BenchRuns.loadAverage());
    }

    /**
     * Prints the BENCH lines, the benchmark's last lines; nothing may be printed after them. For a benchmark started with
     * {@link #start} they are printed once the application has shut down (see {@link #LAST_LINES}).
     */
    public void benchLines() {
        series.values().forEach(s -> benchLine.accept(s.benchLine(bench)));
    }

    /** One figure's values and baselines over the runs. */
    public static final class Series {
        private final Figure figure;
        private final List<Double> values = new ArrayList<>();
        private final List<Double> baselines = new ArrayList<>();

        Series(Figure figure) {
            this.figure = figure;
        }

        public Spread values() {
            return Spread.of(values);
        }

        public Spread baselines() {
            return Spread.of(baselines);
        }

        boolean hasBaseline() {
            return baselines.stream().noneMatch(b -> Double.isNaN(b));
        }

        /** The ratio of the medians (not the median of the ratios): the figure against its baseline. */
        public double ratio() {
            return values().median() / baselines().median();
        }

        /** {@code BENCH <bench> <figure>=<median> <unit> baseline=<median> ratio=<ratio of medians>}. */
        String benchLine(String bench) {
            String line =
                    "BENCH " + bench + " " + figure.name() + "=" + figure.withUnit(figure.value(values().median()));
            return hasBaseline()
                    ? line + " baseline=" + figure.baseline(baselines().median()) + " ratio=" + figure.ratio(ratio())
                    : line;
        }
    }

    /** The least, middle and greatest of some values; the median of an even count is the mean of the middle two. */
    public record Spread(double min, double median, double max) {

        public static Spread of(List<Double> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no values");
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Spread(sorted[0], median, sorted[n - 1]);
        }
    }

    /** The machine a benchmark runs on, as far as it bears on the figures. */
    public record Machine(int cores, long memoryBytes, String load, long maxHeapBytes) {

        public static Machine now() {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    memory(),
                    loadAverage(),
                    Runtime.getRuntime().maxMemory());
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%d cores, %s memory, load average %s at the start, JVM max heap %,d MB",
                    cores,
                    memoryBytes > 0
                            ? String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30))
                            : "unknown",
                    load,
                    maxHeapBytes >> 20);
        }

        /** MemTotal from /proc/meminfo, else what the JVM's operating-system bean says, else 0. */
        static long memory() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException notLinux) {
                // fall through to the bean
            }
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
            return 0;
        }
    }

    /** The 1, 5 and 15-minute load averages from /proc/loadavg, or the JVM's 1-minute one elsewhere. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException notLinux) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", one);
        }
    }
}
