package dev.steward.ingest.salesforce;

import dev.steward.customer.ContactManagement;
import dev.steward.customer.OpportunityManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.CompanyMatches;
import dev.steward.ingest.sync.CompanyParents;
import dev.steward.ingest.sync.CrmCompanies;
import dev.steward.ingest.sync.CrmMappings;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.FieldMapping;
import dev.steward.ingest.sync.PushedValues;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pulls one Salesforce feed of a source into Steward through a SOQL query, in its own sync run: every record the first
 * time ({@code query}), then those whose {@code SystemModstamp} is after the feed's cursor, deleted ones included
 * ({@code queryAll}, {@code IsDeleted}), oldest change first, page after page while Salesforce names a {@code
 * nextRecordsUrl}. Accounts become accounts (or are linked to accounts Steward has) with their parent; Contacts contacts
 * of their Account's account; Opportunities its opportunities. A deleted Contact or Opportunity is removed; a deleted
 * Account's account stays, no longer Salesforce's. Each page is written in one transaction and moves the cursor, so
 * that a pull cut off (a crash, the allowance) resumes where it stopped; a record that cannot be read is rejected into
 * the run's errors and the rest goes on. Before each request the pull stops if the org's daily API requests reached
 * the connection's share of its allowance. A first pull of an object with many records reads a Bulk API 2.0 query job
 * instead ({@link SalesforceBulk}); an incremental one also reads the object's delete log for records emptied from the
 * recycle bin ({@link SalesforceDeletions}).
 */
@Service
class SalesforcePulls {

    private static final Logger log = LoggerFactory.getLogger(SalesforcePulls.class);

    /** The org's daily API requests reached the connection's share: the pull stops, to resume from its cursor. */
    static final class AllowanceReached extends RuntimeException {
        AllowanceReached(String message) {
            super(message);
        }
    }

    private final SalesforceApi api;
    private final SalesforceBulk bulk;
    private final SalesforceDeletions deletions;
    private final SalesforceStore store;
    private final FeedCursors cursors;
    private final CrmCompanies companies;
    private final CompanyMatches matches;
    private final CompanyParents parents;
    private final PushedValues pushed;
    private final SyncRuns runs;
    private final Sources sources;
    private final ContactManagement contacts;
    private final OpportunityManagement opportunities;
    private final CrmMappings mappings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SalesforcePulls(
            SalesforceApi api,
            SalesforceBulk bulk,
            SalesforceDeletions deletions,
            SalesforceStore store,
            FeedCursors cursors,
            CrmCompanies companies,
            CompanyMatches matches,
            CompanyParents parents,
            PushedValues pushed,
            SyncRuns runs,
            Sources sources,
            ContactManagement contacts,
            OpportunityManagement opportunities,
            CrmMappings mappings,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.bulk = bulk;
        this.deletions = deletions;
        this.store = store;
        this.cursors = cursors;
        this.companies = companies;
        this.matches = matches;
        this.parents = parents;
        this.pushed = pushed;
        this.runs = runs;
        this.sources = sources;
        this.contacts = contacts;
        this.opportunities = opportunities;
        this.mappings = mappings;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Pulls the feed from its cursor to its last page, in a run of its own; false when it failed or stopped (Salesforce
     * refused, stopped answering, or the allowance was reached), which the run says why.
     */
    boolean pull(
            Source source,
            SalesforceStore.Settings settings,
            SalesforceApi.Org org,
            Feed feed,
            SyncRuns.Trigger trigger) {
        String from = cursors.find(source.id(), feed.name()).orElse(null);
        UUID run = runs.start(source.id(), feed.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Instant after = from == null ? null : Instant.parse(from);
        boolean withDeleted = after != null;
        FieldMapping fields = SalesforceMapping.mapping(mappings, source.id(), feed);
        String soql = SalesforceMapping.withFields(
                SalesforceRecords.soql(feed, after, withDeleted, settings.externalIdField(), settings.roleField()),
                fields);
        Instant latest = after;
        String kept = from;
        try {
            if (after == null) {
                // A first pull of many records reads them through a Bulk API 2.0 query job (one under way goes on).
                SalesforceBulk.Loaded loaded = bulk.load(
                        source.id(), org, feed, soql, calls, () -> requireAllowance(settings, org), (records, n) -> {
                            transactions.executeWithoutResult(
                                    status -> write(source, settings, fields, feed, records, n, tally));
                            allowance(source, run, org);
                        });
                if (loaded != null) {
                    kept = loaded.latest() == null ? null : loaded.latest().toString();
                    tally.succeed(runs, run, calls, kept, clock.instant());
                    return true;
                }
            }
            String next = null;
            int number = 0;
            do {
                requireAllowance(settings, org);
                SalesforceApi.Page page =
                        number == 0 ? api.query(org, soql, withDeleted, calls) : api.next(org, next, calls);
                number++;
                int pageNumber = number;
                transactions.executeWithoutResult(
                        status -> write(source, settings, fields, feed, page.records(), pageNumber, tally));
                latest = latest(latest, page.records());
                next = page.next();
                if (next != null && latest != null && !latest.equals(after)) {
                    // Records changed in the same second as the last one read may be on the next page: read again.
                    kept = latest.minusSeconds(1).toString();
                    cursors.save(source.id(), feed.name(), kept, clock.instant());
                }
                allowance(source, run, org);
            } while (next != null);
            if (latest != null) {
                kept = latest.toString();
                cursors.save(source.id(), feed.name(), kept, clock.instant());
            }
            if (withDeleted) {
                // Records emptied from the recycle bin since: queryAll no longer shows them, the delete log does.
                int purged = number + 1;
                deletions.read(
                        source.id(), org, feed, after, calls, () -> requireAllowance(settings, org), tally, records -> {
                            transactions.executeWithoutResult(
                                    status -> write(source, settings, fields, feed, records, purged, tally));
                        });
                allowance(source, run, org);
            }
            tally.succeed(runs, run, calls, kept, clock.instant());
            return true;
        } catch (AllowanceReached e) {
            allowance(source, run, org);
            tally.fail(
                    runs,
                    run,
                    calls,
                    kept,
                    e.getMessage(),
                    "the next pull resumes this feed from its cursor, once the org has requests to spare",
                    clock.instant());
            return false;
        } catch (RuntimeException e) {
            if (!(e instanceof VendorHttp.Refused)) {
                log.warn("Pull of Salesforce {} of {} failed", feed, source.name(), e);
            }
            allowance(source, run, org);
            tally.fail(
                    runs,
                    run,
                    calls,
                    kept,
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    "the next pull reads this feed again from its cursor (records read twice change nothing)",
                    clock.instant());
            return false;
        }
    }

    /**
     * Refuses to send another request once the org's daily API requests reached the connection's share of its
     * allowance (as the last answer reported it).
     */
    static void requireAllowance(SalesforceStore.Settings settings, SalesforceApi.Org org) {
        SalesforceApi.Usage usage = org.usage();
        if (usage == null) {
            return;
        }
        long share = usage.allowance() * settings.allowancePercent() / 100;
        if (usage.used() + 1 > share) {
            throw new AllowanceReached("stopped: the org has used " + usage.used() + " of its " + usage.allowance()
                    + " daily API requests, and Steward may use up to " + settings.allowancePercent() + "% ("
                    + share + ")");
        }
    }

    /** Keeps the allowance Salesforce last reported with the run. */
    void allowance(Source source, UUID run, SalesforceApi.Org org) {
        SalesforceApi.Usage usage = org.usage();
        if (usage != null) {
            store.saveAllowance(
                    source.id(), run, new SalesforceStore.Allowance(usage.used(), usage.allowance(), clock.instant()));
        }
    }

    private void write(
            Source source,
            SalesforceStore.Settings settings,
            @Nullable FieldMapping fields,
            Feed feed,
            List<JsonNode> records,
            int number,
            RunTally tally) {
        tally.page(records.size());
        switch (feed) {
            case accounts -> accounts(source, settings, Objects.requireNonNull(fields), records, number, tally);
            case contacts -> contacts(source, settings, Objects.requireNonNull(fields), records, number, tally);
            case opportunities -> opportunities(source, Objects.requireNonNull(fields), records, number, tally);
            case write_back -> throw new IllegalArgumentException("the write-back is no query");
        }
        tally.endPage(sources, source);
    }

    /**
     * Accounts become accounts, or are linked to accounts Steward has (by the field that holds the accounts source's
     * id, or by their website's domain), with their parent. A deleted one is no longer Salesforce's: its account
     * stays, and nothing more is written back to it.
     */
    private void accounts(
            Source source,
            SalesforceStore.Settings settings,
            FieldMapping fields,
            List<JsonNode> records,
            int number,
            RunTally tally) {
        List<CrmCompanies.Read> read = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                if (SalesforceRecords.deleted(record)) {
                    gone.add(SalesforceRecords.id(record, "Id"));
                    continue;
                }
                SalesforceRecords.Company company = SalesforceRecords.company(record, settings.externalIdField());
                ObjectNode account = company.account();
                fields.apply(p -> SalesforceMapping.text(record, p), account);
                read.add(new CrmCompanies.Read(
                        new AccountLinking.Company(
                                new AccountLinking.Candidate(company.id(), company.externalId(), company.domains()),
                                false,
                                account),
                        company.parentId()));
            } catch (RecordRefused e) {
                reject("account", record, number, i, e, tally);
            }
        }
        companies.write(source, settings.accountsSource(), read, tally, "account", fields);
        if (!gone.isEmpty()) {
            int forgotten = matches.forget(source.id(), gone);
            tally.deleted += forgotten;
            tally.skipped += gone.size() - forgotten;
            parents.remove(source.id(), gone);
            pushed.forget(source.id(), gone);
        }
    }

    /** Contacts of an Account become contacts of its account; those of none are skipped, deleted ones removed. */
    private void contacts(
            Source source,
            SalesforceStore.Settings settings,
            FieldMapping fields,
            List<JsonNode> records,
            int number,
            RunTally tally) {
        ArrayNode stored = JsonNodeFactory.instance.arrayNode();
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                if (SalesforceRecords.deleted(record)) {
                    gone.add(SalesforceRecords.id(record, "Id"));
                    continue;
                }
                SalesforceRecords.Read contact = SalesforceRecords.contact(record, settings.roleField());
                if (contact.record() == null) {
                    tally.skipped++;
                } else {
                    fields.apply(p -> SalesforceMapping.text(record, p), contact.record());
                    stored.add(contact.record());
                }
            } catch (RecordRefused e) {
                reject("contact", record, number, i, e, tally);
            }
        }
        if (!stored.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), stored, false), id -> "contact " + id);
        }
        removed(gone, contacts.deleteAll(source.name(), gone), tally);
    }

    /** Opportunities of an Account become its account's; those of none are skipped, deleted ones removed. */
    private void opportunities(Source source, FieldMapping fields, List<JsonNode> records, int number, RunTally tally) {
        ArrayNode stored = JsonNodeFactory.instance.arrayNode();
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                if (SalesforceRecords.deleted(record)) {
                    gone.add(SalesforceRecords.id(record, "Id"));
                    continue;
                }
                SalesforceRecords.Read opportunity = SalesforceRecords.opportunity(record);
                if (opportunity.record() == null) {
                    tally.skipped++;
                } else {
                    fields.apply(p -> SalesforceMapping.text(record, p), opportunity.record());
                    stored.add(opportunity.record());
                }
            } catch (RecordRefused e) {
                reject("opportunity", record, number, i, e, tally);
            }
        }
        if (!stored.isEmpty()) {
            tally.stored(opportunities.upsert(source.name(), stored, false), id -> "opportunity " + id);
        }
        removed(gone, opportunities.deleteAll(source.name(), gone), tally);
    }

    /** Deleted records Steward had are counted deleted; those it never had, skipped. */
    private static void removed(List<String> gone, int deleted, RunTally tally) {
        tally.deleted += deleted;
        tally.skipped += gone.size() - deleted;
    }

    private static void reject(String kind, JsonNode record, int number, int index, RecordRefused e, RunTally tally) {
        JsonNode id = record.path("Id");
        String named =
                id.isString() && !id.asString().isBlank() && id.asString().length() <= 18 ? id.asString() : null;
        tally.reject(kind, named, record, number, index, e);
    }

    /** The latest of {@code latest} and the changes of the records that say one. */
    static @Nullable Instant latest(@Nullable Instant latest, List<JsonNode> records) {
        Instant found = latest;
        for (JsonNode record : records) {
            try {
                Instant at = SalesforceRecords.modified(record);
                if (at != null && (found == null || at.isAfter(found))) {
                    found = at;
                }
            } catch (RecordRefused ignored) {
                // the record was rejected for it
            }
        }
        return found;
    }
}
