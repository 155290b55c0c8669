package dev.steward.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A shorthand for a key's areas: every area for reading, or every area for reading and writing. */
public enum ApiKeyScope {
    @JsonProperty("read")
    READ,
    @JsonProperty("read_write")
    READ_WRITE;

    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The areas this shorthand stands for. */
    Map<ApiArea, ApiAccess> areas() {
        Map<ApiArea, ApiAccess> areas = new EnumMap<>(ApiArea.class);
        for (ApiArea area : ApiArea.values()) {
            areas.put(area, this == READ ? ApiAccess.READ : ApiAccess.WRITE);
        }
        return areas;
    }

    /** The shorthand these areas amount to, or null when they are not all alike. */
    static @Nullable ApiKeyScope of(Map<ApiArea, ApiAccess> areas) {
        for (ApiKeyScope scope : values()) {
            if (scope.areas().equals(areas)) {
                return scope;
            }
        }
        return null;
    }
}
