package dev.steward.ingest;

import dev.steward.core.BulkResult;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactManagement;
import dev.steward.ingest.SegmentRollups.AccountDay;
import dev.steward.ingest.SegmentRollups.ActiveUser;
import dev.steward.ingest.SegmentRollups.Count;
import dev.steward.usage.UsageInput;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies stored Segment events after they were acknowledged: {@code group} creates or updates the account whose
 * external id in the source is the groupId, {@code identify} the contact whose external id is the userId, and
 * {@code track}, {@code page} and {@code screen} become daily usage of the user's account (its {@code
 * context.groupId}, else the group the user was last placed in). Events whose account is not known yet are held and
 * applied when it appears. Each batch of events is applied in the transaction that takes it off the queue, so every
 * event counts exactly once, whatever crashes in between. An event that cannot be applied is quarantined (see {@link
 * SegmentQuarantine}). Run by the {@code segment-processing} job ({@link SegmentJobs}).
 */
@Component
class SegmentProcessor {

    private static final Logger log = LoggerFactory.getLogger(SegmentProcessor.class);

    /**
     * Events applied per transaction. Each chunk writes the rollups of every account and day it touches (daily and
     * monthly usage, active users, re-scoring), whatever the number of its events: under steady traffic a chunk
     * touches most active accounts, so fewer, larger chunks write the same rollups fewer times (the ingest benchmark's
     * 1,000 accounts were rolled up two to three times a second with 10,000).
     */
    static final int CHUNK = 50_000;
    /** Held events are looked at between runs, so a run ends after this many chunks even while events keep coming. */
    private static final int MAX_CHUNKS_PER_RUN = 500;
    /** Accounts also appear through the API or imports; held events are checked for them this often. */
    private static final Duration RECHECK_HELD = Duration.ofMinutes(1);

    private final SegmentEvents events;
    private final HeldEvents held;
    private final SegmentRollups rollups;
    private final Sources sources;
    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final UsageRecorder usage;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate transactions;
    /** A savepoint within the processing transaction, so that one failed event can be undone alone. */
    private final TransactionTemplate savepoint;

    private final SegmentQuarantine quarantine;
    private volatile Instant heldCheckedAt = Instant.MIN;
    private volatile boolean metricsRegistered;

    SegmentProcessor(
            SegmentEvents events,
            HeldEvents held,
            SegmentRollups rollups,
            Sources sources,
            AccountManagement accounts,
            ContactManagement contacts,
            UsageRecorder usage,
            ObjectMapper json,
            Clock clock,
            PlatformTransactionManager transactionManager,
            SegmentQuarantine quarantine) {
        this.events = events;
        this.held = held;
        this.rollups = rollups;
        this.sources = sources;
        this.accounts = accounts;
        this.contacts = contacts;
        this.usage = usage;
        this.json = json;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.quarantine = quarantine;
    }

    /**
     * Applies every event stored (by transactions that have ended) and not yet applied, then releases held events
     * whose account is now known. Returns how many events were applied, held or set aside. An event the processor
     * fails on, alone, is quarantined with the reason, and everything else is applied: one bad message never stops
     * the others. A failure of the database itself (connection lost, deadlock) leaves the events queued for the next
     * run instead.
     */
    int processPending() {
        int total = 0;
        boolean placed = false;
        for (int chunk = 0; chunk < MAX_CHUNKS_PER_RUN; chunk++) {
            Outcome outcome;
            try {
                outcome = transactions.execute(status -> applyWaiting(false));
            } catch (RuntimeException e) {
                if (transientFailure(e)) {
                    throw e;
                }
                log.warn(
                        "Applying a chunk of Segment events failed ({}); applying it batch by batch to set aside what"
                                + " cannot be applied",
                        reason(e));
                outcome = transactions.execute(status -> applyWaiting(true));
            }
            total += outcome.events();
            placed |= outcome.placedUsers();
            if (outcome.events() == 0) {
                break;
            }
        }
        Instant now = clock.instant();
        if (placed || heldCheckedAt.plus(RECHECK_HELD).isBefore(now)) {
            heldCheckedAt = now;
            releaseHeld();
        }
        return total;
    }

    /** Takes the oldest waiting batches off the queue and applies them, in the caller's transaction. */
    private Outcome applyWaiting(boolean isolating) {
        events.lockProcessing();
        List<SegmentEvents.Batch> batches = events.waiting(CHUNK);
        if (batches.isEmpty()) {
            return new Outcome(0, false);
        }
        List<StoredEvent> next = new ArrayList<>();
        batches.forEach(b -> next.addAll(b.events()));
        registerMetrics();
        boolean groups = isolating ? applyIsolating(next, false) : apply(next, false);
        events.done(batches);
        return new Outcome(next.size(), groups);
    }

    private record Outcome(int events, boolean placedUsers) {}

    /**
     * Applies events batch by batch, each in a savepoint; the events of a batch that fails are applied one by one,
     * and each that fails alone is quarantined with the reason. Must run in a transaction.
     */
    private boolean applyIsolating(List<StoredEvent> batch, boolean fromHeld) {
        Map<Long, List<StoredEvent>> byBatch = batch.stream()
                .collect(Collectors.groupingBy(StoredEvent::batch, LinkedHashMap::new, Collectors.toList()));
        boolean placed = false;
        for (List<StoredEvent> part : byBatch.values()) {
            try {
                placed |= Boolean.TRUE.equals(savepoint.execute(status -> apply(part, fromHeld)));
                continue;
            } catch (RuntimeException e) {
                if (transientFailure(e)) {
                    throw e;
                }
            }
            List<StoredEvent> byTime = new ArrayList<>(part);
            byTime.sort(Comparator.comparing(StoredEvent::occurredAt).thenComparing(StoredEvent::messageId));
            for (StoredEvent event : byTime) {
                try {
                    placed |= Boolean.TRUE.equals(savepoint.execute(status -> apply(List.of(event), fromHeld)));
                } catch (RuntimeException e) {
                    if (transientFailure(e)) {
                        throw e;
                    }
                    String reason = reason(e);
                    quarantine.add(event, reason, clock.instant());
                    log.warn(
                            "Quarantined Segment {} {} of source {}: {}",
                            event.type(),
                            event.messageId(),
                            event.sourceId(),
                            reason);
                }
            }
        }
        return placed;
    }

    /**
     * Whether a failure lies with the database or the connection (lost, restarting, deadlock, serialization, out of
     * resources) rather than with the events: then nothing is set aside, and the events are tried again later.
     */
    static boolean transientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2) {
                switch (sql.getSQLState().substring(0, 2)) {
                    // connection, transaction rollback, resources, operator intervention, system error
                    case "08", "40", "53", "57", "58", "XX" -> {
                        return true;
                    }
                    default -> {}
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** What went wrong, in the words of the deepest cause (for the database, its error message). */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
        // PostgreSQL adds where in the statement it failed on further lines; the first says what.
        int lineBreak = message.indexOf('\n');
        return cause.getClass().getSimpleName()
                + (message.isEmpty() ? "" : ": " + (lineBreak < 0 ? message : message.substring(0, lineBreak)));
    }

    /** Applies held events whose account is known by now. */
    private void releaseHeld() {
        Map<UUID, Set<String>> waiting = new HashMap<>();
        held.waiting()
                .forEach(w -> waiting.computeIfAbsent(w.sourceId(), k -> new HashSet<>())
                        .add(w.groupId()));
        for (Map.Entry<UUID, Set<String>> entry : waiting.entrySet()) {
            Source source = sources.find(entry.getKey()).orElse(null);
            if (source == null) {
                continue;
            }
            Set<String> known =
                    accounts.resolve(source.name(), entry.getValue()).keySet();
            if (known.isEmpty()) {
                continue;
            }
            while (true) {
                Integer released;
                try {
                    released = transactions.execute(status -> release(source, known, false));
                } catch (RuntimeException e) {
                    if (transientFailure(e)) {
                        throw e;
                    }
                    released = transactions.execute(status -> release(source, known, true));
                }
                if (released == null || released < CHUNK) {
                    break;
                }
            }
        }
    }

    private int release(Source source, Set<String> known, boolean isolating) {
        events.lockProcessing();
        List<StoredEvent> batch = held.release(source.id(), known, CHUNK);
        if (isolating) {
            applyIsolating(batch, true);
        } else {
            apply(batch, true);
        }
        return batch.size();
    }

    /** Applies events (in one transaction); returns whether users were placed in groups. */
    private boolean apply(List<StoredEvent> batch, boolean fromHeld) {
        Map<UUID, List<StoredEvent>> bySource = batch.stream()
                .collect(Collectors.groupingBy(StoredEvent::sourceId, LinkedHashMap::new, Collectors.toList()));
        boolean placed = false;
        Usage usageOfBatch = new Usage();
        for (Map.Entry<UUID, List<StoredEvent>> entry : bySource.entrySet()) {
            Source source = sources.find(entry.getKey()).orElse(null);
            if (source == null) {
                continue;
            }
            placed |= applyForSource(source, entry.getValue(), usageOfBatch);
        }
        usageOfBatch.write();
        return placed && !fromHeld;
    }

    private boolean applyForSource(Source source, List<StoredEvent> batch, Usage usageOfBatch) {
        SegmentSettings settings = SegmentSettings.of(source.settings());
        List<Rejection> rejections = new ArrayList<>();
        List<StoredEvent> toHold = new ArrayList<>();
        Map<String, String> placements = new LinkedHashMap<>();

        Set<String> users = new HashSet<>();
        batch.forEach(e -> {
            if (e.userKey() != null) {
                users.add(e.userKey());
            }
            if (e.type().equals("alias")) {
                users.add(e.name());
            }
        });
        Map<String, String> groupOfUser = held.groupsOf(source.id(), users);

        List<StoredEvent> byTime = new ArrayList<>(batch);
        byTime.sort(Comparator.comparing(StoredEvent::occurredAt)
                .thenComparingLong(StoredEvent::batch)
                .thenComparing(StoredEvent::messageId));
        for (StoredEvent e : byTime) {
            if (e.type().equals("group") && e.userKey() != null) {
                placements.put(e.userKey(), e.groupId());
                groupOfUser.put(e.userKey(), e.groupId());
            } else if (e.type().equals("alias")) {
                String group = groupOfUser.getOrDefault(e.userId(), groupOfUser.get(e.name()));
                if (group != null) {
                    for (String user : List.of(e.userId(), e.name())) {
                        if (!group.equals(groupOfUser.get(user))) {
                            placements.put(user, group);
                            groupOfUser.put(user, group);
                        }
                    }
                }
            }
        }
        held.placeUsers(source.id(), placements, clock.instant());

        upsertAccounts(
                source,
                settings,
                byTime.stream().filter(e -> e.type().equals("group")).toList(),
                rejections);

        Set<String> groups = new HashSet<>();
        for (StoredEvent e : byTime) {
            String group = groupOf(e, groupOfUser);
            if (group != null) {
                groups.add(group);
            }
        }
        Map<String, AccountId> known = accounts.resolve(source.name(), groups);

        List<StoredEvent> identified = new ArrayList<>();
        for (StoredEvent e : byTime) {
            if (!e.type().equals("identify") && !e.usage()) {
                continue;
            }
            String group = groupOf(e, groupOfUser);
            AccountId account = group == null ? null : known.get(group);
            if (account == null) {
                toHold.add(e);
            } else if (e.type().equals("identify")) {
                identified.add(e);
            } else {
                usageOfBatch.count(account, e, settings);
            }
        }
        upsertContacts(source, identified, groupOfUser, rejections);
        held.hold(toHold, clock.instant());
        if (!rejections.isEmpty()) {
            sources.received(source, 0, rejections);
        }
        return !placements.isEmpty();
    }

    private static String groupOf(StoredEvent e, Map<String, String> groupOfUser) {
        if (e.groupId() != null) {
            return e.groupId();
        }
        return e.userKey() == null ? null : groupOfUser.get(e.userKey());
    }

    /**
     * Creates or updates the accounts of group calls; a later call's traits win over an earlier one's. What the source
     * may do is its settings' {@code accounts}: create accounts or not, and which fields it may change on accounts that
     * exist (not the name, unless allowed); traits for other fields of an existing account are left out.
     */
    private void upsertAccounts(
            Source source, SegmentSettings settings, List<StoredEvent> groupCalls, List<Rejection> rejections) {
        if (groupCalls.isEmpty()) {
            return;
        }
        SegmentSettings.AccountWrites writes = settings.accounts();
        Map<String, ObjectNode> records = new LinkedHashMap<>();
        Map<String, StoredEvent> lastCall = new HashMap<>();
        Set<String> existing = accounts.resolve(
                        source.name(),
                        groupCalls.stream().map(StoredEvent::groupId).collect(Collectors.toSet()))
                .keySet();
        Set<String> refused = new HashSet<>();
        for (StoredEvent call : groupCalls) {
            boolean exists = existing.contains(call.groupId());
            if (!exists && !writes.create()) {
                if (refused.add(call.groupId())) {
                    rejections.add(new Rejection(
                            call.type() + " (" + call.messageId() + ")",
                            "groupId",
                            "no account has external id '" + call.groupId() + "' in source '" + source.name()
                                    + "', and this source may not create accounts (settings: accounts.create is"
                                    + " false); its user's events wait until such an account exists",
                            call.traits()));
                }
                continue;
            }
            ObjectNode record = records.computeIfAbsent(call.groupId(), id -> {
                ObjectNode r = json.createObjectNode();
                r.put("externalId", id);
                return r;
            });
            lastCall.put(call.groupId(), call);
            JsonNode traits = call.traits() == null ? null : json.readTree(call.traits());
            if (traits != null && traits.isObject()) {
                settings.traits().forEach((trait, field) -> {
                    JsonNode value = traits.get(trait);
                    if (value != null
                            && !value.isNull()
                            && !value.isContainer()
                            && (!exists || writes.mayUpdate(field))) {
                        record.set(field, value);
                    }
                });
            }
        }
        if (records.isEmpty()) {
            return;
        }
        records.forEach((group, record) -> {
            if (!existing.contains(group) && !record.has("name")) {
                // An account needs a name; until a group call brings one, it goes by its id in the source.
                record.put("name", group);
            }
        });
        ArrayNode body = json.createArrayNode();
        records.values().forEach(body::add);
        List<String> order = new ArrayList<>(records.keySet());
        BulkResult result = accounts.upsert(source.name(), body, false);
        for (BulkResult.RecordResult r : result.results()) {
            if (r.status() == BulkResult.Status.rejected) {
                // Acknowledged, and now it cannot be applied (a trait the account cannot take): set aside with the
                // reason, to be replayed once the source's settings are fixed; its user's events wait for the account.
                StoredEvent call = lastCall.get(order.get(r.index()));
                String reason = r.errors().stream()
                        .map(error -> rejection(call, "traits", error))
                        .map(rejection -> rejection.field() + ": " + rejection.reason())
                        .collect(Collectors.joining("; "));
                quarantine.add(call, reason, clock.instant());
            }
        }
    }

    /** Creates or updates the contacts of identify calls, whose accounts are known. */
    private void upsertContacts(
            Source source, List<StoredEvent> calls, Map<String, String> groupOfUser, List<Rejection> rejections) {
        if (calls.isEmpty()) {
            return;
        }
        Map<String, ObjectNode> records = new LinkedHashMap<>();
        Map<String, StoredEvent> lastCall = new HashMap<>();
        Map<String, String> fallbackName = new HashMap<>();
        for (StoredEvent call : calls) {
            ObjectNode record = records.computeIfAbsent(call.userKey(), id -> {
                ObjectNode r = json.createObjectNode();
                r.put("externalId", id);
                return r;
            });
            lastCall.put(call.userKey(), call);
            record.put("accountExternalId", groupOf(call, groupOfUser));
            JsonNode traits = call.traits() == null ? null : json.readTree(call.traits());
            if (traits == null || !traits.isObject()) {
                continue;
            }
            String name = text(traits, "name");
            if (name == null) {
                String first = text(traits, "firstName", "first_name");
                String last = text(traits, "lastName", "last_name");
                name = first == null ? last : last == null ? first : first + " " + last;
            }
            if (name != null) {
                record.put("name", name);
            }
            for (String field : List.of("email", "title", "phone")) {
                String value = text(traits, field);
                if (value != null) {
                    record.put(field, value);
                }
            }
            String email = text(traits, "email");
            fallbackName.put(call.userKey(), email != null ? email : call.userKey());
        }
        List<String> order = new ArrayList<>(records.keySet());
        BulkResult result = upsertContacts(source, order, records);
        // A contact needs a name; one that is new and sent none goes by its email, else its user id.
        List<String> nameless = new ArrayList<>();
        for (BulkResult.RecordResult r : result.results()) {
            String user = order.get(r.index());
            if (r.status() == BulkResult.Status.rejected
                    && r.errors().stream().allMatch(e -> "name".equals(e.field()))) {
                records.get(user).put("name", fallbackName.getOrDefault(user, user));
                nameless.add(user);
            } else if (r.status() == BulkResult.Status.rejected) {
                r.errors().forEach(error -> rejections.add(rejection(lastCall.get(user), "traits", error)));
            }
        }
        if (!nameless.isEmpty()) {
            for (BulkResult.RecordResult r :
                    upsertContacts(source, nameless, records).results()) {
                if (r.status() == BulkResult.Status.rejected) {
                    StoredEvent call = lastCall.get(nameless.get(r.index()));
                    r.errors().forEach(error -> rejections.add(rejection(call, "traits", error)));
                }
            }
        }
    }

    private BulkResult upsertContacts(Source source, List<String> users, Map<String, ObjectNode> records) {
        ArrayNode body = json.createArrayNode();
        users.forEach(u -> body.add(records.get(u)));
        return contacts.upsert(source.name(), body, false);
    }

    private static Rejection rejection(StoredEvent call, String prefix, FieldError error) {
        String field = error.field() == null ? prefix : prefix + "." + error.field();
        return new Rejection(call.type() + " (" + call.messageId() + ")", field, error.reason(), call.traits());
    }

    private static String text(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null
                    && value.isValueNode()
                    && !value.isNull()
                    && !value.asString().isBlank()) {
                return value.asString();
            }
        }
        return null;
    }

    /** The usage counted in one transaction: added to the rollups, then written to the usage module as totals. */
    private final class Usage {
        private final Map<Count, Long> counts = new LinkedHashMap<>();
        private final Set<ActiveUser> activeUsers = new LinkedHashSet<>();
        private final Set<String> keyFeatures = new HashSet<>();

        void count(AccountId account, StoredEvent e, SegmentSettings settings) {
            LocalDate day = SegmentEvents.day(e.occurredAt());
            add(account, SegmentSettings.EVENTS, day);
            String metric =
                    e.type().equals("track") ? settings.metricOfEvent(e.name()) : settings.metricOfPage(e.name());
            if (metric != null) {
                add(account, metric, day);
            }
            if (e.userKey() != null) {
                activeUsers.add(new ActiveUser(account.value(), day, e.userKey()));
            }
            keyFeatures.addAll(settings.keyFeatures());
        }

        private void add(AccountId account, String metric, LocalDate day) {
            counts.merge(new Count(account.value(), metric, day, 0), 1L, Long::sum);
        }

        void write() {
            if (counts.isEmpty()) {
                return;
            }
            List<Count> increments = new ArrayList<>(counts.size());
            counts.forEach((key, value) -> increments.add(new Count(key.account(), key.metric(), key.day(), value)));
            List<Count> totals = new ArrayList<>(rollups.add(increments));
            rollups.addActiveUsers(activeUsers);
            Set<AccountDay> days = new LinkedHashSet<>();
            counts.keySet().forEach(c -> days.add(new AccountDay(c.account(), c.day())));
            totals.addAll(rollups.activeUsers(days, LocalDate.now(clock)));
            totals.addAll(rollups.keyFeaturesUsed(days, keyFeatures));
            List<UsageInput> inputs = totals.stream()
                    .map(c -> new UsageInput(c.account(), null, c.day(), c.metric(), BigDecimal.valueOf(c.value())))
                    .toList();
            for (int from = 0; from < inputs.size(); from += 10_000) {
                BulkResult result = usage.upsert(
                        UsageRecorder.DEFAULT_SOURCE,
                        inputs.subList(from, Math.min(inputs.size(), from + 10_000)),
                        false);
                if (result.rejected() > 0) {
                    // Only an account deleted meanwhile or a metric removed from the catalog gets here.
                    log.warn(
                            "Usage refused {} Segment rollup values, e.g. {}",
                            result.rejected(),
                            result.errors().get(0));
                }
            }
        }
    }

    /** Adds the metrics the processor computes to the catalog, once, when there are events to compute them from. */
    private void registerMetrics() {
        if (metricsRegistered) {
            return;
        }
        Set<String> known = usage.metrics().stream().map(UsageMetric::key).collect(Collectors.toSet());
        for (UsageMetric metric : List.of(
                new UsageMetric(
                        SegmentSettings.ACTIVE_USERS_7D,
                        "Active users, 7 days",
                        "Distinct users active in the 7 days ending that day",
                        "users",
                        UsageMetric.Aggregation.max),
                new UsageMetric(
                        SegmentSettings.ACTIVE_USERS_30D,
                        "Active users, 30 days",
                        "Distinct users active in the 30 days ending that day",
                        "users",
                        UsageMetric.Aggregation.max),
                new UsageMetric(
                        SegmentSettings.KEY_FEATURES_USED,
                        "Key features used",
                        "How many of the source's key features were used that day",
                        "features",
                        UsageMetric.Aggregation.max))) {
            if (!known.contains(metric.key())) {
                try {
                    usage.addMetric(metric);
                } catch (ConflictException e) {
                    // another instance added it first
                }
            }
        }
        metricsRegistered = true;
    }
}
