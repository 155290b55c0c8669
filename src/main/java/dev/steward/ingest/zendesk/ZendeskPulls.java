package dev.steward.ingest.zendesk;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.customer.ContactManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.AccountLinking;
import dev.steward.ingest.sync.AccountLinking.Match;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import dev.steward.ingest.zendesk.ZendeskStore.Export;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
 * Pulls one Zendesk export of a source into Steward, a page at a time, in its own sync run: organizations (the
 * time-based incremental export) as accounts, users and tickets (the cursor-based ones, tickets with their metric sets)
 * as contacts and tickets, and satisfaction ratings as CSAT responses. Each page's records and the cursor after it are
 * written in one transaction, so that a pull cut off resumes after the last page written; a record that cannot be read
 * is rejected into the run's errors and the rest goes on.
 */
@Service
class ZendeskPulls {

    private static final Logger log = LoggerFactory.getLogger(ZendeskPulls.class);

    /** The page size asked of the satisfaction ratings (cursor pagination; Zendesk's largest). */
    static final int RATINGS_PAGE = 100;

    /** One page of an export: its records, side-loaded metric sets, where the export goes on from, and whether it ended. */
    private record Page(
            List<JsonNode> records,
            Map<Long, JsonNode> metricSets,
            @Nullable String cursor,
            @Nullable String pageAfter,
            boolean endOfStream) {}

    private final ZendeskApi api;
    private final ZendeskStore store;
    private final SyncRuns runs;
    private final Sources sources;
    private final AccountLinking linking;
    private final ContactManagement contacts;
    private final ActivityRecorder activity;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ZendeskPulls(
            ZendeskApi api,
            ZendeskStore store,
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
     * Pulls the export from its stored cursor (the beginning, for the first pull) to the end of Zendesk's stream, in
     * a run of its own; false when it failed (Zendesk refused or stopped answering), which the run says why.
     */
    boolean pull(
            Source source,
            PullConnections.Connection<ZendeskStore.Settings> connection,
            ZendeskApi.Credentials credentials,
            Export export,
            SyncRuns.Trigger trigger) {
        String from = store.cursor(source.id(), export).orElse(null);
        UUID run = runs.start(source.id(), export.name(), trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        String cursor = from;
        String pageAfter = null;
        int number = 0;
        try {
            while (true) {
                number++;
                Page page = page(source.id(), credentials, export, cursor, pageAfter, calls);
                int pageNumber = number;
                String next = page.cursor() == null ? cursor : page.cursor();
                transactions.executeWithoutResult(status -> {
                    write(source, connection.settings(), export, page, pageNumber, tally);
                    if (next != null) {
                        store.saveCursor(source.id(), export, next, clock.instant());
                    }
                });
                boolean stuck = next != null && next.equals(cursor) && page.pageAfter() == null;
                cursor = next;
                pageAfter = page.pageAfter();
                if (page.endOfStream() || stuck) {
                    break;
                }
            }
            tally.succeed(runs, run, calls, cursor, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, cursor, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Zendesk {} of {} failed", export, source.name(), e);
            fail(run, tally, calls, cursor, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void fail(UUID run, RunTally tally, VendorHttp.Calls calls, @Nullable String cursor, String why) {
        tally.fail(runs, run, calls, cursor, why, "the next pull resumes after the last page written", clock.instant());
    }

    /** Reads one page of the export after the cursor (or from the beginning: start time 0). */
    private Page page(
            UUID source,
            ZendeskApi.Credentials credentials,
            Export export,
            @Nullable String cursor,
            @Nullable String pageAfter,
            VendorHttp.Calls calls) {
        String from = cursor == null ? "start_time=0" : "cursor=" + encode(cursor);
        return switch (export) {
            case organizations -> {
                String start = cursor == null ? "0" : cursor;
                JsonNode body = api.get(
                        source,
                        credentials,
                        ZendeskApi.Budget.exports,
                        "/api/v2/incremental/organizations.json?start_time=" + encode(start),
                        calls);
                JsonNode end = body.path("end_time");
                List<JsonNode> records = list(body, "organizations");
                yield new Page(
                        records,
                        Map.of(),
                        end.isIntegralNumber() ? Long.toString(end.asLong()) : null,
                        null,
                        body.path("end_of_stream").asBoolean(records.isEmpty()));
            }
            case users ->
                cursorPage(
                        api.get(
                                source,
                                credentials,
                                ZendeskApi.Budget.exports,
                                "/api/v2/incremental/users/cursor.json?" + from,
                                calls),
                        "users");
            case tickets ->
                cursorPage(
                        api.get(
                                source,
                                credentials,
                                ZendeskApi.Budget.exports,
                                "/api/v2/incremental/tickets/cursor.json?include=metric_sets&" + from,
                                calls),
                        "tickets");
            case satisfaction_ratings -> {
                String start = cursor == null ? "0" : cursor;
                JsonNode body = api.get(
                        source,
                        credentials,
                        ZendeskApi.Budget.calls,
                        "/api/v2/satisfaction_ratings.json?score=received&start_time=" + encode(start) + "&"
                                + encode("page[size]") + "=" + RATINGS_PAGE
                                + (pageAfter == null ? "" : "&" + encode("page[after]") + "=" + encode(pageAfter)),
                        calls);
                List<JsonNode> records = list(body, "satisfaction_ratings");
                long latest = cursor == null ? 0 : Long.parseLong(cursor);
                for (JsonNode rating : records) {
                    try {
                        latest = Math.max(
                                latest,
                                ZendeskRecords.rating(rating).createdAt().getEpochSecond());
                    } catch (RecordRefused ignored) {
                        // rejected when the page is written
                    }
                }
                boolean more = body.path("meta").path("has_more").asBoolean(false);
                String after = body.path("meta").path("after_cursor").asString(null);
                yield new Page(records, Map.of(), Long.toString(latest), more ? after : null, !more || after == null);
            }
        };
    }

    private static Page cursorPage(JsonNode body, String field) {
        Map<Long, JsonNode> metricSets = new HashMap<>();
        body.path("metric_sets").forEach(m -> {
            if (m.path("ticket_id").isIntegralNumber()) {
                metricSets.put(m.path("ticket_id").asLong(), m);
            }
        });
        String after = body.path("after_cursor").asString(null);
        return new Page(
                list(body, field),
                metricSets,
                after,
                null,
                body.path("end_of_stream").asBoolean(after == null));
    }

    private void write(
            Source source, ZendeskStore.Settings settings, Export export, Page page, int number, RunTally tally) {
        tally.page(page.records().size());
        switch (export) {
            case organizations -> organizations(source, settings, page, number, tally);
            case users -> users(source, page, number, tally);
            case tickets -> tickets(source, settings, page, number, tally);
            case satisfaction_ratings -> ratings(source, page, number, tally);
        }
        tally.endPage(sources, source);
    }

    /**
     * Organizations become accounts of this source (external id: the organization's id). One seen for the first time
     * is linked to an account Steward already has when its {@code external_id} is an account's external id in the
     * source the connection names, or else when exactly one account names one of its domains; Zendesk then names
     * nothing of that account. Otherwise Steward creates the account, and Zendesk keeps its name. A deleted
     * organization seen for the first time is passed over.
     */
    private void organizations(Source source, ZendeskStore.Settings settings, Page page, int number, RunTally tally) {
        Map<Long, ZendeskRecords.Organization> read = new LinkedHashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                ZendeskRecords.Organization org = ZendeskRecords.organization(record);
                read.put(org.id(), org);
            } catch (RecordRefused e) {
                tally.reject("organization", record, number, i, e);
            }
        }
        Map<String, Match> known = new HashMap<>();
        store.matches(source.id(), read.keySet()).forEach((id, match) -> known.put(Long.toString(id), match));
        Map<Long, Match> saved = new HashMap<>();
        linking.write(
                        source.name(),
                        settings.accountsSource(),
                        read.values().stream()
                                .map(o -> new AccountLinking.Company(
                                        new AccountLinking.Candidate(
                                                Long.toString(o.id()), o.externalId(), o.domains()),
                                        o.deleted(),
                                        o.account()))
                                .toList(),
                        known,
                        tally,
                        "organization")
                .forEach((id, match) -> saved.put(Long.parseLong(id), match));
        store.saveMatches(source.id(), saved);
    }

    /** End users of an organization become contacts of its account; agents and users of no organization are skipped. */
    private void users(Source source, Page page, int number, RunTally tally) {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                ZendeskRecords.UserRead user = ZendeskRecords.user(record);
                if (user.contact() == null) {
                    tally.skipped++;
                } else {
                    records.add(user.contact());
                }
            } catch (RecordRefused e) {
                tally.reject("user", record, number, i, e);
            }
        }
        if (!records.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), records, false), id -> "user " + id);
        }
    }

    /**
     * Tickets of an organization are stored as tickets of its account; tickets Zendesk deleted or merged into another
     * are removed (counted deleted when Steward had them); tickets of no organization are skipped.
     */
    private void tickets(Source source, ZendeskStore.Settings settings, Page page, int number, RunTally tally) {
        List<TicketInput> inputs = new ArrayList<>();
        Map<Long, @Nullable Long> organizations = new HashMap<>();
        List<Long> gone = new ArrayList<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                long id = ZendeskRecords.id(record, "id");
                ZendeskRecords.TicketRead ticket =
                        ZendeskRecords.ticket(record, page.metricSets().get(id), settings.escalationTag());
                switch (ticket.disposition()) {
                    case store -> {
                        inputs.add(ticket.input());
                        organizations.put(ticket.id(), ticket.organizationId());
                    }
                    case delete -> gone.add(ticket.id());
                    case skip -> {
                        tally.skipped++;
                        organizations.put(ticket.id(), null);
                    }
                }
            } catch (RecordRefused e) {
                tally.reject("ticket", record, number, i, e);
            }
        }
        if (!inputs.isEmpty()) {
            tally.stored(activity.upsertTickets(source.name(), inputs, false), id -> "ticket " + id);
        }
        if (!gone.isEmpty()) {
            int removed = activity.removeTickets(
                    source.name(), gone.stream().map(String::valueOf).toList());
            tally.deleted += removed;
            tally.skipped += gone.size() - removed;
            store.deleteTickets(source.id(), gone);
        }
        store.saveTickets(source.id(), organizations);
    }

    /**
     * Satisfaction ratings given (good or bad) become CSAT responses of the account of the ticket they rate; ratings
     * offered but not given, and those of tickets of no organization, are skipped.
     */
    private void ratings(Source source, Page page, int number, RunTally tally) {
        Map<Integer, ZendeskRecords.RatingRead> read = new LinkedHashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                read.put(i, ZendeskRecords.rating(record));
            } catch (RecordRefused e) {
                tally.reject("satisfaction rating", record, number, i, e);
            }
        }
        Map<Long, @Nullable Long> organizations = store.ticketOrganizations(
                source.id(),
                read.values().stream().map(ZendeskRecords.RatingRead::ticketId).toList());
        List<SurveyResponseInput> inputs = new ArrayList<>();
        read.forEach((i, rating) -> {
            if (rating.score() == null) {
                tally.skipped++;
            } else if (!organizations.containsKey(rating.ticketId())) {
                SyncRuns.RowError error = new SyncRuns.RowError(
                        "satisfaction rating " + rating.id(),
                        "ticket_id",
                        Long.toString(rating.ticketId()),
                        "Steward has no ticket " + rating.ticketId() + " of this source: it was not pulled (yet), or"
                                + " was deleted");
                tally.reject(error);
            } else if (organizations.get(rating.ticketId()) == null) {
                tally.skipped++;
            } else {
                inputs.add(rating.response(organizations.get(rating.ticketId())));
            }
        });
        if (!inputs.isEmpty()) {
            tally.stored(
                    activity.upsertSurveyResponses(source.name(), inputs, false), id -> "satisfaction rating " + id);
        }
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
