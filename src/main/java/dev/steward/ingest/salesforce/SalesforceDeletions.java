package dev.steward.ingest.salesforce;

import dev.steward.ingest.salesforce.SalesforceStore.Feed;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.VendorHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records of a feed's object deleted in a span of time, as Salesforce's delete log tells them ({@code GET
 * /sobjects/Account/deleted/?start=…&end=…}: {@code deletedRecords}, {@code earliestDateAvailable}, {@code
 * latestDateCovered}); an incremental pull asks after its {@code queryAll}, which no longer shows records emptied from
 * the recycle bin. The span asked for starts where the last one was covered to (the first time: the feed's cursor
 * before the pull) and ends now; it goes back at most {@value #DAYS} days, as far as the REST API answers. A span
 * Salesforce no longer answers for (older than that, or than its {@code earliestDateAvailable}) is named on the run as
 * a warning: records deleted and purged then may still be in Steward.
 */
@Component
class SalesforceDeletions {

    /** How far back the REST API answers for deletions. */
    static final int DAYS = 15;

    /** {@code 2026-03-18T10:15:00+00:00}, as the resource takes its start and end (its seconds are ignored). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private final SalesforceApi api;
    private final FeedCursors cursors;
    private final Clock clock;

    SalesforceDeletions(SalesforceApi api, FeedCursors cursors, Clock clock) {
        this.api = api;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** The cursor under which the end of the span a feed's deletions were last read for is kept. */
    static String key(Feed feed) {
        return feed.name() + ".deleted";
    }

    /**
     * Asks for the records of the feed's object deleted since the last span covered (else since {@code since}), and
     * hands them on as records a {@code queryAll} answers deleted ({@code Id}, {@code IsDeleted: true}) to {@code
     * removed}; then keeps the end of the span covered. {@code allowance} is run before the request.
     */
    void read(
            UUID source,
            SalesforceApi.Org org,
            Feed feed,
            Instant since,
            VendorHttp.Calls calls,
            Runnable allowance,
            RunTally tally,
            Consumer<List<JsonNode>> removed) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant start = cursors.find(source, key(feed)).map(Instant::parse).orElse(since);
        start = start.truncatedTo(ChronoUnit.MINUTES);
        if (!start.isBefore(end)) {
            return;
        }
        Instant oldest = end.minus(Duration.ofDays(DAYS)).plus(Duration.ofMinutes(1));
        if (start.isBefore(oldest)) {
            gap(feed, start, oldest, "Salesforce answers for deletions of the last " + DAYS + " days only", tally);
            start = oldest;
        }
        allowance.run();
        JsonNode answer = api.send(
                org,
                HttpMethod.GET,
                api.path("/sobjects/" + feed.object() + "/deleted/?start=" + encode(start) + "&end=" + encode(end)),
                null,
                calls);
        Instant earliest = time(answer, "earliestDateAvailable");
        if (earliest != null && earliest.isAfter(start)) {
            gap(
                    feed,
                    start,
                    earliest,
                    "Salesforce's delete log of " + feed.object() + " starts at " + earliest
                            + " (earliestDateAvailable)",
                    tally);
        }
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode deleted : answer.path("deletedRecords")) {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.set("Id", deleted.path("id"));
            record.put("IsDeleted", true);
            records.add(record);
        }
        if (!records.isEmpty()) {
            removed.accept(records);
        }
        Instant covered = time(answer, "latestDateCovered");
        cursors.save(
                source,
                key(feed),
                (covered == null || covered.isAfter(end) ? end : covered).toString(),
                clock.instant());
    }

    private static void gap(Feed feed, Instant from, Instant to, String why, RunTally tally) {
        tally.warn(
                feed.object() + " deletions from " + from + " to " + to,
                why + ": records deleted and emptied from the recycle bin then may still be in Steward");
    }

    private static @Nullable Instant time(JsonNode answer, String field) {
        return answer.hasNonNull(field) ? SalesforceRecords.time(answer, field) : null;
    }

    private static String encode(Instant at) {
        return URLEncoder.encode(TIME.format(at.atOffset(ZoneOffset.UTC)), StandardCharsets.UTF_8);
    }
}
