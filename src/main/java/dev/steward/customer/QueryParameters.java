package dev.steward.customer;

import dev.steward.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Reads enum query parameters spelled as in JSON ({@code executive_sponsor}), the way clients see the values. */
final class QueryParameters {

    private QueryParameters() {}

    static <E extends Enum<E>> E enumValue(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> e.name().equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        name,
                        "'" + value + "' is not one of "
                                + Arrays.stream(type.getEnumConstants())
                                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                                        .toList()));
    }
}
