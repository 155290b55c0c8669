package dev.steward.identity;

/** A request for an API key: a name to recognise it by and its scope. */
public record NewApiKey(String name, ApiKeyScope scope) {}
