package dev.steward.ingest.sync;

import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a vendor's company (a Zendesk organization, an Intercom company) seen for the first time finds an account
 * Steward already has: by its external id in the source the connection names (the customer's own id for it, kept in
 * the vendor: Zendesk's {@code external_id}, Intercom's {@code company_id}), or else when exactly one account names one
 * of its domains. A linked account gets the vendor's id as its external id in the vendor's source, and the vendor
 * names nothing of it; the others are the caller's to create.
 */
@Service
public class AccountLinking {

    /** How a vendor's company became an account. */
    public enum Match {
        created,
        external_id,
        domain
    }

    /** A company to link: the vendor's id for it, its external id in the accounts source, its domains (lower case). */
    public record Candidate(String id, @Nullable String externalId, List<String> domains) {}

    /**
     * A vendor's company as one page of a pull reads it: how to link it, whether the vendor deleted it, and the account
     * record to write when Steward creates (or created) its account.
     */
    public record Company(Candidate candidate, boolean deleted, ObjectNode account) {}

    private final AccountManagement accounts;

    AccountLinking(AccountManagement accounts) {
        this.accounts = accounts;
    }

    /**
     * Writes one page of a vendor's companies as accounts of the source, given how those already pulled became
     * accounts ({@code known}). One seen for the first time is linked to an account Steward has (counted updated),
     * else Steward creates its account, and the vendor keeps its name; one linked before is left alone (unchanged); a
     * deleted one seen for the first time is passed over (skipped). Answers how each company of the page seen for the
     * first time became an account, to keep.
     */
    public Map<String, Match> write(
            String source,
            @Nullable String accountsSource,
            List<Company> companies,
            Map<String, Match> known,
            RunTally tally,
            String kind) {
        List<Company> fresh = companies.stream()
                .filter(c -> !known.containsKey(c.candidate().id()))
                .toList();
        tally.skipped += fresh.stream().filter(Company::deleted).count();
        Map<String, Match> matched = link(
                source,
                accountsSource,
                fresh.stream().filter(c -> !c.deleted()).map(Company::candidate).toList());
        tally.updated += matched.size();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        Map<String, Match> saved = new HashMap<>(matched);
        for (Company company : companies) {
            String id = company.candidate().id();
            Match match = known.get(id);
            if (match == Match.created) {
                records.add(company.account());
            } else if (match != null) {
                tally.unchanged++; // linked to an account the vendor does not name
            } else if (!company.deleted() && !matched.containsKey(id)) {
                records.add(company.account());
                saved.put(id, Match.created);
            }
        }
        if (!records.isEmpty()) {
            tally.stored(accounts.upsert(source, records, false), id -> kind + " " + id);
        }
        return saved;
    }

    /** Links the candidates that name exactly one account; answers how each linked one was matched, by vendor id. */
    public Map<String, Match> link(String source, @Nullable String accountsSource, List<Candidate> candidates) {
        Map<String, Match> matched = new HashMap<>();
        Map<String, AccountId> links = new HashMap<>();
        if (accountsSource != null) {
            Map<String, AccountId> byExternalId = accounts.resolve(
                    accountsSource,
                    candidates.stream()
                            .map(Candidate::externalId)
                            .filter(Objects::nonNull)
                            .toList());
            for (Candidate c : candidates) {
                AccountId account = c.externalId() == null ? null : byExternalId.get(c.externalId());
                if (account != null) {
                    links.put(c.id(), account);
                    matched.put(c.id(), Match.external_id);
                }
            }
        }
        Map<String, Set<AccountId>> byDomain = accounts.byDomain(candidates.stream()
                .filter(c -> !matched.containsKey(c.id()))
                .flatMap(c -> c.domains().stream())
                .toList());
        for (Candidate c : candidates) {
            if (matched.containsKey(c.id())) {
                continue;
            }
            Set<AccountId> named = new LinkedHashSet<>();
            c.domains().forEach(d -> named.addAll(byDomain.getOrDefault(d, Set.of())));
            if (named.size() == 1) {
                links.put(c.id(), named.iterator().next());
                matched.put(c.id(), Match.domain);
            }
        }
        Set<String> linked = accounts.link(source, links);
        matched.keySet().removeIf(id -> !linked.contains(id));
        return matched;
    }
}
