package dev.steward.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What an API key may do on top of its user's role: only read, or read and write. */
public enum ApiKeyScope {
    @JsonProperty("read")
    READ,
    @JsonProperty("read_write")
    READ_WRITE;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ApiKeyScope of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
