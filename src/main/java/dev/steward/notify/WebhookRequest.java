package dev.steward.notify;

import java.util.List;

/**
 * An endpoint as an administrator registers or changes it.
 *
 * @param url where deliveries are POSTed: http or https, at most 2,000 characters
 * @param kinds which events it receives: kinds ({@code cta.escalated}), prefixes ({@code cta.*}) or {@code *} for all
 * @param description what it is for (optional)
 * @param enabled whether it receives events (default true)
 * @param secret the signing secret; generated when absent on creation, unchanged when absent on a change
 */
record WebhookRequest(String url, List<String> kinds, String description, Boolean enabled, String secret) {}
