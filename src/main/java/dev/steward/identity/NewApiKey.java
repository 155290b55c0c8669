package dev.steward.identity;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request for an API key: a name to recognise it by; what it may do, either per area ({@code areas}: {@code
 * {"accounts": "write", "usage": "read"}}, areas not named are refused) or as a shorthand for every area ({@code
 * scope}: {@code read} or {@code read_write}); and in how many days it expires (90 unless given, at most 730).
 */
public record NewApiKey(
        String name,
        @Nullable ApiKeyScope scope,
        @Nullable Map<String, String> areas,
        @Nullable Integer expiresInDays) {

    public NewApiKey(String name, ApiKeyScope scope) {
        this(name, scope, null, null);
    }
}
