package dev.steward.ingest.sync;

import dev.steward.customer.AccountManagement;
import dev.steward.ingest.Source;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

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

    CrmCompanies(CompanyMatches matches, AccountLinking linking, CompanyParents parents, AccountManagement accounts) {
        this.matches = matches;
        this.linking = linking;
        this.parents = parents;
        this.accounts = accounts;
    }

    /** Writes the page; {@code kind} names a company in the run's errors ("company 101"). */
    public void write(Source source, @Nullable String accountsSource, List<Read> page, RunTally tally, String kind) {
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
}
