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

    private final AccountManagement accounts;

    AccountLinking(AccountManagement accounts) {
        this.accounts = accounts;
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
