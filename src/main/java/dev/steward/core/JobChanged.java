package dev.steward.core;

/**
 * A job of Steward's own (a connector's pull, a warehouse query…) changed data: published in the transaction that
 * records the change, so that the audit trail records it as the job's entry once it commits — who ({@code job}),
 * what ({@code target}), how it ended ({@code status}, as HTTP would say it: 200, 207 when some records were refused,
 * 500 when it failed part-way) and what it did ({@code summary}).
 */
public record JobChanged(String job, String target, int status, String summary) {}
