package dev.steward.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.core.BulkResult;
import dev.steward.core.StewardTest;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The demo loader's path: typed bulk upserts of 10,000 records each, written set-based and idempotent. */
@StewardTest
class CustomerBulkLoadTests {

    static final int ACCOUNTS = 1_000;
    static final int RECORDS = 10_000;
    static final LocalDate START = LocalDate.of(2025, 1, 1);

    @Autowired
    AccountManagement accounts;

    @Autowired
    ContactManagement contacts;

    @Autowired
    ContractManagement contracts;

    @Autowired
    OpportunityManagement opportunities;

    @Test
    void loadsTenThousandRecordsOfEachKindAndReloadsThemWithoutChange() {
        List<AccountInput> accountRecords = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            accountRecords.add(new AccountInput(
                    "A-" + i, "Load " + i, null, null, null, null, null, null, null, null, null, Map.of(), Map.of()));
        }
        assertThat(accounts.upsert("load", accountRecords, true).created()).isEqualTo(ACCOUNTS);

        List<ContactInput> contactRecords = new ArrayList<>();
        List<ContractInput> contractRecords = new ArrayList<>();
        List<OpportunityInput> opportunityRecords = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String account = "A-" + (i % ACCOUNTS);
            contactRecords.add(new ContactInput(
                    "P-" + i,
                    null,
                    account,
                    "Person " + i,
                    "p" + i + "@example.com",
                    null,
                    null,
                    ContactRole.values()[i % ContactRole.values().length],
                    START,
                    null));
            // Ten contracts per account, each renewing the one before it.
            int term = i / ACCOUNTS;
            contractRecords.add(new ContractInput(
                    "K-" + i,
                    null,
                    account,
                    START.plusYears(term),
                    START.plusYears(term + 1),
                    BigDecimal.valueOf(1000L + term * 100L),
                    10,
                    "Pro",
                    null,
                    true,
                    null,
                    term == 0 ? null : "K-" + (i - ACCOUNTS)));
            opportunityRecords.add(new OpportunityInput(
                    "O-" + i,
                    null,
                    account,
                    "Deal " + i,
                    OpportunityType.values()[i % 3],
                    BigDecimal.valueOf(i),
                    "prospecting",
                    START.plusDays(i % 365),
                    null));
        }

        long started = System.nanoTime();
        BulkResult contactResult = contacts.upsert("load", contactRecords, true);
        BulkResult contractResult = contracts.upsert("load", contractRecords, true);
        BulkResult opportunityResult = opportunities.upsert("load", opportunityRecords, true);
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(contactResult.created()).isEqualTo(RECORDS);
        assertThat(contractResult.created()).isEqualTo(RECORDS);
        assertThat(opportunityResult.created()).isEqualTo(RECORDS);

        started = System.nanoTime();
        assertThat(contacts.upsert("load", contactRecords, true).unchanged()).isEqualTo(RECORDS);
        assertThat(contracts.upsert("load", contractRecords, true).unchanged()).isEqualTo(RECORDS);
        assertThat(opportunities.upsert("load", opportunityRecords, true).unchanged())
                .isEqualTo(RECORDS);
        long secondMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("30,000 records loaded in %d ms, reloaded unchanged in %d ms%n", firstMillis, secondMillis);

        AccountId first = accounts.resolve("load", List.of("A-0")).get("A-0");
        List<Renewal> renewals = contracts.renewals(first);
        assertThat(renewals).hasSize(10);
        assertThat(renewals.get(0).outcome()).isEqualTo(RenewalOutcome.EXPANDED);
        assertThat(contacts.list(ContactQuery.ofAccount(first)).items()).hasSize(10);
    }
}
