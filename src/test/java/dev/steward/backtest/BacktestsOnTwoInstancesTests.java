package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import dev.steward.core.StewardInstance;
import dev.steward.core.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A backtest is a job of the cluster, not of the instance it was started on: with two complete Steward instances on
 * one database it runs on one of them, another instance starting meanwhile leaves it alone, and when the instance
 * running it stops or dies, the other one runs it again to the end.
 *
 * <p>To catch the first instance in the middle of a run whatever the machine's speed, the test holds the run's row
 * (as any slow statement would): the instance that took the job waits at its first write to it.
 */
@Tag("postgres")
class BacktestsOnTwoInstancesTests {

    private static final String FAST_JOBS = "--steward.jobs.polling-interval=500ms";
    private static final String FAST_HEARTBEATS = "--steward.jobs.heartbeat-interval=500ms";

    @Test
    void anotherInstanceStartingLeavesTheRunAloneAndFinishesItWhenItsInstanceStops() throws Exception {
        String database = TestDatabase.createDatabase();
        Recorder recorder = new Recorder();
        List<StewardInstance> instances = new ArrayList<>();
        try (Connection test = connect(database)) {
            StewardInstance first = start("first", database, recorder, instances);
            UUID run = startHeld(first, test, recorder);

            start("second", database, recorder, instances);
            assertThat(status(test, run))
                    .as("the backtest that first runs, once second has started")
                    .isIn("queued", "running");

            // first stops: it hands the backtest back between two as-of days, and second runs it again at once.
            Scheduler firstScheduler = first.scheduler();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(first::close);
            await("first stopping")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> firstScheduler.getSchedulerState().isShuttingDown());
            test.rollback();
            stopped.get(2, TimeUnit.MINUTES);

            awaitDone(test, run);
            // The run's row says done once its last day commits; the scheduler tells its listeners a moment after.
            await("second telling that it finished the run")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> recorder.completed(run).contains("second OK"));
            assertThat(recorder.started(run))
                    .as("instances that started the run")
                    .containsExactly("first", "second");
            assertThat(recorder.dead(run))
                    .as("instances that found the run dead")
                    .isEmpty();
            assertThat(recorder.completed(run))
                    .as("how the run ended on each instance")
                    .containsExactly("first OK", "second OK");
            assertThat(jobs(test, run)).as("the run's job, once done").isZero();
        } finally {
            instances.forEach(StewardInstance::close);
        }
    }

    @Test
    void aRunWhoseInstanceDiedIsRunAgainByAnotherAfterItsMissedHeartbeats() throws Exception {
        String database = TestDatabase.createDatabase();
        Recorder recorder = new Recorder();
        List<StewardInstance> instances = new ArrayList<>();
        try (Connection test = connect(database)) {
            // first waits only a second for its running jobs when it stops: its run is left behind, unfinished.
            StewardInstance first =
                    start("first", database, recorder, instances, "--steward.jobs.shutdown-max-wait=1s");
            UUID run = startHeld(first, test, recorder);
            start("second", database, recorder, instances);

            // first goes away in the middle of the run: it never finishes it, nor hands it back, nor beats for it.
            first.close();
            try (Statement statement = test.createStatement()) {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where datname = current_database() and wait_event_type = 'Lock'");
            }
            test.rollback();
            assertThat(jobs(test, run)).as("first's unfinished job").isEqualTo(1);

            awaitDone(test, run);
            // The run's row says done once its last day commits; the scheduler tells its listeners a moment after.
            await("second telling that it finished the run")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> recorder.completed(run).contains("second OK"));
            assertThat(recorder.started(run))
                    .as("instances that started the run")
                    .containsExactly("first", "second");
            assertThat(recorder.dead(run))
                    .as("instances that found the run dead")
                    .containsExactly("second");
            assertThat(recorder.completed(run))
                    .as("how the run ended on each instance")
                    .doesNotContain("first OK")
                    .endsWith("second OK");
            assertThat(jobs(test, run)).as("the run's job, once done").isZero();
        } finally {
            instances.forEach(StewardInstance::close);
        }
    }

    private static StewardInstance start(
            String name, String database, Recorder recorder, List<StewardInstance> instances, String... more) {
        List<String> arguments = new ArrayList<>(List.of(FAST_JOBS, FAST_HEARTBEATS));
        arguments.addAll(List.of(more));
        StewardInstance instance = StewardInstance.start(
                name, database, recorder.listenerFor(name), List.of(), arguments.toArray(String[]::new));
        instances.add(0, instance);
        return instance;
    }

    /** Starts a backtest of the published scorecards on {@code first}, which takes it and waits at the held row. */
    private static UUID startHeld(StewardInstance first, Connection test, Recorder recorder) throws SQLException {
        Scheduler scheduler = first.scheduler();
        // Nobody takes the job before the test holds its row.
        scheduler.pause();
        UUID run = first.bean(Backtests.class)
                .start(new BacktestRequest(null, null, null, null, null, null, null, null, null), "test")
                .id();
        try (PreparedStatement hold = test.prepareStatement("select 1 from backtest_run where id = ? for update")) {
            hold.setObject(1, run);
            hold.executeQuery().close();
        }
        scheduler.resume();
        await("first taking the backtest's job, and no other instance")
                .atMost(Duration.ofSeconds(30))
                .until(() -> recorder.started(run).equals(List.of("first")));
        return run;
    }

    private static void awaitDone(Connection test, UUID run) {
        await("backtest " + run + " done")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status(test, run), "done"::equals);
        try (PreparedStatement read = test.prepareStatement(
                "select days_done, cardinality(as_of_dates), error from backtest_run where id = ?")) {
            read.setObject(1, run);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                assertThat(row.getInt(1)).as("as-of days done").isEqualTo(row.getInt(2));
                assertThat(row.getString(3)).as("error").isNull();
            }
            test.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(String database) throws SQLException {
        Connection connection = DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
        connection.setAutoCommit(false);
        return connection;
    }

    private static String status(Connection test, UUID run) throws SQLException {
        try (PreparedStatement read = test.prepareStatement("select status from backtest_run where id = ?")) {
            read.setObject(1, run);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static int jobs(Connection test, UUID run) throws SQLException {
        try (PreparedStatement read = test.prepareStatement(
                "select count(*) from scheduled_tasks where task_name = ? and task_instance = ?")) {
            read.setString(1, BacktestJobs.TASK);
            read.setString(2, run.toString());
            try (ResultSet row = read.executeQuery()) {
                row.next();
                return row.getInt(1);
            } finally {
                test.rollback();
            }
        }
    }

    /** What each instance's scheduler did with backtest jobs: started, found dead, completed (and how). */
    private static final class Recorder {

        private final List<String[]> events = new CopyOnWriteArrayList<>();

        SchedulerListener listenerFor(String instance) {
            return new AbstractSchedulerListener() {
                @Override
                public void onExecutionStart(CurrentlyExecuting executing) {
                    record(
                            "started",
                            instance,
                            executing.getTaskInstance().getTaskName(),
                            executing.getTaskInstance().getId());
                }

                @Override
                public void onExecutionDead(Execution execution) {
                    record("dead", instance, execution.getTaskName(), execution.taskInstance.getId());
                }

                @Override
                public void onExecutionComplete(ExecutionComplete complete) {
                    record(
                            "completed",
                            instance + " " + complete.getResult(),
                            complete.getExecution().getTaskName(),
                            complete.getExecution().taskInstance.getId());
                }
            };
        }

        private void record(String what, String instance, String task, String id) {
            if (BacktestJobs.TASK.equals(task)) {
                events.add(new String[] {what, instance, id});
            }
        }

        List<String> started(UUID run) {
            return of("started", run);
        }

        List<String> dead(UUID run) {
            return of("dead", run);
        }

        List<String> completed(UUID run) {
            return of("completed", run);
        }

        private List<String> of(String what, UUID run) {
            return events.stream()
                    .filter(e -> e[0].equals(what) && e[2].equals(run.toString()))
                    .map(e -> e[1])
                    .toList();
        }
    }
}
