package dev.steward.outreach;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of email journeys ({@code steward.outreach.*}): how often due contacts are advanced; the frequency cap
 * across every journey (at most {@code capEmails} emails to an address in {@code capDays} days); when, in which time
 * zone, renewal triggers are evaluated each day; the address replies should go to (a mailbox Steward reads, or
 * whose mail is posted to the replies webhook), when it is not the sender's; and the reply mailbox read over IMAP
 * (off while {@code imapHost} is not set), how often; how many emails one sender address may send a day (in
 * {@code timeZone}), with limits of its own for some addresses ({@code senderLimits}, by address).
 */
@ConfigurationProperties("steward.outreach")
record OutreachProperties(
        @DefaultValue("PT1M") Duration advanceInterval,
        @DefaultValue("1") int capEmails,
        @DefaultValue("3") int capDays,
        @DefaultValue("06:00") LocalTime dailyAt,
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue("500") int batch,
        @Nullable String replyTo,
        @Nullable String imapHost,
        @DefaultValue("993") int imapPort,
        @Nullable String imapUsername,
        @Nullable String imapPassword,
        @DefaultValue("INBOX") String imapFolder,
        @DefaultValue("true") boolean imapSsl,
        @DefaultValue("PT1M") Duration replyPollInterval,
        @DefaultValue("500") int senderDailyLimit,
        @Nullable Map<String, Integer> senderLimits) {

    OutreachProperties {
        if (senderDailyLimit < 1) {
            throw new IllegalArgumentException("steward.outreach.sender-daily-limit must be at least 1");
        }
        Map<String, Integer> limits = new HashMap<>();
        if (senderLimits != null) {
            senderLimits.forEach((sender, limit) -> {
                if (limit == null || limit < 1) {
                    throw new IllegalArgumentException(
                            "steward.outreach.sender-limits." + sender + " must be at least 1");
                }
                limits.put(sender.strip().toLowerCase(Locale.ROOT), limit);
            });
        }
        senderLimits = Map.copyOf(limits);
        if (capEmails < 1 || capDays < 0) {
            throw new IllegalArgumentException(
                    "steward.outreach.cap-emails must be at least 1 and steward.outreach.cap-days at least 0");
        }
    }
}
