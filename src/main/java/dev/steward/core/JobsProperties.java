package dev.steward.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the background jobs: how often each instance looks in the database for jobs that are due (about how
 * late after its due time a job may start; the Segment processor is due every second, so this is short), how many
 * jobs one instance runs at once, how often a running job proves its instance alive (a job whose instance missed four
 * heartbeats is run again elsewhere), and how long a stopping instance waits for its running jobs.
 */
@ConfigurationProperties("steward.jobs")
record JobsProperties(
        @DefaultValue("1s") Duration pollingInterval,
        @DefaultValue("6") int threads,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("30s") Duration shutdownMaxWait) {}
