package dev.steward.notify;

import java.time.Instant;

/**
 * Published when the receiving mail server refuses an address outright (a permanent 5xx to the recipient), in the
 * transaction that marks the email failed: whoever sends to outside addresses (surveys) stops sending to it.
 */
public record EmailBounced(java.util.UUID delivery, String address, String reason, Instant at) {}
