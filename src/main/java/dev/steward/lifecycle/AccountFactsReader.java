package dev.steward.lifecycle;

import dev.steward.customer.Account;
import dev.steward.customer.AccountAttributes;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.HealthBreakdown;
import dev.steward.health.HealthColorSince;
import dev.steward.health.HealthScoring;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Gathers what segment conditions read of accounts, many at a time, from the customer and health modules. */
@Component
class AccountFactsReader {

    /** Accounts read at once when going through all of them. */
    static final int BATCH = 1000;

    private final AccountManagement accounts;
    private final AccountSnapshots snapshots;
    private final AccountAttributes attributes;
    private final HealthScoring health;
    private final UserDirectory users;

    AccountFactsReader(
            AccountManagement accounts,
            AccountSnapshots snapshots,
            AccountAttributes attributes,
            HealthScoring health,
            UserDirectory users) {
        this.accounts = accounts;
        this.snapshots = snapshots;
        this.attributes = attributes;
        this.health = health;
        this.users = users;
    }

    /** The names of the account attributes there are, which conditions read as {@code attribute.<name>}. */
    List<String> attributeNames() {
        return attributes.names();
    }

    /** These accounts' facts as of the day; accounts that do not exist are left out. */
    List<AccountFacts> read(Collection<UUID> ids, LocalDate today) {
        return read(ids, today, Reads.ALL);
    }

    /**
     * Which of the dearer facts to read: how long each account has had its health color (it reads back through the
     * daily scores) and its latest score taken apart into dimensions and measures. Each is left out when no rule reads
     * it.
     */
    record Reads(boolean daysInColor, boolean breakdown) {

        static final Reads ALL = new Reads(true, true);

        /** What conditions with these texts read. */
        static Reads of(java.util.stream.Stream<String> conditions) {
            boolean[] reads = new boolean[2];
            conditions.filter(Objects::nonNull).forEach(condition -> {
                reads[0] |= condition.contains("daysInColor");
                reads[1] |= condition.contains("dimensions") || condition.contains("measures");
            });
            return new Reads(reads[0], reads[1]);
        }
    }

    /** These accounts' facts as of the day, with the dearer ones only as {@code reads} asks. */
    List<AccountFacts> read(Collection<UUID> ids, LocalDate today, Reads reads) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Account> found = accounts.findAll(ids.stream().map(AccountId::new).toList());
        Map<UUID, User> owners = users.findAll(
                found.stream().map(Account::ownerId).filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<UUID, Map<String, NavigableMap<LocalDate, Double>>> values = attributes.read(ids);
        Map<UUID, HealthBreakdown> breakdowns = reads.breakdown() ? health.breakdowns(ids) : Map.of();
        Map<UUID, Double> coverages = reads.breakdown() ? Map.of() : health.coverages(ids);
        Map<UUID, LocalDate> starts = snapshots.firstContractStarts(ids);
        Map<UUID, HealthColorSince> colors = reads.daysInColor() ? health.colorsSince(ids) : Map.of();
        List<AccountFacts> facts = new ArrayList<>(found.size());
        for (Account account : found) {
            UUID id = account.id().value();
            Map<String, Double> latest = new HashMap<>();
            values.getOrDefault(id, Map.of()).forEach((name, byDay) -> {
                Map.Entry<LocalDate, Double> entry = byDay.floorEntry(today);
                if (entry != null) {
                    latest.put(name, entry.getValue());
                }
            });
            User owner = account.ownerId() == null ? null : owners.get(account.ownerId());
            HealthBreakdown breakdown = breakdowns.get(id);
            facts.add(new AccountFacts(
                    account,
                    owner == null ? null : owner.email(),
                    latest,
                    breakdown != null ? Double.valueOf(breakdown.coverage()) : coverages.get(id),
                    starts.get(id),
                    colorSince(account, colors.get(id)),
                    breakdown == null ? Map.of() : breakdown.dimensions(),
                    breakdown == null ? Map.of() : breakdown.measures()));
        }
        return facts;
    }

    /**
     * The first day of the stretch of the account's health color, when the scores' color is the one the account shows
     * (they differ only while a score is being stored).
     */
    private static LocalDate colorSince(Account account, HealthColorSince color) {
        return color == null
                        || account.health() == null
                        || !color.isOf(account.health().color())
                ? null
                : color.since();
    }

    /** Every account's id, a batch at a time, in id order. */
    void eachBatch(Consumer<List<UUID>> batch) {
        UUID after = null;
        while (true) {
            List<UUID> ids = snapshots.ids(after, BATCH);
            if (ids.isEmpty()) {
                return;
            }
            batch.accept(ids);
            if (ids.size() < BATCH) {
                return;
            }
            after = ids.get(ids.size() - 1);
        }
    }
}
