package dev.steward.activity;

import dev.steward.core.InvalidInputException;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/** An account's facts of every kind in one list, newest first: what the account page shows as its history. */
@Service
public class Timeline {

    private final Facts facts;
    private final AccountManagement accounts;

    Timeline(Facts facts, AccountManagement accounts) {
        this.facts = facts;
        this.accounts = accounts;
    }

    /** The kinds of fact the timeline can show, e.g. {@code ticket}, {@code invoice}. */
    public Set<String> kinds() {
        return ActivityKinds.BY_KIND.keySet();
    }

    /**
     * One page of the account's timeline. {@code kinds} empty or null means every kind; {@code cursor} is the
     * {@code next} of the previous page.
     */
    public Page<TimelineEntry> forAccount(AccountId account, Set<String> kinds, Integer limit, String cursor) {
        accounts.get(account);
        List<FactTable<?, ?>> tables = new ArrayList<>();
        if (kinds == null || kinds.isEmpty()) {
            tables.addAll(ActivityKinds.BY_KIND.values());
        } else {
            for (String kind : kinds) {
                FactTable<?, ?> table = ActivityKinds.BY_KIND.get(kind);
                if (table == null) {
                    throw new InvalidInputException("kinds", "unknown kind '" + kind + "'; known kinds are " + kinds());
                }
                tables.add(table);
            }
        }
        return facts.timeline(tables, account.value(), ActivityRecorder.effectiveLimit(limit), cursor);
    }
}
