package dev.steward.ingest.hubspot;

import static dev.steward.ingest.sync.VendorFields.text;

import dev.steward.customer.ContactManagement;
import dev.steward.customer.OpportunityManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.hubspot.HubspotStore.Feed;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.CrmCompanies;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.FieldMapping;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Pulls one HubSpot feed of a source into Steward, in its own sync run: the first time through HubSpot's list of every
 * record (see {@link #load}), then through its CRM search: the records last
 * changed at or after the feed's cursor (every record, the first time), oldest change first, a page of {@value #PAGE}
 * at a time, on while the answer names a next page ({@code paging.next.after}). Companies become accounts (or are
 * linked to accounts Steward has) with their parent; contacts contacts of their company's account; deals
 * opportunities of their company's. Each page is written in one transaction; a record that cannot be read is rejected
 * into the run's errors and the rest goes on. HubSpot's search answers at most {@code max-results} records to one
 * query: past them, the search starts again from the latest change read. The cursor is kept when a feed's pull reached
 * the end, so that a pull cut off starts that feed again from the one before.
 */
@Service
class HubspotPulls {

    private static final Logger log = LoggerFactory.getLogger(HubspotPulls.class);

    /** Records asked for per page: the most HubSpot's search gives. */
    static final int PAGE = 100;

    /** Pages of a first load fetched ahead of the writing, at most. */
    private static final int AHEAD = 20;

    private final HubspotApi api;
    private final CrmCompanies companies;
    private final FeedCursors cursors;
    private final SyncRuns runs;
    private final Sources sources;
    private final ContactManagement contacts;
    private final OpportunityManagement opportunities;
    private final HubspotProperties properties;
    private final HubspotMapping mapping;
    private final TransactionTemplate transactions;
    private final Clock clock;

    HubspotPulls(
            HubspotApi api,
            CrmCompanies companies,
            FeedCursors cursors,
            SyncRuns runs,
            Sources sources,
            ContactManagement contacts,
            OpportunityManagement opportunities,
            HubspotProperties properties,
            HubspotMapping mapping,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.companies = companies;
        this.cursors = cursors;
        this.runs = runs;
        this.sources = sources;
        this.contacts = contacts;
        this.opportunities = opportunities;
        this.properties = properties;
        this.mapping = mapping;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Pulls the feed from its cursor to its last page, in a run of its own; false when it failed (HubSpot refused or
     * stopped answering), which the run says why.
     */
    boolean pull(
            Source source,
            PullConnections.Connection<HubspotStore.Settings> connection,
            String token,
            Feed feed,
            SyncRuns.Trigger trigger) {
        String from = cursors.find(source.id(), feed.name()).orElse(null);
        if (from == null || Load.of(from) != null) {
            return load(source, connection, token, feed, trigger, from);
        }
        UUID run = runs.start(source.id(), feed.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        HubspotStore.Settings settings = connection.settings();
        FieldMapping fields = mapping.mapping(source.id(), feed);
        List<String> names = properties(feed, settings, fields);
        Instant window = from == null ? null : Instant.parse(from);
        Instant latest = window;
        String after = null;
        int inQuery = 0;
        int number = 0;
        try {
            boolean more;
            do {
                number++;
                HubspotApi.SearchPage page = api.search(
                        source.id(),
                        token,
                        feed.name(),
                        feed.modified(),
                        window == null ? null : window.toEpochMilli(),
                        names,
                        after,
                        calls);
                List<JsonNode> records = page.results();
                Map<String, String> dealCompanies =
                        feed == Feed.deals ? api.dealCompanies(source.id(), token, dealIds(records), calls) : Map.of();
                int pageNumber = number;
                transactions.executeWithoutResult(
                        status -> write(source, settings, fields, feed, records, dealCompanies, pageNumber, tally));
                latest = latest(latest, records, feed);
                inQuery += records.size();
                after = page.after();
                more = after != null;
                if (more && inQuery >= properties.maxResults()) {
                    if (latest == null || latest.equals(window)) {
                        throw new VendorHttp.Refused(
                                200,
                                "HubSpot's search answers at most " + properties.maxResults() + " records to one query,"
                                        + " and all of them changed at " + window + ": the search cannot go on past"
                                        + " them");
                    }
                    window = latest;
                    after = null;
                    inQuery = 0;
                }
            } while (more);
            String watermark = latest == null ? from : latest.toString();
            if (watermark != null) {
                cursors.save(source.id(), feed.name(), watermark, clock.instant());
            }
            tally.succeed(runs, run, calls, watermark, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, from, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of HubSpot {} of {} failed", feed, source.name(), e);
            fail(run, tally, calls, from, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    /**
     * Where a first full load goes on from: the time it started (the cursor of the searches after it, so that a record
     * changed while the load ran is read again) and the {@code after} of the next page (null: the first).
     */
    record Load(Instant started, @Nullable String after) {

        private static final String PREFIX = "load ";

        /** The load a cursor names, or null when it is a search's (a time). */
        static @Nullable Load of(String cursor) {
            if (!cursor.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = cursor.substring(PREFIX.length()).split(" ", 2);
            return new Load(Instant.parse(parts[0]), parts.length > 1 ? parts[1] : null);
        }

        String cursor() {
            return PREFIX + started + (after == null ? "" : " " + after);
        }
    }

    /** The properties a feed's requests ask for: the connector's own and the ones its field mapping reads. */
    private static List<String> properties(Feed feed, HubspotStore.Settings settings, @Nullable FieldMapping fields) {
        List<String> names = new ArrayList<>(HubspotRecords.properties(feed, settings.externalIdProperty()));
        if (fields != null) {
            fields.properties().stream().filter(p -> !names.contains(p)).forEach(names::add);
        }
        return names;
    }

    /** A page of a list as fetched ahead of the writing, or why the fetching stopped. */
    private record Fetched(
            List<JsonNode> records,
            @Nullable String after,
            @Nullable RuntimeException failure) {}

    /**
     * The first full load of a feed through HubSpot's list ({@code GET /crm/v3/objects/<object>}), which is bound only
     * by the private app's 100 requests in 10 seconds, not by the search's 4 a second: the next page is fetched while
     * the pages fetched are written (as many as are there, in one transaction), and the cursor (where the next page
     * starts) is kept after each write, so that a load cut off goes on from the last page written. A record rejected is
     * named by its id, else by its page and place in it. Once the list is
     * read, the cursor becomes the time the load started: the searches after it read what changed since.
     */
    private boolean load(
            Source source,
            PullConnections.Connection<HubspotStore.Settings> connection,
            String token,
            Feed feed,
            SyncRuns.Trigger trigger,
            @Nullable String from) {
        Load load = from == null ? new Load(clock.instant(), null) : Load.of(from);
        UUID run = runs.start(source.id(), feed.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        HubspotStore.Settings settings = connection.settings();
        FieldMapping fields = mapping.mapping(source.id(), feed);
        List<String> names = properties(feed, settings, fields);
        BlockingQueue<Fetched> fetched = new ArrayBlockingQueue<>(AHEAD);
        ExecutorService fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "hubspot-load-" + source.name() + "-" + feed);
            thread.setDaemon(true);
            return thread;
        });
        String saved = from;
        try {
            fetcher.execute(() -> fetch(source, token, feed, names, load.after(), calls, fetched));
            int number = 0;
            boolean more = true;
            while (more) {
                List<Fetched> pages = new ArrayList<>();
                pages.add(fetched.take());
                fetched.drainTo(pages);
                for (Fetched page : pages) {
                    if (page.failure() != null) {
                        throw page.failure();
                    }
                }
                // The pages fetched meanwhile are written together: fewer, larger statements keep up with the list.
                List<JsonNode> records = new ArrayList<>();
                pages.forEach(page -> records.addAll(page.records()));
                Map<String, String> dealCompanies =
                        feed == Feed.deals ? HubspotApi.associatedCompanies(records) : Map.of();
                int first = number + 1;
                transactions.executeWithoutResult(
                        status -> write(source, settings, fields, feed, records, dealCompanies, first, tally));
                number += pages.size();
                String after = pages.get(pages.size() - 1).after();
                more = after != null;
                if (more) {
                    saved = new Load(load.started(), after).cursor();
                    cursors.save(source.id(), feed.name(), saved, clock.instant());
                }
            }
            String watermark = load.started().toString();
            cursors.save(source.id(), feed.name(), watermark, clock.instant());
            tally.succeed(runs, run, calls, watermark, clock.instant());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(run, tally, calls, saved, "the pull was interrupted (Steward is stopping)");
            return false;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, saved, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Load of HubSpot {} of {} failed", feed, source.name(), e);
            fail(run, tally, calls, saved, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        } finally {
            fetcher.shutdownNow();
        }
    }

    /** Fetches the list's pages from {@code after} into {@code fetched} until the last, or until a request fails. */
    private void fetch(
            Source source,
            String token,
            Feed feed,
            List<String> names,
            @Nullable String after,
            VendorHttp.Calls calls,
            BlockingQueue<Fetched> fetched) {
        String next = after;
        try {
            do {
                HubspotApi.SearchPage page =
                        api.list(source.id(), token, feed.name(), names, feed == Feed.deals, next, calls);
                next = page.after();
                fetched.put(new Fetched(page.results(), next, null));
            } while (next != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            try {
                fetched.put(new Fetched(List.of(), null, e));
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void fail(UUID run, RunTally tally, VendorHttp.Calls calls, @Nullable String from, String why) {
        tally.fail(
                runs,
                run,
                calls,
                from,
                why,
                "the next pull reads this feed again from its cursor (records read twice change nothing)",
                clock.instant());
    }

    private void write(
            Source source,
            HubspotStore.Settings settings,
            @Nullable FieldMapping fields,
            Feed feed,
            List<JsonNode> records,
            Map<String, String> dealCompanies,
            int number,
            RunTally tally) {
        tally.page(records.size());
        switch (feed) {
            case companies -> companies(source, settings, Objects.requireNonNull(fields), records, number, tally);
            case contacts -> contacts(source, Objects.requireNonNull(fields), records, number, tally);
            case deals -> deals(source, Objects.requireNonNull(fields), records, dealCompanies, number, tally);
            case write_back -> throw new IllegalArgumentException("the write-back is no search");
        }
        tally.endPage(sources, source);
    }

    /**
     * Companies become accounts, or are linked to accounts Steward has (by the property that holds the accounts
     * source's id, or by their domain); an archived one seen for the first time is passed over. The parent each names
     * is set on its account once both have accounts (the parent may come in a later page).
     */
    private void companies(
            Source source,
            HubspotStore.Settings settings,
            FieldMapping fields,
            List<JsonNode> records,
            int number,
            RunTally tally) {
        List<CrmCompanies.Read> read = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                HubspotRecords.Company company = HubspotRecords.company(record, settings.externalIdProperty());
                boolean archived = record.path("archived").asBoolean(false);
                ObjectNode account = company.account();
                fields.apply(p -> text(record.path("properties"), p), account);
                read.add(new CrmCompanies.Read(
                        new AccountLinking.Company(
                                new AccountLinking.Candidate(company.id(), company.externalId(), company.domains()),
                                archived,
                                account),
                        company.parentId()));
            } catch (RecordRefused e) {
                tally.reject("company", record, number + i / PAGE, i % PAGE, e);
            }
        }
        companies.write(source, settings.accountsSource(), read, tally, "company", fields);
    }

    /** Contacts of a company become contacts of its account; contacts of none (and archived ones) are skipped. */
    private void contacts(Source source, FieldMapping fields, List<JsonNode> records, int number, RunTally tally) {
        ArrayNode contactRecords = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                HubspotRecords.ContactRead contact = HubspotRecords.contact(record);
                if (contact.contact() == null) {
                    tally.skipped++;
                } else {
                    fields.apply(p -> text(record.path("properties"), p), contact.contact());
                    contactRecords.add(contact.contact());
                }
            } catch (RecordRefused e) {
                tally.reject("contact", record, number + i / PAGE, i % PAGE, e);
            }
        }
        if (!contactRecords.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), contactRecords, false), id -> "contact " + id);
        }
    }

    /** Deals of a company become opportunities of its account; deals of none (and archived ones) are skipped. */
    private void deals(
            Source source,
            FieldMapping fields,
            List<JsonNode> records,
            Map<String, String> companies,
            int number,
            RunTally tally) {
        ArrayNode opportunityRecords = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                HubspotRecords.DealRead deal = HubspotRecords.deal(record);
                String company = companies.get(deal.id());
                if (deal.opportunity() == null || company == null) {
                    tally.skipped++;
                } else {
                    fields.apply(p -> text(record.path("properties"), p), deal.opportunity());
                    opportunityRecords.add(deal.opportunity().put("accountExternalId", company));
                }
            } catch (RecordRefused e) {
                tally.reject("deal", record, number + i / PAGE, i % PAGE, e);
            }
        }
        if (!opportunityRecords.isEmpty()) {
            tally.stored(opportunities.upsert(source.name(), opportunityRecords, false), id -> "deal " + id);
        }
    }

    /** The ids of the deals of a page that can be read, to ask their companies. */
    private static List<String> dealIds(List<JsonNode> records) {
        List<String> ids = new ArrayList<>();
        for (JsonNode record : records) {
            try {
                if (!record.path("archived").asBoolean(false)) {
                    ids.add(HubspotRecords.id(record));
                }
            } catch (RecordRefused ignored) {
                // rejected when the page is written
            }
        }
        return ids;
    }

    /** The latest of {@code latest} and the last changes of the records that say one. */
    private static @Nullable Instant latest(@Nullable Instant latest, List<JsonNode> records, Feed feed) {
        Instant found = latest;
        for (JsonNode record : records) {
            try {
                Instant at = HubspotRecords.modified(record, feed.modified());
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
