package dev.steward.demo;

import dev.steward.core.BenchRuns;
import dev.steward.core.BulkResult;
import dev.steward.core.CommandOptions;
import dev.steward.core.Ids;
import dev.steward.core.SubCommand;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountQuery;
import dev.steward.customer.ContractInput;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.ContractStatus;
import dev.steward.customer.LifecycleStage;
import dev.steward.demo.DemoHistory.Term;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bench accounts}: the bulk upsert rate and the first-page latency of the accounts list (API and page) with
 * 100,000 demo accounts, each next to a baseline measured in the same run: PostgreSQL {@code COPY} of the same rows,
 * and the same list queries run in-process without HTTP.
 */
@Component
class AccountsBenchmark implements SubCommand {

    private static final String SOURCE = "bench";
    private static final int BATCH = 1_000;
    private static final double TARGET_P95_MILLIS = 100;
    private static final double TARGET_UPSERTS_PER_SECOND = 5_000;
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern CSRF_HEADER = Pattern.compile("name=\"csrf-header\" content=\"([^\"]+)\"");

    private final AccountManagement accounts;
    private final ContractManagement contracts;
    private final UserManagement users;
    private final DataSource dataSource;
    private final ApplicationContext context;
    private final ObjectMapper json;
    private final Clock clock;

    AccountsBenchmark(
            AccountManagement accounts,
            ContractManagement contracts,
            UserManagement users,
            DataSource dataSource,
            ApplicationContext context,
            ObjectMapper json,
            Clock clock) {
        this.accounts = accounts;
        this.contracts = contracts;
        this.users = users;
        this.dataSource = dataSource;
        this.context = context;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench accounts";
    }

    @Override
    public String usage() {
        return "[--small] [--accounts 100000] [--runs 3] --steward.database.data-dir=/tmp/bench-accounts  time bulk"
                + " upsert and the accounts list; needs an empty database (a fresh data directory); the accounts are"
                + " written in runs+1 equal slices of new accounts (the first warms up), so one upsert run inserts"
                + " accounts/(runs+1) new accounts and COPYs the same rows; then one list run is the same requests"
                + " each way (API, page, in-process) on all the accounts";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        int count = options.getInt("accounts", small ? 2_000 : 100_000);
        int warmUp = small ? 50 : 200;
        int requests = small ? 200 : 1_000;
        if (refusesNonEmpty(accounts.count())) {
            return 1;
        }
        BenchRuns runs = BenchRuns.start("accounts", options);
        if (!(context instanceof WebServerApplicationContext web)) {
            System.err.println("bench accounts measures the web server, but none is running");
            return 1;
        }
        String base = "http://127.0.0.1:" + web.getWebServer().getPort();

        UUID[] owners = new UUID[DemoCompany.CSMS];
        for (int i = 0; i < DemoCompany.CSMS; i++) {
            owners[i] = users.createIfAbsent(DemoCompany.csmEmail(i), DemoCompany.csmName(i), Role.CSM)
                    .id();
        }
        long started = System.nanoTime();
        DemoCompany company = new DemoCompany(42, LocalDate.now(clock));
        List<Generated> generated = IntStream.range(0, count)
                .parallel()
                .mapToObj(company::generate)
                .map(h -> new Generated(DemoLoader.account(h, owners), currentContract(h)))
                .toList();
        System.out.printf("Generated %,d demo accounts in %.1f s%n", count, seconds(started));

        // New accounts in every run: the accounts in runs+1 slices, the first to warm up.
        int slices = runs.count() + 1;
        int slice = count / slices;
        for (int r = -1; r < runs.count(); r++) {
            int from = (r + 1) * slice;
            int to = r == runs.count() - 1 ? count : from + slice;
            List<Generated> part = generated.subList(from, to);
            List<AccountInput> inputs = part.stream().map(Generated::account).toList();
            double upserts = upsertRate(inputs);
            double copies = copyRate(inputs);
            double contractRate =
                    contractRate(part.stream().map(Generated::contract).toList());
            System.out.printf(
                    "%s: bulk upsert of %,d new accounts in batches of %,d: %,.0f accounts/s (PostgreSQL COPY of the"
                            + " same rows into an unindexed table: %,.0f rows/s); one contract per account: %,.0f"
                            + " contracts/s%n",
                    r < 0 ? "Warm-up" : "Run " + (r + 1), inputs.size(), BATCH, upserts, copies, contractRate);
            if (r >= 0) {
                runs.record(r, UPSERT, upserts, copies);
            }
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            // A database in use has statistics from autovacuum; the benchmark does not wait for it.
            statement.execute("analyze");
        }

        List<ListRequest> mix = mix(owners);
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String key = signInAndCreateKey(browser, base);
        HttpClient program = HttpClient.newHttpClient();
        Latencies inProcess = Latencies.none();
        Latencies api = Latencies.none();
        Latencies html = Latencies.none();
        for (int r = 0; r < runs.count(); r++) {
            // The first run warms each way up first.
            int warm = r == 0 ? warmUp : 0;
            Latencies inProcessRun = measure(mix, warm, requests, q -> {
                accounts.list(q.query());
                return q.label();
            });
            Latencies apiRun = measure(
                    mix, warm, requests, q -> get(program, base + "/api/v1/accounts?" + q.apiParameters(), key, q));
            Latencies htmlRun =
                    measure(mix, warm, requests, q -> get(browser, base + "/accounts?" + q.pageParameters(), null, q));
            runs.record(r, LIST_HTML, htmlRun.p95(), inProcessRun.p95());
            runs.record(r, LIST_API, apiRun.p95(), inProcessRun.p95());
            inProcess = inProcess.and(inProcessRun);
            api = api.and(apiRun);
            html = html.and(htmlRun);
        }

        System.out.printf(
                "Accounts list on %,d accounts, first page of 50, filtered and sorted (%d kinds of query in turn, %,d"
                        + " requests each way per run after %,d to warm up, one at a time); all runs together:%n",
                count, mix.size() / owners.length, requests, warmUp);
        System.out.println("  Client-side latency over loopback, an upper bound of the server time:");
        api.print("API  (GET /api/v1/accounts, API key)");
        html.print("Page (GET /accounts, signed in)");
        inProcess.print("Baseline: AccountManagement.list in-process (SQL and row mapping, no HTTP)");
        runs.summary();

        double upserts = runs.series(UPSERT.name()).values().median();
        double apiP95 = runs.series(LIST_API.name()).values().median();
        double htmlP95 = runs.series(LIST_HTML.name()).values().median();
        List<String> warnings = new ArrayList<>();
        if (upserts < TARGET_UPSERTS_PER_SECOND) {
            warnings.add(String.format(
                    "bulk upsert %,.0f accounts/s is below the target of %,.0f", upserts, TARGET_UPSERTS_PER_SECOND));
        }
        if (apiP95 > TARGET_P95_MILLIS) {
            warnings.add(
                    String.format("API list p95 %.1f ms is above the target of %.0f ms", apiP95, TARGET_P95_MILLIS));
        }
        if (htmlP95 > TARGET_P95_MILLIS) {
            warnings.add(
                    String.format("page list p95 %.1f ms is above the target of %.0f ms", htmlP95, TARGET_P95_MILLIS));
        }
        warnings.forEach(w -> System.out.println("WARN " + w));
        runs.benchLines();
        return 0;
    }

    private static final BenchRuns.Figure UPSERT = new BenchRuns.Figure("bulk_upsert", "accounts/s", 0, 3);
    private static final BenchRuns.Figure LIST_HTML = new BenchRuns.Figure("list_p95_html", "ms", 2, 1);
    private static final BenchRuns.Figure LIST_API = new BenchRuns.Figure("list_p95_api", "ms", 2, 1);

    /** One demo account and the contract that sets its ARR and renewal date. */
    private record Generated(AccountInput account, ContractInput contract) {}

    /** The account's latest contract: active unless the account churned, standing alone (no renewal chain). */
    private static ContractInput currentContract(DemoHistory h) {
        Term t = h.terms().get(h.terms().size() - 1);
        return new ContractInput(
                t.externalId(),
                null,
                h.profile().externalId(),
                t.start(),
                t.end(),
                t.arr(),
                t.seats(),
                t.plan(),
                ContractStatus.valueOf(t.status().toUpperCase()),
                t.autoRenew(),
                null,
                null);
    }

    private double upsertRate(List<AccountInput> inputs) {
        long started = System.nanoTime();
        inBatches(inputs, batch -> accounts.upsert(SOURCE, batch, false));
        return inputs.size() / seconds(started);
    }

    private double contractRate(List<ContractInput> inputs) {
        long started = System.nanoTime();
        inBatches(inputs, batch -> contracts.upsert(SOURCE, batch, false));
        return inputs.size() / seconds(started);
    }

    private static <T> void inBatches(List<T> records, Function<List<T>, BulkResult> upsert) {
        for (int from = 0; from < records.size(); from += BATCH) {
            BulkResult result = upsert.apply(records.subList(from, Math.min(records.size(), from + BATCH)));
            if (result.rejected() > 0) {
                throw new IllegalStateException("The API refused benchmark records: " + result.errors());
            }
        }
    }

    /**
     * The baseline for the upsert: the same account rows (id, name, tier, industry, region, employees, owner) sent
     * with COPY into a table without indexes, the fastest way PostgreSQL takes them in.
     */
    private double copyRate(List<AccountInput> inputs) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table bench_account_copy (id uuid, name text, tier text, industry text,"
                    + " region text, employees integer, owner_id uuid)");
            try {
                long started = System.nanoTime();
                CopyIn copy =
                        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_account_copy from stdin");
                ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 17);
                StringBuilder line = new StringBuilder(200);
                for (AccountInput a : inputs) {
                    line.setLength(0);
                    line.append(Ids.newId()).append('\t');
                    field(line, a.name()).append('\t');
                    field(line, a.tier()).append('\t');
                    field(line, a.industry()).append('\t');
                    field(line, a.region()).append('\t');
                    field(line, a.employees()).append('\t');
                    field(line, a.ownerId()).append('\n');
                    buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
                    if (buffer.size() >= 1 << 16) {
                        copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                        buffer.reset();
                    }
                }
                copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                copy.endCopy();
                return inputs.size() / seconds(started);
            } finally {
                statement.execute("drop table bench_account_copy");
            }
        }
    }

    /** Appends a value in COPY's text format. */
    private static StringBuilder field(StringBuilder line, Object value) {
        if (value == null) {
            return line.append("\\N");
        }
        String text = value.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
        return line;
    }

    /** One kind of first-page request, as the API, the page and in-process code spell it. */
    private record ListRequest(String label, String apiParameters, String pageParameters, AccountQuery query) {}

    /**
     * What people ask the list most, in equal shares: a segment by ARR, a name search, one specific customer by name,
     * a CSM's renewals (each CSM in turn), an ARR band and recent changes.
     */
    private static List<ListRequest> mix(UUID[] owners) {
        List<ListRequest> mix = new ArrayList<>();
        for (UUID owner : owners) {
            mix.add(request("tier=Enterprise&sort=-arr", "tier=Enterprise&sort=-arr", query("Enterprise", "-arr")));
            mix.add(request("q=harbor&sort=name", "q=harbor&sort=name", search("harbor")));
            mix.add(request("q=granite+peak&sort=name", "q=granite+peak&sort=name", search("granite peak")));
            mix.add(request(
                    "ownerId=" + owner + "&lifecycleStage=renewal&sort=renewalDate",
                    "ownerId=" + owner + "&lifecycleStage=RENEWAL&sort=renewalDate",
                    new AccountQuery(
                            null, null, owner, LifecycleStage.RENEWAL, null, null, null, "renewalDate", 50, null)));
            mix.add(request(
                    "minArr=50000&maxArr=250000&sort=-arr",
                    "minArr=50000&maxArr=250000&sort=-arr",
                    new AccountQuery(
                            null,
                            null,
                            null,
                            null,
                            BigDecimal.valueOf(50_000),
                            BigDecimal.valueOf(250_000),
                            null,
                            "-arr",
                            50,
                            null)));
            mix.add(request("sort=-updatedAt", "sort=-updatedAt", query(null, "-updatedAt")));
        }
        return mix;
    }

    private static ListRequest request(String api, String page, AccountQuery query) {
        String label = api.replaceAll("ownerId=[0-9a-f-]+", "ownerId=<csm>");
        return new ListRequest(label, api + "&limit=50", page, query);
    }

    private static AccountQuery query(String tier, String sort) {
        return new AccountQuery(null, tier, null, null, null, null, null, sort, 50, null);
    }

    private static AccountQuery search(String text) {
        return new AccountQuery(text, null, null, null, null, null, null, "name", 50, null);
    }

    /** Runs through the mix in turn, first to warm up, then timing each request. */
    private static Latencies measure(
            List<ListRequest> mix, int warmUp, int requests, ThrowingFunction<ListRequest, String> send)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            send.apply(mix.get(i % mix.size()));
        }
        List<String> labels = new ArrayList<>(requests);
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            ListRequest request = mix.get(i % mix.size());
            long started = System.nanoTime();
            labels.add(send.apply(request));
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        return new Latencies(labels, millis);
    }

    /** A function that may throw, as sending an HTTP request may. */
    private interface ThrowingFunction<T, R> {
        R apply(T value) throws Exception;
    }

    private static String get(HttpClient client, String url, String key, ListRequest request)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", "gzip");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        return request.label();
    }

    /**
     * Signs a benchmark administrator in with the sign-in form (the page needs a session) and creates a read-only
     * API key through the API, the way a person would for a program.
     */
    private String signInAndCreateKey(HttpClient browser, String base) throws IOException, InterruptedException {
        String email = "bench-admin@steward.local";
        String password = UUID.randomUUID().toString();
        User admin = users.createIfAbsent(email, "Benchmark Administrator", Role.ADMIN, password);
        String loginPage = send(browser, HttpRequest.newBuilder(URI.create(base + "/login")), 200);
        String form = "email=" + encode(admin.email()) + "&password=" + encode(password) + "&_csrf="
                + encode(find(CSRF_FIELD, loginPage));
        HttpResponse<String> signedIn = browser.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String location = signedIn.headers().firstValue("Location").orElse("");
        if (signedIn.statusCode() != 302 || location.contains("error")) {
            throw new IllegalStateException("Signing in failed: " + signedIn.statusCode() + " " + location);
        }
        // Signing in replaces the CSRF token, so the API call takes the new one from a page.
        String page = send(browser, HttpRequest.newBuilder(URI.create(base + "/accounts")), 200);
        String created = send(
                browser,
                HttpRequest.newBuilder(URI.create(base + "/api/v1/api-keys"))
                        .header("Content-Type", "application/json")
                        .header(find(CSRF_HEADER, page), find(CSRF_META, page))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"bench accounts\", \"scope\": \"read\"}")),
                201);
        return json.readTree(created).get("secret").asString();
    }

    private static String send(HttpClient client, HttpRequest.Builder request, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String find(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + pattern + " in the page");
        }
        return matcher.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** Latencies of a run in milliseconds, each with the kind of request it was. */
    private record Latencies(List<String> labels, double[] millis) {

        static Latencies none() {
            return new Latencies(List.of(), new double[0]);
        }

        /** These latencies and the other's together. */
        Latencies and(Latencies other) {
            List<String> allLabels = new ArrayList<>(labels);
            allLabels.addAll(other.labels);
            double[] all = Arrays.copyOf(millis, millis.length + other.millis.length);
            System.arraycopy(other.millis, 0, all, millis.length, other.millis.length);
            return new Latencies(allLabels, all);
        }

        double p95() {
            return percentile(millis, 0.95);
        }

        void print(String title) {
            System.out.printf(
                    "  %s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    title, percentile(millis, 0.5), p95(), percentile(millis, 0.99), percentile(millis, 1));
            labels.stream().distinct().forEach(label -> {
                double[] of = IntStream.range(0, millis.length)
                        .filter(i -> labels.get(i).equals(label))
                        .mapToDouble(i -> millis[i])
                        .toArray();
                System.out.printf(
                        "      %-55s p50 %7.2f ms, p95 %7.2f ms%n", label, percentile(of, 0.5), percentile(of, 0.95));
            });
        }

        /** Nearest-rank percentile. */
        private static double percentile(double[] values, double quantile) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(quantile * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }
}
