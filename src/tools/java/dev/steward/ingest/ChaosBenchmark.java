package dev.steward.ingest;

import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.DatabaseProperties;
import dev.steward.core.SubCommand;
import dev.steward.customer.AccountManagement;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bench chaos}: Segment events sent at a steady rate through {@code POST /v1/batch} while the embedded
 * PostgreSQL is killed with SIGKILL (the server and all its processes) and started again on the same data directory;
 * batches carry messages the door must refuse (a NUL in a trait, a time 900 years ago) and the queue gets messages
 * the processor cannot apply (as an older version stored them). A batch that gets no answer is sent again, as
 * Segment's libraries do. At the end: every acknowledged event is stored once and counted once in the usage rollups,
 * the refused ones were refused, the poisoned ones quarantined; and how long Steward took, once PostgreSQL accepted
 * connections again, to acknowledge events again. That recovery time is the headline figure; its baseline is the
 * steady interval between two batches, so the ratio says how many batches' time the recovery cost.
 */
@Component
class ChaosBenchmark implements SubCommand {

    private static final int ACCOUNTS = 50;
    private static final int BATCH = 50;
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(90);

    private final SourceAdministration administration;
    private final WriteKeys writeKeys;
    private final AccountManagement accounts;
    private final DatabaseProperties database;
    private final JdbcClient jdbc;
    private final ApplicationContext context;
    private final ObjectMapper json;
    private final Clock clock;

    ChaosBenchmark(
            SourceAdministration administration,
            WriteKeys writeKeys,
            AccountManagement accounts,
            DatabaseProperties database,
            JdbcClient jdbc,
            ApplicationContext context,
            ObjectMapper json,
            Clock clock) {
        this.administration = administration;
        this.writeKeys = writeKeys;
        this.accounts = accounts;
        this.database = database;
        this.jdbc = jdbc;
        this.context = context;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench chaos";
    }

    @Override
    public String usage() {
        return "[--small] [--rate 500] [--seconds 60] [--runs 3] --steward.database.data-dir=/tmp/bench-chaos"
                + "  kill and restart the embedded PostgreSQL under steady Segment traffic; one run is a SIGKILL of"
                + " PostgreSQL, its restart and the wait until Steward acknowledges events again, after steady traffic"
                + " (the first run's steady traffic warms up); the checks cover all the runs' traffic";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int rate = options.getInt("rate", small ? 250 : 500);
        int seconds = options.getInt("seconds", small ? 16 : 60);
        if (database.url() != null && !database.url().isBlank()) {
            System.err.println("bench chaos kills the embedded PostgreSQL; it cannot run on an external database");
            return 2;
        }
        if (refusesNonEmpty(accounts.count())) {
            return 2;
        }
        if (!(context instanceof WebServerApplicationContext web)) {
            System.err.println("bench chaos measures the web server, but none is running");
            return 1;
        }
        BenchRuns runs = BenchRuns.start("chaos", options);
        Path dataDirectory = database.dataDir().resolve("postgres").toAbsolutePath();
        String base = "http://127.0.0.1:" + web.getWebServer().getPort();
        String name = "chaos-" + clock.millis();
        Source source = administration.create(new SourceAdministration.NewSource(
                name, Source.Kind.segment, json.readTree("{\"events\": {\"Signed In\": \"logins\"}}"), null));
        Sender sender = new Sender(base, writeKeys.create(name, "chaos").writeKey());

        // The accounts, applied before the traffic starts, so that every event counts as usage at once.
        StringBuilder groups = new StringBuilder("{\"batch\": [");
        for (int a = 0; a < ACCOUNTS; a++) {
            groups.append(a == 0 ? "" : ",")
                    .append("{\"type\": \"group\", \"userId\": \"u")
                    .append(a)
                    .append("\", \"groupId\": \"account-")
                    .append(a)
                    .append("\", \"traits\": {\"name\": \"Chaos ")
                    .append(a)
                    .append("\"}}");
        }
        sender.deliver(groups.append("]}").toString(), Instant.now().plusSeconds(30));
        waitUntil("the accounts are applied", Duration.ofSeconds(30), () -> accounts.count() >= ACCOUNTS);

        double interval = (double) BATCH / rate;
        Traffic traffic = new Traffic(sender, interval);
        Thread sending = new Thread(traffic, "chaos-sender");
        long started = System.nanoTime();
        sending.start();

        sleepSeconds(seconds * 0.3);
        queuePoison(source, "poison-before");
        sleepSeconds(seconds * 0.1);
        for (int r = 0; r < runs.count(); r++) {
            if (r > 0) {
                // Steady traffic again between two kills.
                sleepSeconds(Math.max(3, seconds * 0.15));
            }
            Postgres postgres = Postgres.of(dataDirectory);
            System.out.printf(
                    "Run %d: killing PostgreSQL (pid %d and %d more processes) after %.1f s of traffic, %,d events"
                            + " acknowledged%n",
                    r + 1, postgres.pid(), postgres.children(), seconds(started), traffic.acknowledged.get());
            Instant killed = Instant.now();
            traffic.recoveredAt.set(null);
            traffic.databaseBack.set(null);
            traffic.outageFrom.set(killed);
            postgres.kill();
            sleepSeconds(Math.max(2, seconds * 0.08));
            Instant restarting = Instant.now();
            postgres.start(dataDirectory);
            Instant accepting;
            try {
                accepting = postgres.awaitAccepting(Duration.ofSeconds(60), password(dataDirectory));
            } catch (RuntimeException e) {
                // The sender is not a daemon thread: stop it, or the JVM never exits.
                traffic.stop.set(true);
                sending.join();
                throw e;
            }
            System.out.printf(
                    "  PostgreSQL restarted %.1f s after the kill; crash recovery done and connections accepted %.1f s"
                            + " after starting it%n",
                    Duration.between(killed, restarting).toMillis() / 1e3,
                    Duration.between(restarting, accepting).toMillis() / 1e3);
            traffic.databaseBack.set(accepting);
            Instant deadline = accepting.plus(RECOVERY_DEADLINE);
            while (traffic.recoveredAt.get() == null && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Instant recovered = traffic.recoveredAt.get();
            if (recovered == null) {
                traffic.stop.set(true);
                sending.join();
                System.out.printf(
                        "FAIL Steward acknowledged no events within %d s of PostgreSQL accepting connections again;"
                                + " last answer: %s%n",
                        RECOVERY_DEADLINE.toSeconds(), traffic.lastFailure.get());
                System.out.printf("BENCH chaos recovery_s=%d s baseline=%.3f ratio=NaN%n", -1, interval);
                return 1;
            }
            double recovery = Duration.between(accepting, recovered).toMillis() / 1e3;
            System.out.printf(
                    "  Steward acknowledged events again %.2f s after PostgreSQL accepted connections (%.1f s after"
                            + " the kill)%n",
                    recovery, Duration.between(killed, recovered).toMillis() / 1e3);
            // Latencies count again outside the outage.
            traffic.outageFrom.set(null);
            runs.record(r, RECOVERY, recovery, interval);
        }
        queuePoison(source, "poison-after");
        double remaining = seconds - seconds(started);
        sleepSeconds(Math.max(3, remaining));
        traffic.stop.set(true);
        sending.join();
        double sendingSeconds = seconds(started);

        waitUntil(
                "the queue is applied",
                Duration.ofSeconds(120),
                () -> count("select count(*) from segment_batch") == 0
                        && count("select count(*) from segment_held") == 0);
        long stored = count(
                "select count(*) from segment_event where source_id = '" + source.id() + "' and type =" + " 'track'");
        long distinct = count("select count(distinct message_id) from segment_event where source_id = '" + source.id()
                + "' and type = 'track'");
        long counted = count("select coalesce(sum(value), 0) from segment_usage_daily where metric = 'events'");
        long quarantined = count("select count(*) from segment_quarantine where source_id = '" + source.id() + "'");
        long acknowledged = traffic.acknowledged.get();
        System.out.printf(
                "Sent %,d batches of %d aiming at %d events/s for %.1f s (%,.0f events/s achieved, the outage"
                        + " included): %,d track events acknowledged, %,d stored (%,d distinct), %,d counted in the"
                        + " daily usage rollups: %s%n",
                traffic.batches.get(),
                BATCH,
                rate,
                sendingSeconds,
                traffic.batches.get() * BATCH / sendingSeconds,
                acknowledged,
                stored,
                distinct,
                counted,
                acknowledged == stored && stored == distinct && stored == counted
                        ? "none lost, none counted twice"
                        : "MISMATCH");
        System.out.printf(
                "  Rightly refused at the door: %,d (a NUL in a trait or a time outside the accepted window, expected"
                        + " %,d); quarantined by the processor: %d of 2 poisoned messages; %,d requests unanswered or"
                        + " failed during the outage and sent again, %,d of their events already stored (stored once)%n",
                traffic.refused.get(),
                traffic.refusable.get(),
                quarantined,
                traffic.retries.get(),
                traffic.duplicates.get());
        System.out.printf(
                "  Steady interval between batches: %.3f s; p99 request latency outside the outage: %.1f ms%n",
                interval, traffic.p99());
        boolean good = acknowledged == stored
                && stored == distinct
                && stored == counted
                && traffic.refused.get() == traffic.refusable.get()
                && quarantined == 2;
        if (!good) {
            System.out.println("WARN events were lost, doubled, miscounted or wrongly refused");
        }
        runs.summary();
        runs.benchLines();
        return good ? 0 : 1;
    }

    private static final BenchRuns.Figure RECOVERY = new BenchRuns.Figure("recovery_s", "s", 3, 1);

    /** A group call the processor cannot apply, queued as a version that did not refuse NUL at the door stored it. */
    private void queuePoison(Source source, String messageId) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        String work = "[[\"" + messageId + "\", \"group\", \"poisoner\", null, \"poison\", null, \"" + day
                + "T00:00:00Z\", {\"name\": \"Poison\\u0000Corp\"}]]";
        jdbc.sql("""
                        insert into segment_batch (id, source_id, first_day, last_day, events, received_at, work)
                        values (nextval('segment_batch_id'), ?, ?, ?, 1, ?, ?)""")
                .params(source.id(), day, day, Timestamp.from(clock.instant()), work)
                .update();
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    /** Sends batches at a steady pace; a batch without an answer is sent again until one comes. */
    private static final class Traffic implements Runnable {
        final Sender sender;
        final double interval;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong refusable = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicReference<Instant> outageFrom = new AtomicReference<>();
        final AtomicReference<Instant> databaseBack = new AtomicReference<>();
        final AtomicReference<Instant> recoveredAt = new AtomicReference<>();
        final AtomicReference<String> lastFailure = new AtomicReference<>("none");
        final List<Double> millis = new ArrayList<>();

        Traffic(Sender sender, double interval) {
            this.sender = sender;
            this.interval = interval;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            for (int n = 0; !stop.get(); n++) {
                boolean poisoned = n % 10 == 5;
                String body = batch(n, poisoned);
                while (!stop.get()) {
                    long sentAt = System.nanoTime();
                    Optional<JsonNode> answer = sender.post(body);
                    if (answer.isPresent()) {
                        JsonNode result = answer.get();
                        // A batch sent again after its answer was lost (committed just before PostgreSQL died)
                        // comes back as duplicates: acknowledged now, stored once.
                        acknowledged.addAndGet(result.get("stored").asLong()
                                + result.get("duplicates").asLong());
                        duplicates.addAndGet(result.get("duplicates").asLong());
                        refused.addAndGet(result.get("rejected").asLong());
                        refusable.addAndGet(poisoned ? 2 : 0);
                        batches.incrementAndGet();
                        if (outageFrom.get() == null) {
                            synchronized (millis) {
                                millis.add((System.nanoTime() - sentAt) / 1e6);
                            }
                        }
                        if (databaseBack.get() != null && recoveredAt.get() == null) {
                            recoveredAt.set(Instant.now());
                        }
                        break;
                    }
                    lastFailure.set(sender.lastFailure);
                    retries.incrementAndGet();
                    pause(200_000_000L);
                }
                next += (long) (interval * 1e9);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    pause(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        }

        /** BATCH track events of the run's accounts; a poisoned batch carries two the door must refuse. */
        private String batch(int n, boolean poisoned) {
            StringBuilder body = new StringBuilder(BATCH * 160);
            body.append("{\"batch\": [");
            String now = Instant.now().toString();
            for (int i = 0; i < BATCH; i++) {
                int account = (n * BATCH + i) % ACCOUNTS;
                body.append(i == 0 ? "" : ",")
                        .append("{\"type\": \"track\", \"event\": \"Signed In\", \"messageId\": \"b")
                        .append(n)
                        .append("-")
                        .append(i)
                        .append("\", \"userId\": \"u")
                        .append(account)
                        .append("\", \"timestamp\": \"")
                        .append(now)
                        .append("\", \"context\": {\"groupId\": \"account-")
                        .append(account)
                        .append("\"}}");
            }
            if (poisoned) {
                body.append(", {\"type\": \"group\", \"userId\": \"u0\", \"groupId\": \"account-0\", \"messageId\":"
                                + " \"nul-")
                        .append(n)
                        .append("\", \"traits\": {\"name\": \"Nul\\u0000Corp\"}}")
                        .append(", {\"type\": \"track\", \"event\": \"Signed In\", \"userId\": \"u0\", \"messageId\":"
                                + " \"old-")
                        .append(n)
                        .append("\", \"timestamp\": \"1100-01-01T00:00:00Z\", \"context\": {\"groupId\":"
                                + " \"account-0\"}}");
            }
            return body.append("]}").toString();
        }

        double p99() {
            synchronized (millis) {
                if (millis.isEmpty()) {
                    return 0;
                }
                List<Double> sorted = new ArrayList<>(millis);
                sorted.sort(null);
                return sorted.get(Math.max(0, (int) Math.ceil(0.99 * sorted.size()) - 1));
            }
        }

        private static void pause(long nanos) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Posts batches with the source's write key; an answer other than 200 or 207 counts as none. */
    private final class Sender {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        private final URI uri;
        private final String authorization;
        volatile String lastFailure = "none";

        Sender(String base, String key) {
            this.uri = URI.create(base + "/v1/batch");
            this.authorization =
                    "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        }

        Optional<JsonNode> post(String body) {
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", authorization)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 || answer.statusCode() == 207) {
                    return Optional.of(json.readTree(answer.body()));
                }
                lastFailure = answer.statusCode() + " " + abbreviate(answer.body());
            } catch (IOException e) {
                lastFailure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastFailure = "interrupted";
            }
            return Optional.empty();
        }

        void deliver(String body, Instant deadline) {
            while (post(body).isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Steward did not take the accounts: " + lastFailure);
                }
                sleepSeconds(0.2);
            }
        }

        private static String abbreviate(String text) {
            return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
        }
    }

    /**
     * The embedded PostgreSQL as processes: killed with SIGKILL, all of them, and started again with the command line
     * it ran with, on the same data directory and port.
     */
    private record Postgres(long pid, List<ProcessHandle> processes, List<String> command, int port) {

        static Postgres of(Path dataDirectory) throws IOException {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).strip());
            int port = Integer.parseInt(lines.get(3).strip());
            ProcessHandle postmaster = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL's process " + pid + " is not running"));
            List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // PostgreSQL refuses to run as root; the embedded server runs in a user namespace of its own, as here.
                command.addAll(List.of("unshare", "-U"));
            }
            command.add(postmaster
                    .info()
                    .command()
                    .orElseThrow(() -> new IllegalStateException("cannot read PostgreSQL's command line")));
            command.addAll(List.of(postmaster.info().arguments().orElse(new String[0])));
            List<ProcessHandle> processes =
                    new ArrayList<>(postmaster.descendants().toList());
            processes.add(0, postmaster);
            return new Postgres(pid, processes, command, port);
        }

        int children() {
            return processes.size() - 1;
        }

        void kill() throws InterruptedException {
            processes.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle process : processes) {
                process.onExit().join();
            }
        }

        /** Starts the server as it ran before; it recovers from the crash before it accepts connections. */
        void start(Path dataDirectory) throws IOException {
            File log = dataDirectory.resolveSibling("postgres-restarted.log").toFile();
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
        }

        Instant awaitAccepting(Duration timeout, String password) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                try (var connection = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=1", "postgres", password)) {
                    return Instant.now();
                } catch (java.sql.SQLException notYet) {
                    Thread.sleep(50);
                }
            }
            throw new IllegalStateException("PostgreSQL did not accept connections within " + timeout);
        }
    }

    /**
     * The password the embedded PostgreSQL lets Steward in with, kept beside its data directory; without it the
     * server, once back, refused every attempt and the benchmark waited out its minute.
     */
    private static String password(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolveSibling("postgres-password");
        return Files.exists(file) ? Files.readString(file).strip() : "";
    }

    private static void waitUntil(String what, Duration timeout, java.util.function.BooleanSupplier done) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Gave up waiting until " + what + " after " + timeout);
            }
            sleepSeconds(0.1);
        }
    }

    private static void sleepSeconds(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
