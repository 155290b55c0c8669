package dev.steward.outreach;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads an abuse report in the Abuse Reporting Format (RFC 5965): a {@code multipart/report} with
 * {@code report-type=feedback-report} whose {@code message/feedback-report} part names the feedback type, the
 * reporting mail program and (usually) the original recipient, followed by the reported message or its headers.
 */
final class FeedbackReports {

    private FeedbackReports() {}

    static boolean isReport(Part message) throws MessagingException {
        if (!message.isMimeType("multipart/report")) {
            return false;
        }
        String type = new ContentType(message.getContentType()).getParameter("report-type");
        return type != null && type.equalsIgnoreCase("feedback-report");
    }

    /** The complaint a report makes; empty when it names no recipient. */
    static Optional<Complaints.Complaint> read(Part message) throws MessagingException, IOException {
        if (!isReport(message) || !(message.getContent() instanceof Multipart parts)) {
            return Optional.empty();
        }
        String recipient = null;
        String type = null;
        String agent = null;
        String subject = null;
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("message/feedback-report")) {
                InternetHeaders fields = new InternetHeaders(stream(part));
                recipient = first(fields, "Original-Rcpt-To");
                type = first(fields, "Feedback-Type");
                agent = first(fields, "User-Agent");
            } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
                InternetHeaders original =
                        part.getContent() instanceof MimeMessage m ? headersOf(m) : new InternetHeaders(stream(part));
                if (recipient == null) {
                    recipient = first(original, "To");
                }
                subject = first(original, "Subject");
            }
        }
        if (recipient == null) {
            return Optional.empty();
        }
        return Optional.of(new Complaints.Complaint(
                recipient, type, agent == null ? "an abuse report (ARF)" : agent + " (ARF)", subject));
    }

    private static InternetHeaders headersOf(MimeMessage message) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        var all = message.getAllHeaderLines();
        while (all.hasMoreElements()) {
            headers.addHeaderLine(all.nextElement());
        }
        return headers;
    }

    private static InputStream stream(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof InputStream in) {
            return in;
        }
        if (content instanceof String text) {
            return new ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return part.getInputStream();
    }

    private static @Nullable String first(InternetHeaders headers, String name) {
        String[] values = headers.getHeader(name);
        if (values == null || values.length == 0 || values[0].isBlank()) {
            return null;
        }
        String value = values[0].strip();
        // Original-Rcpt-To may carry an address type, as in "rfc822; pat@example.com".
        int semicolon = value.indexOf(';');
        return name.equals("Original-Rcpt-To") && semicolon >= 0
                ? value.substring(semicolon + 1).strip()
                : value;
    }
}
