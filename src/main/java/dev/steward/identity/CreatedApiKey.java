package dev.steward.identity;

/** A newly created API key with its secret, which is shown this once and cannot be retrieved again. */
public record CreatedApiKey(ApiKey key, String secret) {}
