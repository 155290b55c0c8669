package dev.steward.ingest.sync;

import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.ingest.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a pull would make of a CRM's first records, written nowhere: each company linked as the pull links it (an
 * account it became before, then the external id in the accounts source, then the one account naming its domain) or
 * the account it would create, each contact and deal with its company's account, the fields each would write under the
 * source's mapping and conflict policy, and the records a pull would skip or reject with why.
 */
@Service
public class CrmPreviews {

    /** Records a preview reads of each object, by default. */
    public static final int RECORDS = 20;

    /** What the pull would do with a record. */
    public enum Action {
        create,
        update,
        link_by_external_id,
        link_by_domain,
        skip,
        reject
    }

    /** One record: its id, what a pull would do, the account it belongs to, the fields written, or why not. */
    public record Row(
            String id,
            Action action,
            @Nullable UUID accountId,
            @Nullable String account,
            @Nullable ObjectNode values,
            @Nullable String reason) {}

    /** The first records of one object. */
    public record ObjectPreview(String object, String label, List<Row> rows) {

        public long count(Action action) {
            return rows.stream().filter(r -> r.action() == action).count();
        }

        /** "3 read: 1 to create, 1 to update, 0 skipped, 1 rejected". */
        public String summary() {
            return rows.size() + " read: " + count(Action.create) + " to create, "
                    + (count(Action.update) + count(Action.link_by_domain) + count(Action.link_by_external_id))
                    + " to update, " + count(Action.skip) + " skipped, " + count(Action.reject) + " rejected";
        }
    }

    /** A record as the connector read it: written ({@code record}), skipped or rejected ({@code reason}). */
    public record Item(
            String id,
            AccountLinking.@Nullable Candidate candidate,
            @Nullable ObjectNode record,
            boolean rejected,
            @Nullable String reason) {

        public static Item read(String id, AccountLinking.@Nullable Candidate candidate, ObjectNode record) {
            return new Item(id, candidate, record, false, null);
        }

        public static Item skipped(String id, String why) {
            return new Item(id, null, null, false, why);
        }

        public static Item rejected(String id, RecordRefused e) {
            String value = e.value() == null ? "" : " '" + e.value() + "'";
            return new Item(id, null, null, true, e.field() + value + ": " + e.getMessage());
        }
    }

    private final AccountManagement accounts;
    private final CompanyMatches matches;

    CrmPreviews(AccountManagement accounts, CompanyMatches matches) {
        this.accounts = accounts;
        this.matches = matches;
    }

    /** The companies: linked or created as a pull would, with their fields after the mapping's conflict policy. */
    public ObjectPreview companies(
            Source source,
            @Nullable String accountsSource,
            CrmMappings.CrmObject object,
            FieldMapping mapping,
            List<Item> items) {
        List<String> ids = items.stream().map(Item::id).toList();
        Map<String, AccountLinking.Match> known = matches.find(source.id(), ids);
        Map<String, AccountId> own = accounts.resolve(source.name(), ids);
        List<AccountLinking.Candidate> candidates =
                items.stream().map(Item::candidate).filter(Objects::nonNull).toList();
        Map<String, AccountId> byExternalId = accountsSource == null
                ? Map.of()
                : accounts.resolve(
                        accountsSource,
                        candidates.stream()
                                .map(AccountLinking.Candidate::externalId)
                                .filter(Objects::nonNull)
                                .toList());
        Map<String, Set<AccountId>> byDomain = accounts.byDomain(
                candidates.stream().flatMap(c -> c.domains().stream()).toList());
        Set<AccountId> named = new LinkedHashSet<>(own.values());
        named.addAll(byExternalId.values());
        byDomain.values().forEach(named::addAll);
        Map<AccountId, Account> stored = new HashMap<>();
        if (!named.isEmpty()) {
            accounts.findAll(named).forEach(a -> stored.put(a.id(), a));
        }
        List<Row> rows = new ArrayList<>();
        for (Item item : items) {
            if (item.record() == null) {
                rows.add(new Row(
                        item.id(), item.rejected() ? Action.reject : Action.skip, null, null, null, item.reason()));
                continue;
            }
            AccountLinking.Candidate c = Objects.requireNonNull(item.candidate());
            Action action;
            AccountId account;
            if (known.containsKey(item.id()) && own.containsKey(item.id())) {
                action = Action.update;
                account = own.get(item.id());
            } else if (c.externalId() != null && byExternalId.containsKey(c.externalId())) {
                action = Action.link_by_external_id;
                account = byExternalId.get(c.externalId());
            } else {
                Set<AccountId> domain = new LinkedHashSet<>();
                c.domains().forEach(d -> domain.addAll(byDomain.getOrDefault(d, Set.of())));
                action = domain.size() == 1 ? Action.link_by_domain : Action.create;
                account = domain.size() == 1 ? domain.iterator().next() : null;
            }
            Account current = account == null ? null : stored.get(account);
            ObjectNode values = item.record().deepCopy();
            values.remove("externalId");
            if (action == Action.link_by_domain
                    || action == Action.link_by_external_id
                    || (action == Action.update && known.get(item.id()) != AccountLinking.Match.created)) {
                values.remove("name"); // a linked account keeps its name
            }
            AccountFieldPolicy.settle(values, current, mapping);
            rows.add(new Row(
                    item.id(),
                    action,
                    account == null ? null : account.value(),
                    current != null ? current.name() : values.path("name").asString(null),
                    values,
                    null));
        }
        return new ObjectPreview(object.name(), object.label(), rows);
    }

    /**
     * Contacts or deals: each with the account of the company it names ({@code accountExternalId}), one Steward has or
     * one this preview's companies would create; created unless the source pulled this object before.
     */
    public ObjectPreview owned(
            Source source,
            CrmMappings.CrmObject object,
            boolean pulledBefore,
            List<Item> items,
            ObjectPreview companies) {
        Map<String, Row> companyRows = new HashMap<>();
        companies.rows().forEach(r -> companyRows.put(r.id(), r));
        Map<String, AccountId> own = accounts.resolve(
                source.name(),
                items.stream()
                        .map(Item::record)
                        .filter(Objects::nonNull)
                        .map(r -> r.path("accountExternalId").asString(""))
                        .toList());
        Map<AccountId, Account> stored = new HashMap<>();
        if (!own.isEmpty()) {
            accounts.findAll(own.values()).forEach(a -> stored.put(a.id(), a));
        }
        List<Row> rows = new ArrayList<>();
        for (Item item : items) {
            if (item.record() == null) {
                rows.add(new Row(
                        item.id(), item.rejected() ? Action.reject : Action.skip, null, null, null, item.reason()));
                continue;
            }
            String company = item.record().path("accountExternalId").asString("");
            AccountId account = own.get(company);
            String name = account != null && stored.containsKey(account)
                    ? stored.get(account).name()
                    : null;
            if (account == null && companyRows.containsKey(company)) {
                Row row = companyRows.get(company);
                name = row.account();
                account = row.accountId() == null ? null : new AccountId(row.accountId());
            }
            ObjectNode values = item.record().deepCopy();
            values.remove(List.of("externalId", "accountExternalId"));
            rows.add(new Row(
                    item.id(),
                    pulledBefore ? Action.update : Action.create,
                    account == null ? null : account.value(),
                    name != null ? name : "the account of company " + company + " (not in Steward yet)",
                    values,
                    null));
        }
        return new ObjectPreview(object.name(), object.label(), rows);
    }
}
