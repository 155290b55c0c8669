package dev.steward.ingest.freshdesk;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.customer.ContactManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.freshdesk.FreshdeskStore.Feed;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.CompanyMatches;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * Pulls one Freshdesk feed of a source into Steward, a page at a time ({@code page} and {@code per_page}, on while the
 * answer's {@code Link} header names a next page), in its own sync run: companies (every pull all of them) as
 * accounts, contacts ({@code _updated_since}) as contacts of their company's account, tickets ({@code updated_since},
 * oldest change first, with their stats) as tickets of their company's account, and satisfaction ratings ({@code
 * created_since}) as CSAT responses. Each page is written in one transaction; a record that cannot be read is rejected
 * into the run's errors and the rest goes on. A feed's watermark is kept when its pull reached the end, so that a pull
 * cut off starts that feed again from the one before.
 */
@Service
class FreshdeskPulls {

    private static final Logger log = LoggerFactory.getLogger(FreshdeskPulls.class);

    /** Records asked for per page: the most Freshdesk's lists give. */
    static final int PAGE = 100;

    /**
     * The window of the first pull of tickets and ratings: Freshdesk lists only the last 30 days' when asked for no
     * time, so the first pull asks for everything since this one.
     */
    static final String EVERYTHING = "1970-01-01T00:00:00Z";

    private final FreshdeskApi api;
    private final FreshdeskStore store;
    private final FeedCursors cursors;
    private final CompanyMatches matches;
    private final SyncRuns runs;
    private final Sources sources;
    private final AccountLinking linking;
    private final ContactManagement contacts;
    private final ActivityRecorder activity;
    private final FreshdeskProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    FreshdeskPulls(
            FreshdeskApi api,
            FreshdeskStore store,
            FeedCursors cursors,
            CompanyMatches matches,
            SyncRuns runs,
            Sources sources,
            AccountLinking linking,
            ContactManagement contacts,
            ActivityRecorder activity,
            FreshdeskProperties properties,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.store = store;
        this.cursors = cursors;
        this.matches = matches;
        this.runs = runs;
        this.sources = sources;
        this.linking = linking;
        this.contacts = contacts;
        this.activity = activity;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Pulls the feed from its watermark (everything, the first time; companies always in full) to its last page, in a
     * run of its own; false when it failed (Freshdesk refused or stopped answering), which the run says why. Freshdesk
     * lists at most {@code max-pages} pages of tickets from one {@code updated_since}: past them, the list goes on from
     * the latest {@code updated_at} read (tickets come oldest change first), those of that second read again.
     */
    boolean pull(
            Source source,
            PullConnections.Connection<FreshdeskStore.Settings> connection,
            FreshdeskApi.Credentials credentials,
            Feed feed,
            SyncRuns.Trigger trigger) {
        String from = feed == Feed.companies
                ? null
                : cursors.find(source.id(), feed.name()).orElse(null);
        UUID run = runs.start(source.id(), feed.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Instant latest = from == null ? null : Instant.parse(from);
        String window = from;
        int number = 0;
        int inWindow = 0;
        try {
            boolean more;
            do {
                number++;
                inWindow++;
                VendorHttp.Response response = api.get(
                        source.id(),
                        connection.settings().plan(),
                        credentials,
                        path(feed, window, inWindow),
                        switch (feed) {
                            case tickets -> FreshdeskApi.Listing.ticketsWithStats;
                            case contacts -> FreshdeskApi.Listing.contacts;
                            default -> FreshdeskApi.Listing.other;
                        },
                        calls);
                List<JsonNode> records = records(response.body());
                int pageNumber = number;
                transactions.executeWithoutResult(
                        status -> write(source, connection.settings(), feed, records, pageNumber, tally));
                latest = latest(latest, records, feed == Feed.satisfaction_ratings ? "created_at" : "updated_at");
                more = response.nextLink() != null;
                if (more && feed == Feed.tickets && inWindow >= properties.maxPages()) {
                    String moved = latest == null ? null : latest.toString();
                    if (moved == null || moved.equals(window)) {
                        throw new VendorHttp.Refused(
                                200,
                                "Freshdesk lists at most " + properties.maxPages() + " pages of tickets, and all of"
                                        + " them changed at " + window + ": the list cannot go on past them");
                    }
                    window = moved;
                    inWindow = 0;
                }
            } while (more);
            String watermark = feed == Feed.companies || latest == null ? from : latest.toString();
            if (watermark != null && feed != Feed.companies) {
                cursors.save(source.id(), feed.name(), watermark, clock.instant());
            }
            tally.succeed(runs, run, calls, watermark, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, from, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Freshdesk {} of {} failed", feed, source.name(), e);
            fail(run, tally, calls, from, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void fail(UUID run, RunTally tally, VendorHttp.Calls calls, @Nullable String from, String why) {
        tally.fail(
                runs,
                run,
                calls,
                from,
                why,
                "the next pull reads this feed again from its watermark (records read twice change nothing)",
                clock.instant());
    }

    /** The request of one page of a feed, from {@code since} (null: everything). */
    private static String path(Feed feed, @Nullable String since, int page) {
        String paging = "per_page=" + PAGE + "&page=" + page;
        return switch (feed) {
            case companies -> "/companies?" + paging;
            case contacts -> "/contacts?" + (since == null ? "" : "_updated_since=" + encode(since) + "&") + paging;
            case tickets ->
                "/tickets?updated_since=" + encode(since == null ? EVERYTHING : since)
                        + "&order_by=updated_at&order_type=asc&include=stats&" + paging;
            case satisfaction_ratings ->
                "/surveys/satisfaction_ratings?created_since=" + encode(since == null ? EVERYTHING : since) + "&"
                        + paging;
        };
    }

    /** A page's records: Freshdesk answers a list as a JSON array. */
    private static List<JsonNode> records(JsonNode body) {
        if (!body.isArray()) {
            throw new VendorHttp.Refused(200, "Freshdesk's answer was not a list of records: " + excerpt(body));
        }
        List<JsonNode> records = new ArrayList<>();
        body.forEach(records::add);
        return records;
    }

    private void write(
            Source source,
            FreshdeskStore.Settings settings,
            Feed feed,
            List<JsonNode> records,
            int number,
            RunTally tally) {
        tally.page(records.size());
        switch (feed) {
            case companies -> companies(source, settings, records, number, tally);
            case contacts -> contacts(source, records, number, tally);
            case tickets -> tickets(source, records, number, tally);
            case satisfaction_ratings -> ratings(source, records, number, tally);
        }
        tally.endPage(sources, source);
    }

    /**
     * Companies become accounts, or are linked to accounts Steward has (by the custom field that holds the accounts
     * source's id, or by a domain).
     */
    private void companies(
            Source source, FreshdeskStore.Settings settings, List<JsonNode> records, int number, RunTally tally) {
        Map<String, AccountLinking.Company> read = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                FreshdeskRecords.Company company = FreshdeskRecords.company(record, settings.externalIdField());
                String id = Long.toString(company.id());
                read.put(
                        id,
                        new AccountLinking.Company(
                                new AccountLinking.Candidate(id, company.externalId(), company.domains()),
                                false,
                                company.account()));
            } catch (RecordRefused e) {
                tally.reject("company", record, number, i, e);
            }
        }
        matches.save(
                source.id(),
                linking.write(
                        source.name(),
                        settings.accountsSource(),
                        List.copyOf(read.values()),
                        matches.find(source.id(), read.keySet()),
                        tally,
                        "company"));
    }

    /** Contacts of a company become contacts of its account; contacts of none (and deleted ones) are skipped. */
    private void contacts(Source source, List<JsonNode> records, int number, RunTally tally) {
        ArrayNode contactRecords = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                FreshdeskRecords.ContactRead contact = FreshdeskRecords.contact(record);
                if (contact.contact() == null) {
                    tally.skipped++;
                } else {
                    contactRecords.add(contact.contact());
                }
            } catch (RecordRefused e) {
                tally.reject("contact", record, number, i, e);
            }
        }
        if (!contactRecords.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), contactRecords, false), id -> "contact " + id);
        }
    }

    /**
     * Tickets become tickets of their company's account; those deleted or marked spam are removed (counted deleted
     * when Steward had them); those of no company are skipped. The company of each is kept for its ratings.
     */
    private void tickets(Source source, List<JsonNode> records, int number, RunTally tally) {
        List<TicketInput> inputs = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        Map<Long, @Nullable Long> companies = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                FreshdeskRecords.TicketRead ticket = FreshdeskRecords.ticket(record);
                companies.put(ticket.id(), ticket.companyId());
                switch (ticket.disposition()) {
                    case store -> inputs.add(ticket.input());
                    case delete -> gone.add(Long.toString(ticket.id()));
                    case skip -> tally.skipped++;
                }
            } catch (RecordRefused e) {
                tally.reject("ticket", record, number, i, e);
            }
        }
        if (!inputs.isEmpty()) {
            tally.stored(activity.upsertTickets(source.name(), inputs, false), id -> "ticket " + id);
        }
        if (!gone.isEmpty()) {
            int removed = activity.removeTickets(source.name(), gone);
            tally.deleted += removed;
            tally.skipped += gone.size() - removed;
        }
        store.saveTickets(source.id(), companies);
    }

    /**
     * Satisfaction ratings become CSAT responses of the account of the ticket they rate; those of tickets of no
     * company are skipped; those of a ticket Steward has not pulled are rejected, naming it.
     */
    private void ratings(Source source, List<JsonNode> records, int number, RunTally tally) {
        List<FreshdeskRecords.RatingRead> read = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                read.add(FreshdeskRecords.rating(record));
            } catch (RecordRefused e) {
                tally.reject("satisfaction rating", record, number, i, e);
            }
        }
        Map<Long, @Nullable Long> companies = store.ticketCompanies(
                source.id(),
                read.stream().map(FreshdeskRecords.RatingRead::ticketId).toList());
        List<SurveyResponseInput> inputs = new ArrayList<>();
        for (FreshdeskRecords.RatingRead rating : read) {
            Long company = companies.get(rating.ticketId());
            if (!companies.containsKey(rating.ticketId())) {
                tally.reject(new SyncRuns.RowError(
                        "satisfaction rating " + rating.id(),
                        "ticket_id",
                        Long.toString(rating.ticketId()),
                        "Steward has no ticket " + rating.ticketId() + " of this source: it was not pulled (yet),"
                                + " or was deleted"));
            } else if (company == null) {
                tally.skipped++;
            } else {
                inputs.add(rating.response(company));
            }
        }
        if (!inputs.isEmpty()) {
            tally.stored(
                    activity.upsertSurveyResponses(source.name(), inputs, false), id -> "satisfaction rating " + id);
        }
    }

    /** The latest of {@code latest} and the times in {@code field} of the records that carry one. */
    private static @Nullable Instant latest(@Nullable Instant latest, List<JsonNode> records, String field) {
        Instant found = latest;
        for (JsonNode record : records) {
            JsonNode value = record.path(field);
            if (value.isString()) {
                try {
                    Instant at = Instant.parse(value.asString());
                    if (found == null || at.isAfter(found)) {
                        found = at;
                    }
                } catch (DateTimeParseException ignored) {
                    // the record was rejected for it
                }
            }
        }
        return found;
    }

    private static String excerpt(JsonNode body) {
        String text = body.toString();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
