package dev.steward.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The work Steward does after it starts and before it is ready to use (loading the demo company, back-filling a year
 * of health scores): which step, how far it got, how fast and how long is left. The log says so at every tenth of a
 * step, and every page shows it in a banner while it runs ({@link StartupBanner}).
 *
 * <p>Elapsed time is measured with the monotonic clock: it times work, it is not a date of the domain.
 */
@Component
public class StartupProgress {

    private static final Logger log = LoggerFactory.getLogger(StartupProgress.class);

    /** One step of the start: its name, what it counts, its number among all steps, and how far it got. */
    public record Step(String name, String unit, int number, int steps, long done, long total, long startedNanos) {

        /** The share done, between 0 and 1. */
        public double fraction() {
            return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        }

        /** Whole percent done, for the banner's bar. */
        public int percent() {
            return (int) Math.floor(fraction() * 100);
        }

        Duration elapsed(long nowNanos) {
            return Duration.ofNanos(Math.max(0, nowNanos - startedNanos));
        }

        /** Units done per second so far, or empty before the first is done. */
        Optional<Double> rate(long nowNanos) {
            double seconds = elapsed(nowNanos).toMillis() / 1000.0;
            return done <= 0 || seconds <= 0 ? Optional.empty() : Optional.of(done / seconds);
        }

        /** The time a straight line through the rate so far says is left, or empty before the first unit is done. */
        Optional<Duration> left(long nowNanos) {
            return rate(nowNanos).map(rate -> Duration.ofMillis(Math.round((total - done) / rate * 1000)));
        }
    }

    /** What the banner shows: the step and its figures as sentences. */
    public record View(String step, int number, int steps, int percent, String done, String left) {}

    private final AtomicReference<Step> current = new AtomicReference<>();

    /** Starts step {@code number} of {@code steps}: {@code total} {@code unit} to do. */
    public void begin(String name, String unit, int number, int steps, long total) {
        current.set(new Step(name, unit, number, steps, 0, total, System.nanoTime()));
        log.info("Starting up, step {} of {}: {} ({} {})", number, steps, name, String.format("%,d", total), unit);
    }

    /** Says that {@code done} units of the current step are done; logs at every tenth. */
    public void advance(long done) {
        Step before = current.getAndUpdate(step -> step == null
                ? null
                : new Step(
                        step.name(),
                        step.unit(),
                        step.number(),
                        step.steps(),
                        Math.max(step.done(), done),
                        step.total(),
                        step.startedNanos()));
        if (before == null || before.total() <= 0) {
            return;
        }
        long tenth = Math.max(1, before.total() / 10);
        if (done / tenth > before.done() / tenth || (done >= before.total() && before.done() < before.total())) {
            View view = view(current.get(), System.nanoTime());
            log.info(
                    "Starting up, step {} of {}: {}: {}{}",
                    view.number(),
                    view.steps(),
                    view.step(),
                    view.done(),
                    view.left().isEmpty() ? "" : ", " + view.left());
        }
    }

    /** Ends the start-up work: the banner goes. */
    public void finish() {
        Step last = current.getAndSet(null);
        if (last != null) {
            log.info("Start-up work done; Steward is ready");
        }
    }

    /** The banner's content while start-up work runs, or empty once it is done (or there was none). */
    public Optional<View> now() {
        Step step = current.get();
        return step == null ? Optional.empty() : Optional.of(view(step, System.nanoTime()));
    }

    static View view(Step step, long nowNanos) {
        String done = String.format("%,d of %,d %s", step.done(), step.total(), step.unit())
                + step.rate(nowNanos)
                        .map(rate -> String.format(
                                " (%s %s a second)",
                                rate >= 10 ? String.format("%,.0f", rate) : String.format("%.1f", rate), step.unit()))
                        .orElse("");
        String left = step.done() >= step.total()
                ? "finishing"
                : step.left(nowNanos).map(StartupProgress::about).orElse("");
        return new View(step.name(), step.number(), step.steps(), step.percent(), done, left);
    }

    static String about(Duration left) {
        long seconds = left.toSeconds();
        if (seconds < 60) {
            return "less than a minute left";
        }
        long minutes = Math.round(seconds / 60.0);
        return minutes == 1 ? "about a minute left" : "about " + minutes + " minutes left";
    }
}
