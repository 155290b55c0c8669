package dev.steward.notify;

import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Email over SMTP, to the address the recipient has in Steward. Off while no SMTP server is configured
 * ({@code spring.mail.host}): then Spring Boot makes no mail sender, and emails are kept as "not configured".
 */
@Component
class EmailChannel {

    static final String NOT_CONFIGURED =
            "email is off: no SMTP server is configured (spring.mail.host); an administrator can send it once it is";
    static final String DELIVERY_HEADER = "Steward-Delivery";

    private final ObjectProvider<JavaMailSender> sender;
    private final MailSettings settings;
    private final UserDirectory users;
    private final Inbox inbox;
    private final Attachments attachments;
    private final Outbox outbox;

    EmailChannel(
            ObjectProvider<JavaMailSender> sender,
            MailSettings settings,
            UserDirectory users,
            Inbox inbox,
            Attachments attachments,
            Outbox outbox) {
        this.sender = sender;
        this.settings = settings;
        this.users = users;
        this.inbox = inbox;
        this.attachments = attachments;
        this.outbox = outbox;
    }

    boolean configured() {
        return sender.getIfAvailable() != null;
    }

    Outcome send(Delivery delivery) {
        JavaMailSender mail = sender.getIfAvailable();
        if (mail == null) {
            return new Outcome.NotConfigured(NOT_CONFIGURED);
        }
        if (delivery.recipientId() == null) {
            return sendExternal(mail, delivery);
        }
        Optional<User> user = users.find(delivery.recipientId());
        if (user.isEmpty()) {
            return new Outcome.Refused("there is no user with id " + delivery.recipientId());
        }
        if (!user.get().enabled()) {
            return new Outcome.Refused(user.get().email() + " is disabled");
        }
        Message message;
        if (delivery.notificationId() != null) {
            Optional<InAppNotification> notification = inbox.find(delivery.notificationId());
            if (notification.isEmpty()) {
                return new Outcome.Refused("the notification was removed");
            }
            message = messageOf(notification.get());
        } else {
            message = new Message(delivery.subject(), delivery.body(), attachments.of(delivery.id()));
        }
        try {
            mail.send(mime(mail, user.get().email(), message, delivery.id()));
            return new Outcome.Sent();
        } catch (MailException | MessagingException e) {
            return new Outcome.Failed(describe(e));
        }
    }

    /** An email to an address outside Steward's users: its text and HTML parts as alternatives, with its headers. */
    private Outcome sendExternal(JavaMailSender mail, Delivery delivery) {
        Optional<Outbox.External> external = outbox.external(delivery.id());
        if (external.isEmpty()) {
            return new Outcome.Refused("the email has neither a recipient nor an address");
        }
        try {
            MimeMessage mime = mail.createMimeMessage();
            String html = external.get().html();
            MimeMessageHelper helper = new MimeMessageHelper(
                    mime,
                    html == null ? MimeMessageHelper.MULTIPART_MODE_NO : MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED,
                    "UTF-8");
            helper.setFrom(settings.from());
            helper.setTo(external.get().to());
            helper.setSubject(delivery.subject());
            if (html == null) {
                helper.setText(delivery.body(), false);
            } else {
                helper.setText(delivery.body(), html);
            }
            for (var header : external.get().headers().entrySet()) {
                mime.setHeader(header.getKey(), header.getValue());
            }
            mime.setHeader(DELIVERY_HEADER, delivery.id().toString());
            mail.send(mime);
            return new Outcome.Sent();
        } catch (MailException | MessagingException e) {
            String address = external.get().to();
            return refusedAddress(e, address)
                    ? new Outcome.Bounced(address, describe(e))
                    : new Outcome.Failed(describe(e));
        }
    }

    /**
     * Whether the SMTP server refused this address for good: it said so with a 5xx to the recipient, which Jakarta Mail
     * reports as the address among the invalid ones of a {@link SendFailedException}. A 4xx (mailbox busy, greylisted)
     * leaves it among the valid unsent ones, to be tried again.
     */
    static boolean refusedAddress(Exception e, String address) {
        List<Throwable> causes = new java.util.ArrayList<>();
        if (e instanceof org.springframework.mail.MailSendException send) {
            causes.addAll(send.getFailedMessages().values());
        }
        causes.add(e);
        for (int i = 0; i < causes.size() && i < 50; i++) {
            for (Throwable t = causes.get(i); t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SendFailedException failed && failed.getInvalidAddresses() != null) {
                    for (jakarta.mail.Address invalid : failed.getInvalidAddresses()) {
                        String refused = invalid instanceof jakarta.mail.internet.InternetAddress internet
                                ? internet.getAddress()
                                : invalid.toString();
                        if (address.equalsIgnoreCase(refused)) {
                            return true;
                        }
                    }
                }
                if (t instanceof jakarta.mail.MessagingException messaging && messaging.getNextException() != null) {
                    causes.add(messaging.getNextException());
                }
            }
        }
        return false;
    }

    /** Sends a test email at once, outside the outbox, so that an administrator sees whether SMTP works. */
    void sendTest(String to) throws MailException, MessagingException {
        JavaMailSender mail = sender.getIfAvailable();
        if (mail == null) {
            throw new IllegalStateException(NOT_CONFIGURED);
        }
        mail.send(mime(
                mail,
                to,
                new Message(
                        "Steward test email",
                        "This is a test email from Steward: the SMTP settings work.\n" + footer()),
                UUID.randomUUID()));
    }

    private MimeMessage mime(JavaMailSender mail, String to, Message message, UUID delivery) throws MessagingException {
        MimeMessage mime = mail.createMimeMessage();
        boolean multipart = !message.attachments().isEmpty();
        MimeMessageHelper helper = new MimeMessageHelper(mime, multipart, "UTF-8");
        helper.setFrom(settings.from());
        helper.setTo(to);
        helper.setSubject(message.subject());
        helper.setText(message.body(), false);
        for (Attachment attachment : message.attachments()) {
            helper.addAttachment(
                    attachment.fileName(), new ByteArrayResource(attachment.content()), attachment.contentType());
        }
        // Receivers (and tests) can tell a repeated delivery from a new one.
        mime.setHeader(DELIVERY_HEADER, delivery.toString());
        return mime;
    }

    Message messageOf(InAppNotification notification) {
        StringBuilder body = new StringBuilder(notification.body().strip());
        if (notification.link() != null) {
            body.append("\n\nOpen in Steward: ").append(settings.link(notification.link()));
        }
        return new Message(
                notification.subject(), body.append('\n').append(footer()).toString());
    }

    String footer() {
        return "\n-- \nYou receive this email because of your notification settings in Steward: "
                + settings.link("/notifications");
    }

    static String describe(Exception e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        String message = cause == e ? e.getMessage() : e.getMessage() + " (" + cause + ")";
        return Outcome.shortened(message == null ? e.getClass().getSimpleName() : message);
    }

    /** An email's subject, plain-text body and files. */
    record Message(String subject, String body, List<Attachment> attachments) {

        Message(String subject, String body) {
            this(subject, body, List.of());
        }
    }
}
