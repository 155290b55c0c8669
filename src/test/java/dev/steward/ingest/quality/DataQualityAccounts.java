package dev.steward.ingest.quality;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.InvoiceInput;
import dev.steward.activity.Meeting;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.TicketInput;
import dev.steward.customer.Account;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContactManagement;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.TestComponent;

/**
 * Three accounts whose data differs, for the data-quality tests: "Fresh" has every kind recently, "Stale" has usage,
 * tickets and invoices that are all too old and no contacts or engagement, "Empty" has nothing.
 */
@TestComponent
class DataQualityAccounts {

    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final ActivityRecorder activity;
    private final UsageRecorder usage;
    private final Clock clock;

    DataQualityAccounts(
            AccountManagement accounts,
            ContactManagement contacts,
            ActivityRecorder activity,
            UsageRecorder usage,
            Clock clock) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.activity = activity;
        this.usage = usage;
        this.clock = clock;
    }

    void load(String prefix) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);

        Account fresh = account(prefix + " Fresh");
        contacts.create(new ContactInput(
                null, fresh.id().value(), null, "Ann Champion", "ann@fresh.test", null, null, null, today, null));
        usage.record(fresh.id(), List.of(new UsageInput(null, null, today, "logins", BigDecimal.TEN)));
        activity.recordTicket(fresh.id(), ticket(now.minus(Duration.ofDays(2))));
        activity.recordInvoice(fresh.id(), invoice(today.minusDays(10)));
        activity.recordMeeting(
                fresh.id(),
                new MeetingInput(
                        null, null, null, now.minus(Duration.ofDays(5)), Meeting.Type.qbr, "QBR", null, null, null));

        Account stale = account(prefix + " Stale");
        usage.record(stale.id(), List.of(new UsageInput(null, null, today.minusDays(10), "logins", BigDecimal.ONE)));
        activity.recordTicket(stale.id(), ticket(now.minus(Duration.ofDays(60))));
        activity.recordInvoice(stale.id(), invoice(today.minusDays(200)));

        account(prefix + " Empty");
    }

    private Account account(String name) {
        return accounts.create(new AccountInput(
                null, name, null, null, "SMB", null, null, null, null, null, null, Map.of(), Map.of()));
    }

    private static TicketInput ticket(Instant openedAt) {
        return new TicketInput(null, null, null, openedAt, null, null, "Export fails", null, null, null, null);
    }

    private static InvoiceInput invoice(LocalDate issuedOn) {
        return new InvoiceInput(
                null, null, null, issuedOn, issuedOn.plusDays(30), null, new BigDecimal("1200.00"), "USD", null);
    }
}
