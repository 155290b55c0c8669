package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerState;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener.SchedulerEventType;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import dev.steward.StewardApplication;
import dev.steward.core.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;

/**
 * The daily re-score is a cluster-wide job: with two complete Steward instances on one database, each time it falls
 * due it runs once in all, on whichever instance takes it first, never once per instance, and no due time is left out
 * while the instances are up.
 *
 * <p>Both instances run the whole application on one fresh database, with the job due every three seconds and each
 * instance looking for due jobs every second. Each instance's scheduler reports to the test when it polled and which
 * runs of the job it made, with the time each was due; the job's own log line ({@code Daily re-score for ...}) shows
 * how often its work was actually done. Counted between two moments when no run was under way, there must be one run
 * and one log line per due time: had both instances run the job, each due time would show two runs and two lines.
 */
@Tag("postgres")
@ExtendWith(OutputCaptureExtension.class)
class DailyJobOnTwoInstancesTests {

    private static final String TASK = "health-daily-rescore";
    private static final String CRON = "*/3 * * * * *";
    private static final Duration DUE_EVERY = Duration.ofSeconds(3);
    private static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    private static final String LOGGED = "Daily re-score for ";
    private static final int DUE_TIMES = 4;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Test
    void eachDueTimeRunsOnceAcrossBothInstances(CapturedOutput output) throws Exception {
        String database = TestDatabase.createDatabase();
        Recorder recorder = new Recorder();
        List<Instance> instances = new ArrayList<>();
        try {
            // One after the other: the first migrates the empty database, the second finds it migrated.
            instances.add(Instance.start("first", database, recorder));
            instances.add(Instance.start("second", database, recorder));

            Mark from = recorder.quietMoment(output);
            Instant deadline = from.at().plus(DUE_EVERY.multipliedBy(DUE_TIMES + 8));
            while (recorder.dueTimesSince(from) < DUE_TIMES && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Mark to = recorder.quietMoment(output);

            List<Run> runs = recorder.runsBetween(from, to);
            Map<Instant, List<String>> ranOn = new TreeMap<>();
            runs.forEach(run ->
                    ranOn.computeIfAbsent(run.due(), due -> new ArrayList<>()).add(run.instance()));
            String story = describe(ranOn);
            String polling = instances.stream()
                    .map(instance -> instance.name() + " "
                            + recorder.longestWithoutPolling(instance.name(), from, to)
                                    .toMillis() + " ms")
                    .collect(Collectors.joining(", "));
            System.out.println("Daily job on two instances, due time and the instance that ran it: " + story
                    + "; longest without looking for due jobs: " + polling);

            assertThat(ranOn).as("due times run while both instances were up").hasSizeGreaterThanOrEqualTo(DUE_TIMES);
            assertThat(ranOn)
                    .as("each due time runs on one instance, once: %s", story)
                    .allSatisfy((due, on) -> assertThat(on).hasSize(1));
            assertThat(runs).as("runs that failed").allMatch(Run::succeeded);
            assertThat(to.logged() - from.logged())
                    .as("'%s' lines logged between the two moments, one per due time", LOGGED.trim())
                    .isEqualTo(ranOn.size());

            // Nothing was skipped: each run was for the first due time after the previous one had finished.
            CronExpression cron = CronExpression.parse(CRON);
            List<Run> byDue =
                    runs.stream().sorted(Comparator.comparing(Run::due)).toList();
            for (int i = 1; i < byDue.size(); i++) {
                Instant previousDone = byDue.get(i - 1).done();
                assertThat(byDue.get(i).due())
                        .as("the due time after a run that finished at %s", previousDone)
                        .isEqualTo(cron.next(previousDone.atZone(ZoneId.systemDefault()))
                                .toInstant());
            }

            // Both instances were up and competing for every due time, whichever won.
            for (Instance instance : instances) {
                assertThat(instance.context().isActive())
                        .as("%s is running", instance.name())
                        .isTrue();
                SchedulerState state = instance.scheduler().getSchedulerState();
                assertThat(state.isStarted() && !state.isPaused() && !state.isShuttingDown())
                        .as("%s's scheduler is started, not paused or stopping", instance.name())
                        .isTrue();
                assertThat(recorder.longestWithoutPolling(instance.name(), from, to))
                        .as("longest time %s went without looking for due jobs", instance.name())
                        .isLessThanOrEqualTo(DUE_EVERY);
                assertThat(instance.get("/login"))
                        .as("%s answers /login", instance.name())
                        .isEqualTo(200);
            }
            assertThat(scheduledRows(database))
                    .as("the job's rows in scheduled_tasks")
                    .isEqualTo(1);
        } finally {
            for (int i = instances.size() - 1; i >= 0; i--) {
                instances.get(i).context().close();
            }
        }
    }

    private static String describe(Map<Instant, List<String>> ranOn) {
        return ranOn.entrySet().stream()
                .map(entry -> TIME.format(entry.getKey().atZone(ZoneId.systemDefault())) + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private static int scheduledRows(String database) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select count(*) from scheduled_tasks where task_name = '" + TASK + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** One complete Steward application, its scheduler observed from before it starts. */
    private record Instance(String name, ConfigurableApplicationContext context) {

        private static final HttpClient HTTP = HttpClient.newHttpClient();

        static Instance start(String name, String database, Recorder recorder) {
            SchedulerListener listener = recorder.listenerFor(name);
            // Registered before the scheduler starts: its listeners are not meant to change while it runs.
            ApplicationContextInitializer<ConfigurableApplicationContext> observeScheduler =
                    context -> context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                        @Override
                        public Object postProcessBeforeInitialization(Object bean, String beanName) {
                            if (bean instanceof Scheduler scheduler) {
                                scheduler.registerSchedulerListener(listener);
                            }
                            return bean;
                        }
                    });
            ConfigurableApplicationContext context = new SpringApplicationBuilder(StewardApplication.class)
                    .initializers(observeScheduler)
                    .run(
                            "--server.port=0",
                            "--steward.database.url=" + database,
                            "--steward.database.username=" + TestDatabase.username(),
                            "--steward.database.password=" + TestDatabase.password(),
                            "--steward.database.pool-size=4",
                            "--steward.demo.load-on-start=false",
                            "--steward.admin.password=two-instances-test-password",
                            "--steward.health.daily-cron=" + CRON,
                            "--steward.jobs.polling-interval=" + POLLING_INTERVAL.toMillis() + "ms",
                            // The line counted, whatever level the environment sets.
                            "--logging.level.dev.steward.health.HealthJobs=INFO");
            return new Instance(name, context);
        }

        Scheduler scheduler() {
            return context.getBean(Scheduler.class);
        }

        int get(String path) throws Exception {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }

    /** A run of the daily job: the instance that ran it, the time it was due and when it finished. */
    private record Run(String instance, Instant due, Instant done, boolean succeeded) {}

    /** A moment when no run was under way: how many runs had finished by then, and how many had logged. */
    private record Mark(Instant at, int runs, int logged) {}

    /** What the instances' schedulers reported: when each looked for due jobs, and the runs of the daily job. */
    private static final class Recorder {

        private final AtomicInteger started = new AtomicInteger();
        private final List<Run> finished = new CopyOnWriteArrayList<>();
        private final Map<String, List<Instant>> polls = new ConcurrentHashMap<>();

        SchedulerListener listenerFor(String instance) {
            List<Instant> instancePolls = new CopyOnWriteArrayList<>();
            polls.put(instance, instancePolls);
            return new AbstractSchedulerListener() {
                @Override
                public void onSchedulerEvent(SchedulerEventType type) {
                    if (type == SchedulerEventType.RAN_EXECUTE_DUE) {
                        instancePolls.add(Instant.now());
                    }
                }

                @Override
                public void onExecutionStart(CurrentlyExecuting executing) {
                    if (TASK.equals(executing.getTaskInstance().getTaskName())) {
                        started.incrementAndGet();
                    }
                }

                @Override
                public void onExecutionComplete(ExecutionComplete complete) {
                    if (TASK.equals(complete.getExecution().getTaskName())) {
                        finished.add(new Run(
                                instance,
                                complete.getExecution().getExecutionTime(),
                                complete.getTimeDone(),
                                complete.getResult() == ExecutionComplete.Result.OK));
                    }
                }
            };
        }

        /**
         * Waits for a moment when every run that started has finished, and no other starts while the log is read. A
         * run logs its line after it starts and before it finishes, so the lines counted are exactly those of the
         * finished runs.
         */
        Mark quietMoment(CapturedOutput output) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                int runs = started.get();
                if (finished.size() == runs) {
                    Instant at = Instant.now();
                    int logged = occurrences(output.getAll(), LOGGED);
                    if (started.get() == runs) {
                        return new Mark(at, runs, logged);
                    }
                }
                Thread.sleep(10);
            }
            return fail("No moment without a run of the daily job under way in 30 s");
        }

        int dueTimesSince(Mark from) {
            List<Run> runs = List.copyOf(finished);
            return (int) runs.subList(from.runs(), runs.size()).stream()
                    .map(Run::due)
                    .distinct()
                    .count();
        }

        List<Run> runsBetween(Mark from, Mark to) {
            return List.copyOf(List.copyOf(finished).subList(from.runs(), to.runs()));
        }

        Duration longestWithoutPolling(String instance, Mark from, Mark to) {
            List<Instant> times = new ArrayList<>();
            times.add(from.at());
            polls.get(instance).stream()
                    .filter(at -> at.isAfter(from.at()) && at.isBefore(to.at()))
                    .forEach(times::add);
            times.add(to.at());
            Duration longest = Duration.ZERO;
            for (int i = 1; i < times.size(); i++) {
                Duration gap = Duration.between(times.get(i - 1), times.get(i));
                longest = gap.compareTo(longest) > 0 ? gap : longest;
            }
            return longest;
        }

        private static int occurrences(String text, String part) {
            int count = 0;
            for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
                count++;
            }
            return count;
        }
    }
}
