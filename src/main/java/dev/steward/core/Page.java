package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a list. {@code next} is an opaque cursor for the following page, absent on the last page; cursor
 * paging stays fast and stable however deep the client pages, unlike offsets. {@code total}, where a list gives it,
 * says how many items match the filters on all pages together.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String next, Total total) {

    /** A page of a list that does not count its items. */
    public Page(List<T> items, String next) {
        this(items, next, null);
    }

    /**
     * How many items match: counted, or, for a list too long to count on every request, PostgreSQL's estimate
     * ({@code estimated} true, rounded to thousands).
     */
    public record Total(long count, boolean estimated) {}
}
