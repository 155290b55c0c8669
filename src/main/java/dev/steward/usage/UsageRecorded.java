package dev.steward.usage;

import java.util.Set;
import java.util.UUID;

/** Usage values were written for these accounts (by the API, an import or a connector). */
public record UsageRecorded(Set<UUID> accounts) {

    public UsageRecorded {
        accounts = Set.copyOf(accounts);
    }
}
