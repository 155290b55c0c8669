package dev.steward.lifecycle;

import com.google.common.collect.ImmutableMap;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Decides and records accounts' owners: by the published assignment rules in the membership evaluation (see
 * {@link SegmentEvaluation}), and by hand, in bulk or by balancing (see {@link BooksOfBusiness}). Every change is an
 * ownership fact, the account record's owner, an {@link OwnerChanged} announcement and a request to decide the
 * account's segments again (a condition may read its owner). Runs under the membership lock.
 */
@Component
class OwnerDecisions {

    private static final Logger log = LoggerFactory.getLogger(OwnerDecisions.class);

    private final Journeys journeys;
    private final AccountOwnerships ownerships;
    private final AccountManagement accounts;
    private final EvaluationRequests requests;
    private final UserDirectory users;
    private final AccountFactsReader reader;
    private final ApplicationEventPublisher events;

    OwnerDecisions(
            Journeys journeys,
            AccountOwnerships ownerships,
            AccountManagement accounts,
            EvaluationRequests requests,
            UserDirectory users,
            AccountFactsReader reader,
            ApplicationEventPublisher events) {
        this.journeys = journeys;
        this.ownerships = ownerships;
        this.accounts = accounts;
        this.requests = requests;
        this.users = users;
        this.reader = reader;
        this.events = events;
    }

    /** One account's new owner as decided, with what it had: the record's owner and the current ownership fact. */
    record Assignment(
            UUID account,
            UUID recorded,
            AccountOwnerships.Ownership current,
            OwnerRules.Decision decision,
            String by,
            String reason) {}

    /**
     * How many accounts each owner has in each territory: read once per run, on its first batch, and kept current by
     * the run's own decisions — a full evaluation would otherwise count every ownership again for every batch.
     */
    static final class TerritoryCounts {

        private Map<String, Map<UUID, Integer>> counts;

        Map<String, Map<UUID, Integer>> of(AccountOwnerships ownerships) {
            if (counts == null) {
                counts = ownerships.countsByTerritory();
            }
            return counts;
        }

        /** Drops the counts, to be read again: a transaction that counted decisions of its own was rolled back. */
        void forget() {
            counts = null;
        }
    }

    /** Every user by lower-case email. */
    Map<String, User> people() {
        Map<String, User> people = new HashMap<>();
        users.everyone().forEach(u -> people.put(AssignmentDocuments.normal(u.email()), u));
        return people;
    }

    /** The assignment rules in force, compiled; none when they are not published or no longer valid. */
    OwnerRules rules() {
        return journeys.published(Journeys.ASSIGNMENT)
                .map(p -> {
                    Map<String, User> people = people();
                    var conditions = SegmentVariables.declare(reader.attributeNames());
                    AssignmentDocuments.Check check = new AssignmentDocuments(conditions, people)
                            .read(p.text().yaml());
                    if (!check.isValid()) {
                        // Published valid, but an attribute or a person it names has gone since: owners stay.
                        log.warn("The assignment rules are not applied: {}", check.problems());
                        return OwnerRules.none();
                    }
                    return OwnerRules.of(check.document(), conditions, people);
                })
                .orElse(OwnerRules.none());
    }

    /**
     * Decides the owners of a batch by the rules and records the changes; answers how many accounts changed owner.
     * {@code excluded} people get no account (a CSM whose book is moved by rule); {@code by} and {@code reason} name
     * who asked for it, when a person did; {@code territoryCounts} carries the round robin's counts across the batches
     * of one run.
     */
    int decide(
            OwnerRules rules,
            List<AccountFacts> facts,
            Map<UUID, List<String>> segmentNames,
            LocalDate today,
            Instant at,
            Set<UUID> excluded,
            String by,
            String reason,
            boolean reevaluate,
            TerritoryCounts territoryCounts) {
        Map<UUID, AccountFacts> byId = new HashMap<>();
        facts.forEach(f -> byId.put(f.account().id().value(), f));
        return decide(
                rules,
                facts,
                id -> ImmutableMap.copyOf(
                        SegmentVariables.of(byId.get(id), today, segmentNames.getOrDefault(id, List.of()))),
                at,
                excluded,
                by,
                reason,
                reevaluate,
                territoryCounts);
    }

    /**
     * {@link #decide} with each account's condition values (with the segments it is in) already made, by account id.
     */
    int decide(
            OwnerRules rules,
            List<AccountFacts> facts,
            java.util.function.Function<UUID, Map<String, Object>> variablesOf,
            Instant at,
            Set<UUID> excluded,
            String by,
            String reason,
            boolean reevaluate,
            TerritoryCounts territoryCounts) {
        List<UUID> ids = facts.stream().map(f -> f.account().id().value()).toList();
        Map<UUID, AccountOwnerships.Ownership> current = ownerships.current(ids);
        Map<String, Map<UUID, Integer>> counts = rules.isEmpty() ? new HashMap<>() : territoryCounts.of(ownerships);
        List<Assignment> assignments = new ArrayList<>();
        // Accounts that have an owner first: those that keep theirs count in the territory before the round robin
        // chooses for the accounts without one, whatever order the batch came in.
        List<AccountFacts> ordered = new ArrayList<>(facts);
        ordered.sort(Comparator.comparing(f -> f.account().ownerId() == null));
        for (AccountFacts account : ordered) {
            UUID id = account.account().id().value();
            Map<String, Object> variables = rules.isEmpty() ? Map.of() : variablesOf.apply(id);
            OwnerRules.Decision decision =
                    rules.decide(account.account().ownerId(), current.get(id), variables, counts, excluded);
            if (decision != null) {
                assignments.add(new Assignment(id, account.account().ownerId(), current.get(id), decision, by, reason));
            }
        }
        return record(assignments, at, reevaluate);
    }

    /**
     * Records decided owners; answers how many accounts changed owner (a move within the rules is not one). With
     * {@code reevaluate} the accounts that changed owner are decided again (a segment or stage reads the owner).
     */
    int record(List<Assignment> assignments, Instant at, boolean reevaluate) {
        List<UUID> leaving = new ArrayList<>();
        List<AccountOwnerships.Ownership> entering = new ArrayList<>();
        Map<UUID, String> retagged = new HashMap<>();
        Map<AccountId, UUID> onRecord = new HashMap<>();
        List<OwnerChanged.Change> changes = new ArrayList<>();
        for (Assignment a : assignments) {
            OwnerRules.Decision decision = a.decision();
            AccountOwnerships.Ownership current = a.current();
            UUID from = current == null ? a.recorded() : current.owner();
            boolean sameOwner = Objects.equals(from, decision.owner());
            if (current != null && sameOwner && Objects.equals(current.cause(), decision.cause())) {
                retagged.put(a.account(), decision.territory());
            } else {
                if (current != null) {
                    leaving.add(a.account());
                }
                if (decision.owner() != null) {
                    entering.add(new AccountOwnerships.Ownership(
                            a.account(),
                            decision.owner(),
                            decision.territory(),
                            at,
                            null,
                            decision.cause(),
                            a.by(),
                            a.reason(),
                            decision.pinned()));
                }
            }
            if (!Objects.equals(a.recorded(), decision.owner()) && decision.owner() != null) {
                onRecord.put(new AccountId(a.account()), decision.owner());
            }
            if (!sameOwner) {
                changes.add(new OwnerChanged.Change(
                        new AccountId(a.account()), from, decision.owner(), decision.cause(), decision.territory()));
            }
        }
        ownerships.leave(leaving, at);
        ownerships.enter(entering);
        ownerships.retag(retagged);
        accounts.setOwners(onRecord);
        if (!changes.isEmpty()) {
            events.publishEvent(new OwnerChanged(changes, at));
        }
        if (reevaluate && !changes.isEmpty()) {
            Set<UUID> changed = new HashSet<>();
            changes.forEach(c -> changed.add(c.account().value()));
            requests.note(changed);
        }
        return changes.size();
    }
}
