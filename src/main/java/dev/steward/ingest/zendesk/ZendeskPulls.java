package dev.steward.ingest.zendesk;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.core.BulkResult;
import dev.steward.core.FieldError;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactManagement;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.zendesk.ZendeskStore.Export;
import dev.steward.ingest.zendesk.ZendeskStore.Match;
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
import java.util.function.Function;
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

    /** What a run did so far, and its first errors. */
    private static final class Tally {
        long read;
        long created;
        long updated;
        long unchanged;
        long rejected;
        long deleted;
        long skipped;
        final List<SyncRuns.RowError> errors = new ArrayList<>();

        void reject(SyncRuns.RowError error) {
            rejected++;
            if (errors.size() < SyncRuns.KEPT_ERRORS) {
                errors.add(error);
            }
        }

        void stored(BulkResult result, Function<String, String> where, List<SyncRuns.RowError> pageErrors) {
            created += result.created();
            updated += result.updated();
            unchanged += result.unchanged();
            for (BulkResult.RecordResult r : result.results()) {
                if (r.status() == BulkResult.Status.rejected) {
                    FieldError first = r.errors().isEmpty() ? null : r.errors().get(0);
                    SyncRuns.RowError error = new SyncRuns.RowError(
                            where.apply(r.externalId()),
                            first == null ? null : first.field(),
                            null,
                            r.errors().stream()
                                    .map(FieldError::reason)
                                    .reduce((a, b) -> a + "; " + b)
                                    .orElse("rejected"));
                    reject(error);
                    pageErrors.add(error);
                }
            }
        }

        SyncRuns.Counts counts(long apiCalls) {
            return new SyncRuns.Counts(read, created, updated, unchanged, rejected, deleted, skipped, apiCalls);
        }
    }

    private final ZendeskApi api;
    private final ZendeskStore store;
    private final SyncRuns runs;
    private final Sources sources;
    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final ActivityRecorder activity;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ZendeskPulls(
            ZendeskApi api,
            ZendeskStore store,
            SyncRuns runs,
            Sources sources,
            AccountManagement accounts,
            ContactManagement contacts,
            ActivityRecorder activity,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.store = store;
        this.runs = runs;
        this.sources = sources;
        this.accounts = accounts;
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
            ZendeskStore.Connection connection,
            ZendeskApi.Credentials credentials,
            Export export,
            SyncRuns.Trigger trigger) {
        String from = store.cursor(source.id(), export).orElse(null);
        UUID run = runs.start(source.id(), export.name(), trigger, from, clock.instant());
        Tally tally = new Tally();
        ZendeskApi.Calls calls = new ZendeskApi.Calls();
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
            runs.finish(
                    run,
                    tally.rejected > 0 ? SyncRuns.State.partial : SyncRuns.State.succeeded,
                    tally.counts(calls.count()),
                    cursor,
                    tally.errors,
                    null,
                    clock.instant());
            return true;
        } catch (ZendeskApi.Refused e) {
            fail(run, tally, calls, cursor, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Zendesk {} of {} failed", export, source.name(), e);
            fail(run, tally, calls, cursor, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void fail(UUID run, Tally tally, ZendeskApi.Calls calls, @Nullable String cursor, String why) {
        runs.finish(
                run,
                SyncRuns.State.failed,
                tally.counts(calls.count()),
                cursor,
                tally.errors,
                why + "; the next pull resumes after the last page written",
                clock.instant());
    }

    /** Reads one page of the export after the cursor (or from the beginning: start time 0). */
    private Page page(
            UUID source,
            ZendeskApi.Credentials credentials,
            Export export,
            @Nullable String cursor,
            @Nullable String pageAfter,
            ZendeskApi.Calls calls) {
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
                    } catch (ZendeskRecords.Refused ignored) {
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
            Source source, ZendeskStore.Settings settings, Export export, Page page, int number, Tally tally) {
        tally.read += page.records().size();
        List<SyncRuns.RowError> pageErrors = new ArrayList<>();
        long before = tally.created + tally.updated + tally.unchanged;
        switch (export) {
            case organizations -> organizations(source, settings, page, number, tally, pageErrors);
            case users -> users(source, page, number, tally, pageErrors);
            case tickets -> tickets(source, settings, page, number, tally, pageErrors);
            case satisfaction_ratings -> ratings(source, page, number, tally, pageErrors);
        }
        long stored = tally.created + tally.updated + tally.unchanged - before;
        if (stored > 0 || !pageErrors.isEmpty()) {
            sources.received(
                    source,
                    stored,
                    pageErrors.stream()
                            .map(e -> new Rejection(e.where(), e.field(), e.reason(), e.value()))
                            .toList());
        }
    }

    /**
     * Organizations become accounts of this source (external id: the organization's id). One seen for the first time
     * is linked to an account Steward already has when its {@code external_id} is an account's external id in the
     * source the connection names, or else when exactly one account names one of its domains; Zendesk then names
     * nothing of that account. Otherwise Steward creates the account, and Zendesk keeps its name. A deleted
     * organization seen for the first time is passed over.
     */
    private void organizations(
            Source source,
            ZendeskStore.Settings settings,
            Page page,
            int number,
            Tally tally,
            List<SyncRuns.RowError> pageErrors) {
        Map<Long, ZendeskRecords.Organization> read = new LinkedHashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                ZendeskRecords.Organization org = ZendeskRecords.organization(record);
                read.put(org.id(), org);
            } catch (ZendeskRecords.Refused e) {
                reject(tally, pageErrors, "organization", record, number, i, e);
            }
        }
        Map<Long, Match> known = store.matches(source.id(), read.keySet());
        Map<Long, Match> matched = new HashMap<>();
        Map<String, AccountId> links = new HashMap<>();
        List<ZendeskRecords.Organization> fresh =
                read.values().stream().filter(o -> !known.containsKey(o.id())).toList();
        for (ZendeskRecords.Organization org : fresh) {
            if (org.deleted()) {
                tally.skipped++;
            }
        }
        List<ZendeskRecords.Organization> candidates =
                fresh.stream().filter(o -> !o.deleted()).toList();
        if (settings.accountsSource() != null) {
            Map<String, AccountId> byExternalId = accounts.resolve(
                    settings.accountsSource(),
                    candidates.stream()
                            .map(ZendeskRecords.Organization::externalId)
                            .filter(java.util.Objects::nonNull)
                            .toList());
            for (ZendeskRecords.Organization org : candidates) {
                AccountId account = org.externalId() == null ? null : byExternalId.get(org.externalId());
                if (account != null) {
                    links.put(Long.toString(org.id()), account);
                    matched.put(org.id(), Match.external_id);
                }
            }
        }
        Map<String, Set<AccountId>> byDomain = accounts.byDomain(candidates.stream()
                .filter(o -> !matched.containsKey(o.id()))
                .flatMap(o -> o.domains().stream())
                .toList());
        for (ZendeskRecords.Organization org : candidates) {
            if (matched.containsKey(org.id())) {
                continue;
            }
            Set<AccountId> named = new LinkedHashSet<>();
            org.domains().forEach(d -> named.addAll(byDomain.getOrDefault(d, Set.of())));
            if (named.size() == 1) {
                links.put(Long.toString(org.id()), named.iterator().next());
                matched.put(org.id(), Match.domain);
            }
        }
        Set<String> linked = accounts.link(source.name(), links);
        matched.keySet().removeIf(id -> !linked.contains(Long.toString(id)));
        tally.updated += matched.size();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        Map<Long, Match> saved = new HashMap<>(matched);
        for (ZendeskRecords.Organization org : read.values()) {
            Match match = known.get(org.id());
            if (match == Match.created) {
                records.add(org.account());
            } else if (match != null) {
                tally.unchanged++; // linked to an account Zendesk does not name
            } else if (!org.deleted() && !matched.containsKey(org.id())) {
                records.add(org.account());
                saved.put(org.id(), Match.created);
            }
        }
        if (!records.isEmpty()) {
            tally.stored(accounts.upsert(source.name(), records, false), id -> "organization " + id, pageErrors);
        }
        store.saveMatches(source.id(), saved);
    }

    /** End users of an organization become contacts of its account; agents and users of no organization are skipped. */
    private void users(Source source, Page page, int number, Tally tally, List<SyncRuns.RowError> pageErrors) {
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
            } catch (ZendeskRecords.Refused e) {
                reject(tally, pageErrors, "user", record, number, i, e);
            }
        }
        if (!records.isEmpty()) {
            tally.stored(contacts.upsert(source.name(), records, false), id -> "user " + id, pageErrors);
        }
    }

    /**
     * Tickets of an organization are stored as tickets of its account; tickets Zendesk deleted or merged into another
     * are removed (counted deleted when Steward had them); tickets of no organization are skipped.
     */
    private void tickets(
            Source source,
            ZendeskStore.Settings settings,
            Page page,
            int number,
            Tally tally,
            List<SyncRuns.RowError> pageErrors) {
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
            } catch (ZendeskRecords.Refused e) {
                reject(tally, pageErrors, "ticket", record, number, i, e);
            }
        }
        if (!inputs.isEmpty()) {
            tally.stored(activity.upsertTickets(source.name(), inputs, false), id -> "ticket " + id, pageErrors);
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
    private void ratings(Source source, Page page, int number, Tally tally, List<SyncRuns.RowError> pageErrors) {
        Map<Integer, ZendeskRecords.RatingRead> read = new LinkedHashMap<>();
        for (int i = 0; i < page.records().size(); i++) {
            JsonNode record = page.records().get(i);
            try {
                read.put(i, ZendeskRecords.rating(record));
            } catch (ZendeskRecords.Refused e) {
                reject(tally, pageErrors, "satisfaction rating", record, number, i, e);
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
                pageErrors.add(error);
            } else if (organizations.get(rating.ticketId()) == null) {
                tally.skipped++;
            } else {
                inputs.add(rating.response(organizations.get(rating.ticketId())));
            }
        });
        if (!inputs.isEmpty()) {
            tally.stored(
                    activity.upsertSurveyResponses(source.name(), inputs, false),
                    id -> "satisfaction rating " + id,
                    pageErrors);
        }
    }

    /** A record that cannot be read: named by its id when it has one, else by its place in the page. */
    private static void reject(
            Tally tally,
            List<SyncRuns.RowError> pageErrors,
            String kind,
            JsonNode record,
            int page,
            int index,
            ZendeskRecords.Refused e) {
        JsonNode id = record.path("id");
        String where = id.isIntegralNumber()
                ? kind + " " + id.asLong()
                : kind + " " + (index + 1) + " of page " + page + " (no id)";
        String value = e.value() != null ? e.value() : excerpt(record);
        SyncRuns.RowError error = new SyncRuns.RowError(where, e.field(), value, e.getMessage());
        tally.reject(error);
        pageErrors.add(error);
    }

    private static String excerpt(JsonNode record) {
        String text = record.toString();
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
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
