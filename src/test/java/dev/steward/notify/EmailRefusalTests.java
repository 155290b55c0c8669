package dev.steward.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

/**
 * Which SMTP failures are bounces: the server refused this very address for good (a 5xx to the recipient, which
 * Jakarta Mail lists among the invalid addresses), as Spring's mail sender reports it; a 4xx (valid but unsent) or a
 * server that is down is not.
 */
class EmailRefusalTests {

    @Test
    void anAddressTheServerRefusedIsABounceAndATemporaryFailureIsNot() throws Exception {
        Address[] none = new Address[0];
        Address[] ivy = {new InternetAddress("ivy.gone@example.com")};
        SendFailedException refused = new SendFailedException(
                "Invalid Addresses",
                new MessagingException("550 5.1.1 <ivy.gone@example.com>: Recipient address rejected"),
                none,
                none,
                ivy);
        MailSendException permanent = new MailSendException(Map.of(new Object(), refused));
        assertThat(EmailChannel.refusedAddress(permanent, "Ivy.Gone@example.com"))
                .isTrue();
        assertThat(EmailChannel.refusedAddress(permanent, "jon.here@example.com"))
                .as("another address of the same failure")
                .isFalse();

        SendFailedException busy =
                new SendFailedException("451 4.2.1 Mailbox busy, try again later", null, none, ivy, none);
        assertThat(EmailChannel.refusedAddress(
                        new MailSendException(Map.of(new Object(), busy)), "ivy.gone@example.com"))
                .as("a 4xx leaves the address valid but unsent: tried again")
                .isFalse();
        assertThat(EmailChannel.refusedAddress(
                        new MailSendException("Mail server connection failed", new MessagingException("refused")),
                        "ivy.gone@example.com"))
                .isFalse();
    }
}
