package dev.steward.ingest.sync;

import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.health.CurrentHealth;
import dev.steward.health.HealthScoring;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * What a CRM write-back (HubSpot, Salesforce) writes onto each company: its account's current health score (an
 * override's when one applies), color, change over 30 days, CSM and the address of its page in Steward; read for a
 * page of companies in a few statements, whatever its size.
 */
@Service
public class CompanyHealth {

    /**
     * One company's values: {@code trend} is null when there was no score 30 days before, {@code csm} when the account
     * has no owner, {@code link} when Steward's address is not known.
     */
    public record Values(
            AccountId account,
            double score,
            String color,
            @Nullable Double trend,
            @Nullable String csm,
            @Nullable String link) {}

    private final AccountManagement accounts;
    private final HealthScoring health;
    private final UserDirectory users;

    CompanyHealth(AccountManagement accounts, HealthScoring health, UserDirectory users) {
        this.accounts = accounts;
        this.health = health;
        this.users = users;
    }

    /**
     * The values of these companies of the source, by company, in their order; a company with no account or whose
     * account has no score yet is left out.
     */
    public Map<String, Values> read(String source, Collection<String> companies, @Nullable String stewardUrl) {
        Map<String, AccountId> byCompany = accounts.resolve(source, companies);
        Map<AccountId, Account> found = new HashMap<>();
        accounts.findAll(byCompany.values()).forEach(a -> found.put(a.id(), a));
        Map<UUID, User> owners = users.findAll(found.values().stream()
                .map(Account::ownerId)
                .filter(Objects::nonNull)
                .distinct()
                .toList());
        Map<UUID, CurrentHealth> current =
                health.currentFor(found.keySet().stream().map(AccountId::value).toList());
        Map<String, Values> values = new LinkedHashMap<>();
        for (String company : companies) {
            AccountId id = byCompany.get(company);
            Account account = id == null ? null : found.get(id);
            CurrentHealth now = account == null ? null : current.get(id.value());
            if (now == null) {
                continue;
            }
            User owner = account.ownerId() == null ? null : owners.get(account.ownerId());
            values.put(
                    company,
                    new Values(
                            id,
                            now.score(),
                            now.color().name().toLowerCase(Locale.ROOT),
                            now.trend().get(30),
                            owner == null ? null : owner.displayName().isBlank() ? owner.email() : owner.displayName(),
                            stewardUrl == null ? null : stewardUrl + "/accounts/" + id.value()));
        }
        return values;
    }

    /** A score or change with at most one decimal. */
    public static double rounded(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
