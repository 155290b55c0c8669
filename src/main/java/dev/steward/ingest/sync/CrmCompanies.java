package dev.steward.ingest.sync;

import dev.steward.core.BulkResult;
import dev.steward.customer.AccountManagement;
import dev.steward.ingest.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A page of a CRM's companies (HubSpot's companies, Salesforce's accounts) written as accounts with their parent: each
 * is linked to an account Steward has or becomes one ({@link AccountLinking}), and the parent it names is set on its
 * account once both have accounts (the parent may come in a later page or pull). Only the accounts Steward created take
 * their parent from the CRM; a linked account keeps its own.
 */
@Service
public class CrmCompanies {

    /** A company as a page reads it: how to link it and its account record, and the company it names as parent. */
    public record Read(
            AccountLinking.Company company, @Nullable String parentId) {}

    private final CompanyMatches matches;
    private final AccountLinking linking;
    private final CompanyParents parents;
    private final AccountManagement accounts;
    private final AccountFieldPolicy policy;

    CrmCompanies(
            CompanyMatches matches,
            AccountLinking linking,
            CompanyParents parents,
            AccountManagement accounts,
            AccountFieldPolicy policy) {
        this.matches = matches;
        this.linking = linking;
        this.parents = parents;
        this.accounts = accounts;
        this.policy = policy;
    }

    /** Writes the page; {@code kind} names a company in the run's errors ("company 101"). */
    public void write(Source source, @Nullable String accountsSource, List<Read> page, RunTally tally, String kind) {
        write(source, accountsSource, page, tally, kind, null);
    }

    /**
     * Writes the page under the source's field mapping of its companies (null: the connector's own reading): the
     * fields Steward wins keep the account's values, and an account linked to a company (one Steward had before) takes
     * the mapped fields too, but keeps its name.
     */
    public void write(
            Source source,
            @Nullable String accountsSource,
            List<Read> page,
            RunTally tally,
            String kind,
            @Nullable FieldMapping mapping) {
        if (mapping != null) {
            policy.settle(
                    source.name(), page.stream().map(r -> r.company().account()).toList(), mapping);
        }
        Map<String, AccountLinking.Company> read = new LinkedHashMap<>();
        Map<String, @Nullable String> named = new HashMap<>();
        for (Read r : page) {
            String id = r.company().candidate().id();
            if (r.parentId() == null) {
                r.company().account().putNull("parentExternalId");
            }
            read.put(id, r.company());
            if (!r.company().deleted()) {
                named.put(id, r.parentId());
            }
        }
        Map<String, AccountLinking.Match> known = matches.find(source.id(), read.keySet());
        Map<String, AccountLinking.Match> found =
                linking.write(source.name(), accountsSource, List.copyOf(read.values()), known, tally, kind);
        matches.save(source.id(), found);
        if (mapping != null && mapping.mapsProperties()) {
            linked(source, page, known, found, mapping, tally, kind);
        }
        named.replaceAll((company, parent) ->
                known.get(company) == AccountLinking.Match.created || found.get(company) == AccountLinking.Match.created
                        ? parent
                        : null);
        parents.save(source.id(), named);
        Map<String, String> ready = parents.ready(source.id());
        if (!ready.isEmpty()) {
            ArrayNode links = JsonNodeFactory.instance.arrayNode();
            ready.forEach((company, parent) ->
                    links.addObject().put("externalId", company).put("parentExternalId", parent));
            tally.rejectedIn(
                    accounts.upsert(source.name(), links, false), id -> kind + " " + id + " (its parent " + kind + ")");
            parents.remove(source.id(), List.copyOf(ready.keySet()));
        }
    }

    /** The mapped fields of the companies linked to accounts Steward had, written onto those accounts. */
    private void linked(
            Source source,
            List<Read> page,
            Map<String, AccountLinking.Match> known,
            Map<String, AccountLinking.Match> found,
            FieldMapping mapping,
            RunTally tally,
            String kind) {
        List<ObjectNode> records = new ArrayList<>();
        for (Read r : page) {
            String id = r.company().candidate().id();
            AccountLinking.Match match = known.containsKey(id) ? known.get(id) : found.get(id);
            if (r.company().deleted() || match == null || match == AccountLinking.Match.created) {
                continue;
            }
            ObjectNode record = r.company().account().deepCopy();
            record.remove(List.of("name", "parentExternalId"));
            if (record.size() > 1) {
                records.add(record);
            }
        }
        if (records.isEmpty()) {
            return;
        }
        policy.settle(source.name(), records, mapping);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        records.forEach(body::add);
        BulkResult result = accounts.upsert(source.name(), body, false);
        tally.rejectedIn(result, id -> kind + " " + id);
        for (BulkResult.RecordResult r : result.results()) {
            // A company linked before counted unchanged; one linked in this page counted updated already.
            if (r.status() == BulkResult.Status.updated && known.containsKey(r.externalId())) {
                tally.unchanged--;
                tally.updated++;
            }
        }
    }
}
