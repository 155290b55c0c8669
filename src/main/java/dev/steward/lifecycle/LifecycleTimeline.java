package dev.steward.lifecycle;

import dev.steward.activity.TimelineEntry;
import dev.steward.activity.TimelineSource;
import dev.steward.customer.AccountId;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Puts an account's stage moves and owner changes on its timeline: kinds {@code stage} (entered a stage by its entry
 * rule or by hand; a hold ended by the stage's exit rule; left for no stage) and {@code owner} (came to an owner by
 * the assignment rules, a balancing move, by hand or on the account record; left without one). One query per kind,
 * and one for the owners' names.
 */
@Component
class LifecycleTimeline implements TimelineSource {

    static final String STAGE = "stage";
    static final String OWNER = "owner";
    private static final Set<String> KINDS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(STAGE, OWNER)));

    private final AccountStages stages;
    private final AccountOwnerships ownerships;
    private final UserDirectory users;

    LifecycleTimeline(AccountStages stages, AccountOwnerships ownerships, UserDirectory users) {
        this.stages = stages;
        this.ownerships = ownerships;
        this.users = users;
    }

    @Override
    public Set<String> kinds() {
        return KINDS;
    }

    @Override
    public List<TimelineEntry> entries(AccountId account, Set<String> kinds, Position after, int limit) {
        Instant at = after == null ? null : after.at();
        UUID id = after == null ? null : after.id();
        List<TimelineEntry> entries = new ArrayList<>();
        if (kinds.contains(STAGE)) {
            stages.timeline(account.value(), at, id, limit).forEach(move -> entries.add(entry(move)));
        }
        if (kinds.contains(OWNER)) {
            List<AccountOwnerships.Change> changes = ownerships.timeline(account.value(), at, id, limit);
            Set<UUID> people = new HashSet<>();
            for (AccountOwnerships.Change change : changes) {
                people.add(change.ownership().owner());
                if (change.previous() != null) {
                    people.add(change.previous());
                }
            }
            Map<UUID, User> names = users.findAll(people);
            changes.forEach(change -> entries.add(entry(change, names)));
        }
        entries.sort(TimelineEntry.NEWEST_FIRST);
        return entries.size() <= limit ? entries : List.copyOf(entries.subList(0, limit));
    }

    private static TimelineEntry entry(AccountStages.Move move) {
        AccountStages.Stay stay = move.stay();
        String held = "held until " + stay.holdUntil();
        if (!move.leaving()) {
            return new TimelineEntry(
                    STAGE,
                    move.id(),
                    move.at(),
                    "Entered stage " + stay.stageName(),
                    stay.manual()
                            ? "moved by hand by " + stay.movedBy() + ": " + stay.reason() + " (" + held + ")"
                            : "imported".equals(stay.cause())
                                    ? "from history imported by " + stay.movedBy() + ": " + stay.reason()
                                    : "by its entry rule");
        }
        String nowhere = "no entry rule held for it, so it went to no stage";
        if (stay.endedByExitRule()) {
            return new TimelineEntry(
                    STAGE,
                    move.id(),
                    move.at(),
                    "Hold in " + stay.stageName() + " ended by its exit rule",
                    "moved there by hand by " + stay.movedBy() + " and " + held + "; the stage's exit rule held"
                            + " before that day"
                            + (move.followed() ? ", so the entry rules decided again" : "; " + nowhere));
        }
        return new TimelineEntry(STAGE, move.id(), move.at(), "Left stage " + stay.stageName(), nowhere);
    }

    private static TimelineEntry entry(AccountOwnerships.Change change, Map<UUID, User> people) {
        AccountOwnerships.Ownership ownership = change.ownership();
        String owner = name(people, ownership.owner());
        if (change.leaving()) {
            return new TimelineEntry(OWNER, change.id(), change.at(), "No owner", owner + " no longer owns it");
        }
        boolean same = Objects.equals(change.previous(), ownership.owner());
        String from = change.previous() == null || same ? "" : "from " + name(people, change.previous()) + ", ";
        return new TimelineEntry(
                OWNER,
                change.id(),
                change.at(),
                (same ? "Stays with owner " : "Came to owner ") + owner,
                from + cause(ownership));
    }

    private static String cause(AccountOwnerships.Ownership ownership) {
        String territory = ownership.territory() == null ? "" : " (territory " + ownership.territory() + ")";
        return switch (ownership.cause()) {
            case "rule" -> "by the assignment rules" + territory;
            case "balance" -> "balanced by " + ownership.assignedBy() + territory + ": " + ownership.reason();
            case "manual" -> "assigned by hand by " + ownership.assignedBy() + ": " + ownership.reason();
            default -> "as the account record has it";
        };
    }

    private static String name(Map<UUID, User> people, UUID id) {
        User user = people.get(id);
        return user == null ? "(unknown user)" : user.displayName();
    }
}
