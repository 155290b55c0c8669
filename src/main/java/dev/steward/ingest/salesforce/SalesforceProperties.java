package dev.steward.ingest.salesforce;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Steward calls Salesforce ({@code steward.salesforce.*}). Salesforce counts an org's API requests against a daily
 * allowance shared by every integration of the org; a pull stops before its connection's share of it is used.
 *
 * @param apiVersion the REST API version asked for ({@code v62.0})
 * @param allowancePercent the share of the org's daily API allowance a pull may use, unless the connection says (50)
 * @param maxRetries how many times a request that failed on Salesforce's side (5xx, no answer) or was told to wait
 *     (429) is sent again before the pull fails
 * @param backoff the wait before the first retry after a 5xx or no answer; doubled each time, with ±25% jitter
 * @param maxBackoff the longest wait between two retries
 * @param maxRetryAfter the longest wait a {@code Retry-After} asks for that is waited out
 * @param timeout how long one request may take
 * @param authorizationTime how long an administrator has to give consent in Salesforce (web-server flow)
 * @param bulkThreshold a first pull of an object Salesforce counts more records of than this reads them through a Bulk
 *     API 2.0 query job instead of REST query pages (10,000)
 * @param bulkPage how many records a request for a Bulk API 2.0 job's results asks for ({@code maxRecords}, 50,000)
 * @param bulkWait how long a pull waits for a Bulk API 2.0 job to complete before it fails (the next pull waits on)
 */
@ConfigurationProperties("steward.salesforce")
record SalesforceProperties(
        @Nullable String apiVersion,
        Integer allowancePercent,
        Integer maxRetries,
        Duration backoff,
        Duration maxBackoff,
        Duration maxRetryAfter,
        Duration timeout,
        Duration authorizationTime,
        Long bulkThreshold,
        Integer bulkPage,
        Duration bulkWait) {

    SalesforceProperties {
        apiVersion = apiVersion == null || apiVersion.isBlank() ? "v62.0" : apiVersion.strip();
        allowancePercent = allowancePercent == null ? 50 : allowancePercent;
        maxRetries = maxRetries == null ? 5 : maxRetries;
        backoff = backoff == null ? Duration.ofSeconds(2) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        maxRetryAfter = maxRetryAfter == null ? Duration.ofMinutes(10) : maxRetryAfter;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        authorizationTime = authorizationTime == null ? Duration.ofHours(1) : authorizationTime;
        bulkThreshold = bulkThreshold == null ? 10_000L : bulkThreshold;
        bulkPage = bulkPage == null ? 50_000 : bulkPage;
        bulkWait = bulkWait == null ? Duration.ofHours(2) : bulkWait;
        if (!apiVersion.matches("v[0-9]{2,3}\\.0")
                || allowancePercent < 1
                || allowancePercent > 100
                || maxRetries < 0
                || bulkThreshold < 0
                || bulkPage < 1
                || bulkPage > 100_000) {
            throw new IllegalArgumentException("steward.salesforce.api-version must read like v62.0,"
                    + " allowance-percent be from 1 to 100, max-retries and bulk-threshold at least 0 and bulk-page"
                    + " from 1 to 100000");
        }
    }
}
