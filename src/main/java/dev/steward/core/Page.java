package dev.steward.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a list. {@code next} is an opaque cursor for the following page, absent on the last page; cursor
 * paging stays fast and stable however deep the client pages, unlike offsets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String next) {}
