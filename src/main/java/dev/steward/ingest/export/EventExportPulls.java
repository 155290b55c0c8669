package dev.steward.ingest.export;

import dev.steward.core.FieldError;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.TranslatedEvents;
import dev.steward.ingest.TranslatedEvents.Vendor;
import dev.steward.ingest.sync.PullConnections;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pulls a source's export, one day (UTC) at a time, in one sync run: on the first pull the back-fill's days up to the
 * last complete day, then each day after the last one pulled, up to the last complete day. Each day's lines are read
 * as they arrive and stored a batch at a time through the path Amplitude's and Mixpanel's endpoints use (translated to
 * Segment {@code track}s, stored once per insert id, held until their account is known, counted by the source's
 * mapping); a line that is not an event is rejected into the run's errors (file, line, field, reason) and the rest goes
 * on. The day is kept as pulled once all of it is stored, so a pull cut off reads that day again, storing nothing twice.
 */
@Service
class EventExportPulls {

    private static final Logger log = LoggerFactory.getLogger(EventExportPulls.class);

    /** The one feed of an export source, as its runs name it. */
    static final String FEED = "events";

    /** Amplitude's {@code event_time}: UTC, {@code 2026-03-01 12:00:00.123000}. */
    private static final DateTimeFormatter EVENT_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private final EventExportApi api;
    private final EventExportStore store;
    private final TranslatedEvents translated;
    private final SyncRuns runs;
    private final Sources sources;
    private final EventExportProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    EventExportPulls(
            EventExportApi api,
            EventExportStore store,
            TranslatedEvents translated,
            SyncRuns runs,
            Sources sources,
            EventExportProperties properties,
            ObjectMapper json,
            Clock clock) {
        this.api = api;
        this.store = store;
        this.translated = translated;
        this.runs = runs;
        this.sources = sources;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /** The last day (UTC) that ended at least {@code settle} ago: the last a pull reads. */
    LocalDate lastCompleteDay() {
        return LocalDate.ofInstant(clock.instant().minus(properties.settle()), ZoneOffset.UTC)
                .minusDays(1);
    }

    /** The first day the next pull reads: the day after the last one pulled, else the back-fill's first. */
    LocalDate firstDay(UUID source, int backfillDays) {
        return store.pulledThrough(source)
                .map(d -> d.plusDays(1))
                .orElse(lastCompleteDay().minusDays(backfillDays - 1L));
    }

    /**
     * Pulls every complete day not pulled yet, in a run of its own; false when it failed (the vendor refused or stopped
     * answering), which the run says why. A scheduled pull with no complete day to read starts no run.
     */
    boolean pull(
            Source source,
            PullConnections.Connection<EventExportStore.Settings> connection,
            EventExportApi.Credentials credentials,
            SyncRuns.Trigger trigger) {
        LocalDate first = firstDay(source.id(), connection.settings().backfillDays());
        LocalDate last = lastCompleteDay();
        if (first.isAfter(last) && trigger == SyncRuns.Trigger.schedule) {
            return true;
        }
        String from = store.pulledThrough(source.id()).map(LocalDate::toString).orElse(null);
        UUID run = runs.start(source.id(), FEED, trigger, from, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        String watermark = from;
        try {
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                day(source, credentials, day, tally, calls);
                store.savePulledThrough(source.id(), day, clock.instant());
                watermark = day.toString();
            }
            tally.succeed(runs, run, calls, watermark, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, watermark, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of the {} export of {} failed", credentials.vendor(), source.name(), e);
            fail(run, tally, calls, watermark, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void fail(UUID run, RunTally tally, VendorHttp.Calls calls, @Nullable String watermark, String why) {
        tally.fail(
                runs,
                run,
                calls,
                watermark,
                why,
                "the next pull reads again from the day after the last one pulled completely (events read twice are"
                        + " stored once)",
                clock.instant());
    }

    /**
     * Reads and stores one day. Amplitude refuses a range of more than 4 GB with a 400: such a day is read an hour at a
     * time.
     */
    private void day(
            Source source,
            EventExportApi.Credentials credentials,
            LocalDate day,
            RunTally tally,
            VendorHttp.Calls calls) {
        Batch batch = new Batch(source, credentials.vendor(), tally);
        try {
            api.read(source.id(), credentials, day, null, calls, batch::add);
        } catch (VendorHttp.Refused e) {
            if (credentials.vendor() != Vendor.amplitude || e.status() != 400) {
                throw e;
            }
            batch.flush();
            for (int hour = 0; hour < 24; hour++) {
                api.read(source.id(), credentials, day, hour, calls, batch::add);
            }
        }
        batch.flush();
    }

    /** A line read, kept until its batch is stored: where it was, and its text to show if it is refused. */
    private record Line(String where, String text) {}

    /** The events read and not stored yet: at most {@code steward.event-exports.batch} of them. */
    private final class Batch {
        private final Source source;
        private final Vendor vendor;
        private final RunTally tally;
        private final List<JsonNode> events = new ArrayList<>();
        private final List<Line> lines = new ArrayList<>();

        Batch(Source source, Vendor vendor, RunTally tally) {
            this.source = source;
            this.vendor = vendor;
            this.tally = tally;
        }

        void add(String file, long number, String text) {
            String where = file + " line " + number;
            JsonNode event;
            try {
                event = json.readTree(text);
            } catch (JacksonException e) {
                tally.read++;
                refuse(where, null, text, "is not JSON: " + e.getOriginalMessage());
                return;
            }
            FieldError problem = vendor == Vendor.amplitude ? amplitude(event) : mixpanel(event);
            if (problem != null) {
                tally.read++;
                refuse(where, problem.field(), text, problem.reason());
                return;
            }
            events.add(event);
            lines.add(new Line(where, text));
            if (events.size() >= properties.batch()) {
                flush();
            }
        }

        void flush() {
            if (events.isEmpty()) {
                return;
            }
            tally.read += events.size();
            TranslatedEvents.Outcome outcome = translated.storeExported(source, vendor, events, clock.instant());
            tally.created += outcome.stored();
            tally.unchanged += outcome.duplicates();
            for (FieldError error : outcome.errors()) {
                Line line = lines.get(error.index());
                tally.reject(new SyncRuns.RowError(
                        error.externalId() == null ? line.where() : line.where() + " (" + error.externalId() + ")",
                        error.field(),
                        excerpt(line.text()),
                        error.reason()));
            }
            events.clear();
            lines.clear();
        }

        /** A line refused before translation; reported with the source's rejections, as translated ones are. */
        private void refuse(String where, @Nullable String field, String text, String reason) {
            tally.reject(new SyncRuns.RowError(where, field, excerpt(text), reason));
            sources.received(
                    source, 0, List.of(new Rejection(vendor + " export " + where, field, reason, excerpt(text))));
        }
    }

    /**
     * What an Amplitude export line needs before it reads as an event sent to Amplitude's API: its time is {@code
     * event_time} (UTC text) where {@code time} is absent, and its insert id {@code $insert_id}, else its {@code uuid}
     * (Amplitude's id of the event), where {@code insert_id} is absent. Null when it can be translated.
     */
    private static @Nullable FieldError amplitude(JsonNode event) {
        if (!(event instanceof ObjectNode object)) {
            return null; // the translation refuses it, naming why
        }
        JsonNode time = object.get("time");
        JsonNode eventTime = object.get("event_time");
        if ((time == null || time.isNull()) && eventTime != null && eventTime.isString()) {
            try {
                object.put(
                        "time",
                        LocalDateTime.parse(eventTime.asString(), EVENT_TIME)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli());
            } catch (DateTimeParseException e) {
                return FieldError.of(
                        "event_time",
                        "'" + eventTime.asString() + "' is not a time of the form 2026-03-01 12:00:00.123");
            }
        }
        JsonNode insertId = object.get("insert_id");
        if (insertId == null || insertId.isNull()) {
            JsonNode other = object.hasNonNull("$insert_id") ? object.get("$insert_id") : object.get("uuid");
            if (other != null && other.isString()) {
                object.put("insert_id", other.asString());
            }
        }
        return null;
    }

    /**
     * What a Mixpanel export line needs before it reads as an event sent to {@code /import}: an event exported without
     * {@code $insert_id} gets one made of its name, user and time (as Mixpanel deduplicates it), so that pulling its day
     * again stores it once. Null when it can be translated.
     */
    private static @Nullable FieldError mixpanel(JsonNode event) {
        if (event.path("properties") instanceof ObjectNode properties && !properties.hasNonNull("$insert_id")) {
            String key = event.path("event").asString("") + "\u0000"
                    + properties.path("distinct_id").asString("") + "\u0000"
                    + properties.path("time").asString("");
            properties.put(
                    "$insert_id",
                    UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString());
        }
        return null;
    }

    private static String excerpt(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
