package dev.steward.notify;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * An email of its own (not a notification's) to one person: a subject, a plain-text body and files attached, such as
 * a scheduled report. Checks itself when made: subject one line of at most {@value Notification#MAX_SUBJECT}
 * characters, body at most {@value Notification#MAX_BODY}, at most {@value #MAX_ATTACHMENTS} files with distinct names
 * and {@value #MAX_TOTAL_BYTES} bytes in all.
 */
public record Email(UUID recipient, String subject, String body, List<Attachment> attachments) {

    public static final int MAX_ATTACHMENTS = 20;
    public static final int MAX_TOTAL_BYTES = 20 * 1024 * 1024;

    public Email {
        Objects.requireNonNull(recipient, "recipient");
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject: is required");
        }
        subject = subject.strip().replaceAll("[\\r\\n\\t]+", " ");
        if (subject.length() > Notification.MAX_SUBJECT) {
            throw new IllegalArgumentException("subject: is longer than " + Notification.MAX_SUBJECT + " characters");
        }
        body = body == null ? "" : body;
        if (body.length() > Notification.MAX_BODY) {
            throw new IllegalArgumentException("body: is longer than " + Notification.MAX_BODY + " characters");
        }
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (attachments.size() > MAX_ATTACHMENTS) {
            throw new IllegalArgumentException(
                    "attachments: " + attachments.size() + " files, more than " + MAX_ATTACHMENTS);
        }
        long total = 0;
        Set<String> names = new HashSet<>();
        for (Attachment attachment : attachments) {
            total += attachment.content().length;
            if (!names.add(attachment.fileName())) {
                throw new IllegalArgumentException("attachments: two files are named " + attachment.fileName());
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("attachments: " + total + " bytes in all, more than " + MAX_TOTAL_BYTES);
        }
    }
}
