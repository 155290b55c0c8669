package dev.steward.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Optional;

/** What a key may do in an area: read (GET and HEAD), or read and write. */
public enum ApiAccess {
    @JsonProperty("read")
    READ,
    @JsonProperty("write")
    WRITE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ApiAccess> named(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "read" -> Optional.of(READ);
            case "write" -> Optional.of(WRITE);
            default -> Optional.empty();
        };
    }
}
