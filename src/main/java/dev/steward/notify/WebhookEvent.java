package dev.steward.notify;

import java.time.Instant;
import java.util.UUID;

/** An event broadcast to webhook endpoints: its kind, a line of text for chat tools, and its data as JSON. */
record WebhookEvent(UUID id, String kind, String text, String dataJson, Instant occurredAt) {}
