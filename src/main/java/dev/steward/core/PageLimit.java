package dev.steward.core;

/**
 * The one rule for how many items a list answers ({@code limit}): absent means the list's default; below 1 or above
 * its maximum is refused with a problem naming the parameter, the value and the maximum, never silently cut to fit.
 *
 * @param defaultSize the items a list answers when no limit is given
 * @param maximum the most items one answer may hold
 */
public record PageLimit(int defaultSize, int maximum) {

    public PageLimit {
        if (defaultSize < 1 || defaultSize > maximum) {
            throw new IllegalArgumentException("default " + defaultSize + " must be 1 to the maximum " + maximum);
        }
    }

    /** The {@code limit} asked for, or the default when none was. */
    public int of(Integer limit) {
        return of("limit", limit);
    }

    /**
     * The value of the named size parameter, or the default when none was given.
     *
     * @throws BadRequestException naming the parameter, the value and the allowed range when it is out of range
     */
    public int of(String parameter, Integer limit) {
        if (limit == null) {
            return defaultSize;
        }
        if (limit < 1 || limit > maximum) {
            throw new BadRequestException(
                    parameter,
                    "is " + limit + "; " + (limit < 1 ? "the minimum is 1" : "the maximum is " + maximum)
                            + " (from 1 to " + maximum + ", default " + defaultSize + ")");
        }
        return limit;
    }
}
