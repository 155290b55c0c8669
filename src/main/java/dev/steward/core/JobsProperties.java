package dev.steward.core;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the recurring jobs: how often each instance looks in the database for jobs that are due, which is also
 * about how late after its due time a job may start.
 */
@ConfigurationProperties("steward.jobs")
record JobsProperties(@DefaultValue("10s") Duration pollingInterval) {}
