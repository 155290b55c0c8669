package dev.steward.ingest.salesforce;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.VendorHttp;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A feed's first pull of many records through Salesforce's Bulk API 2.0 instead of REST query pages of 2,000: when the
 * org counts more records of the object than {@code steward.salesforce.bulk-threshold} ({@code GET
 * /limits/recordCount?sObjects=Account}), a query job is created ({@code POST /jobs/query}, the feed's SOQL), polled
 * ({@code GET /jobs/query/<id>}, with backoff, doubling) until Salesforce completed it, and its results read as CSV
 * ({@code GET /jobs/query/<id>/results?maxRecords=…}), set after set over the {@code Sforce-Locator} header until it
 * says {@code null}. Each set is handed on in pages of {@value #WRITE_PAGE} records, read as the REST API's records are
 * (numbers as numbers, booleans as booleans, empty as null), so that they are mapped, linked, refused and counted as
 * those are. Where the load stands (the job and the next set's locator) is kept as a cursor of its own, so that a pull
 * cut off (a crash, the allowance, an error) goes on reading the same job; a job Salesforce no longer has (results
 * are kept seven days) is made again. A job that failed or was aborted fails the run, saying why.
 */
@Component
class SalesforceBulk {

    /** Where a bulk load stands: its job, the locator of the next set of results (null: the first), pages written. */
    record State(
            String job, @Nullable String locator, @Nullable Instant latest, int pages) {}

    /** Writes a page of records in one transaction. */
    @FunctionalInterface
    interface Pages {
        void write(List<JsonNode> records, int number);
    }

    /** A bulk load done: the latest change it read (null: none). */
    record Loaded(@Nullable Instant latest) {}

    /** The records of a page handed on to be written (and the cursor moved) at a time. */
    static final int WRITE_PAGE = 2_000;

    /** The fields of the feeds' queries that are numbers, and those that are booleans, in the REST API's JSON. */
    private static final Set<String> NUMBERS = Set.of("AnnualRevenue", "Amount");

    private static final Set<String> BOOLEANS = Set.of("IsClosed", "IsWon", "IsDeleted");

    /** The order the REST queries ask for; a bulk job's results come in no order, and the cursor is their latest. */
    private static final String ORDER = " ORDER BY SystemModstamp ASC";

    private static final Set<String> FINISHED = Set.of("JobComplete", "Failed", "Aborted");

    private static final CSVFormat CSV =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    private final SalesforceApi api;
    private final SalesforceProperties properties;
    private final FeedCursors cursors;
    private final ObjectMapper json;
    private final Clock clock;

    SalesforceBulk(
            SalesforceApi api, SalesforceProperties properties, FeedCursors cursors, ObjectMapper json, Clock clock) {
        this.api = api;
        this.properties = properties;
        this.cursors = cursors;
        this.json = json;
        this.clock = clock;
    }

    /** The cursor under which a feed's bulk load under way is kept. */
    static String key(Feed feed) {
        return feed.name() + ".bulk";
    }

    /**
     * Reads a feed's records through a bulk query job, when one is under way or the org has more records of the object
     * than the threshold; null when it has not (the REST query reads them). {@code allowance} is run before each
     * request (it throws once the connection's share of the org's API allowance is used). When the last set is written
     * the feed's cursor is the latest change read.
     */
    @Nullable
    Loaded load(
            UUID source,
            SalesforceApi.Org org,
            Feed feed,
            String soql,
            VendorHttp.Calls calls,
            Runnable allowance,
            Pages pages) {
        State state = state(source, feed);
        if (state == null) {
            allowance.run();
            if (count(org, feed, calls) <= properties.bulkThreshold()) {
                return null;
            }
            state = start(source, org, feed, soql, calls, allowance, null, 0);
        }
        boolean again = false;
        while (true) {
            JsonNode job;
            try {
                job = await(org, state.job(), calls, allowance);
            } catch (VendorHttp.Refused e) {
                if (e.status() != 404 || again) {
                    throw e;
                }
                again = true;
                state = start(source, org, feed, soql, calls, allowance, state.latest(), state.pages());
                continue;
            }
            String reached = job.path("state").asString("");
            if (!reached.equals("JobComplete")) {
                if (reached.equals("Failed") || reached.equals("Aborted")) {
                    cursors.delete(source, key(feed));
                    String why = job.path("errorMessage").asString("");
                    throw new VendorHttp.Refused(
                            200,
                            "Salesforce's Bulk API 2.0 query job " + state.job() + " "
                                    + reached.toLowerCase(Locale.ROOT)
                                    + (why.isBlank() ? "" : ": " + why)
                                    + " (the next pull starts a new one)");
                }
                throw new VendorHttp.Refused(
                        200,
                        "Salesforce's Bulk API 2.0 query job " + state.job() + " is still " + reached + " after "
                                + properties.bulkWait().toMinutes()
                                + " minutes (steward.salesforce.bulk-wait); the next pull waits for it again");
            }
            try {
                state = results(source, org, feed, state, calls, allowance, pages);
            } catch (VendorHttp.Refused e) {
                if (e.status() != 404 || again) {
                    throw e;
                }
                // The job's results are gone (Salesforce keeps them seven days): a new job reads everything again.
                again = true;
                state = start(source, org, feed, soql, calls, allowance, state.latest(), state.pages());
                continue;
            }
            if (state.latest() != null) {
                cursors.save(source, feed.name(), state.latest().toString(), clock.instant());
            }
            cursors.delete(source, key(feed));
            return new Loaded(state.latest());
        }
    }

    /** How many records of the feed's object the org has, as Salesforce counts them ({@code limits/recordCount}). */
    long count(SalesforceApi.Org org, Feed feed, VendorHttp.Calls calls) {
        JsonNode answer =
                api.send(org, HttpMethod.GET, api.path("/limits/recordCount?sObjects=" + feed.object()), null, calls);
        for (JsonNode counted : answer.path("sObjects")) {
            if (feed.object().equals(counted.path("name").asString(""))) {
                return counted.path("count").asLong(0);
            }
        }
        return 0;
    }

    /** Creates the query job ({@code operation: query}: records in the recycle bin are not read) and keeps it. */
    private State start(
            UUID source,
            SalesforceApi.Org org,
            Feed feed,
            String soql,
            VendorHttp.Calls calls,
            Runnable allowance,
            @Nullable Instant latest,
            int pages) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("operation", "query");
        body.put("query", soql.endsWith(ORDER) ? soql.substring(0, soql.length() - ORDER.length()) : soql);
        body.put("contentType", "CSV");
        body.put("columnDelimiter", "COMMA");
        body.put("lineEnding", "LF");
        allowance.run();
        JsonNode job = api.send(org, HttpMethod.POST, api.path("/jobs/query"), body, calls);
        String id = job.path("id").asString("");
        if (id.isBlank()) {
            throw new VendorHttp.Refused(200, "Salesforce's Bulk API 2.0 answered no job id: " + job);
        }
        State state = new State(id, null, latest, pages);
        save(source, feed, state);
        return state;
    }

    /**
     * The job as Salesforce last reported it, polled until it finished (completed, failed or aborted) or the wait ran
     * out: the polls back off from {@code steward.salesforce.backoff}, doubling up to {@code max-backoff}.
     */
    private JsonNode await(SalesforceApi.Org org, String job, VendorHttp.Calls calls, Runnable allowance) {
        RetryPolicy<JsonNode> polls = RetryPolicy.<JsonNode>builder()
                .handleIf((info, failure) ->
                        failure == null && !FINISHED.contains(info.path("state").asString("")))
                .withBackoff(properties.backoff(), longest(properties.backoff(), properties.maxBackoff()))
                .withMaxDuration(properties.bulkWait())
                .withMaxRetries(-1)
                .build();
        try {
            return Failsafe.with(polls).get(() -> {
                allowance.run();
                return api.send(org, HttpMethod.GET, api.path("/jobs/query/" + job), null, calls);
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new VendorHttp.Refused(0, "the pull was interrupted (Steward is stopping)");
            }
            throw e;
        }
    }

    /** Reads the job's sets of results from the state's locator on, writing each and keeping where the next is. */
    private State results(
            UUID source,
            SalesforceApi.Org org,
            Feed feed,
            State from,
            VendorHttp.Calls calls,
            Runnable allowance,
            Pages pages) {
        State state = from;
        do {
            allowance.run();
            String path = api.path("/jobs/query/" + state.job() + "/results?maxRecords=" + properties.bulkPage())
                    + (state.locator() == null ? "" : "&locator=" + encode(state.locator()));
            Results read = api.read(org, path, "text/csv", calls, (headers, body) -> {
                String locator = headers.getFirst("Sforce-Locator");
                return new Results(
                        records(new InputStreamReader(body, StandardCharsets.UTF_8)),
                        locator == null || locator.isBlank() || locator.strip().equals("null")
                                ? null
                                : locator.strip());
            });
            Instant latest = state.latest();
            int number = state.pages();
            for (int i = 0; i < read.records().size(); i += WRITE_PAGE) {
                List<JsonNode> page =
                        read.records().subList(i, Math.min(read.records().size(), i + WRITE_PAGE));
                pages.write(page, ++number);
                latest = SalesforcePulls.latest(latest, page);
            }
            state = new State(state.job(), read.next(), latest, number);
            if (read.next() != null) {
                save(source, feed, state);
            }
        } while (state.locator() != null);
        return state;
    }

    /** A set of a job's results: its records and the locator of the next set (null: this was the last). */
    private record Results(List<JsonNode> records, @Nullable String next) {}

    /**
     * A job's results in CSV (a header of the queried fields, then a record a line) as the records of a REST query's
     * answer: an empty value is null, a number field a number (when it reads as one: else it stays as given, and is
     * refused as the REST API's would be), a boolean field a boolean.
     */
    static List<JsonNode> records(Reader csv) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (var parser = CSV.parse(csv)) {
            List<String> names = parser.getHeaderNames();
            for (CSVRecord row : parser) {
                ObjectNode record = JsonNodeFactory.instance.objectNode();
                for (String name : names) {
                    String value = row.isSet(name) ? row.get(name) : null;
                    if (value == null || value.isEmpty()) {
                        record.putNull(name);
                    } else if (NUMBERS.contains(name) && value.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                        record.put(name, new BigDecimal(value));
                    } else if (BOOLEANS.contains(name) && (value.equals("true") || value.equals("false"))) {
                        record.put(name, Boolean.parseBoolean(value));
                    } else {
                        record.put(name, value);
                    }
                }
                records.add(record);
            }
        }
        return records;
    }

    private @Nullable State state(UUID source, Feed feed) {
        return cursors.find(source, key(feed))
                .map(kept -> json.readValue(kept, State.class))
                .orElse(null);
    }

    private void save(UUID source, Feed feed, State state) {
        cursors.save(source, key(feed), json.writeValueAsString(state), clock.instant());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Duration longest(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
