package dev.steward.ingest.pendo;

import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.ingest.pendo.PendoStore.Feed;
import dev.steward.ingest.sync.RecordRefused;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Pulls one Pendo feed of a source into usage, in its own sync run: a slice of days at a time from the feed's cursor
 * (the first time, the back-fill's first day) to today, each slice one aggregation whose rows are summed per account,
 * day and metric and written in one transaction, after which the cursor moves on. Activity gives each account's active
 * visitors (distinct visitors of the day) and minutes in the app; features, pages and track events give the events of
 * each mapped item, summed into its metric. A Pendo account that names no Steward account (by external id in the
 * accounts source) has its values held, and written by the first pull after such an account appears. A row that cannot
 * be read is rejected into the run's errors and the rest goes on. The last day is read again by the next pull, since
 * Pendo processes events late; a value read again replaces the one stored.
 */
@Service
class PendoPulls {

    private static final Logger log = LoggerFactory.getLogger(PendoPulls.class);

    /** One account's value of a metric on a day, its account named as Pendo names it. */
    private record Value(String account, String metric, LocalDate day) {}

    private final PendoApi api;
    private final PendoStore store;
    private final SyncRuns runs;
    private final Sources sources;
    private final AccountManagement accounts;
    private final UsageRecorder usage;
    private final PendoProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PendoPulls(
            PendoApi api,
            PendoStore store,
            SyncRuns runs,
            Sources sources,
            AccountManagement accounts,
            UsageRecorder usage,
            PendoProperties properties,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.api = api;
        this.store = store;
        this.runs = runs;
        this.sources = sources;
        this.accounts = accounts;
        this.usage = usage;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Pulls the feed from its cursor to today in a run of its own; false when it failed (Pendo refused or stopped
     * answering), which the run says why. A feed of features, pages or track events with nothing mapped reads nothing
     * and keeps no cursor, so that mapping one later back-fills it.
     */
    boolean pull(
            Source source,
            PendoStore.Settings settings,
            PendoApi.Credentials credentials,
            Feed feed,
            SyncRuns.Trigger trigger) {
        if (feed == Feed.accounts) {
            return accounts(source, settings, credentials, trigger);
        }
        ZoneId zone = ZoneId.of(settings.timeZone());
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate cursor = store.cursor(source.id(), feed).orElse(null);
        LocalDate from = cursor != null ? cursor : today.minusMonths(settings.backfillMonths());
        UUID run = runs.start(
                source.id(), feed.name(), trigger, cursor == null ? null : cursor.toString(), clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        Map<String, String> metricOf = new HashMap<>();
        settings.of(feed).forEach(m -> metricOf.put(m.id(), m.metric()));
        if (feed != Feed.activity && metricOf.isEmpty()) {
            tally.succeed(runs, run, calls, null, clock.instant());
            return true;
        }
        LocalDate next = cursor;
        try {
            if (feed == Feed.activity) {
                release(source, settings, tally);
            }
            int number = 0;
            for (LocalDate first = from; !first.isAfter(today); first = first.plusDays(properties.daysPerRequest())) {
                number++;
                int count = (int) Math.min(properties.daysPerRequest(), ChronoUnit.DAYS.between(first, today) + 1);
                LocalDate last = first.plusDays(count - 1L);
                List<JsonNode> rows =
                        api.aggregate(source.id(), credentials, PendoRows.request(feed, first, count, zone), calls);
                LocalDate sliceFirst = first;
                int slice = number;
                transactions.executeWithoutResult(
                        status -> write(source, settings, feed, metricOf, zone, rows, sliceFirst, last, slice, tally));
                // The last day is read again next time: Pendo processes events some minutes after they happen.
                next = last.isBefore(today) ? last.plusDays(1) : today;
                store.saveCursor(source.id(), feed, next, clock.instant());
            }
            tally.succeed(runs, run, calls, next == null ? null : next.toString(), clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, next, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Pendo {} of {} failed", feed, source.name(), e);
            fail(run, tally, calls, next, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void fail(UUID run, RunTally tally, VendorHttp.Calls calls, @Nullable LocalDate next, String why) {
        tally.fail(
                runs,
                run,
                calls,
                next == null ? null : next.toString(),
                why,
                "the next pull reads this feed again from the day it got to (days read twice change nothing)",
                clock.instant());
    }

    /**
     * Reads every Pendo account's metadata and writes the fields an administrator lets Pendo fill on the accounts
     * Steward has (those fields only, under the accounts source); Pendo accounts Steward does not have are skipped.
     * Nothing is read while no field is.
     */
    private boolean accounts(
            Source source, PendoStore.Settings settings, PendoApi.Credentials credentials, SyncRuns.Trigger trigger) {
        UUID run = runs.start(source.id(), Feed.accounts.name(), trigger, null, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        try {
            if (!settings.accountFields().isEmpty()) {
                List<JsonNode> rows = api.aggregate(source.id(), credentials, PendoRows.accounts(), calls);
                transactions.executeWithoutResult(status -> writeAccounts(source, settings, rows, tally));
            }
            tally.succeed(runs, run, calls, null, clock.instant());
            return true;
        } catch (VendorHttp.Refused e) {
            fail(run, tally, calls, null, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("Pull of Pendo accounts of {} failed", source.name(), e);
            fail(run, tally, calls, null, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    private void writeAccounts(Source source, PendoStore.Settings settings, List<JsonNode> rows, RunTally tally) {
        tally.page(rows.size());
        Map<String, ObjectNode> records = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            JsonNode id = row.get("accountId");
            if (id == null || !(id.isString() || id.isNumber()) || id.asString().isBlank()) {
                tally.reject("accounts row " + (i + 1), row, new RecordRefused("accountId", null, "is missing"));
                continue;
            }
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            record.put("externalId", id.asString());
            settings.accountFields().forEach((field, pendoField) -> {
                JsonNode value = row.path("metadata").at("/" + pendoField.replace('.', '/'));
                if (value.isValueNode() && !value.isNull()) {
                    record.set(field, value);
                }
            });
            if (record.size() > 1) {
                records.put(id.asString(), record);
            } else {
                tally.skipped++; // none of the fields set in Pendo
            }
        }
        Map<String, AccountId> found = accounts.resolve(settings.accountsSource(), records.keySet());
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        records.forEach((id, record) -> {
            if (found.containsKey(id)) {
                body.add(record);
            } else {
                tally.skipped++; // an account Steward does not have: Pendo's metadata creates none
            }
        });
        if (!body.isEmpty()) {
            tally.stored(accounts.upsert(settings.accountsSource(), body, false), id -> "account " + id);
        }
        tally.endPage(sources, source);
    }

    /** Writes the values held for Pendo accounts that now name a Steward account, and holds them no more. */
    private void release(Source source, PendoStore.Settings settings, RunTally tally) {
        List<String> heldAccounts = store.heldAccountIds(source.id());
        if (heldAccounts.isEmpty()) {
            return;
        }
        Map<String, AccountId> found = accounts.resolve(settings.accountsSource(), heldAccounts);
        if (found.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            List<UsageInput> inputs = new ArrayList<>();
            for (PendoStore.Held held : store.held(source.id(), found.keySet())) {
                inputs.add(new UsageInput(
                        found.get(held.pendoAccount()).value(), null, held.day(), held.metric(), held.value()));
            }
            tally.page(0);
            tally.stored(usage.upsert(source.name(), inputs, false), key -> "held usage " + key);
            store.release(source.id(), found.keySet());
            tally.endPage(sources, source);
        });
    }

    /** Sums one slice's rows per account, day and metric, and writes them (or holds those of unknown accounts). */
    private void write(
            Source source,
            PendoStore.Settings settings,
            Feed feed,
            Map<String, String> metricOf,
            ZoneId zone,
            List<JsonNode> rows,
            LocalDate first,
            LocalDate last,
            int slice,
            RunTally tally) {
        tally.page(rows.size());
        Map<Value, Long> sums = new LinkedHashMap<>();
        Map<Value, Set<String>> visitors = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode record = rows.get(i);
            PendoRows.Row row;
            try {
                row = PendoRows.read(record, feed, zone, first, last);
            } catch (RecordRefused e) {
                tally.reject(
                        feed.source() + " row " + (i + 1) + " of " + first + (last.equals(first) ? "" : " to " + last),
                        record,
                        e);
                continue;
            }
            if (row.account() == null) {
                tally.skipped++; // a visitor of no account: not a customer's usage
                continue;
            }
            if (feed == Feed.activity) {
                visitors.computeIfAbsent(
                                new Value(row.account(), settings.visitorsMetric(), row.day()), v -> new HashSet<>())
                        .add(row.visitor());
                sums.merge(new Value(row.account(), settings.minutesMetric(), row.day()), row.minutes(), Long::sum);
            } else {
                String metric = metricOf.get(row.item());
                if (metric == null) {
                    tally.skipped++; // an item nobody mapped
                    continue;
                }
                sums.merge(new Value(row.account(), metric, row.day()), row.events(), Long::sum);
            }
        }
        visitors.forEach((value, seen) -> sums.put(value, (long) seen.size()));
        Set<String> named = new HashSet<>();
        sums.keySet().forEach(v -> named.add(v.account()));
        Map<String, AccountId> found = accounts.resolve(settings.accountsSource(), named);
        List<UsageInput> inputs = new ArrayList<>();
        List<PendoStore.Held> held = new ArrayList<>();
        sums.forEach((value, sum) -> {
            AccountId account = found.get(value.account());
            if (account != null) {
                inputs.add(new UsageInput(account.value(), null, value.day(), value.metric(), BigDecimal.valueOf(sum)));
            } else {
                held.add(new PendoStore.Held(value.account(), value.metric(), value.day(), BigDecimal.valueOf(sum)));
            }
        });
        if (!inputs.isEmpty()) {
            tally.stored(usage.upsert(source.name(), inputs, false), key -> "usage " + key);
        }
        store.hold(source.id(), held, clock.instant());
        tally.skipped += held.size();
        tally.endPage(sources, source);
    }
}
