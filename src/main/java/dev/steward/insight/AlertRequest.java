package dev.steward.insight;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An alert rule as written by its owner. {@code kind} {@code account}: {@code condition} (CEL over {@code account.*},
 * {@code health.*}, {@code attribute.*}, {@code segments}, {@code stage.*}, {@code onboarding.*}) and {@code scope}
 * ({@code book}, the default, or {@code all}). {@code kind} {@code figure}: {@code figure}, optionally {@code tier}
 * and {@code owner} (a user id), {@code operator} ({@code above}/{@code below}) and {@code threshold}. {@code channels}
 * any of {@code in_app} (the default), {@code email}, {@code webhook}; {@code delivery} {@code immediate} (the default)
 * or {@code digest}; {@code webhookTopic} names the webhook event kind {@code alert.<topic>} (default
 * {@code alert.fired}); {@code enabled} defaults to true.
 */
record AlertRequest(
        @Nullable String name,
        @Nullable String kind,
        @Nullable String condition,
        @Nullable String scope,
        @Nullable String figure,
        @Nullable String tier,
        @Nullable UUID owner,
        @Nullable String operator,
        @Nullable BigDecimal threshold,
        @Nullable List<String> channels,
        @Nullable String delivery,
        @Nullable String webhookTopic,
        @Nullable Boolean enabled) {}
