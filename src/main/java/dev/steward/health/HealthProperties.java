package dev.steward.health;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of health scoring: the longest an override may last, how long new facts for an account are gathered before
 * it is re-scored, when the daily re-score of every account runs (a cron expression, in the server's zone), and how
 * many accounts × days of raw measure values scoring many as-of days (backtests) holds at once: about 200 bytes each,
 * so the default holds 200 MB; fewer means the accounts' facts are read more often. {@code shippedScorecards} are the
 * resource patterns of the scorecard documents a fresh installation publishes (by default one per segment and the
 * catch-all, {@code all-other-accounts.yaml}); an installation may point them at its own, e.g.
 * {@code file:/etc/steward/scorecards/*.yaml}.
 */
@ConfigurationProperties("steward.health")
record HealthProperties(
        @DefaultValue("90") int overrideMaxDays,
        @DefaultValue("1s") Duration debounce,
        @DefaultValue("0 15 2 * * *") String dailyCron,
        @DefaultValue("1000000") int rawValuesInMemory,
        @DefaultValue(ShippedScorecards.LOCATION) List<String> shippedScorecards) {}
