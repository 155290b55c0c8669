package dev.steward.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * One fact on an account's timeline: its kind (e.g. {@code ticket}, {@code invoice}), when it became true, a title
 * and summary to show, and the fact's id within its kind.
 */
public record TimelineEntry(String kind, UUID id, Instant at, String title, String summary) {}
