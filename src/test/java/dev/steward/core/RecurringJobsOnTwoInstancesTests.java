package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.SchedulerState;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener.SchedulerEventType;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.support.CronExpression;

/**
 * Every recurring job of every module (each {@link RecurringTask} bean: the daily re-score, the re-score of accounts
 * with new facts, the nightly account totals, and whatever a module adds) is a cluster-wide job: with two complete
 * Steward instances on one database, each time a job falls due it runs once in all, on whichever instance takes it
 * first, never once per instance, and no due time is left out while the instances are up.
 *
 * <p>Both instances run the whole application on one fresh database. The test finds the jobs by their beans and makes
 * each due every three seconds (its own work unchanged), with each instance looking for due jobs every second. Each
 * instance's scheduler reports to the test when it polled and which runs it made, with the time each was due; the jobs
 * themselves count how often their work was actually done. Counted between two moments when no run was under way,
 * every job must show one run, and its work done once, per due time: had both instances run a job, its due times would
 * show two runs each.
 */
@Tag("postgres")
class RecurringJobsOnTwoInstancesTests {

    private static final String CRON = "*/3 * * * * *";
    private static final Duration DUE_EVERY = Duration.ofSeconds(3);
    private static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    private static final int DUE_TIMES = 4;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Test
    void eachDueTimeOfEveryRecurringJobRunsOnceAcrossBothInstances() throws Exception {
        String database = TestDatabase.createDatabase();
        Recorder recorder = new Recorder();
        List<StewardInstance> instances = new ArrayList<>();
        try {
            // One after the other: the first migrates the empty database, the second finds it migrated.
            for (String name : List.of("first", "second")) {
                instances.add(StewardInstance.start(
                        name,
                        database,
                        recorder.listenerFor(name),
                        List.of(recorder.dueEveryThreeSeconds()),
                        "--steward.jobs.polling-interval=" + POLLING_INTERVAL.toMillis() + "ms"));
            }
            Set<String> jobs = recorder.jobs();
            assertThat(jobs)
                    .as("recurring jobs found")
                    .contains("health-daily-rescore", "health-requested-rescore", "customer-daily-account-totals");

            Mark from = recorder.quietMoment();
            await("every recurring job run for " + DUE_TIMES + " due times")
                    .atMost(DUE_EVERY.multipliedBy(DUE_TIMES + 8))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> jobs.stream().allMatch(job -> recorder.dueTimesSince(job, from) >= DUE_TIMES));
            Mark to = recorder.quietMoment();

            CronExpression cron = CronExpression.parse(CRON);
            for (String job : jobs) {
                List<Run> runs = recorder.runsBetween(job, from, to);
                Map<Instant, List<String>> ranOn = new TreeMap<>();
                runs.forEach(run -> ranOn.computeIfAbsent(run.due(), due -> new ArrayList<>())
                        .add(run.instance()));
                String story = describe(ranOn);
                System.out.println(
                        "Recurring job " + job + " on two instances, due time and the instance that ran it: " + story);

                assertThat(ranOn)
                        .as("due times of %s run while both instances were up", job)
                        .hasSizeGreaterThanOrEqualTo(DUE_TIMES);
                assertThat(ranOn)
                        .as("each due time of %s runs on one instance, once: %s", job, story)
                        .allSatisfy((due, on) -> assertThat(on).hasSize(1));
                assertThat(runs).as("runs of %s that failed", job).allMatch(Run::succeeded);
                assertThat(to.worked().get(job) - from.worked().getOrDefault(job, 0))
                        .as("times %s did its work between the two moments, one per due time", job)
                        .isEqualTo(ranOn.size());

                // Nothing was skipped: each run was for the first due time after the previous one had finished.
                List<Run> byDue =
                        runs.stream().sorted(Comparator.comparing(Run::due)).toList();
                for (int i = 1; i < byDue.size(); i++) {
                    Instant previousDone = byDue.get(i - 1).done();
                    assertThat(byDue.get(i).due())
                            .as("the due time of %s after a run that finished at %s", job, previousDone)
                            .isEqualTo(cron.next(previousDone.atZone(ZoneId.systemDefault()))
                                    .toInstant());
                }
                assertThat(scheduledRows(database, job))
                        .as("rows of %s in scheduled_tasks", job)
                        .isEqualTo(1);
            }

            // Both instances were up and competing for every due time, whichever won.
            for (StewardInstance instance : instances) {
                assertThat(instance.context().isActive())
                        .as("%s is running", instance.name())
                        .isTrue();
                SchedulerState state = instance.scheduler().getSchedulerState();
                assertThat(state.isStarted() && !state.isPaused() && !state.isShuttingDown())
                        .as("%s's scheduler is started, not paused or stopping", instance.name())
                        .isTrue();
                Duration longest = recorder.longestWithoutPolling(instance.name(), from, to);
                System.out.println(
                        instance.name() + " went at most " + longest.toMillis() + " ms without looking for due jobs");
                assertThat(longest)
                        .as("longest time %s went without looking for due jobs", instance.name())
                        .isLessThanOrEqualTo(DUE_EVERY);
                assertThat(instance.get("/login"))
                        .as("%s answers /login", instance.name())
                        .isEqualTo(200);
            }
        } finally {
            for (int i = instances.size() - 1; i >= 0; i--) {
                instances.get(i).close();
            }
        }
    }

    private static String describe(Map<Instant, List<String>> ranOn) {
        return ranOn.entrySet().stream()
                .map(entry -> TIME.format(entry.getKey().atZone(ZoneId.systemDefault())) + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private static int scheduledRows(String database, String job) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select count(*) from scheduled_tasks where task_name = '" + job + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A run of a recurring job: the instance that ran it, the time it was due and when it finished. */
    private record Run(String job, String instance, Instant due, Instant done, boolean succeeded) {}

    /**
     * A moment when no run was under way: how many runs of recurring jobs had finished by then, and how often each job
     * had done its work.
     */
    private record Mark(Instant at, int runs, Map<String, Integer> worked) {}

    /** The recurring jobs, each made due every three seconds, and what the instances' schedulers reported. */
    private static final class Recorder {

        private final Set<String> jobs = ConcurrentHashMap.newKeySet();
        private final Map<String, AtomicInteger> worked = new ConcurrentHashMap<>();
        private final AtomicInteger started = new AtomicInteger();
        private final List<Run> finished = new CopyOnWriteArrayList<>();
        private final Map<String, List<Instant>> polls = new ConcurrentHashMap<>();

        /** Replaces each recurring job with one due every three seconds that does the same work, counted. */
        BeanPostProcessor dueEveryThreeSeconds() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof RecurringTask<?> task ? counted(task) : bean;
                }
            };
        }

        private <T> RecurringTask<T> counted(RecurringTask<T> task) {
            jobs.add(task.getName());
            AtomicInteger count = worked.computeIfAbsent(task.getName(), name -> new AtomicInteger());
            return new RecurringTask<>(task.getName(), Schedules.cron(CRON), task.getDataClass()) {
                @Override
                public void executeRecurringly(TaskInstance<T> instance, ExecutionContext context) {
                    task.execute(instance, context);
                    count.incrementAndGet();
                }
            };
        }

        Set<String> jobs() {
            return Set.copyOf(jobs);
        }

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
                    if (jobs.contains(executing.getTaskInstance().getTaskName())) {
                        started.incrementAndGet();
                    }
                }

                @Override
                public void onExecutionComplete(ExecutionComplete complete) {
                    String job = complete.getExecution().getTaskName();
                    if (jobs.contains(job)) {
                        finished.add(new Run(
                                job,
                                instance,
                                complete.getExecution().getExecutionTime(),
                                complete.getTimeDone(),
                                complete.getResult() == ExecutionComplete.Result.OK));
                    }
                }
            };
        }

        /**
         * Waits for a moment when every run that started has finished, and no other starts while the counts are read.
         * A job counts its work after it starts and before it finishes, so the work counted is that of finished runs.
         */
        Mark quietMoment() {
            return await("a moment without a run of a recurring job under way")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10))
                    .until(this::quiet, Objects::nonNull);
        }

        private Mark quiet() {
            int runs = started.get();
            if (finished.size() != runs) {
                return null;
            }
            Instant at = Instant.now();
            Map<String, Integer> counts = worked.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().get()));
            return started.get() == runs ? new Mark(at, runs, counts) : null;
        }

        int dueTimesSince(String job, Mark from) {
            List<Run> runs = List.copyOf(finished);
            return (int) runs.subList(from.runs(), runs.size()).stream()
                    .filter(run -> job.equals(run.job()))
                    .map(Run::due)
                    .distinct()
                    .count();
        }

        List<Run> runsBetween(String job, Mark from, Mark to) {
            return List.copyOf(finished).subList(from.runs(), to.runs()).stream()
                    .filter(run -> job.equals(run.job()))
                    .toList();
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
    }
}
