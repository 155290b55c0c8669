package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import dev.steward.core.ConflictException;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.health.ScorecardManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps segments as versioned YAML documents (drafts, publication, history, diffs), previews a document on current
 * data, and answers who is in a segment now or was at the end of any past day; the lifecycle module's API for
 * segments.
 */
@Service
public class SegmentManagement {

    /** Accounts a preview lists, largest ARR first. */
    static final int SAMPLE = 10;

    /** Accounts one request may add to a static segment. */
    static final int MAXIMUM_ADDED = 10_000;

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);

    private final VersionedDocuments<SegmentProblem> segments;
    private final SegmentMemberships memberships;
    private final SegmentEvaluation evaluation;
    private final AccountFactsReader reader;
    private final AccountManagement accounts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    private final ScorecardManagement scorecards;

    SegmentManagement(
            VersionedDocuments<SegmentProblem> segments,
            SegmentMemberships memberships,
            SegmentEvaluation evaluation,
            AccountFactsReader reader,
            AccountManagement accounts,
            ScorecardManagement scorecards,
            ApplicationEventPublisher events,
            Clock clock) {
        this.scorecards = scorecards;
        this.segments = segments;
        this.memberships = memberships;
        this.evaluation = evaluation;
        this.reader = reader;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /** Whether a user may save, publish and delete segments and change static segments' members. */
    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    /** Checks a document as it would be saved under the segment's name, without saving it. */
    public SegmentValidation validate(String name, String yaml) {
        SegmentCheck check = documents().read(yaml, name);
        return new SegmentValidation(check.isValid(), check.problems());
    }

    /**
     * What the document would select if it were published, on current data: its problems, or the accounts matching
     * its condition (for a static segment, its current members).
     */
    public SegmentPreview preview(String name, String yaml) {
        Conditions conditions = conditions();
        SegmentCheck check = documents(conditions).read(yaml, name);
        if (!check.isValid()) {
            return new SegmentPreview(false, check.problems(), null, null, null, null, null, null, null);
        }
        SegmentDocument document = check.document();
        if (!document.isRule()) {
            SegmentMembers members = segments.id(name).isPresent() ? members(name, null, SAMPLE) : null;
            return new SegmentPreview(
                    true,
                    List.of(),
                    document.kind().value(),
                    null,
                    members == null ? 0 : members.count(),
                    members == null ? BigDecimal.ZERO : members.arr(),
                    members == null
                            ? List.of()
                            : members.members().stream()
                                    .map(m -> new SegmentPreview.Sample(m.accountId(), m.name(), m.arr()))
                                    .toList(),
                    0,
                    null);
        }
        SegmentEvaluation.Selection selection =
                evaluation.select(conditions.compile(document.condition()), document.condition(), SAMPLE);
        return new SegmentPreview(
                true,
                List.of(),
                document.kind().value(),
                selection.evaluated(),
                selection.matched(),
                selection.arr(),
                selection.sample().stream()
                        .map(m -> new SegmentPreview.Sample(m.account(), m.name(), m.arr()))
                        .toList(),
                selection.undecided(),
                selection.firstError());
    }

    /**
     * Saves the YAML, exactly as written, as the segment's next version, a draft, with its problems; a draft under a
     * new name creates the segment.
     */
    @Transactional
    public DocumentText<SegmentProblem> saveDraft(String name, String yaml, User author) {
        requireEditor(author, "save");
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", "must be 1 to 100 characters");
        }
        SegmentCheck check = documents().read(yaml, name);
        segments.create(name, clock.instant());
        UUID segment = segments.lock(name).orElseThrow();
        int version = segments.insertVersion(
                segment,
                yaml,
                DocumentVersion.Status.DRAFT,
                check.problems(),
                author.id(),
                author.displayName(),
                clock.instant());
        return version(name, version);
    }

    /**
     * Makes the version the one that decides membership, superseding the one before; every account is then evaluated
     * again (in the background, within seconds). Refused with every problem when the version is invalid (checked
     * again) or when segments would refer to each other in a circle.
     */
    @Transactional
    public DocumentVersion publish(String name, int version, User author) {
        requireEditor(author, "publish");
        UUID segment = segments.lock(name).orElseThrow(() -> new NotFoundException("segment", name));
        DocumentText<SegmentProblem> text = version(name, version);
        if (text.version().status() == DocumentVersion.Status.PUBLISHED) {
            return text.version();
        }
        SegmentCheck check = documents().read(text.yaml(), name);
        if (!check.isValid()) {
            throw refused(check.problems());
        }
        Map<String, Set<String>> references = new HashMap<>();
        for (VersionedDocuments.Published<SegmentProblem> published : segments.published()) {
            String other = published.text().version().name();
            if (!other.equals(name)) {
                references.put(other, references(published.text().yaml()));
            }
        }
        references.put(name, SegmentDocuments.references(check.document().condition()));
        List<String> circle = SegmentRules.circle(references);
        if (circle != null) {
            throw new InvalidInputException(
                    "condition",
                    "segments would refer to each other in a circle (" + String.join(" → ", circle)
                            + "); no segment's members could be decided first");
        }
        segments.publish(segment, version, clock.instant());
        events.publishEvent(new SegmentPublished(name, version));
        return version(name, version).version();
    }

    /** Deletes a segment with its versions and membership history; refused while a published segment refers to it. */
    @Transactional
    public void delete(String name, User author) {
        requireEditor(author, "delete");
        UUID segment = segments.lock(name).orElseThrow(() -> new NotFoundException("segment", name));
        List<String> dependents = segments.published().stream()
                .filter(p -> !p.text().version().name().equals(name))
                .filter(p -> references(p.text().yaml()).contains(name))
                .map(p -> p.text().version().name())
                .toList();
        List<String> scorecardsNaming = scorecards.namingSegment(name);
        if (!dependents.isEmpty() || !scorecardsNaming.isEmpty()) {
            throw ConflictException.of("Segment " + name + " is read by "
                    + (dependents.isEmpty() ? "" : "segments " + dependents)
                    + (dependents.isEmpty() || scorecardsNaming.isEmpty() ? "" : " and ")
                    + (scorecardsNaming.isEmpty() ? "" : "scorecards " + scorecardsNaming)
                    + "; change those first");
        }
        segments.delete(segment);
    }

    /** Every segment with its versions, current member count and ARR, by name. */
    public List<SegmentSummary> list() {
        Map<UUID, Long> counts = memberships.counts();
        Map<UUID, Set<UUID>> members = memberships.current(
                segments.listed().stream().map(VersionedDocuments.Listed::id).toList(), null);
        Conditions conditions = conditions();
        List<SegmentSummary> list = new ArrayList<>();
        for (VersionedDocuments.Listed listed : segments.listed()) {
            int shown = listed.published() != null ? listed.published() : listed.newest();
            DocumentText<SegmentProblem> text = version(listed.name(), shown);
            SegmentDocument document =
                    documents(conditions).read(text.yaml(), null).document();
            Set<UUID> ids = members.getOrDefault(listed.id(), Set.of());
            list.add(new SegmentSummary(
                    listed.name(),
                    document == null ? "" : document.description(),
                    document == null ? "" : document.kind().value(),
                    listed.published(),
                    listed.newest(),
                    counts.getOrDefault(listed.id(), 0L),
                    ids.isEmpty()
                            ? BigDecimal.ZERO
                            : accounts.totalArr(ids.stream().map(AccountId::new).toList())));
        }
        return list;
    }

    /** The names of the published segments, which filter the accounts list. */
    public List<String> publishedNames() {
        return segments.published().stream().map(p -> p.text().version().name()).toList();
    }

    /** A segment's versions, newest first. */
    public List<DocumentVersion> versions(String name) {
        List<DocumentVersion> history = segments.history(name);
        if (history.isEmpty()) {
            throw new NotFoundException("segment", name);
        }
        return history;
    }

    /** One version with its YAML and its problems. */
    public DocumentText<SegmentProblem> version(String name, int version) {
        return segments.find(name, version)
                .orElseThrow(() -> new NotFoundException("Segment " + name + " has no version " + version + "."));
    }

    /** The changes from one version's YAML to another's, as a unified diff. */
    public String diff(String name, int from, int to) {
        return VersionedDocuments.diff(name, version(name, from), version(name, to));
    }

    /**
     * The segment's members now ({@code asOf} {@code null}) or at the end of a past day, with when each entered; up to
     * {@code limit} listed, largest ARR first, while count and ARR cover them all.
     */
    public SegmentMembers members(String name, LocalDate asOf, int limit) {
        UUID segment = segments.id(name).orElseThrow(() -> new NotFoundException("segment", name));
        if (asOf != null && asOf.isAfter(LocalDate.now(clock))) {
            throw new InvalidInputException("asOf", "is " + asOf + ", after today; membership is known up to now");
        }
        List<SegmentMemberships.Stay> stays = memberships.at(segment, asOf == null ? clock.instant() : endOf(asOf));
        Map<UUID, Account> found =
                accounts
                        .findAll(stays.stream()
                                .map(s -> new AccountId(s.account()))
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(a -> a.id().value(), Function.identity()));
        List<SegmentMembers.Member> members = new ArrayList<>();
        BigDecimal arr = BigDecimal.ZERO;
        for (SegmentMemberships.Stay stay : stays) {
            Account account = found.get(stay.account());
            if (account == null) {
                continue;
            }
            arr = arr.add(account.arr());
            members.add(new SegmentMembers.Member(
                    stay.account(), account.name(), account.arr(), stay.enteredAt(), stay.leftAt()));
        }
        int count = members.size();
        members.sort(java.util.Comparator.comparing(SegmentMembers.Member::arr)
                .reversed()
                .thenComparing(SegmentMembers.Member::name));
        return new SegmentMembers(
                name, asOf, count, arr, members.subList(0, Math.min(Math.max(limit, 0), members.size())));
    }

    /** The ids of the segment's current members, or empty when there is no such segment. */
    public java.util.Optional<Set<UUID>> memberIds(String name) {
        return segments.id(name)
                .map(segment -> memberships.current(List.of(segment), null).get(segment));
    }

    /** The names of the segments the account is in now ({@code asOf} {@code null}) or was at the end of a past day. */
    public List<String> segmentsOf(AccountId account, LocalDate asOf) {
        accounts.get(account);
        Map<UUID, String> names = new HashMap<>();
        segments.listed().forEach(l -> names.put(l.id(), l.name()));
        return memberships.segmentsOf(account.value(), asOf == null ? clock.instant() : endOf(asOf)).stream()
                .map(names::get)
                .sorted()
                .toList();
    }

    /** Adds accounts to a static segment (one already in stays in); answers how many entered. */
    @Transactional
    public int addMembers(String name, Collection<UUID> accountIds, User author) {
        requireEditor(author, "change the members of");
        UUID segment = requireStatic(name);
        if (accountIds.size() > MAXIMUM_ADDED) {
            throw new InvalidInputException(
                    "accountIds", "has " + accountIds.size() + " accounts; at most " + MAXIMUM_ADDED + " at once");
        }
        Set<UUID> wanted = new LinkedHashSet<>(accountIds);
        Set<AccountId> existing =
                accounts.existing(wanted.stream().map(AccountId::new).toList());
        List<FieldError> unknown = wanted.stream()
                .filter(id -> !existing.contains(new AccountId(id)))
                .map(id -> FieldError.of("accountIds", "no account with id " + id))
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(unknown);
        }
        Instant at = clock.instant();
        Set<UUID> entered = memberships.enter(segment, wanted, at);
        evaluation.publish(name, entered, Set.of(), at);
        return entered.size();
    }

    /** Removes an account from a static segment; answers whether it was in. */
    @Transactional
    public boolean removeMember(String name, UUID account, User author) {
        requireEditor(author, "change the members of");
        UUID segment = requireStatic(name);
        Instant at = clock.instant();
        Set<UUID> left = memberships.leave(segment, Set.of(account), at);
        evaluation.publish(name, Set.of(), left, at);
        return !left.isEmpty();
    }

    /** Rows with problems that a refusal of a file lists; the rest are counted. */
    static final int MAXIMUM_LISTED_PROBLEMS = 100;

    /**
     * What a file of members did to a static segment: {@code add} or {@code remove}, the rows that named an account,
     * the distinct accounts they named, how many entered or left, how many were in (for {@code add}) or out (for
     * {@code remove}) already, and the file's columns that were not read. Serializable: the page hands it to the next
     * request in the session.
     */
    public record MembersFromFile(
            String action, int rows, int accounts, int changed, int unchanged, List<String> ignoredColumns)
            implements java.io.Serializable {

        public MembersFromFile {
            ignoredColumns = List.copyOf(ignoredColumns);
        }
    }

    /**
     * Adds ({@code action} {@code add}) or removes ({@code remove}) the accounts a CSV file names to or from a static
     * segment, all or none: a file larger than {@value SegmentMemberFile#MAXIMUM_BYTES} bytes is refused before it is
     * read, and when any row names no account (an id that is not one, an account that does not exist, an external id
     * unknown in {@code source}), nothing changes and every such row is named (field {@code index} is the row number,
     * 1 for the first row under the header). See {@link SegmentMemberFile} for the columns.
     */
    @Transactional
    public MembersFromFile changeMembers(String name, String action, String source, byte[] file, User author) {
        requireEditor(author, "change the members of");
        boolean add = "add".equals(action);
        if (!add && !"remove".equals(action)) {
            throw new InvalidInputException("action", "is '" + action + "'; must be add or remove");
        }
        if (file.length > SegmentMemberFile.MAXIMUM_BYTES) {
            throw SegmentMemberFile.tooLarge(file.length);
        }
        UUID segment = requireStatic(name);
        SegmentMemberFile.Rows read = SegmentMemberFile.read(file);
        List<SegmentMemberFile.Row> rows =
                read.rows().stream().filter(row -> !row.blank()).toList();
        if (rows.isEmpty()) {
            throw new InvalidInputException("file", "names no accounts: every row under the header is blank");
        }
        String system = source == null || source.isBlank() ? null : source.strip();
        if (system == null && rows.stream().anyMatch(row -> row.externalId() != null)) {
            throw new InvalidInputException(
                    "source",
                    "is required when rows give an " + SegmentMemberFile.EXTERNAL_ID + ": the system those ids come"
                            + " from, such as crm");
        }
        List<FieldError> problems = new ArrayList<>();
        Set<UUID> ids = new LinkedHashSet<>();
        Set<String> externalIds = new LinkedHashSet<>();
        for (SegmentMemberFile.Row row : rows) {
            if (row.accountId() != null && row.externalId() != null) {
                problems.add(SegmentMemberFile.problem(
                        row,
                        SegmentMemberFile.EXTERNAL_ID,
                        "give the account in accountId or in externalId, not both"));
            } else if (row.accountId() != null) {
                UUID id = SegmentMemberFile.accountId(row.accountId());
                if (id == null) {
                    problems.add(SegmentMemberFile.problem(
                            row,
                            SegmentMemberFile.ACCOUNT_ID,
                            "is '" + abbreviated(row.accountId()) + "', not a Steward account id (such as"
                                    + " 0f8fad5b-d9cb-469f-a165-70867728950e)"));
                } else {
                    ids.add(id);
                }
            } else {
                externalIds.add(row.externalId());
            }
        }
        Set<AccountId> existing = ids.isEmpty()
                ? Set.of()
                : accounts.existing(ids.stream().map(AccountId::new).toList());
        Map<String, AccountId> known = externalIds.isEmpty() ? Map.of() : accounts.resolve(system, externalIds);
        Set<UUID> named = new LinkedHashSet<>();
        for (SegmentMemberFile.Row row : rows) {
            if (row.accountId() != null && row.externalId() == null) {
                UUID id = SegmentMemberFile.accountId(row.accountId());
                if (id != null && existing.contains(new AccountId(id))) {
                    named.add(id);
                } else if (id != null) {
                    problems.add(SegmentMemberFile.problem(
                            row, SegmentMemberFile.ACCOUNT_ID, "no account has the id " + id));
                }
            } else if (row.externalId() != null && row.accountId() == null) {
                AccountId id = known.get(row.externalId());
                if (id != null) {
                    named.add(id.value());
                } else {
                    problems.add(SegmentMemberFile.problem(
                            row,
                            SegmentMemberFile.EXTERNAL_ID,
                            "no account is known in source '" + system + "' by the external id '"
                                    + abbreviated(row.externalId()) + "'"));
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparing(FieldError::index));
            List<FieldError> listed =
                    new ArrayList<>(problems.subList(0, Math.min(MAXIMUM_LISTED_PROBLEMS, problems.size())));
            if (problems.size() > MAXIMUM_LISTED_PROBLEMS) {
                listed.add(FieldError.of(
                        "file",
                        (problems.size() - MAXIMUM_LISTED_PROBLEMS) + " more rows name no account; the first "
                                + MAXIMUM_LISTED_PROBLEMS + " are listed"));
            }
            throw new InvalidInputException(listed);
        }
        Instant at = clock.instant();
        Set<UUID> changed = add ? memberships.enter(segment, named, at) : memberships.leave(segment, named, at);
        evaluation.publish(name, add ? changed : Set.of(), add ? Set.of() : changed, at);
        return new MembersFromFile(
                action,
                rows.size(),
                named.size(),
                changed.size(),
                named.size() - changed.size(),
                read.ignoredColumns());
    }

    /** Text from a file, cut short for an error message. */
    private static String abbreviated(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "…";
    }

    /** Whether the segment's published version is a static segment, whose members are picked by hand. */
    public boolean isStatic(String name) {
        return segments.published().stream()
                .filter(p -> p.text().version().name().equals(name))
                .findFirst()
                .map(p -> documents().read(p.text().yaml(), name).document())
                .map(document -> !document.isRule())
                .orElse(false);
    }

    private UUID requireStatic(String name) {
        UUID segment = segments.lock(name).orElseThrow(() -> new NotFoundException("segment", name));
        VersionedDocuments.Published<SegmentProblem> published = segments.published().stream()
                .filter(p -> p.id().equals(segment))
                .findFirst()
                .orElseThrow(() -> ConflictException.of(
                        "Segment " + name + " is not published yet; publish it with type: static first"));
        SegmentDocument document =
                documents().read(published.text().yaml(), name).document();
        if (document == null || document.isRule()) {
            throw ConflictException.of("Segment " + name
                    + " is a rule segment: its members follow its condition and cannot be added or removed by hand");
        }
        return segment;
    }

    private Instant endOf(LocalDate day) {
        return endOf(day, clock.getZone());
    }

    /** The last instant of the day in the zone: membership "as of a day" is membership when it ended. */
    static Instant endOf(LocalDate day, java.time.ZoneId zone) {
        return day.plusDays(1).atStartOfDay(zone).toInstant().minus(1, ChronoUnit.MICROS);
    }

    private Set<String> references(String yaml) {
        SegmentDocument document = documents().read(yaml, null).document();
        return document == null ? Set.of() : SegmentDocuments.references(document.condition());
    }

    private Conditions conditions() {
        return SegmentVariables.declare(reader.attributeNames());
    }

    private SegmentDocuments documents() {
        return documents(conditions());
    }

    private SegmentDocuments documents(Conditions conditions) {
        return new SegmentDocuments(
                conditions,
                segments.listed().stream().map(VersionedDocuments.Listed::name).collect(Collectors.toSet()));
    }

    private void requireEditor(User author, String action) {
        if (!mayEdit(author)) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not " + action + " segments; ADMIN and MANAGER may");
        }
    }

    static InvalidInputException refused(List<SegmentProblem> problems) {
        return new InvalidInputException(problems.stream()
                .map(p -> FieldError.of(
                        p.field(),
                        p.line() == null
                                ? p.reason()
                                : "line " + p.line() + ", column " + p.column() + ": " + p.reason()))
                .toList());
    }
}
