package dev.steward.playbook;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of playbooks and CTAs ({@code steward.playbook.*}): the company's time zone (the working calendar's days
 * and SLA deadlines), how often overdue CTAs are looked for, and when the daily evaluation of time-based triggers
 * runs.
 */
@ConfigurationProperties("steward.playbook")
record PlaybookProperties(
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue("PT1M") Duration escalationInterval,
        @DefaultValue("05:30") LocalTime dailyAt) {}
