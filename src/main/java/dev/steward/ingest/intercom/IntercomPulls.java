package dev.steward.ingest.intercom;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.customer.ContactManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.intercom.IntercomStore.Feed;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Pulls one Intercom feed of a source into Steward, a page at a time, in its own sync run: companies (the scroll API,
 * every pull all of them) as accounts, contacts (the list, then searches on {@code updated_at}) as contacts of their
 * company's account, and conversations and tickets (searches on {@code updated_at}, paged with {@code starting_after})
 * as tickets of their contact's company's account, conversations' ratings as CSAT. Each page is written in one
 * transaction; a record that cannot be read is rejected into the run's errors and the rest goes on. A feed's watermark
 * is kept when its pull reached the end, so that a pull cut off starts that feed again from the one before.
 */
@Service
class IntercomPulls {

    private static final Logger log = LoggerFactory.getLogger(IntercomPulls.class);

    /** Records asked for per page: the most Intercom's lists and searches give. */
    static final int PAGE = 150;

    /** One page of a feed: its records, and where the next begins (null: this was the last). */
    private record Page(List<JsonNode> records, @Nullable String next) {}

    private final IntercomApi api;
    private final IntercomStore store;
    private final SyncRuns runs;
    private final Sources sources;
    private final AccountLinking linking;
    private final ContactManagement contacts;
    private final ActivityRecorder activity;
    private final TransactionTemplate transactions;
    private final Clock clock;

    IntercomPulls(
            IntercomApi api,
            IntercomStore store,
            SyncRuns runs,
            Sources sources,
            AccountLinking linking,
            ContactManagement contacts,
            ActivityRecorder activity,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.store = store;
        this.runs = runs;
        this.sources = sources;
        this.linking = linking;
        this.contacts = contacts;
        this.activity = activity;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Pulls the feed from its watermark (everything, the first time; companies always in full) to the end, in a run of
     * its own; false when it failed (Intercom refused or stopped answering), which the run says why.
     */
    boolean pull(
            Source source,
            PullConnections.Connection<IntercomStore.Settings> connection,
            IntercomApi.Credentials credentials,
            Feed feed,
            SyncRuns.Trigger trigger) {
        String from = feed == Feed.companies
                ? null
                : store.watermark(source.id(), feed).orElse(null);
        UUID run = runs.start(source.id(), feed.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        long latest = from == null ? 0 : Long.parseLong(from);
        String next = null;
        int number = 0;
        try {
            do {
                number++;
                Page page = page(source.id(), credentials, feed, from, next, calls);
                int pageNumber = number;
                transactions.executeWithoutResult(
                        status -> write(source, connection.settings(), feed, page, pageNumber, tally));
                latest = Math.max(latest, latest(page.records()));
                next = page.next();
            } while (next != null);
            String watermark = feed == Feed.companies || latest == 0 ? from : Long.toString(latest);
            if (watermark != null && feed != Feed.companies) {
                store.saveWatermark(source.id(), feed, watermark, clock.instant());
            }
            tally.succeed(runs, run, calls, watermark, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, from, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Intercom {} of {} failed", feed, source.name(), e);
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

    /** Reads one page of the feed: the first ({@code next} null) or the one {@code next} names. */
    private Page page(
            UUID source,
            IntercomApi.Credentials credentials,
            Feed feed,
            @Nullable String from,
            @Nullable String next,
            VendorHttp.Calls calls) {
        return switch (feed) {
            case companies -> {
                JsonNode body = api.get(
                        source,
                        credentials,
                        next == null ? "/companies/scroll" : "/companies/scroll?scroll_param=" + encode(next),
                        calls);
                List<JsonNode> records = list(body, "data");
                String scroll = body.path("scroll_param").asString(null);
                // The scroll ends with an empty page.
                yield new Page(records, records.isEmpty() || scroll == null ? null : scroll);
            }
            case contacts -> {
                JsonNode body = from == null
                        ? api.get(
                                source,
                                credentials,
                                "/contacts?per_page=" + PAGE + (next == null ? "" : "&starting_after=" + encode(next)),
                                calls)
                        : api.search(source, credentials, "/contacts/search", query(from, next), calls);
                yield new Page(list(body, "data"), startingAfter(body));
            }
            case conversations -> {
                JsonNode body = api.search(source, credentials, "/conversations/search", query(from, next), calls);
                yield new Page(list(body, "conversations"), startingAfter(body));
            }
            case tickets -> {
                JsonNode body = api.search(source, credentials, "/tickets/search", query(from, next), calls);
                yield new Page(list(body, "tickets"), startingAfter(body));
            }
        };
    }

    /**
     * The search of records updated after the watermark, less a second: Intercom compares whole seconds and has no
     * "at or after", so the records of the watermark's second are read again rather than missed.
     */
    private static String query(@Nullable String from, @Nullable String next) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode query = body.putObject("query");
        query.put("field", "updated_at");
        query.put("operator", ">");
        query.put("value", from == null ? 0 : Math.max(0, Long.parseLong(from) - 1));
        ObjectNode pagination = body.putObject("pagination");
        pagination.put("per_page", PAGE);
        if (next != null) {
            pagination.put("starting_after", next);
        }
        return body.toString();
    }

    private static @Nullable String startingAfter(JsonNode body) {
        JsonNode after = body.path("pages").path("next").path("starting_after");
        return after.isString() && !after.asString().isBlank() ? after.asString() : null;
    }

    private void write(
            Source source, IntercomStore.Settings settings, Feed feed, Page page, int number, RunTally tally) {
        tally.page(page.records().size());
        switch (feed) {
            case companies -> companies(source, settings, page, number, tally);
            case contacts -> contacts(source, page, number, tally);
            case conversations, tickets -> tickets(source, feed, page, number, tally);
        }
        tally.endPage(sources, source);
    }

    /**
     * Companies become accounts, or are linked to accounts Steward has (by company_id or website domain); a deleted one
     * is skipped.
     */
    private void companies(Source source, IntercomStore.Settings settings, Page page, int number, RunTally tally) {
        Map<String, AccountLinking.Company> read = new LinkedHashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                if (IntercomRecords.deleted(record)) {
                    // Intercom names nothing but the id of a deleted company: its account, if any, stays as it is.
                    IntercomRecords.id(record, "id");
                    tally.skipped++;
                    continue;
                }
                IntercomRecords.Company company = IntercomRecords.company(record);
                read.put(
                        company.id(),
                        new AccountLinking.Company(
                                new AccountLinking.Candidate(company.id(), company.companyId(), company.domains()),
                                false,
                                company.account()));
            } catch (RecordRefused e) {
                tally.reject("company", record, number, i, e);
            }
        }
        store.saveMatches(
                source.id(),
                linking.write(
                        source.name(),
                        settings.accountsSource(),
                        List.copyOf(read.values()),
                        store.matches(source.id(), read.keySet()),
                        tally,
                        "company"));
    }

    /** Contacts of a company become contacts of its account; contacts of none (and deleted ones) are skipped. */
    private void contacts(Source source, Page page, int number, RunTally tally) {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        Map<String, @Nullable String> companies = new HashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                if (IntercomRecords.deleted(record)) {
                    tally.skipped++;
                    companies.put(IntercomRecords.id(record, "id"), null);
                    continue;
                }
                IntercomRecords.ContactRead contact = IntercomRecords.contact(record);
                companies.put(contact.id(), contact.companyId());
                if (contact.contact() == null) {
                    tally.skipped++;
                } else {
                    records.add(contact.contact());
                }
            } catch (RecordRefused e) {
                tally.reject("contact", record, number, i, e);
            }
        }
        if (!records.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), records, false), id -> "contact " + id);
        }
        store.saveContacts(source.id(), companies);
    }

    /**
     * Conversations and tickets become tickets of the account of their first contact with a company (a conversation's
     * rating also a CSAT response); those Intercom deleted are removed (counted deleted when Steward had them); those of
     * contacts of no company are skipped; those of a contact Steward has not pulled are rejected, naming it.
     */
    private void tickets(Source source, Feed feed, Page page, int number, RunTally tally) {
        String kind = feed == Feed.conversations ? "conversation" : "ticket";
        List<IntercomRecords.TicketRead> read = new ArrayList<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                read.add(
                        feed == Feed.conversations
                                ? IntercomRecords.conversation(record)
                                : IntercomRecords.ticket(record));
            } catch (RecordRefused e) {
                tally.reject(kind, record, number, i, e);
            }
        }
        Set<String> named = new LinkedHashSet<>();
        read.forEach(t -> named.addAll(t.contactIds()));
        Map<String, @Nullable String> companies = store.contactCompanies(source.id(), named);
        List<TicketInput> inputs = new ArrayList<>();
        List<SurveyResponseInput> ratings = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (IntercomRecords.TicketRead ticket : read) {
            switch (ticket.disposition()) {
                case delete -> gone.add(ticket.id());
                case skip -> tally.skipped++;
                case store -> {
                    String company = ticket.contactIds().stream()
                            .map(companies::get)
                            .filter(java.util.Objects::nonNull)
                            .findFirst()
                            .orElse(null);
                    List<String> unknown = ticket.contactIds().stream()
                            .filter(c -> !companies.containsKey(c))
                            .toList();
                    if (company != null) {
                        inputs.add(ticket.input(company));
                        if (ticket.rating() != null) {
                            ratings.add(ticket.rating().response(company));
                        }
                    } else if (!unknown.isEmpty()) {
                        tally.reject(new SyncRuns.RowError(
                                kind + " " + ticket.id(),
                                "contacts",
                                unknown.get(0),
                                "Steward has no contact " + unknown.get(0) + " of this source: it was not pulled"
                                        + " (yet); the conversation is read again when it next changes"));
                    } else {
                        tally.skipped++;
                    }
                }
            }
        }
        if (!inputs.isEmpty()) {
            tally.stored(
                    activity.upsertTickets(source.name(), inputs, false),
                    id -> kind + " " + id.replaceFirst("^ticket-", ""));
        }
        if (!ratings.isEmpty()) {
            // A rating is part of its conversation, counted with it: only a rating refused counts on its own.
            tally.rejectedIn(
                    activity.upsertSurveyResponses(source.name(), ratings, false),
                    id -> "rating of conversation " + id);
        }
        if (!gone.isEmpty()) {
            int removed = activity.removeTickets(source.name(), gone);
            tally.deleted += removed;
            tally.skipped += gone.size() - removed;
        }
    }

    /** The latest {@code updated_at} among the records that carry one. */
    private static long latest(List<JsonNode> records) {
        long latest = 0;
        for (JsonNode record : records) {
            JsonNode updated = record.path("updated_at");
            if (updated.isIntegralNumber()) {
                latest = Math.max(latest, updated.asLong());
            }
        }
        return latest;
    }

    private static List<JsonNode> list(JsonNode body, String field) {
        List<JsonNode> records = new ArrayList<>();
        body.path(field).forEach(records::add);
        return records;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
