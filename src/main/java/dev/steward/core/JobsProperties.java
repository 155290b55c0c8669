package dev.steward.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the recurring jobs: how often each instance looks in the database for jobs that are due, which is also
 * about how late after its due time a job may start (the Segment processor is due every second, so this is short),
 * and how often a running job's instance tells the others it is alive: a job whose instance missed four such beats
 * (it died) is taken over by another instance.
 */
@ConfigurationProperties("steward.jobs")
record JobsProperties(
        @DefaultValue("1s") Duration pollingInterval,
        @DefaultValue("5s") Duration heartbeatInterval) {}
