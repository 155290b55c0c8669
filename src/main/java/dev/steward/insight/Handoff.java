package dev.steward.insight;

import dev.steward.core.DocumentVersion;
import dev.steward.health.ScorecardManagement;
import dev.steward.health.VersionedScorecard;
import dev.steward.health.engine.Dimension;
import dev.steward.health.engine.Scorecard;
import dev.steward.identity.ConfigurationPart;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import dev.steward.ingest.quality.DataKind;
import dev.steward.ingest.quality.DataQualityReport;
import dev.steward.ingest.quality.DataQualityReport.KindSummary;
import dev.steward.ingest.quality.DataQualityReport.SourceRow;
import dev.steward.ingest.quality.DataQualitySummaries;
import dev.steward.lifecycle.BooksOfBusiness;
import dev.steward.lifecycle.LifecycleManagement;
import dev.steward.lifecycle.SegmentManagement;
import dev.steward.lifecycle.SegmentSummary;
import dev.steward.playbook.PlaybookManagement;
import dev.steward.playbook.PlaybookSummary;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The admin hand-off document, gathered from live data when it is asked for: the configuration in force (every
 * document of every {@link ConfigurationPart} with its published version and a summary), the data sources and the
 * freshness of each kind of data as the data-quality report judges them, a troubleshooting guide made of the report's
 * findings, and who has access.
 */
@Service
class Handoff {

    /** The whole document, as of {@code generatedAt}. */
    record Document(
            Instant generatedAt,
            String version,
            List<ConfigurationKind> configuration,
            DataQualityReport.Summary quality,
            List<Source> sources,
            List<Finding> findings,
            Map<Role, List<User>> people) {

        long documents() {
            return configuration.stream().mapToLong(k -> k.documents().size()).sum();
        }
    }

    /** One kind of configuration document, where it is edited, and its documents in force. */
    record ConfigurationKind(String kind, String label, String path, List<ConfigurationDocument> documents) {}

    /** One document in force: its published version (null when the owning module does not say), summary and YAML. */
    record ConfigurationDocument(String name, @Nullable Integer version, List<String> summary, String yaml) {}

    /** A source as the data-quality report sees it, with its state in the report's words: fresh, stale or missing. */
    record Source(SourceRow row, DataQualityReport.State state) {}

    /**
     * One data-quality finding as a troubleshooting entry: what is wrong, what it means, whom it affects, what to do
     * and where.
     */
    record Finding(String title, String meaning, String affected, String action, String path, String pathLabel) {}

    private final List<ConfigurationPart> parts;
    private final ScorecardManagement scorecards;
    private final SegmentManagement segments;
    private final LifecycleManagement lifecycle;
    private final BooksOfBusiness books;
    private final PlaybookManagement playbooks;
    private final DataQualitySummaries quality;
    private final UserDirectory users;
    private final ObjectProvider<BuildProperties> build;
    private final Clock clock;

    Handoff(
            List<ConfigurationPart> parts,
            ScorecardManagement scorecards,
            SegmentManagement segments,
            LifecycleManagement lifecycle,
            BooksOfBusiness books,
            PlaybookManagement playbooks,
            DataQualitySummaries quality,
            UserDirectory users,
            ObjectProvider<BuildProperties> build,
            Clock clock) {
        this.parts = parts.stream()
                .sorted(Comparator.comparingInt(ConfigurationPart::order))
                .toList();
        this.scorecards = scorecards;
        this.segments = segments;
        this.lifecycle = lifecycle;
        this.books = books;
        this.playbooks = playbooks;
        this.quality = quality;
        this.users = users;
        this.build = build;
        this.clock = clock;
    }

    Document current() {
        DataQualityReport.Summary summary = quality.current();
        List<Source> sources = quality.sources().stream()
                .map(row -> new Source(row, stateOf(row)))
                .toList();
        Map<Role, List<User>> people = new EnumMap<>(Role.class);
        users.everyone().stream()
                .filter(User::enabled)
                .sorted(Comparator.comparing(User::displayName, String.CASE_INSENSITIVE_ORDER))
                .forEach(user -> people.computeIfAbsent(user.role(), role -> new ArrayList<>())
                        .add(user));
        return new Document(
                clock.instant(), version(), configuration(), summary, sources, findings(summary, sources), people);
    }

    private String version() {
        BuildProperties properties = build.getIfAvailable();
        if (properties != null && properties.getVersion() != null) {
            return properties.getVersion();
        }
        String packaged = Handoff.class.getPackage().getImplementationVersion();
        return packaged == null ? "not recorded in this build" : packaged;
    }

    /** A source that never delivered is missing; one silent for longer than expected is stale; else fresh. */
    private static DataQualityReport.State stateOf(SourceRow row) {
        if (row.lastReceivedAt() == null) {
            return DataQualityReport.State.missing;
        }
        return row.quiet() ? DataQualityReport.State.stale : DataQualityReport.State.fresh;
    }

    private List<ConfigurationKind> configuration() {
        List<ConfigurationKind> kinds = new ArrayList<>();
        for (ConfigurationPart part : parts) {
            List<ConfigurationDocument> documents = new ArrayList<>();
            Map<String, String> published = new TreeMap<>(part.published());
            switch (part.kind()) {
                case "scorecards" -> {
                    Map<String, VersionedScorecard> versions = scorecards.publishedVersions().stream()
                            .collect(Collectors.toMap(VersionedScorecard::name, Function.identity(), (a, b) -> a));
                    published.forEach((name, yaml) -> {
                        VersionedScorecard versioned = versions.get(name);
                        documents.add(new ConfigurationDocument(
                                name,
                                versioned == null ? null : versioned.version(),
                                versioned == null ? List.of() : scorecardSummary(versioned.scorecard()),
                                yaml));
                    });
                    kinds.add(new ConfigurationKind(part.kind(), "Scorecards", "/scorecards", documents));
                }
                case "segments" -> {
                    Map<String, SegmentSummary> listed = segments.list().stream()
                            .collect(Collectors.toMap(SegmentSummary::name, Function.identity(), (a, b) -> a));
                    published.forEach((name, yaml) -> {
                        SegmentSummary segment = listed.get(name);
                        documents.add(new ConfigurationDocument(
                                name,
                                segment == null ? null : segment.publishedVersion(),
                                segment == null
                                        ? List.of()
                                        : lines(
                                                segment.description(),
                                                "Type: " + segment.type() + "; " + segment.members() + " members now"),
                                yaml));
                    });
                    kinds.add(new ConfigurationKind(part.kind(), "Segments", "/segments", documents));
                }
                case "lifecycle" -> {
                    Integer version = publishedVersion(lifecycle.versions());
                    published.forEach((name, yaml) -> documents.add(new ConfigurationDocument(
                            name, version, lines("The customer journey: its stages and milestones"), yaml)));
                    kinds.add(new ConfigurationKind(part.kind(), "Customer journey", "/lifecycle", documents));
                }
                case "assignment" -> {
                    Integer version = publishedVersion(books.versions());
                    published.forEach((name, yaml) -> documents.add(new ConfigurationDocument(
                            name, version, lines("Who owns which account: the assignment rules"), yaml)));
                    kinds.add(new ConfigurationKind(part.kind(), "Assignment rules", "/books", documents));
                }
                case "playbooks" -> {
                    Map<String, PlaybookSummary> listed = playbooks.list().stream()
                            .collect(Collectors.toMap(PlaybookSummary::name, Function.identity(), (a, b) -> a));
                    published.forEach((name, yaml) -> {
                        PlaybookSummary playbook = listed.get(name);
                        documents.add(new ConfigurationDocument(
                                name,
                                playbook == null ? null : playbook.publishedVersion(),
                                playbook == null
                                        ? List.of()
                                        : lines(
                                                playbook.description(),
                                                "Trigger: " + playbook.trigger() + (playbook.on() ? "" : " (off)")),
                                yaml));
                    });
                    kinds.add(new ConfigurationKind(part.kind(), "Playbooks", "/playbooks", documents));
                }
                default -> {
                    published.forEach(
                            (name, yaml) -> documents.add(new ConfigurationDocument(name, null, List.of(), yaml)));
                    kinds.add(new ConfigurationKind(part.kind(), part.kind(), "/settings/configuration", documents));
                }
            }
        }
        return kinds;
    }

    static List<String> scorecardSummary(Scorecard scorecard) {
        String dimensions = scorecard.dimensions().stream()
                .map(dimension -> dimension.name() + ": weight " + dimension.weight() + " ("
                        + dimension.measures().size() + (dimension.measures().size() == 1 ? " measure)" : " measures)"))
                .collect(Collectors.joining(", "));
        return List.of(
                "Applies to: " + scorecard.appliesTo() + " (priority " + scorecard.priority() + ")",
                "Red up to " + scorecard.thresholds().red() + ", Yellow up to "
                        + scorecard.thresholds().yellow() + ", Green above",
                "Dimensions and weights: " + (dimensions.isEmpty() ? "none" : dimensions)
                        + weightTotal(scorecard.dimensions()));
    }

    private static String weightTotal(List<Dimension> dimensions) {
        return dimensions.size() < 2
                ? ""
                : " — total " + dimensions.stream().mapToInt(Dimension::weight).sum();
    }

    private static @Nullable Integer publishedVersion(List<DocumentVersion> versions) {
        return versions.stream()
                .filter(v -> v.status() == DocumentVersion.Status.PUBLISHED)
                .map(DocumentVersion::version)
                .findFirst()
                .orElse(null);
    }

    private static List<String> lines(@Nullable String... texts) {
        List<String> lines = new ArrayList<>();
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                lines.add(text.strip());
            }
        }
        return lines;
    }

    /** The troubleshooting guide: one entry per data-quality finding, most accounts first within each group. */
    static List<Finding> findings(DataQualityReport.Summary summary, List<Source> sources) {
        List<Finding> findings = new ArrayList<>();
        DataQualityReport.NoScorecard unassigned = summary.noScorecard();
        if (unassigned.accounts() > 0) {
            findings.add(new Finding(
                    "Customers no scorecard applies to",
                    "No published scorecard's appliesTo rule matched them at their last re-score, so they have no"
                            + " health score and never turn Red.",
                    accounts(unassigned.accounts()),
                    "Widen an existing scorecard's appliesTo rule, or publish a scorecard for them; the accounts list"
                            + " at " + unassigned.listPath() + " shows which they are.",
                    unassigned.fixPath(),
                    "Scorecards"));
        }
        for (Map.Entry<DataKind, KindSummary> entry : summary.kinds().entrySet()) {
            DataKind kind = entry.getKey();
            KindSummary counts = entry.getValue();
            if (counts.missing() > 0) {
                findings.add(new Finding(
                        counts.label() + " data missing",
                        "These accounts have no " + counts.facts() + " at all: measures on them have no data, which"
                                + " lowers coverage and can leave scores Black.",
                        accounts(counts.missing()) + " of " + summary.accounts(),
                        "Connect a source that delivers " + counts.facts() + " (Data → Data sources) or import them"
                                + " from CSV; if these accounts should not have it, nothing needs doing.",
                        path(kind, DataQualityReport.State.missing),
                        "Data quality: " + counts.label() + " missing"));
            }
            if (counts.stale() > 0) {
                findings.add(new Finding(
                        counts.label() + " data stale",
                        "The latest " + counts.facts() + " of these accounts is older than " + counts.staleAfterDays()
                                + " days: scores use data that may no longer hold.",
                        accounts(counts.stale()) + " of " + summary.accounts(),
                        "Check that the source delivering " + counts.facts() + " still runs (a quiet source below,"
                                + " an expired credential, a stopped export).",
                        path(kind, DataQualityReport.State.stale),
                        "Data quality: " + counts.label() + " stale"));
            }
        }
        for (Source source : sources) {
            SourceRow row = source.row();
            String page = UriComponentsBuilder.fromPath("/sources/{name}")
                    .buildAndExpand(row.name())
                    .encode()
                    .toUriString();
            if (row.lastReceivedAt() == null && !row.quiet()) {
                findings.add(new Finding(
                        "Source " + row.name() + " has delivered nothing yet",
                        "It is set up but no event has arrived from it: " + row.status() + ".",
                        "every account it should feed",
                        "Give the sending system the source's write key and send a test event; delete the source if it"
                                + " is not used.",
                        page,
                        "Source " + row.name()));
            }
            if (row.quiet()) {
                findings.add(new Finding(
                        "Source " + row.name() + " is quiet",
                        "It delivered nothing for longer than expected: " + row.status() + ".",
                        "every account it feeds",
                        "Check the sending system (its export or webhook, and the API key it uses), then send a test"
                                + " event.",
                        page,
                        "Source " + row.name()));
            }
            if (row.rejectedLast7Days() > 0) {
                findings.add(new Finding(
                        "Source " + row.name() + " rejects events",
                        row.rejectedLast7Days() + " of its events in the last 7 days were refused as invalid and not"
                                + " applied.",
                        row.rejectedLast7Days() + " events",
                        "Open the source to see each rejection's reason, then fix the sender's mapping or data.",
                        page,
                        "Source " + row.name()));
            }
            if (row.quarantined() > 0) {
                findings.add(new Finding(
                        "Source " + row.name() + " has quarantined events",
                        "They were received but could not be applied (e.g. an unknown account) and wait for a"
                                + " decision.",
                        row.quarantined() + " events",
                        "Replay them once the cause is fixed, or discard them.",
                        page,
                        "Source " + row.name()));
            }
        }
        return findings;
    }

    private static String accounts(long count) {
        return count + (count == 1 ? " account" : " accounts");
    }

    private static String path(DataKind kind, DataQualityReport.State state) {
        return "/data-quality?kind=" + kind.name() + "&state=" + state.name();
    }
}
