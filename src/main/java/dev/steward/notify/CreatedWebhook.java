package dev.steward.notify;

/** A new endpoint with its signing secret, which is shown this once. */
record CreatedWebhook(WebhookEndpoint endpoint, String secret) {}
