package dev.steward.core;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Waits until the background work that writes follow (re-scores asked for, segment and stage decisions, jobs, events
 * to deliver) has nothing left to do, so that a benchmark measures its own work and not theirs.
 */
public final class QuietDatabase {

    private QuietDatabase() {}

    /** Returns once two checks half a second apart find nothing waiting; gives up after 30 minutes. */
    public static void waitUntilQuiet(JdbcClient jdbc) throws InterruptedException {
        long started = System.nanoTime();
        long nextSay = started;
        int quiet = 0;
        while (quiet < 2) {
            long rescores = count(jdbc, "select count(*) from health_rescore_request");
            long evaluations = count(jdbc, "select count(*) from account_segment_evaluation_request");
            long jobs = count(jdbc, "select count(*) from scheduled_tasks where picked");
            long events = count(jdbc, "select count(*) from event_publication where completion_date is null");
            quiet = rescores + evaluations + jobs + events == 0 ? quiet + 1 : 0;
            if (System.nanoTime() - started > 30L * 60 * 1_000_000_000L) {
                throw new IllegalStateException("still not quiet after 30 minutes: " + rescores + " re-scores, "
                        + evaluations + " evaluations, " + jobs + " jobs, " + events + " events wait");
            }
            if (quiet == 0 && System.nanoTime() >= nextSay) {
                System.out.printf(
                        "Waiting for %,d re-score requests, %,d segment evaluation requests, %d jobs and %,d events%n",
                        rescores, evaluations, jobs, events);
                nextSay = System.nanoTime() + 10_000_000_000L;
            }
            Thread.sleep(500);
        }
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
