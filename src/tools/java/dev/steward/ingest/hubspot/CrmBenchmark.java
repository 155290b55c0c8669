package dev.steward.ingest.hubspot;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import dev.steward.core.BenchRuns;
import dev.steward.core.CommandOptions;
import dev.steward.core.SecretBox;
import dev.steward.core.SubCommand;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.OpportunityManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.csv.CsvBaseline;
import dev.steward.ingest.hubspot.HubspotStore.Feed;
import dev.steward.ingest.sync.CrmCompanies;
import dev.steward.ingest.sync.FeedCursors;
import dev.steward.ingest.sync.PullSources;
import dev.steward.ingest.sync.SyncRuns;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code bench crm}: the first sync of a HubSpot account (companies with their parents, contacts, deals) from a fake
 * HubSpot on WireMock that enforces HubSpot's limit for a private app (100 requests in any 10 seconds, a 429 past it):
 * the share of that allowed rate the sync used, and the records it stored a second, next to the CSV import of the same
 * records (accounts, contacts, opportunities) measured in the same run.
 */
@Component
class CrmBenchmark implements SubCommand {

    private static final BenchRuns.Figure RECORDS = new BenchRuns.Figure("records_per_s", "records/s", 0, 3);
    private static final BenchRuns.Figure SHARE = new BenchRuns.Figure("rate_share", "", 2, 2, 0);
    private static final double REQUIRED_SHARE = 0.9;

    private final FeedCursors cursors;
    private final SyncRuns runs;
    private final PullSources pullSources;
    private final HubspotStore store;
    private final SecretBox secrets;
    private final OneTimeTask<HubspotJobs.Pull> pullTask;
    private final CrmCompanies companies;
    private final Sources sources;
    private final ContactManagement contacts;
    private final OpportunityManagement opportunities;
    private final PlatformTransactionManager transactions;
    private final CsvBaseline csv;
    private final HubspotMapping mapping;
    private final ObjectMapper json;
    private final Clock clock;

    CrmBenchmark(
            FeedCursors cursors,
            SyncRuns runs,
            PullSources pullSources,
            HubspotStore store,
            SecretBox secrets,
            OneTimeTask<HubspotJobs.Pull> hubspotPullTask,
            CrmCompanies companies,
            Sources sources,
            ContactManagement contacts,
            OpportunityManagement opportunities,
            PlatformTransactionManager transactions,
            CsvBaseline csv,
            HubspotMapping mapping,
            ObjectMapper json,
            Clock clock) {
        this.cursors = cursors;
        this.runs = runs;
        this.pullSources = pullSources;
        this.store = store;
        this.secrets = secrets;
        this.pullTask = hubspotPullTask;
        this.companies = companies;
        this.sources = sources;
        this.contacts = contacts;
        this.opportunities = opportunities;
        this.transactions = transactions;
        this.csv = csv;
        this.mapping = mapping;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bench crm";
    }

    @Override
    public String usage() {
        return "[--small] [--companies 100000] [--contacts 300000] [--deals 50000] [--runs 3]"
                + " --steward.database.data-dir=/tmp/bench-crm  the first sync of a HubSpot account from a fake HubSpot"
                + " (WireMock) that allows 100 requests in any 10 seconds: the share of that rate it used and the"
                + " records stored a second, beside the CSV import of the same records; one run syncs a new account"
                + " (--small: 2,000 companies, 6,000 contacts, 1,000 deals), after a warm-up of a tenth of it";
    }

    @Override
    public int run(List<String> arguments) throws Exception {
        CommandOptions options = new CommandOptions(arguments);
        boolean small = options.has("small");
        FakeHubspot.Portal size = new FakeHubspot.Portal(
                "",
                options.getInt("companies", small ? 2_000 : 100_000),
                options.getInt("contacts", small ? 6_000 : 300_000),
                options.getInt("deals", small ? 1_000 : 50_000));
        if (size.companies() < 10 || size.contacts() < 0 || size.deals() < 0) {
            System.err.println("--companies must be at least 10, --contacts and --deals at least 0");
            return 2;
        }
        try (FakeHubspot hubspot = new FakeHubspot()) {
            HubspotProperties properties =
                    new HubspotProperties(hubspot.url(), null, null, null, null, null, null, null, null, null, null);
            HubspotPulls pulls = new HubspotPulls(
                    new HubspotApi(properties, json, clock),
                    companies,
                    cursors,
                    runs,
                    sources,
                    contacts,
                    opportunities,
                    properties,
                    mapping,
                    transactions,
                    clock);
            BenchRuns bench = BenchRuns.start("crm", options);
            System.out.printf(
                    "A HubSpot account of %,d companies (every tenth the parent of the nine after it), %,d contacts and"
                            + " %,d deals, at most %d requests in any 10 seconds%n",
                    size.companies(), size.contacts(), size.deals(), FakeHubspot.LIMIT);
            String run = Long.toString(clock.millis(), 36);
            FakeHubspot.Portal warm = new FakeHubspot.Portal(
                    "warm-" + run, Math.max(10, size.companies() / 10), size.contacts() / 10, size.deals() / 10);
            if (once("Warm-up", hubspot, pulls, warm) == null) {
                return 1;
            }
            long refused = 0;
            for (int r = 0; r < bench.count(); r++) {
                FakeHubspot.Portal portal = new FakeHubspot.Portal(
                        "r" + (r + 1) + "-" + run, size.companies(), size.contacts(), size.deals());
                Outcome outcome = once("Run " + (r + 1), hubspot, pulls, portal);
                if (outcome == null) {
                    return 1;
                }
                refused += outcome.refused();
                bench.record(r, RECORDS, outcome.recordsPerSecond(), outcome.csvRecordsPerSecond());
                bench.record(r, SHARE, outcome.share(), 1);
            }
            bench.summary();
            double share = bench.series(SHARE.name()).values().median();
            if (refused > 0) {
                System.out.printf("FAIL HubSpot's limit was exceeded: %,d requests answered 429%n", refused);
            } else {
                System.out.println("HubSpot's limit was never exceeded (no request answered 429)");
            }
            if (share < REQUIRED_SHARE) {
                System.out.printf(
                        Locale.ROOT,
                        "WARN the first sync used %.2f of the allowed request rate, below the %.2f required%n",
                        share,
                        REQUIRED_SHARE);
            }
            bench.benchLines();
            return refused > 0 ? 1 : 0;
        }
    }

    /** One run's figures: records stored a second, the CSV import's, the share of the rate used, the 429s. */
    private record Outcome(double recordsPerSecond, double csvRecordsPerSecond, double share, long refused) {}

    /**
     * Connects a new source to a new private app of the fake HubSpot, pulls its three feeds (the first load) and times
     * it; then imports the same records from CSV files into a CSV source and times that. Null (having said why) when
     * the sync did not store every record.
     */
    private Outcome once(String label, FakeHubspot hubspot, HubspotPulls pulls, FakeHubspot.Portal portal)
            throws IOException {
        String token = "pat-na1-bench-" + portal.tag();
        hubspot.add(token, portal);
        String name = "hubspot-" + portal.tag();
        pullSources.connect(
                name,
                Source.Kind.hubspot,
                new HubspotStore.Settings(62515, "app.hubspot.com", null, null, false, null),
                secrets.seal(token),
                30,
                true,
                pullTask,
                new HubspotJobs.Pull(SyncRuns.Trigger.manual));
        Source source = pullSources.source(name, Source.Kind.hubspot, "HubSpot source");
        var connection = store.connection(source.id()).orElseThrow();
        long started = System.nanoTime();
        for (Feed feed : List.of(Feed.companies, Feed.contacts, Feed.deals)) {
            if (!pulls.pull(source, connection, token, feed, SyncRuns.Trigger.manual)) {
                System.err.println("The " + feed + " of " + name + " failed: "
                        + runs.latest(source.id(), 1).get(0).failure());
                return null;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %s: %s; requests from the first to the last over %.1f s%n",
                name,
                String.join(
                        ", ",
                        runs.latest(source.id(), 3).stream()
                                .sorted(java.util.Comparator.comparing(SyncRuns.Run::startedAt))
                                .map(r -> String.format(Locale.ROOT, "%s %.1f s", r.feed(), r.seconds()))
                                .toList()),
                hubspot.traffic(token).span());
        long created = runs.latest(source.id(), 3).stream()
                .mapToLong(r -> r.counts().created())
                .sum();
        if (created != portal.records()) {
            System.err.printf(
                    "The sync of %s stored %,d of %,d records: %s%n",
                    name, created, portal.records(), runs.latest(source.id(), 3));
            return null;
        }
        FakeHubspot.Traffic traffic = hubspot.traffic(token);
        double share = traffic.answered() / (seconds * FakeHubspot.LIMIT / 10.0);
        double rate = portal.records() / seconds;
        double csvRate = csvImport(portal);
        System.out.printf(
                Locale.ROOT,
                "%s: first sync of %,d records (%,d companies, %,d contacts, %,d deals) in %,d requests, %.1f s ="
                        + " %.2f of the allowed rate, %,.0f records/s stored, %,d requests answered 429; the CSV"
                        + " import of the same records: %,.0f records/s%n",
                label,
                portal.records(),
                portal.companies(),
                portal.contacts(),
                portal.deals(),
                traffic.answered(),
                seconds,
                share,
                rate,
                traffic.refused(),
                csvRate);
        return new Outcome(rate, csvRate, share, traffic.refused());
    }

    /** The same records as CSV files (accounts with their parent, contacts, opportunities), imported; records a second. */
    private double csvImport(FakeHubspot.Portal portal) throws IOException {
        Path accounts = Files.createTempFile("steward-bench-crm-accounts", ".csv");
        Path people = Files.createTempFile("steward-bench-crm-contacts", ".csv");
        Path deals = Files.createTempFile("steward-bench-crm-opportunities", ".csv");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(accounts, StandardCharsets.UTF_8)) {
                out.write("externalId,name,parentExternalId\n");
                for (int i = 1; i <= portal.companies(); i++) {
                    int head = i - (i - 1) % 10;
                    out.write(i + ",Company " + i + "," + (head == i ? "" : Integer.toString(head)) + "\n");
                }
            }
            try (BufferedWriter out = Files.newBufferedWriter(people, StandardCharsets.UTF_8)) {
                out.write("externalId,accountExternalId,name,email,title,role\n");
                for (int i = 1; i <= portal.contacts(); i++) {
                    int company = (i - 1) % portal.companies() + 1;
                    out.write(i + "," + company + ",First" + i + " Last" + i + ",p" + i + "@c" + company + "."
                            + portal.tag() + ".example,Operations lead," + (i % 2 == 0 ? "champion" : "end_user")
                            + "\n");
                }
            }
            try (BufferedWriter out = Files.newBufferedWriter(deals, StandardCharsets.UTF_8)) {
                out.write("externalId,accountExternalId,name,type,amount,stage,closeDate\n");
                String[] types = {"new", "expansion", "renewal"};
                for (int i = 1; i <= portal.deals(); i++) {
                    int company = (i - 1) % portal.companies() + 1;
                    out.write(i + "," + company + ",Deal " + i + "," + types[i % 3] + "," + (1_000 + (i * 37) % 90_000)
                            + ".50,contractsent,2026-" + String.format(Locale.ROOT, "%02d", i % 12 + 1) + "-28\n");
                }
            }
            String source = "csv-" + portal.tag();
            long started = System.nanoTime();
            long taken = csv.importFile(source, "accounts", accounts)
                    + csv.importFile(source, "contacts", people)
                    + csv.importFile(source, "opportunities", deals);
            return taken / ((System.nanoTime() - started) / 1e9);
        } finally {
            Files.deleteIfExists(accounts);
            Files.deleteIfExists(people);
            Files.deleteIfExists(deals);
        }
    }
}
