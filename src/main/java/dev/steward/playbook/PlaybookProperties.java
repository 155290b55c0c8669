package dev.steward.playbook;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of playbooks and CTAs ({@code steward.playbook.*}): the company's time zone (the working calendar's days
 * and SLA deadlines), how often overdue CTAs are looked for, when the daily evaluation of time-based triggers runs,
 * and how often the accounts whose activity changed are looked at for the triggers that follow activity.
 */
@ConfigurationProperties("steward.playbook")
record PlaybookProperties(
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue("PT1M") Duration escalationInterval,
        @DefaultValue("05:30") LocalTime dailyAt,
        @DefaultValue("2s") Duration activityInterval) {}
