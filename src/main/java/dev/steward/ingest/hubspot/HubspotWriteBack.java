package dev.steward.ingest.hubspot;

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
 * Writes the health of each HubSpot company's account back onto the company, in a run of its own after a pull: its
 * score, color, 30-day trend, CSM and a link to its page in Steward, as properties of a group {@value #GROUP} that
 * Steward creates when HubSpot has none, 100 companies a request. Only the companies whose values changed since they
 * were last written are sent; those whose account has no score yet are passed over.
 */
@Service
class HubspotWriteBack {

    private static final Logger log = LoggerFactory.getLogger(HubspotWriteBack.class);

    static final String GROUP = "steward";

    /** The most companies HubSpot's batch update takes at once. */
    static final int BATCH = 100;

    /** The properties Steward writes: name, label, HubSpot's type and field type. */
    static final List<List<String>> PROPERTIES = List.of(
            List.of("steward_health_score", "Health score (Steward)", "number", "number"),
            List.of("steward_health_color", "Health color (Steward)", "string", "text"),
            List.of("steward_health_trend", "Health trend, 30 days (Steward)", "number", "number"),
            List.of("steward_csm", "CSM (Steward)", "string", "text"),
            List.of("steward_account_url", "Account in Steward", "string", "text"));

    private final HubspotApi api;
    private final CompanyMatches matches;
    private final PushedValues pushed;
    private final SyncRuns runs;
    private final CompanyHealth health;
    private final Clock clock;

    HubspotWriteBack(
            HubspotApi api,
            CompanyMatches matches,
            PushedValues pushed,
            SyncRuns runs,
            CompanyHealth health,
            Clock clock) {
        this.api = api;
        this.matches = matches;
        this.pushed = pushed;
        this.runs = runs;
        this.health = health;
        this.clock = clock;
    }

    /** Writes the health back, in a run of its own; false when HubSpot refused, which the run says why. */
    boolean push(Source source, HubspotStore.Settings settings, String token, SyncRuns.Trigger trigger) {
        UUID run = runs.start(source.id(), HubspotStore.Feed.write_back.name(), trigger, null, clock.instant());
        RunTally tally = new RunTally();
        VendorHttp.Calls calls = new VendorHttp.Calls();
        try {
            properties(source.id(), token, calls);
            List<String> companies = matches.companies(source.id());
            for (int from = 0; from < companies.size(); from += BATCH) {
                batch(
                        source,
                        settings,
                        token,
                        companies.subList(from, Math.min(companies.size(), from + BATCH)),
                        tally,
                        calls);
            }
            tally.succeed(runs, run, calls, null, clock.instant());
            return true;
        } catch (RuntimeException e) {
            if (!(e instanceof VendorHttp.Refused)) {
                log.warn("Write-back to HubSpot of {} failed", source.name(), e);
            }
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

    /** The group and its properties, created where HubSpot has none (409: it has). */
    private void properties(UUID source, String token, VendorHttp.Calls calls) {
        ObjectNode group = JsonNodeFactory.instance.objectNode();
        group.put("name", GROUP);
        group.put("label", "Steward");
        group.put("displayOrder", -1);
        api.createProperty(source, token, group, true, calls);
        for (List<String> p : PROPERTIES) {
            ObjectNode property = JsonNodeFactory.instance.objectNode();
            property.put("name", p.get(0));
            property.put("label", p.get(1));
            property.put("type", p.get(2));
            property.put("fieldType", p.get(3));
            property.put("groupName", GROUP);
            property.put("description", "Written by Steward after each pull; changes made here are overwritten.");
            api.createProperty(source, token, property, false, calls);
        }
    }

    private void batch(
            Source source,
            HubspotStore.Settings settings,
            String token,
            List<String> companies,
            RunTally tally,
            VendorHttp.Calls calls) {
        tally.page(companies.size());
        Map<String, CompanyHealth.Values> read = health.read(source.name(), companies, settings.stewardUrl());
        tally.skipped += companies.size() - read.size();
        Map<String, String> last = pushed.find(source.id(), read.keySet());
        ArrayNode inputs = JsonNodeFactory.instance.arrayNode();
        Map<String, String> fingerprints = new HashMap<>();
        read.forEach((company, values) -> {
            ObjectNode properties = properties(values);
            String fingerprint = properties.toString();
            if (fingerprint.equals(last.get(company))) {
                tally.unchanged++;
            } else {
                inputs.addObject().put("id", company).set("properties", properties);
                fingerprints.put(company, fingerprint);
            }
        });
        if (!inputs.isEmpty()) {
            JsonNode answer = api.updateCompanies(source.id(), token, inputs, calls);
            for (JsonNode error : answer.path("errors")) {
                List<String> ids = new ArrayList<>();
                error.path("context").path("ids").forEach(i -> ids.add(i.asString("")));
                String reason = error.path("message").asString("HubSpot refused the update");
                for (String company : ids.isEmpty() ? List.of("?") : ids) {
                    fingerprints.remove(company);
                    tally.reject(new SyncRuns.RowError("company " + company, null, null, reason));
                }
            }
            tally.updated += fingerprints.size();
            pushed.save(source.id(), fingerprints, clock.instant());
        }
    }

    /** The properties of one company: HubSpot takes every value as a text; an empty one clears the property. */
    private static ObjectNode properties(CompanyHealth.Values values) {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.put("steward_health_score", number(values.score()));
        properties.put("steward_health_color", values.color());
        properties.put("steward_health_trend", values.trend() == null ? "" : number(values.trend()));
        properties.put("steward_csm", values.csm() == null ? "" : values.csm());
        properties.put("steward_account_url", values.link() == null ? "" : values.link());
        return properties;
    }

    /** A score or change with at most one decimal, as HubSpot's number properties take it. */
    private static String number(double value) {
        double rounded = CompanyHealth.rounded(value);
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }
}
