/**
 * Ingestion: connected sources (Segment-compatible tracking API, CSV imports, Stripe webhooks), what each delivered
 * and rejected, and data quality.
 */
package dev.steward.ingest;
