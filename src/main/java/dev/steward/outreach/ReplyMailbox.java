package dev.steward.outreach;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.search.FlagTerm;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads replies to journeys' emails from a mailbox over IMAP ({@code steward.outreach.imap-*}): each unread message is
 * handled as a reply (as the webhook would), once (see {@link JourneyManagement#replyOnce}), or as a complaint when
 * it is an abuse report (RFC 5965), then marked read. Off while {@code steward.outreach.imap-host} is not set.
 */
@Component
class ReplyMailbox {

    private static final Logger log = LoggerFactory.getLogger(ReplyMailbox.class);
    private static final String TIMEOUT = "10000";

    private final OutreachProperties properties;
    private final JourneyManagement journeys;
    private final Complaints complaints;

    ReplyMailbox(OutreachProperties properties, JourneyManagement journeys, Complaints complaints) {
        this.properties = properties;
        this.journeys = journeys;
        this.complaints = complaints;
    }

    /** Handles the unread messages of the mailbox; how many. */
    int poll() {
        String host = properties.imapHost();
        if (host == null || host.isBlank()) {
            return 0;
        }
        String protocol = properties.imapSsl() ? "imaps" : "imap";
        Properties settings = new Properties();
        settings.put("mail.store.protocol", protocol);
        settings.put("mail." + protocol + ".connectiontimeout", TIMEOUT);
        settings.put("mail." + protocol + ".timeout", TIMEOUT);
        settings.put("mail." + protocol + ".writetimeout", TIMEOUT);
        int handled = 0;
        try (Store store = Session.getInstance(settings).getStore(protocol)) {
            store.connect(host.strip(), properties.imapPort(), properties.imapUsername(), properties.imapPassword());
            Folder folder = store.getFolder(properties.imapFolder());
            folder.open(Folder.READ_WRITE);
            try {
                for (Message message : folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))) {
                    String from = sender(message);
                    if (FeedbackReports.isReport(message)) {
                        // An abuse report (RFC 5965) about one of our emails: a complaint, not a reply.
                        FeedbackReports.read(message).ifPresent(complaints::complain);
                        handled++;
                    } else if (from != null) {
                        String[] inReplyTo = message.getHeader("In-Reply-To");
                        String[] references = message.getHeader("References");
                        Optional<JourneyViews.ReplyHandled> done = journeys.replyOnce(
                                key(folder, message),
                                new JourneyViews.Reply(
                                        from,
                                        message.getSubject(),
                                        inReplyTo == null || inReplyTo.length == 0 ? null : inReplyTo[0],
                                        text(message),
                                        references == null || references.length == 0 ? null : references[0]));
                        if (done.isPresent()) {
                            handled++;
                        }
                    }
                    // Marked read after the handling committed; a crash in between leaves it unread, and the next poll
                    // finds its key recorded and only marks it read.
                    message.setFlag(Flags.Flag.SEEN, true);
                }
            } finally {
                folder.close(false);
            }
        } catch (MessagingException | IOException e) {
            log.warn("Could not read the reply mailbox {}: {}", host, e.getMessage());
        }
        return handled;
    }

    /**
     * What names a message for good: its Message-ID, else the folder's UIDVALIDITY and the message's UID (which the
     * server keeps for as long as that UIDVALIDITY holds).
     */
    static String key(Folder folder, Message message) throws MessagingException {
        String[] id = message.getHeader("Message-ID");
        if (id != null && id.length > 0 && !id[0].isBlank() && id[0].strip().length() <= 900) {
            return "message-id:" + id[0].strip();
        }
        if (folder instanceof UIDFolder uids) {
            return "uid:" + folder.getFullName() + ":" + uids.getUIDValidity() + ":" + uids.getUID(message);
        }
        return "unnamed:" + message.getMessageNumber() + ":" + message.getSentDate() + ":" + message.getSubject();
    }

    private static @Nullable String sender(Message message) throws MessagingException {
        Address[] from = message.getFrom();
        if (from == null || from.length == 0) {
            return null;
        }
        return from[0] instanceof InternetAddress address ? address.getAddress() : from[0].toString();
    }

    /** The message's first plain-text part, else its first HTML part, else nothing. */
    private static String text(Part part) throws MessagingException, IOException {
        String plain = first(part, "text/plain");
        if (plain != null) {
            return plain;
        }
        String html = first(part, "text/html");
        return html == null
                ? ""
                : html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    }

    private static @Nullable String first(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = first(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
