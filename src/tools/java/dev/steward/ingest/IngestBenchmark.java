package dev.steward.ingest;

import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.SubCommand;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bench ingest}: sustained ingestion through {@code POST /v1/batch} over loopback by concurrent senders, with
 * zero loss checked (every event acknowledged is stored, once) and the p99 request latency; the baseline, measured in
 * the same run, is PostgreSQL {@code COPY} of the same events into a plain table without indexes. Each run also sends
 * as many events through Amplitude's {@code /2/httpapi} and Mixpanel's {@code /import}, whose rates are printed with
 * their ratio to Segment's before the {@code BENCH} line.
 */
@Component
class IngestBenchmark implements SubCommand {

    private static final int ACCOUNTS = 1_000;
    private static final int USERS_PER_ACCOUNT = 10;
    private static final double TARGET_EVENTS_PER_SECOND = 20_000;
    private static final String[] EVENTS = {"Signed In", "Report Created", "Dashboard Viewed", "Invite Sent"};

    private final SourceAdministration administration;
    private final WriteKeys writeKeys;
    private final SegmentProcessor processor;
    private final SegmentEvents segmentEvents;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final ApplicationContext context;
    private final ObjectMapper json;
    private final Clock clock;

    IngestBenchmark(
            SourceAdministration administration,
            WriteKeys writeKeys,
            SegmentProcessor processor,
            SegmentEvents segmentEvents,
            DataSource dataSource,
            JdbcClient jdbc,
            ApplicationContext context,
            ObjectMapper json,
            Clock clock) {
        this.administration = administration;
        this.writeKeys = writeKeys;
        this.processor = processor;
        this.segmentEvents = segmentEvents;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.context = context;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench ingest";
    }

    @Override
    public String usage() {
        return "[--small] [--events 1000000] [--batch 500] [--senders 8] [--runs 3]"
                + " --steward.database.data-dir=/tmp/bench-ingest  time POST /v1/batch against COPY; one run sends"
                + " --events new events (fresh messageIds) over HTTP, waits until they are applied, then COPYs the same"
                + " events into an unindexed table; then sends as many through Amplitude's /2/httpapi and Mixpanel's"
                + " /import and prints their events/s and ratio to Segment's";
    }

    private static final BenchRuns.Figure LATENCY = new BenchRuns.Figure("p99_latency", "ms", 1, 1);
    private static final BenchRuns.Figure RATE = new BenchRuns.Figure("events_per_s", "events/s", 0, 3);

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int events = options.getInt("events", small ? 40_000 : 1_000_000);
        int batch = options.getInt("batch", 500);
        int senders = options.getInt("senders", 8);
        if (!(context instanceof WebServerApplicationContext web)) {
            System.err.println("bench ingest measures the web server, but none is running");
            return 1;
        }
        BenchRuns runs = BenchRuns.start("ingest", options);
        String base = "http://127.0.0.1:" + web.getWebServer().getPort();
        URI segment = URI.create(base + "/v1/batch");
        URI amplitude = URI.create(base + "/2/httpapi");
        URI mixpanel = URI.create(base + "/import?strict=1");
        String name = "bench-" + clock.millis();
        Source source = administration.create(new SourceAdministration.NewSource(
                name,
                Source.Kind.segment,
                json.readTree("{\"events\": {\"Signed In\": \"logins\", \"Report Created\": \"feature.reports\","
                        + " \"Dashboard Viewed\": \"feature.dashboards\"},"
                        + " \"keyFeatures\": [\"feature.reports\", \"feature.dashboards\"]}"),
                null));
        String writeKey = writeKeys.create(name, "bench").writeKey();
        String authorization =
                "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        // The accounts first, so that events count as their usage rather than wait for them.
        Generator warming = new Generator(name + "-warm", clock.instant());
        Sent groups = send(http, segment, authorization, warming::groups, 0, ACCOUNTS, batch, senders);
        int warmUp = Math.min(events / 10, 20_000);
        Sent warm = send(http, segment, authorization, warming::batch, 0, warmUp, batch, senders);
        // The vendors' endpoints warmed up too, on a tenth as many events each.
        Generator warmingVendors = new Generator(name + "-wv", clock.instant());
        Sent warmAmplitude = send(
                http,
                amplitude,
                null,
                (f, c) -> warmingVendors.amplitude(f, c, writeKey),
                0,
                warmUp / 10,
                batch,
                senders);
        Sent warmMixpanel =
                send(http, mixpanel, authorization, warmingVendors::mixpanel, warmUp / 10, warmUp / 5, batch, senders);
        processor.processPending();
        System.out.printf("Warm-up: %,d events sent and applied%n", warm.events());

        long expected = groups.events() + warm.events() + warmAmplitude.events() + warmMixpanel.events();
        int refused = warmAmplitude.refused() + warmMixpanel.refused();
        List<double[]> vendorRates = new ArrayList<>();
        for (int r = 0; r < runs.count(); r++) {
            // Fresh messageIds each run, so that every run stores the same number of new events.
            Generator generator = new Generator(name + "-" + r, clock.instant());
            Sent sent = send(http, segment, authorization, generator::batch, 0, events, batch, senders);
            expected += sent.events();
            refused += sent.refused();
            double rate = sent.events() / sent.seconds();
            long started = System.nanoTime();
            processor.processPending();
            double applying = seconds(started);
            double copies = copyRate(generator, events);
            System.out.printf(
                    "Run %d: sent %,d events in batches of %d from %d concurrent senders over loopback in %.1f s:"
                            + " %,.0f events/s; %d requests refused; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " the rest applied to accounts, contacts and daily usage in %.1f s after sending;"
                            + " COPY of the same events: %,.0f events/s%n",
                    r + 1,
                    sent.events(),
                    batch,
                    senders,
                    sent.seconds(),
                    rate,
                    sent.refused(),
                    sent.percentile(0.5),
                    sent.percentile(0.99),
                    sent.percentile(1),
                    applying,
                    copies);
            runs.record(r, LATENCY, sent.percentile(0.99), Double.NaN);
            runs.record(r, RATE, rate, copies);

            // The same events through the Amplitude and Mixpanel endpoints, with their own insert ids.
            Generator vendors = new Generator(name + "-v" + r, clock.instant());
            Sent byAmplitude =
                    send(http, amplitude, null, (f, c) -> vendors.amplitude(f, c, writeKey), 0, events, batch, senders);
            processor.processPending();
            Sent byMixpanel =
                    send(http, mixpanel, authorization, vendors::mixpanel, events, 2 * events, batch, senders);
            processor.processPending();
            expected += byAmplitude.events() + byMixpanel.events();
            refused += byAmplitude.refused() + byMixpanel.refused();
            double amplitudeRate = byAmplitude.events() / byAmplitude.seconds();
            double mixpanelRate = byMixpanel.events() / byMixpanel.seconds();
            vendorRates.add(new double[] {rate, amplitudeRate, mixpanelRate});
            System.out.printf(
                    "Run %d: Amplitude /2/httpapi %,.0f events/s (p99 %.1f ms), ratio %.2f to Segment's;"
                            + " Mixpanel /import %,.0f events/s (p99 %.1f ms), ratio %.2f to Segment's%n",
                    r + 1,
                    amplitudeRate,
                    byAmplitude.percentile(0.99),
                    amplitudeRate / rate,
                    mixpanelRate,
                    byMixpanel.percentile(0.99),
                    mixpanelRate / rate);
        }
        long stored = jdbc.sql("select count(*) from segment_event where source_id = ?")
                .param(source.id())
                .query(Long.class)
                .single();
        long distinct = jdbc.sql("select count(distinct message_id) from segment_event where source_id = ?")
                .param(source.id())
                .query(Long.class)
                .single();
        System.out.printf(
                "Loss check: %,d events acknowledged, %,d stored, %,d distinct messageIds: %s%n",
                expected,
                stored,
                distinct,
                stored == expected && distinct == expected ? "none lost, none doubled" : "MISMATCH");

        double inProcess = inProcessRate(source, new Generator(name + "-direct", clock.instant()), events);
        System.out.printf(
                "The same number of events stored in-process by one thread, without HTTP (once): %,.0f events/s%n",
                inProcess);
        double segmentMedian = median(vendorRates, 0);
        for (int v = 1; v <= 2; v++) {
            double vendorMedian = median(vendorRates, v);
            System.out.printf(
                    "%s: median %,.0f events/s, Segment's in the same runs %,.0f events/s: ratio %.2f (target 0.8)%s%n",
                    v == 1 ? "Amplitude /2/httpapi" : "Mixpanel /import",
                    vendorMedian,
                    segmentMedian,
                    vendorMedian / segmentMedian,
                    vendorMedian / segmentMedian < 0.8 ? " WARN below the target" : "");
        }
        runs.summary();
        if (stored != expected || distinct != expected || refused > 0) {
            System.out.println("WARN events were lost, doubled or refused");
        }
        double rate = runs.series(RATE.name()).values().median();
        if (rate < TARGET_EVENTS_PER_SECOND) {
            System.out.printf(
                    "WARN median %,.0f events/s is below the target of %,.0f%n", rate, TARGET_EVENTS_PER_SECOND);
        }
        runs.benchLines();
        return stored == expected && distinct == expected && refused == 0 ? 0 : 1;
    }

    private static double median(List<double[]> rates, int column) {
        double[] values = rates.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** What the senders sent: events acknowledged, time taken, latency per request, requests refused. */
    private record Sent(long events, double seconds, double[] millis, int refused) {

        double percentile(double quantile) {
            if (millis.length == 0) {
                return 0;
            }
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(quantile * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /**
     * Sends events {@code from} (inclusive) to {@code to} in batches, from concurrent senders, with HTTP Basic
     * {@code authorization} unless it is null (Amplitude's key is in the body).
     */
    private Sent send(
            HttpClient http,
            URI uri,
            String authorization,
            java.util.function.BiFunction<Integer, Integer, byte[]> batches,
            int from,
            int to,
            int batch,
            int senders)
            throws Exception {
        int requests = (to - from + batch - 1) / batch;
        AtomicInteger next = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        double[] millis = new double[requests];
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                running.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < requests; b = next.getAndIncrement()) {
                        int first = from + b * batch;
                        int count = Math.min(batch, to - first);
                        byte[] body = batches.apply(first, count);
                        long sentAt = System.nanoTime();
                        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                        if (authorization != null) {
                            request.header("Authorization", authorization);
                        }
                        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        millis[b] = (System.nanoTime() - sentAt) / 1e6;
                        if (answer.statusCode() == 200) {
                            acknowledged.addAndGet(count);
                        } else {
                            refused.incrementAndGet();
                            System.err.println("refused: " + answer.statusCode() + " " + answer.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Sent(acknowledged.get(), seconds(started), millis, refused.get());
    }

    /**
     * The baseline: the same events, as the columns the tracking API stores, sent with one COPY into a table without
     * indexes or partitions: the fastest way PostgreSQL takes them in.
     */
    private double copyRate(Generator generator, int events) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table bench_segment_copy (source_id uuid, message_id text, type text,"
                    + " user_id text, anonymous_id text, group_id text, name text, occurred_at timestamptz,"
                    + " received_at timestamptz, payload json)");
            try {
                long started = System.nanoTime();
                CopyIn copy =
                        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_segment_copy from stdin");
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 17);
                String received = clock.instant().toString();
                for (int i = 0; i < events; i++) {
                    Generator.Row row = generator.row(i);
                    String line = String.join(
                                    "\t",
                                    generator.sourceId,
                                    row.messageId(),
                                    "track",
                                    row.userId(),
                                    "\\N",
                                    row.groupId(),
                                    row.event(),
                                    row.timestamp(),
                                    received,
                                    row.json().replace("\\", "\\\\"))
                            + "\n";
                    buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                    if (buffer.size() >= 1 << 16) {
                        copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                        buffer.reset();
                    }
                }
                copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                copy.endCopy();
                return events / seconds(started);
            } finally {
                statement.execute("drop table bench_segment_copy");
            }
        }
    }

    private double inProcessRate(Source source, Generator generator, int events) {
        Instant now = clock.instant();
        long started = System.nanoTime();
        for (int from = 0; from < events; from += 500) {
            List<SegmentMessages.Event> batch = new ArrayList<>();
            for (int i = from; i < Math.min(events, from + 500); i++) {
                Generator.Row row = generator.row(i);
                batch.add(new SegmentMessages.Event(
                        i - from,
                        row.messageId(),
                        "track",
                        row.userId(),
                        null,
                        row.groupId(),
                        row.event(),
                        Instant.parse(row.timestamp()),
                        row.json().getBytes(StandardCharsets.UTF_8),
                        null));
            }
            segmentEvents.store(source, batch, List.of(), now);
        }
        return events / seconds(started);
    }

    /** Realistic track events as Segment's libraries send them: context, properties, ids. */
    private static final class Generator {

        private final String run;
        private final Instant start;
        final String sourceId = java.util.UUID.randomUUID().toString();

        Generator(String run, Instant start) {
            this.run = run;
            this.start = start;
        }

        record Row(String messageId, String userId, String groupId, String event, String timestamp, String json) {}

        Row row(int i) {
            int account = i % ACCOUNTS;
            String user = "user-" + account + "-" + (i / ACCOUNTS) % USERS_PER_ACCOUNT;
            String group = "account-" + account;
            String event = EVENTS[i % EVENTS.length];
            String messageId = run + "-" + i;
            String timestamp = start.minusMillis(i % 3_600_000).toString();
            String json = "{\"type\":\"track\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + user
                    + "\",\"event\":\"" + event + "\",\"timestamp\":\"" + timestamp
                    + "\",\"properties\":{\"plan\":\"Growth\",\"page\":\"/reports/" + (i % 97)
                    + "\",\"duration_ms\":" + (i % 5000) + "},\"context\":{\"groupId\":\"" + group
                    + "\",\"ip\":\"10.1." + (account % 250) + ".7\",\"library\":{\"name\":\"analytics-java\","
                    + "\"version\":\"3.5.4\"},\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"
                    + " (KHTML, like Gecko) Chrome/120.0 Safari/537.36\",\"locale\":\"en-US\"}}";
            return new Row(messageId, user, group, event, timestamp, json);
        }

        /** Group calls that create the accounts, with a user of each. */
        byte[] groups(int first, int count) {
            StringBuilder body = new StringBuilder(count * 200 + 100);
            body.append("{\"batch\":[");
            for (int i = first; i < first + count; i++) {
                body.append(i == first ? "" : ",")
                        .append("{\"type\":\"group\",\"messageId\":\"")
                        .append(run)
                        .append("-group-")
                        .append(i)
                        .append("\",\"userId\":\"user-")
                        .append(i)
                        .append("-0\",\"groupId\":\"account-")
                        .append(i)
                        .append("\",\"traits\":{\"name\":\"Account ")
                        .append(i)
                        .append("\",\"plan\":\"Growth\",\"employees\":")
                        .append(10 + i % 500)
                        .append("}}");
            }
            return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        /**
         * The same events as Amplitude's libraries send them: {@code time} in milliseconds, the account as a group of
         * the type {@code company_id}, the source's default group key.
         */
        byte[] amplitude(int first, int count, String apiKey) {
            StringBuilder body = new StringBuilder(count * 420 + 100);
            body.append("{\"api_key\":\"").append(apiKey).append("\",\"events\":[");
            for (int i = first; i < first + count; i++) {
                int account = i % ACCOUNTS;
                body.append(i == first ? "" : ",")
                        .append("{\"user_id\":\"user-")
                        .append(account)
                        .append('-')
                        .append((i / ACCOUNTS) % USERS_PER_ACCOUNT)
                        .append("\",\"event_type\":\"")
                        .append(EVENTS[i % EVENTS.length])
                        .append("\",\"time\":")
                        .append(start.minusMillis(i % 3_600_000).toEpochMilli())
                        .append(",\"insert_id\":\"")
                        .append(run)
                        .append("-a")
                        .append(i)
                        .append("\",\"event_properties\":{\"plan\":\"Growth\",\"page\":\"/reports/")
                        .append(i % 97)
                        .append("\",\"duration_ms\":")
                        .append(i % 5000)
                        .append("},\"groups\":{\"company_id\":\"account-")
                        .append(account)
                        .append("\"},\"ip\":\"10.1.")
                        .append(account % 250)
                        .append(".7\",\"platform\":\"Web\",\"os_name\":\"Chrome\",\"language\":\"en-US\","
                                + "\"library\":\"amplitude-java/1.12.0\"}");
            }
            return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        /**
         * The same events as Mixpanel's import takes them: {@code time} in seconds, the account in the property
         * {@code company_id}, the source's default group key.
         */
        byte[] mixpanel(int first, int count) {
            StringBuilder body = new StringBuilder(count * 420 + 100);
            body.append('[');
            for (int i = first; i < first + count; i++) {
                int account = i % ACCOUNTS;
                Instant time = start.minusMillis(i % 3_600_000);
                body.append(i == first ? "" : ",")
                        .append("{\"event\":\"")
                        .append(EVENTS[i % EVENTS.length])
                        .append("\",\"properties\":{\"time\":")
                        .append(time.getEpochSecond())
                        .append('.')
                        .append(String.format(java.util.Locale.ROOT, "%03d", time.getNano() / 1_000_000))
                        .append(",\"distinct_id\":\"user-")
                        .append(account)
                        .append('-')
                        .append((i / ACCOUNTS) % USERS_PER_ACCOUNT)
                        .append("\",\"$insert_id\":\"")
                        .append(run)
                        .append("-m")
                        .append(i)
                        .append("\",\"company_id\":\"account-")
                        .append(account)
                        .append("\",\"plan\":\"Growth\",\"page\":\"/reports/")
                        .append(i % 97)
                        .append("\",\"duration_ms\":")
                        .append(i % 5000)
                        .append(",\"ip\":\"10.1.")
                        .append(account % 250)
                        .append(".7\",\"$browser\":\"Chrome\",\"mp_lib\":\"jdk\"}}");
            }
            return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
        }

        byte[] batch(int first, int count) {
            StringBuilder body = new StringBuilder(count * 520 + 100);
            body.append("{\"batch\":[");
            for (int i = 0; i < count; i++) {
                body.append(i == 0 ? "" : ",").append(row(first + i).json());
            }
            body.append("],\"sentAt\":\"").append(Instant.now()).append("\"}");
            return body.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
