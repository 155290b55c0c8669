package dev.steward.health;

import dev.steward.core.ConflictException;
import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.VersionedDocuments;
import dev.steward.customer.AccountAttributes;
import dev.steward.health.engine.Scorecard;
import dev.steward.health.engine.ScorecardCheck;
import dev.steward.health.engine.ScorecardDocuments;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps scorecards as versioned YAML documents: saves drafts (valid or not), publishes valid ones, and shows their
 * history and the differences between versions; the health module's API for scorecard configuration.
 */
@Service
public class ScorecardManagement {

    /** Who the shipped default scorecards are saved by. */
    static final String SHIPPED_AUTHOR = "Steward (shipped default)";

    private static final Set<Role> EDITORS = Set.of(Role.ADMIN, Role.MANAGER);
    private static final Role CREATOR = Role.ADMIN;

    /** Names that are addresses of pages under {@code /scorecards/}, so that no scorecard's page is hidden by them. */
    static final Set<String> RESERVED_NAMES = Set.of("new");

    private final VersionedDocuments<ScorecardProblem> scorecards;
    private final UsageRecorder usage;
    private final AccountAttributes attributes;
    private final ScorecardSegments segments;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ScorecardManagement(
            VersionedDocuments<ScorecardProblem> scorecards,
            UsageRecorder usage,
            AccountAttributes attributes,
            ScorecardSegments segments,
            ApplicationEventPublisher events,
            Clock clock) {
        this.attributes = attributes;
        this.segments = segments;
        this.scorecards = scorecards;
        this.usage = usage;
        this.events = events;
        this.clock = clock;
    }

    /** Checks a document without saving it: every problem that would keep it from being published on its own. */
    public ScorecardValidation validate(String yaml) {
        ScorecardCheck check = documents().read(yaml);
        return new ScorecardValidation(check.isValid(), check.problems());
    }

    /** Checks a document as it would be saved under a scorecard's name, which the document must carry. */
    public ScorecardValidation validate(String name, String yaml) {
        ScorecardCheck check = documents().read(yaml, name);
        return new ScorecardValidation(check.isValid(), check.problems());
    }

    /** Whether a user may save and publish scorecards, so that pages offer only what the user may do. */
    public boolean mayEdit(User user) {
        return EDITORS.contains(user.role());
    }

    /** Whether a user may create scorecards: deciding which accounts are scored by what is the administrator's. */
    public boolean mayCreate(User user) {
        return user.role() == CREATOR;
    }

    /**
     * Saves the YAML, exactly as written, as the scorecard's next version, a draft; a draft may have problems, which
     * are kept with it. A draft under a new name creates the scorecard, which only an ADMIN may, under a name that
     * {@link #checkNewName} allows.
     */
    @Transactional
    public DocumentText<ScorecardProblem> saveDraft(String name, String yaml, User author) {
        requireEditor(author, "save");
        ScorecardCheck check = documents().read(yaml, name);
        UUID scorecard = scorecards.lock(name).orElse(null);
        if (scorecard == null) {
            requireCreator(author);
            checkNewName(name);
            scorecards.create(name, clock.instant());
            scorecard = scorecards.lock(name).orElseThrow();
        }
        return insertDraft(scorecard, name, yaml, check, author);
    }

    /**
     * Saves the YAML as the next draft of an existing scorecard and records what made it (a backtest's suggestion),
     * shown with the version in its history, on its page and in the API.
     *
     * @throws NotFoundException if there is no scorecard of that name
     */
    @Transactional
    public DocumentText<ScorecardProblem> saveDraft(
            String name, String yaml, User author, DocumentVersion.Origin origin) {
        requireEditor(author, "save");
        ScorecardCheck check = documents().read(yaml, name);
        UUID scorecard = scorecards.lock(name).orElseThrow(() -> new NotFoundException("scorecard", name));
        int version = scorecards.insertVersion(
                scorecard, yaml, check.problems(), author.id(), author.displayName(), clock.instant(), origin);
        return version(name, version);
    }

    /**
     * Creates a scorecard with the YAML as its first version, a draft, as {@link #saveDraft} does for a new name, but
     * refuses a name that is taken rather than saving a new version of that scorecard.
     *
     * @throws ConflictException if a scorecard of that name (ignoring case) exists
     */
    @Transactional
    public DocumentText<ScorecardProblem> createDraft(String name, String yaml, User author) {
        requireCreator(author);
        checkNewName(name);
        if (!scorecards.create(name, clock.instant())) {
            throw taken(name);
        }
        UUID scorecard = scorecards.lock(name).orElseThrow();
        return insertDraft(scorecard, name, yaml, documents().read(yaml, name), author);
    }

    /**
     * Refuses a name a new scorecard may not have: one {@link ScorecardDocuments#nameProblem} refuses, the address of
     * the page that creates scorecards, or the name of a scorecard that exists, compared ignoring case (two
     * scorecards "SMB" and "smb" would be told apart by nobody).
     *
     * @throws InvalidInputException naming the field {@code name} and why
     * @throws ConflictException if the name is taken
     */
    public void checkNewName(String name) {
        String problem = ScorecardDocuments.nameProblem(name);
        if (problem != null) {
            throw new InvalidInputException("name", problem);
        }
        if (RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException(
                    "name", "'" + name + "' is the address of the page that creates scorecards; choose another name");
        }
        if (takenName(name) != null) {
            throw taken(name);
        }
    }

    /** Every scorecard's name. */
    public List<String> names() {
        return scorecards.listed().stream().map(VersionedDocuments.Listed::name).toList();
    }

    /** The name of the scorecard that has this name, ignoring case, if any. */
    public String takenName(String name) {
        return names().stream()
                .filter(existing -> existing.equalsIgnoreCase(name))
                .findFirst()
                .orElse(null);
    }

    private ConflictException taken(String name) {
        String existing = takenName(name);
        return ConflictException.of("A scorecard named '" + (existing == null ? name : existing)
                + "' exists already"
                + (existing != null && !existing.equals(name) ? " (names are compared ignoring case)" : "")
                + "; choose another name, or open it to save a new version");
    }

    private DocumentText<ScorecardProblem> insertDraft(
            UUID scorecard, String name, String yaml, ScorecardCheck check, User author) {
        int version = scorecards.insertVersion(
                scorecard,
                yaml,
                DocumentVersion.Status.DRAFT,
                check.problems(),
                author.id(),
                author.displayName(),
                clock.instant());
        return version(name, version);
    }

    /**
     * Makes a version the one that scores accounts and supersedes the one before. Refused with every problem when the
     * version is invalid (checked again, as the metric catalog may have changed since it was saved) or when it would
     * clash with another published scorecard, such as by sharing its priority.
     */
    @Transactional
    public DocumentVersion publish(String name, int version, User author) {
        requireEditor(author, "publish");
        UUID scorecard = scorecards.lock(name).orElseThrow(() -> new NotFoundException("scorecard", name));
        DocumentText<ScorecardProblem> text = version(name, version);
        if (text.version().status() == DocumentVersion.Status.PUBLISHED) {
            return text.version();
        }
        ScorecardCheck check = documents().read(text.yaml(), name);
        if (!check.isValid()) {
            throw refused(check.problems());
        }
        List<Scorecard> set = new ArrayList<>(
                published().stream().filter(other -> !other.name().equals(name)).toList());
        set.add(check.scorecard());
        List<ScorecardProblem> clashes = ScorecardDocuments.checkSet(set);
        if (!clashes.isEmpty()) {
            throw refused(clashes);
        }
        scorecards.publish(scorecard, version, clock.instant());
        events.publishEvent(new ScorecardPublished(name, version));
        return version(name, version).version();
    }

    /**
     * Deletes a draft nobody wants: it leaves the history, and its number is never given again. When it was the only
     * version of a scorecard never published, the scorecard goes with it (only an ADMIN may, as only an ADMIN
     * creates scorecards), and its name is free again. Answers whether the scorecard is still there.
     *
     * @throws ConflictException if the version is published or superseded: they scored accounts, so they are kept
     */
    @Transactional
    public boolean deleteDraft(String name, int version, User author) {
        requireEditor(author, "delete drafts of");
        UUID scorecard = scorecards.lock(name).orElseThrow(() -> new NotFoundException("scorecard", name));
        DocumentVersion found = version(name, version).version();
        if (found.status() != DocumentVersion.Status.DRAFT) {
            throw ConflictException.of("Version " + version + " of scorecard " + name + " is "
                    + found.status().value()
                    + "; only a draft can be deleted, as every other version has scored accounts");
        }
        List<DocumentVersion> history = versions(name);
        boolean last = history.size() == 1;
        if (last) {
            requireCreator(author);
        }
        scorecards.deleteDraft(scorecard, version);
        if (last) {
            scorecards.delete(scorecard);
            return false;
        }
        return true;
    }

    /** Every scorecard with its published version and newest draft, by name. */
    public List<ScorecardSummary> list() {
        Map<String, Scorecard> published =
                published().stream().collect(Collectors.toMap(Scorecard::name, Function.identity()));
        ScorecardDocuments documents = documents();
        return scorecards.listed().stream()
                .map(listed -> {
                    Scorecard shown = published.get(listed.name());
                    if (shown == null && listed.draft() != null) {
                        shown = documents
                                .read(version(listed.name(), listed.draft()).yaml())
                                .scorecard();
                    }
                    return new ScorecardSummary(
                            listed.name(),
                            listed.published(),
                            listed.draft(),
                            shown == null ? null : shown.priority(),
                            shown == null ? null : shown.appliesTo(),
                            listed.createdAt());
                })
                .toList();
    }

    /** A scorecard's versions, newest first. */
    public List<DocumentVersion> versions(String name) {
        List<DocumentVersion> history = scorecards.history(name);
        if (history.isEmpty()) {
            throw new NotFoundException("scorecard", name);
        }
        return history;
    }

    /** One version with its YAML and its problems. */
    public DocumentText<ScorecardProblem> version(String name, int version) {
        return scorecards
                .find(name, version)
                .orElseThrow(() -> new NotFoundException("Scorecard " + name + " has no version " + version + "."));
    }

    /** One version read as a document, with every problem that keeps it from being published. */
    ScorecardCheck read(String name, int version) {
        return documents().read(version(name, version).yaml(), name);
    }

    /**
     * The newest version of a scorecard that can be read as a document (it may still break rules that validation
     * names), to copy it; empty when no version can be read.
     */
    Optional<VersionedScorecard> newestReadable(String name) {
        ScorecardDocuments documents = documents();
        for (DocumentVersion version : versions(name)) {
            Scorecard read =
                    documents.read(version(name, version.version()).yaml()).scorecard();
            if (read != null) {
                return Optional.of(new VersionedScorecard(name, version.version(), read));
            }
        }
        return Optional.empty();
    }

    /** The usage catalog's metric names by key, so that explanations name what a measure counts as the catalog does. */
    Map<String, String> usageMetricNames() {
        return usage.metrics().stream().collect(Collectors.toMap(UsageMetric::key, UsageMetric::name));
    }

    /** The published version of every scorecard: the documents that score accounts. */
    public List<Scorecard> published() {
        ScorecardDocuments documents = documents();
        return scorecards.published().stream()
                .map(published -> documents.read(published.text().yaml()).scorecard())
                .toList();
    }

    /** The published scorecards whose {@code appliesTo} names the segment, by name. */
    public List<String> namingSegment(String segment) {
        return published().stream()
                .filter(scorecard -> ScorecardDocuments.segmentsNamed(scorecard).contains(segment))
                .map(Scorecard::name)
                .toList();
    }

    /** The published version of every scorecard with its version number: what stored scores are computed with. */
    public List<VersionedScorecard> publishedVersions() {
        ScorecardDocuments documents = documents();
        return scorecards.published().stream()
                .map(VersionedDocuments.Published::text)
                .map(text -> new VersionedScorecard(
                        text.version().name(),
                        text.version().version(),
                        documents.read(text.yaml()).scorecard()))
                .toList();
    }

    /**
     * Any version, published or draft, read as a document to score with.
     *
     * @throws InvalidInputException if the version has problems that keep it from scoring
     */
    public VersionedScorecard scorable(String name, int version) {
        ScorecardCheck check = read(name, version);
        if (!check.isValid()) {
            throw new InvalidInputException(check.problems().stream()
                    .map(problem -> FieldError.of(
                            problem.field(),
                            (problem.line() == null ? "" : "line " + problem.line() + ": ") + problem.reason()))
                    .toList());
        }
        return new VersionedScorecard(name, version, check.scorecard());
    }

    /** A scorecard as a YAML document, keys in the order the shipped documents use, so that it diffs line by line. */
    public String yamlOf(Scorecard scorecard) {
        return ScorecardDocuments.write(scorecard);
    }

    /** The changes from one version's YAML to another's, as a unified diff. */
    public String diff(String name, int from, int to) {
        return VersionedDocuments.diff(name, version(name, from), version(name, to));
    }

    /**
     * Imports documents as the first, published version of new scorecards, unless any scorecard exists already; how
     * a fresh Steward gets its defaults.
     */
    @Transactional
    int importIfEmpty(List<String> documents, String author) {
        if (scorecards.count() > 0) {
            return 0;
        }
        int imported = 0;
        for (String yaml : documents) {
            ScorecardCheck check = documents().read(yaml);
            if (!check.isValid()) {
                throw new IllegalStateException("A shipped scorecard is invalid: " + check.problems());
            }
            String name = check.scorecard().name();
            if (scorecards.create(name, clock.instant())) {
                UUID scorecard = scorecards.lock(name).orElseThrow();
                scorecards.insertVersion(
                        scorecard, yaml, DocumentVersion.Status.PUBLISHED, List.of(), null, author, clock.instant());
                imported++;
            }
        }
        return imported;
    }

    private ScorecardDocuments documents() {
        // Read per use: metrics may be added to the usage catalog while Steward runs.
        Set<String> metrics = usage.metrics().stream().map(UsageMetric::key).collect(Collectors.toSet());
        attributes.names().forEach(name -> metrics.add(ScorecardDocuments.ATTRIBUTE + name));
        return new ScorecardDocuments(metrics, segments.known());
    }

    private void requireCreator(User author) {
        if (!mayCreate(author)) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not create scorecards; " + CREATOR + " may");
        }
    }

    private void requireEditor(User author, String action) {
        if (!mayEdit(author)) {
            throw new AccessDeniedException(
                    "Your role " + author.role() + " may not " + action + " scorecards; ADMIN and MANAGER may");
        }
    }

    private static InvalidInputException refused(List<ScorecardProblem> problems) {
        return new InvalidInputException(problems.stream()
                .map(p -> FieldError.of(
                        p.field(),
                        p.line() == null
                                ? p.reason()
                                : "line " + p.line() + ", column " + p.column() + ": " + p.reason()))
                .toList());
    }
}
