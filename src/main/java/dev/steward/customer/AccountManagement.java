package dev.steward.customer;

import dev.steward.core.AuditedChanges;
import dev.steward.core.BulkResult;
import dev.steward.core.BulkResult.RecordResult;
import dev.steward.core.BulkUpserts;
import dev.steward.core.BulkUpserts.Candidate;
import dev.steward.core.Conditions;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.Ids;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.Page;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/** Creates, changes, finds and bulk-upserts customer accounts; the customer module's API for accounts. */
@Service
public class AccountManagement {

    /** The source that external ids belong to when a client names none. */
    public static final String DEFAULT_SOURCE = "api";

    private final Accounts accounts;
    private final UserDirectory users;
    private final BulkUpserts bulk;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ObjectProvider<AccountSegments> segments;
    private final ObjectProvider<JourneyStages> stages;

    private final AccountPermissions permissions;

    AccountManagement(
            Accounts accounts,
            UserDirectory users,
            BulkUpserts bulk,
            ApplicationEventPublisher events,
            Clock clock,
            ObjectProvider<AccountSegments> segments,
            ObjectProvider<JourneyStages> stages,
            AccountPermissions permissions) {
        this.permissions = permissions;
        this.segments = segments;
        this.stages = stages;
        this.accounts = accounts;
        this.users = users;
        this.bulk = bulk;
        this.events = events;
        this.clock = clock;
    }

    /** Refuses unless the signed-in person may change these accounts (see {@link AccountPermissions}). */
    void checkChange(Collection<UUID> ids) {
        permissions.checkChange(ids);
    }

    public Optional<Account> find(AccountId id) {
        return accounts.find(id.value());
    }

    public Account get(AccountId id) {
        return find(id).orElseThrow(() -> new NotFoundException("account", id));
    }

    public boolean exists(AccountId id) {
        return accounts.exists(id.value());
    }

    /** These accounts as stored, in no particular order; ids of accounts that do not exist are left out. */
    public List<Account> findAll(Collection<AccountId> ids) {
        return accounts.findAll(ids.stream().map(AccountId::value).toList());
    }

    /** The total current ARR of these accounts. */
    public java.math.BigDecimal totalArr(Collection<AccountId> ids) {
        return accounts.totalArr(ids.stream().map(AccountId::value).toList());
    }

    /** The total current ARR of every account. */
    public java.math.BigDecimal totalArr() {
        return accounts.totalArr();
    }

    /** Which of the given accounts exist. */
    public Set<AccountId> existing(Collection<AccountId> ids) {
        return accounts.existing(ids.stream().map(AccountId::value).toList()).stream()
                .map(AccountId::new)
                .collect(Collectors.toSet());
    }

    public Page<Account> list(AccountQuery query) {
        if (query.stage() != null && !query.stage().isBlank()) {
            requireStage(query.stage().strip());
        }
        if (query.segment() == null || query.segment().isBlank()) {
            return accounts.list(query, null);
        }
        AccountSegments kept = segments.getIfAvailable();
        Set<UUID> members = (kept == null
                        ? Optional.<Set<UUID>>empty()
                        : kept.members(query.segment().strip()))
                .orElseThrow(() -> new InvalidInputException(
                        "segment",
                        "no segment is named '" + query.segment() + "'"
                                + (kept == null ? "" : "; the segments are " + kept.names())));
        return accounts.list(query, members);
    }

    /** The stages of the journey in force, in order: those the accounts list can filter by. */
    public List<JourneyStage> journeyStages() {
        JourneyStages kept = stages.getIfAvailable();
        return kept == null ? List.of() : kept.stages();
    }

    /** Refuses a stage key that is not one of the journey in force, naming the key meant when it is near one. */
    private void requireStage(String key) {
        List<String> keys = journeyStages().stream().map(JourneyStage::key).toList();
        if (keys.contains(key)) {
            return;
        }
        if (keys.isEmpty()) {
            throw new InvalidInputException("stage", "no journey is published, so no account is in a stage yet");
        }
        String nearest = Conditions.nearest(key, keys);
        throw new InvalidInputException(
                "stage",
                "no stage of the journey has the key '" + key + "'"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?") + " The stages are " + keys);
    }

    /** The segments the accounts list can filter by, by name. */
    public List<String> segmentNames() {
        AccountSegments kept = segments.getIfAvailable();
        return kept == null ? List.of() : kept.names();
    }

    public long count() {
        return accounts.count();
    }

    /** The segments (tiers) accounts have, in order. */
    public List<String> tiers() {
        return accounts.tiers();
    }

    public List<Account> children(AccountId id) {
        return accounts.children(id.value());
    }

    /** The account's parent, its parent's parent, and so on up to the root. */
    public List<Account> ancestors(AccountId id) {
        return accounts.ancestors(id.value());
    }

    /** Accounts known in a source system under the given external ids. */
    public Map<String, AccountId> resolve(String source, Collection<String> externalIds) {
        Map<String, AccountId> resolved = new HashMap<>();
        accounts.idsByExternalId(source, externalIds).forEach((k, v) -> resolved.put(k, new AccountId(v)));
        return resolved;
    }

    /**
     * Accounts that name one of these domains in their custom field {@code domain} or {@code website} (compared in
     * lower case, without scheme, "www." or path: what a CSV import's domain or website column holds), by domain in
     * lower case. A domain may name several accounts; the caller decides what an ambiguous one means.
     */
    public Map<String, Set<AccountId>> byDomain(Collection<String> domains) {
        Map<String, Set<AccountId>> found = new HashMap<>();
        accounts.idsByDomain(domains.stream()
                        .map(d -> d.strip().toLowerCase(java.util.Locale.ROOT))
                        .filter(d -> !d.isEmpty())
                        .distinct()
                        .toList())
                .forEach((domain, ids) ->
                        found.put(domain, ids.stream().map(AccountId::new).collect(Collectors.toUnmodifiableSet())));
        return found;
    }

    /**
     * Gives existing accounts an external id in a source (a connector that found the account a record of its own
     * belongs to), without changing their fields. An external id another account already holds in that source is left
     * to it; answers the external ids linked.
     */
    @Transactional
    public Set<String> link(String source, Map<String, AccountId> externalIds) {
        Map<String, UUID> held = accounts.idsByExternalId(source, externalIds.keySet());
        List<UUID> ids = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Set<String> linked = new HashSet<>();
        externalIds.forEach((externalId, account) -> {
            UUID holder = held.get(externalId);
            if (holder == null) {
                ids.add(account.value());
                sources.add(source);
                values.add(externalId);
                linked.add(externalId);
            } else if (holder.equals(account.value())) {
                linked.add(externalId);
            }
        });
        if (accounts.linkExternalIds(ids, sources, values) < ids.size()) {
            throw ConflictException.of("another writer linked one of these external ids in source '" + source
                    + "' meanwhile; nothing was linked, try again");
        }
        return linked;
    }

    /**
     * Gives accounts the owners that the lifecycle module's books of business decided, each at its next version;
     * answers the accounts whose owner changed. Announces nothing: the books record and announce the change.
     */
    @Transactional
    public Set<AccountId> setOwners(Map<AccountId, UUID> owners) {
        Map<UUID, UUID> byId = new java.util.HashMap<>();
        owners.forEach((account, owner) -> byId.put(account.value(), owner));
        return accounts.setOwners(byId, clock.instant()).stream()
                .map(AccountId::new)
                .collect(Collectors.toSet());
    }

    /**
     * Current customers with an owner, as books of business read them; only those of {@code owners} when it is not
     * {@code null}.
     */
    public List<BookAccount> books(Collection<UUID> owners) {
        return accounts.books(owners);
    }

    /** How many current customers (not churned) have no owner. */
    public long unowned() {
        return accounts.unowned();
    }

    @Transactional
    public Account create(AccountInput input) {
        UUID id = Ids.newId();
        List<FieldError> errors = requireName(input.name());
        errors.addAll(customFieldProblems(input.customFields()));
        UUID parent = resolveParent(input, errors);
        UUID owner = permissions.ownerOfNew(resolveOwner(input, errors));
        errors.addAll(externalIdClashes(id, input.externalIds()));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        permissions.checkNewOwner(null, owner);
        accounts.insert(List.of(row(id, input, parent, owner)));
        linkOrRefuse(id, input.externalIds());
        events.publishEvent(new AccountRecordsChanged(AccountRecordsChanged.ACCOUNT, Set.of(id)));
        events.publishEvent(new AccountsCreated(Set.of(id)));
        Account created = accounts.find(id).orElseThrow();
        AuditedChanges.note("account", id, null, created);
        return created;
    }

    /** Replaces an account's fields, provided nobody changed it since the client read {@code expectedVersion}. */
    @Transactional
    public Account replace(AccountId id, long expectedVersion, AccountInput input) {
        Account stored = get(id);
        permissions.checkChange(id);
        List<FieldError> errors = requireName(input.name());
        errors.addAll(customFieldProblems(input.customFields()));
        UUID parent = resolveParent(input, errors);
        UUID owner = resolveOwner(input, errors);
        if (parent != null) {
            Map<UUID, UUID> links = accounts.parentLinksAbove(List.of(parent));
            links.put(id.value(), parent);
            if (formsCycle(id.value(), links)) {
                errors.add(FieldError.of(
                        "parentId",
                        "would make " + input.name()
                                + " its own ancestor; an account cannot sit below itself in the hierarchy"));
            }
        }
        errors.addAll(externalIdClashes(id.value(), input.externalIds()));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (!Objects.equals(owner, stored.ownerId())) {
            permissions.checkNewOwner(id.value(), owner);
        }
        if (!accounts.update(row(id.value(), input, parent, owner), expectedVersion)) {
            throw ConflictException.staleVersion("account", id, accounts.version(id.value()));
        }
        linkOrRefuse(id.value(), input.externalIds());
        events.publishEvent(new AccountRecordsChanged(AccountRecordsChanged.ACCOUNT, Set.of(id.value())));
        Account changed = accounts.find(id.value()).orElseThrow();
        AuditedChanges.note("account", id.value(), stored, changed);
        return changed;
    }

    /** Gives the account these external ids, or refuses the request when another account took one meanwhile. */
    private void linkOrRefuse(UUID id, Map<String, String> externalIds) {
        if (!accounts.replaceExternalIds(id, externalIds)) {
            throw new InvalidInputException(externalIdClashes(id, externalIds));
        }
    }

    /**
     * Deletes an account with everything recorded about it; every module removes its rows of the account on hearing
     * {@link AccountDeleted}. Its child accounts stay, with their own data, as top-level accounts: each is a customer
     * of its own, and its version moves on so that an edit made on its old parent link is refused.
     */
    @Transactional
    public void delete(AccountId id, long expectedVersion) {
        Account stored = get(id);
        permissions.checkChange(id);
        accounts.detachChildren(id.value(), clock.instant());
        if (!accounts.delete(id.value(), expectedVersion)) {
            throw ConflictException.staleVersion("account", id, accounts.version(id.value()));
        }
        events.publishEvent(new AccountDeleted(id));
        AuditedChanges.note("account", id.value(), stored, null);
    }

    /**
     * Creates or updates accounts by their external id in {@code source}. Fields a record leaves out keep their
     * stored value; sending the same batch twice changes nothing the second time.
     */
    public BulkResult upsert(String source, JsonNode body, boolean atomic) {
        return bulk.upsert(
                body,
                atomic,
                AccountInput.class,
                AccountInput::externalId,
                AccountManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    /** Bulk upsert of records built in code (demo data, importers); every field of each record is written. */
    public BulkResult upsert(String source, List<AccountInput> records, boolean atomic) {
        return bulk.upsert(
                records,
                FIELDS,
                atomic,
                AccountInput::externalId,
                AccountManagement::requireExternalId,
                candidates -> writeBulk(source, candidates));
    }

    private static final Set<String> FIELDS = java.util.Arrays.stream(AccountInput.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName)
            .collect(Collectors.toUnmodifiableSet());

    private static List<FieldError> requireExternalId(AccountInput input) {
        return input.externalId() == null || input.externalId().isBlank()
                ? List.of(FieldError.of("externalId", "is required in a bulk upsert"))
                : List.of();
    }

    private List<RecordResult> writeBulk(String source, List<Candidate<AccountInput>> candidates) {
        Map<String, UUID> known = accounts.idsByExternalId(
                source, candidates.stream().map(Candidate::externalId).toList());
        Map<String, UUID> idOf = new HashMap<>(known);
        candidates.forEach(c -> idOf.computeIfAbsent(c.externalId(), k -> Ids.newId()));
        Map<UUID, Account> current = new HashMap<>();
        accounts.findAll(known.values()).forEach(a -> current.put(a.id().value(), a));

        Map<String, UUID> parentsByExternalId = accounts.idsByExternalId(
                source,
                candidates.stream()
                        .map(c -> c.record().parentExternalId())
                        .filter(Objects::nonNull)
                        .filter(p -> !idOf.containsKey(p))
                        .toList());
        Set<UUID> parentIdsGiven = candidates.stream()
                .map(c -> c.record().parentId())
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Set<UUID> existingParents = accounts.existing(parentIdsGiven);
        Map<String, User> ownersByEmail = new HashMap<>();
        candidates.stream()
                .map(c -> c.record().ownerEmail())
                .filter(Objects::nonNull)
                .distinct()
                .forEach(email -> users.findByEmail(email).ifPresent(u -> ownersByEmail.put(email.toLowerCase(), u)));
        Set<UUID> existingOwners = users.findAll(candidates.stream()
                        .map(c -> c.record().ownerId())
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet()))
                .keySet();

        Map<Integer, List<FieldError>> errors = new HashMap<>();
        Map<Integer, Accounts.Row> rows = new HashMap<>();
        for (Candidate<AccountInput> candidate : candidates) {
            AccountInput input = candidate.record();
            UUID id = idOf.get(candidate.externalId());
            Account stored = current.get(id);
            List<FieldError> problems = new ArrayList<>();
            if (stored == null || candidate.has("name")) {
                problems.addAll(requireName(input.name()));
            }
            if (candidate.has("customFields")) {
                problems.addAll(customFieldProblems(input.customFields()));
            }
            UUID parent = stored == null
                    ? null
                    : stored.parentId() == null ? null : stored.parentId().value();
            if (candidate.has("parentExternalId") && input.parentExternalId() != null) {
                parent = idOf.getOrDefault(input.parentExternalId(), parentsByExternalId.get(input.parentExternalId()));
                if (parent == null) {
                    problems.add(FieldError.of(
                            "parentExternalId",
                            "no account has external id '" + input.parentExternalId() + "' in source '" + source
                                    + "'"));
                }
            } else if (candidate.has("parentId")) {
                parent = input.parentId();
                if (parent != null && !existingParents.contains(parent) && !idOf.containsValue(parent)) {
                    problems.add(FieldError.of("parentId", "no account with id " + parent));
                }
            } else if (candidate.has("parentExternalId")) {
                parent = null;
            }
            UUID owner = stored == null ? null : stored.ownerId();
            if (candidate.has("ownerEmail") && input.ownerEmail() != null) {
                User user = ownersByEmail.get(input.ownerEmail().toLowerCase());
                owner = user == null ? null : user.id();
                if (user == null) {
                    problems.add(FieldError.of("ownerEmail", "no user with email " + input.ownerEmail()));
                }
            } else if (candidate.has("ownerId")) {
                owner = input.ownerId();
                if (owner != null && !existingOwners.contains(owner)) {
                    problems.add(FieldError.of("ownerId", "no user with id " + owner));
                }
            } else if (candidate.has("ownerEmail")) {
                owner = null;
            }
            if (problems.isEmpty()) {
                rows.put(candidate.index(), merge(id, input, candidate, stored, parent, owner));
            } else {
                errors.put(candidate.index(), problems);
            }
        }
        Set<String> linked = rejectExternalIdClashes(source, candidates, rows, errors);
        rejectCycles(candidates, rows, errors);

        List<RecordResult> results = new ArrayList<>();
        List<Accounts.Row> inserts = new ArrayList<>();
        List<Accounts.Row> updates = new ArrayList<>();
        Map<String, UUID> links = new LinkedHashMap<>();
        for (Candidate<AccountInput> candidate : candidates) {
            Accounts.Row row = rows.get(candidate.index());
            if (row == null) {
                continue;
            }
            (current.containsKey(row.id()) ? updates : inserts).add(row);
            links.put(pair(source, candidate.externalId()), row.id());
            candidate
                    .record()
                    .externalIds()
                    .forEach((otherSource, value) -> links.put(pair(otherSource, value), row.id()));
        }
        links.keySet().removeAll(linked);
        List<UUID> linkIds = new ArrayList<>(links.values());
        List<String> linkSources = new ArrayList<>();
        List<String> linkValues = new ArrayList<>();
        links.keySet().forEach(key -> {
            int split = key.indexOf('\u0000');
            linkSources.add(key.substring(0, split));
            linkValues.add(key.substring(split + 1));
        });
        accounts.insert(inserts);
        Set<UUID> changed = accounts.updateChanged(updates);
        // An external id this write found free but another writer holds now: that writer stored its account meanwhile.
        // The write is undone, accounts included, and done again, when it finds that account and updates it.
        if (accounts.linkExternalIds(linkIds, linkSources, linkValues) < linkIds.size()) {
            throw new BulkUpserts.WrittenMeanwhile("an account with one of these external ids");
        }
        Set<UUID> touched = new HashSet<>(changed);
        inserts.forEach(row -> touched.add(row.id()));
        if (!touched.isEmpty()) {
            events.publishEvent(new AccountRecordsChanged(AccountRecordsChanged.ACCOUNT, touched));
        }
        if (!inserts.isEmpty()) {
            events.publishEvent(
                    new AccountsCreated(inserts.stream().map(Accounts.Row::id).collect(Collectors.toSet())));
        }

        for (Candidate<AccountInput> candidate : candidates) {
            Accounts.Row row = rows.get(candidate.index());
            if (row == null) {
                results.add(RecordResult.rejected(
                        candidate.index(), candidate.externalId(), errors.get(candidate.index())));
            } else {
                BulkResult.Status status = !current.containsKey(row.id())
                        ? BulkResult.Status.created
                        : changed.contains(row.id()) ? BulkResult.Status.updated : BulkResult.Status.unchanged;
                results.add(RecordResult.stored(candidate.index(), candidate.externalId(), status, row.id()));
            }
        }
        return results;
    }

    /**
     * Refuses records that claim another system's id already held by a different account (or by an earlier record of
     * the batch); returns the (source, external id) pairs, keyed as {@link #pair}, that are already linked to the
     * account the batch writes them to, and so need no linking.
     */
    private Set<String> rejectExternalIdClashes(
            String source,
            List<Candidate<AccountInput>> candidates,
            Map<Integer, Accounts.Row> rows,
            Map<Integer, List<FieldError>> errors) {
        List<String> sources = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Candidate<AccountInput> candidate : candidates) {
            sources.add(source);
            values.add(candidate.externalId());
            candidate.record().externalIds().forEach((otherSource, value) -> {
                sources.add(otherSource);
                values.add(value);
            });
        }
        Map<String, UUID> stored = accounts.ownersOfExternalIds(sources, values);
        // Each record's own external id in the request's source is its account's, whoever else names it.
        Map<String, UUID> holders = new HashMap<>(stored);
        for (Candidate<AccountInput> candidate : candidates) {
            Accounts.Row row = rows.get(candidate.index());
            if (row != null) {
                holders.putIfAbsent(pair(source, candidate.externalId()), row.id());
            }
        }
        Set<String> linked = new HashSet<>();
        for (Candidate<AccountInput> candidate : candidates) {
            Accounts.Row row = rows.get(candidate.index());
            if (row == null) {
                continue;
            }
            if (row.id().equals(stored.get(pair(source, candidate.externalId())))) {
                linked.add(pair(source, candidate.externalId()));
            }
            List<FieldError> clashes = new ArrayList<>();
            candidate.record().externalIds().forEach((otherSource, value) -> {
                String key = pair(otherSource, value);
                UUID holder = holders.putIfAbsent(key, row.id());
                if (holder != null && !holder.equals(row.id())) {
                    clashes.add(FieldError.of(
                            "externalIds." + otherSource, "'" + value + "' already belongs to account " + holder));
                } else if (row.id().equals(stored.get(key))) {
                    linked.add(key);
                }
            });
            if (!clashes.isEmpty()) {
                errors.put(candidate.index(), clashes);
                rows.remove(candidate.index());
            }
        }
        return linked;
    }

    /** A (source, external id) pair as one key. */
    private static String pair(String source, String externalId) {
        return source + "\u0000" + externalId;
    }

    /** Refuses records whose parent link would close a loop, and records whose parent was itself refused. */
    private void rejectCycles(
            List<Candidate<AccountInput>> candidates,
            Map<Integer, Accounts.Row> rows,
            Map<Integer, List<FieldError>> errors) {
        Set<UUID> parents = rows.values().stream()
                .map(Accounts.Row::parentId)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        Map<UUID, UUID> links = parents.isEmpty() ? new HashMap<>() : accounts.parentLinksAbove(parents);
        rows.values().forEach(r -> links.put(r.id(), r.parentId()));
        for (Candidate<AccountInput> candidate : candidates) {
            Accounts.Row row = rows.get(candidate.index());
            if (row != null && row.parentId() != null && formsCycle(row.id(), links)) {
                errors.put(
                        candidate.index(),
                        List.of(FieldError.of(
                                "parentExternalId",
                                "would make " + row.name()
                                        + " its own ancestor; an account cannot sit below itself in the hierarchy")));
            }
        }
        errors.keySet().forEach(rows::remove);
        Set<UUID> refusedIds = new HashSet<>();
        boolean changed = true;
        Set<UUID> written = rows.values().stream().map(Accounts.Row::id).collect(Collectors.toSet());
        Map<UUID, Integer> indexOf = new HashMap<>();
        rows.forEach((index, row) -> indexOf.put(row.id(), index));
        while (changed) {
            changed = false;
            for (Map.Entry<Integer, Accounts.Row> entry : new ArrayList<>(rows.entrySet())) {
                UUID parent = entry.getValue().parentId();
                boolean parentIsNew = parent != null && !written.contains(parent) && !links.containsKey(parent);
                if (parent != null && (refusedIds.contains(parent) || parentIsNew)) {
                    errors.put(
                            entry.getKey(),
                            List.of(FieldError.of("parentExternalId", "the parent record was rejected")));
                    rows.remove(entry.getKey());
                    refusedIds.add(entry.getValue().id());
                    written.remove(entry.getValue().id());
                    changed = true;
                }
            }
        }
    }

    private static boolean formsCycle(UUID start, Map<UUID, UUID> links) {
        UUID node = links.get(start);
        for (int steps = 0; node != null && steps <= links.size(); steps++) {
            if (node.equals(start)) {
                return true;
            }
            node = links.get(node);
        }
        return node != null;
    }

    private static Accounts.Row merge(
            UUID id, AccountInput in, Candidate<AccountInput> c, Account stored, UUID parent, UUID owner) {
        if (stored == null) {
            return row(id, in, parent, owner);
        }
        return new Accounts.Row(
                id,
                c.has("name") ? in.name() : stored.name(),
                parent,
                c.has("tier") ? in.tier() : stored.tier(),
                c.has("industry") ? in.industry() : stored.industry(),
                c.has("region") ? in.region() : stored.region(),
                c.has("employees") ? in.employees() : stored.employees(),
                owner,
                c.has("lifecycleStage") ? in.lifecycleStage() : stored.lifecycleStage(),
                c.has("customFields") ? in.customFields() : stored.customFields());
    }

    private static Accounts.Row row(UUID id, AccountInput in, UUID parent, UUID owner) {
        return new Accounts.Row(
                id,
                in.name(),
                parent,
                in.tier(),
                in.industry(),
                in.region(),
                in.employees(),
                owner,
                in.lifecycleStage(),
                in.customFields());
    }

    /** Custom fields are a few attributes of an account, not a store: bounded in number and size. */
    static final int MAXIMUM_CUSTOM_FIELDS = 100;

    static final int MAXIMUM_CUSTOM_FIELD_KEY_LENGTH = 100;
    static final int MAXIMUM_CUSTOM_FIELD_VALUE_LENGTH = 2_000;

    static List<FieldError> customFieldProblems(Map<String, Object> customFields) {
        List<FieldError> errors = new ArrayList<>();
        if (customFields == null) {
            return errors;
        }
        if (customFields.size() > MAXIMUM_CUSTOM_FIELDS) {
            errors.add(FieldError.of(
                    "customFields",
                    "has " + customFields.size() + " fields; an account may have at most " + MAXIMUM_CUSTOM_FIELDS));
            return errors;
        }
        for (Map.Entry<String, Object> field : customFields.entrySet()) {
            String key = field.getKey();
            if (key.isBlank() || key.length() > MAXIMUM_CUSTOM_FIELD_KEY_LENGTH) {
                errors.add(FieldError.of(
                        "customFields",
                        "key '" + key.substring(0, Math.min(key.length(), 40)) + (key.length() > 40 ? "…" : "")
                                + "' must have 1 to " + MAXIMUM_CUSTOM_FIELD_KEY_LENGTH + " characters"));
            } else if (String.valueOf(field.getValue()).length() > MAXIMUM_CUSTOM_FIELD_VALUE_LENGTH) {
                errors.add(FieldError.of(
                        "customFields." + key,
                        "has " + String.valueOf(field.getValue()).length() + " characters; a custom field may have at"
                                + " most " + MAXIMUM_CUSTOM_FIELD_VALUE_LENGTH));
            }
        }
        return errors;
    }

    private static List<FieldError> requireName(String name) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(FieldError.of("name", "must not be blank"));
        }
        return errors;
    }

    private UUID resolveParent(AccountInput input, List<FieldError> errors) {
        if (input.parentId() != null) {
            if (!accounts.exists(input.parentId())) {
                errors.add(FieldError.of("parentId", "no account with id " + input.parentId()));
            }
            return input.parentId();
        }
        if (input.parentExternalId() != null) {
            errors.add(FieldError.of("parentExternalId", "is only understood in bulk upserts; send parentId"));
        }
        return null;
    }

    /**
     * Of these owner emails, those that are no user's (compared ignoring case): an account record naming one is
     * refused with "no user with email …", so an import's preview can say so before the import.
     */
    public Set<String> unknownOwnerEmails(Collection<String> emails) {
        return emails.stream()
                .filter(Objects::nonNull)
                .distinct()
                .filter(email -> users.findByEmail(email).isEmpty())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private UUID resolveOwner(AccountInput input, List<FieldError> errors) {
        if (input.ownerId() != null) {
            if (users.find(input.ownerId()).isEmpty()) {
                errors.add(FieldError.of("ownerId", "no user with id " + input.ownerId()));
            }
            return input.ownerId();
        }
        if (input.ownerEmail() != null) {
            Optional<User> user = users.findByEmail(input.ownerEmail());
            if (user.isEmpty()) {
                errors.add(FieldError.of("ownerEmail", "no user with email " + input.ownerEmail()));
            }
            return user.map(User::id).orElse(null);
        }
        return null;
    }

    private List<FieldError> externalIdClashes(UUID id, Map<String, String> externalIds) {
        List<String> sources = new ArrayList<>(externalIds.keySet());
        List<String> values = sources.stream().map(externalIds::get).toList();
        Map<String, UUID> owners = accounts.ownersOfExternalIds(sources, values);
        List<FieldError> errors = new ArrayList<>();
        externalIds.forEach((source, value) -> {
            UUID owner = owners.get(source + "\u0000" + value);
            if (owner != null && !owner.equals(id)) {
                errors.add(
                        FieldError.of("externalIds." + source, "'" + value + "' already belongs to account " + owner));
            }
        });
        return errors;
    }
}
