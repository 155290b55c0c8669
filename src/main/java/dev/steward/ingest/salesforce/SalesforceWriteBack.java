package dev.steward.ingest.salesforce;

import dev.steward.ingest.Source;
import dev.steward.ingest.sync.CompanyHealth;
import dev.steward.ingest.sync.CompanyMatches;
import dev.steward.ingest.sync.PushedValues;
import dev.steward.ingest.sync.RunTally;
import dev.steward.ingest.sync.SyncRuns;
import dev.steward.ingest.sync.VendorHttp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the health of each Salesforce Account's account back onto the Account, in a run of its own after a pull: its
 * score, color, 30-day trend, CSM and a link to its page in Steward, into the custom fields the connection names, with
 * sObject Collections ({@value #BATCH} Accounts a request, each updated or refused on its own). Only the Accounts whose
 * values changed since they were last written are sent; those whose account has no score yet are passed over.
 */
@Service
class SalesforceWriteBack {

    private static final Logger log = LoggerFactory.getLogger(SalesforceWriteBack.class);

    /** The most records sObject Collections take at once. */
    static final int BATCH = 200;

    private final SalesforceApi api;
    private final SalesforcePulls pulls;
    private final CompanyMatches matches;
    private final PushedValues pushed;
    private final CompanyHealth health;
    private final SyncRuns runs;
    private final Clock clock;

    SalesforceWriteBack(
            SalesforceApi api,
            SalesforcePulls pulls,
            CompanyMatches matches,
            PushedValues pushed,
            CompanyHealth health,
            SyncRuns runs,
            Clock clock) {
        this.api = api;
        this.pulls = pulls;
        this.matches = matches;
        this.pushed = pushed;
        this.health = health;
        this.runs = runs;
        this.clock = clock;
    }

    /** Writes the health back, in a run of its own; false when Salesforce refused, which the run says why. */
    boolean push(Source source, SalesforceStore.Settings settings, SalesforceApi.Org org, SyncRuns.Trigger trigger) {
        UUID run = runs.start(source.id(), SalesforceStore.Feed.write_back.name(), trigger, null, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        try {
            List<String> accounts = matches.companies(source.id());
            for (int from = 0; from < accounts.size(); from += BATCH) {
                batch(
                        source,
                        settings,
                        org,
                        accounts.subList(from, Math.min(accounts.size(), from + BATCH)),
                        tally,
                        calls);
            }
            pulls.allowance(source, run, org);
            tally.succeed(runs, run, calls, null, clock.instant());
            return true;
        } catch (RuntimeException e) {
            if (!(e instanceof VendorHttp.Refused) && !(e instanceof SalesforcePulls.AllowanceReached)) {
                log.warn("Write-back to Salesforce of {} failed", source.name(), e);
            }
            pulls.allowance(source, run, org);
            tally.fail(
                    runs,
                    run,
                    calls,
                    null,
                    e.getMessage() == null ? e.toString() : e.getMessage(),
                    "the next pull writes back again what changed",
                    clock.instant());
            return false;
        }
    }

    private void batch(
            Source source,
            SalesforceStore.Settings settings,
            SalesforceApi.Org org,
            List<String> accounts,
            RunTally tally,
            VendorHttp.Calls calls) {
        tally.page(accounts.size());
        Map<String, CompanyHealth.Values> read = health.read(source.name(), accounts, settings.stewardUrl());
        tally.skipped += accounts.size() - read.size();
        Map<String, String> last = pushed.find(source.id(), read.keySet());
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        List<String> sent = new ArrayList<>();
        Map<String, String> fingerprints = new HashMap<>();
        read.forEach((account, values) -> {
            ObjectNode record = record(settings.fields(), account, values);
            String fingerprint = record.toString();
            if (fingerprint.equals(last.get(account))) {
                tally.unchanged++;
            } else {
                records.add(record);
                sent.add(account);
                fingerprints.put(account, fingerprint);
            }
        });
        if (records.isEmpty()) {
            return;
        }
        SalesforcePulls.requireAllowance(settings, org);
        JsonNode answer = api.update(org, records, calls);
        for (int i = 0; i < sent.size(); i++) {
            JsonNode result = answer.path(i);
            if (!result.path("success").asBoolean(false)) {
                String account = sent.get(i);
                fingerprints.remove(account);
                JsonNode error = result.path("errors").path(0);
                List<String> fields = new ArrayList<>();
                error.path("fields").forEach(f -> fields.add(f.asString("")));
                String reason = error.path("message").asString("Salesforce refused the update");
                String code = error.path("statusCode").asString("");
                tally.reject(new SyncRuns.RowError(
                        "account " + account,
                        fields.isEmpty() ? null : String.join(", ", fields),
                        null,
                        code.isBlank() ? reason : reason + " (" + code + ")"));
            }
        }
        tally.updated += fingerprints.size();
        pushed.save(source.id(), fingerprints, clock.instant());
    }

    /**
     * One Account's update: its id and the fields, a number where Salesforce's field is one; a value Steward does not
     * have (no trend yet, no CSM) clears the field.
     */
    static ObjectNode record(SalesforceStore.WriteBackFields fields, String account, CompanyHealth.Values values) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.putObject("attributes").put("type", "Account");
        record.put("id", account);
        record.put(fields.score(), CompanyHealth.rounded(values.score()));
        record.put(fields.color(), values.color());
        if (values.trend() == null) {
            record.putNull(fields.trend());
        } else {
            record.put(fields.trend(), CompanyHealth.rounded(values.trend()));
        }
        record.put(fields.csm(), values.csm());
        record.put(fields.link(), values.link());
        return record;
    }
}
