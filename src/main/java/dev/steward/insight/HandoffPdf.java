package dev.steward.insight;

import dev.steward.core.Formats;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.ingest.quality.DataKind;
import dev.steward.ingest.quality.DataQualityReport.KindSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The admin hand-off document as a PDF, drawn the way the executive PDF is: each section a table. The documents' YAML
 * is summarized, not printed: the PDF says where to download the full configuration bundle.
 */
final class HandoffPdf {

    private HandoffPdf() {}

    static byte[] render(Handoff.Document document, Formats formats) {
        List<String> introduction = List.of(
                "Generated from live data at " + formats.time(document.generatedAt()) + ". Steward version: "
                        + document.version() + ".",
                "The configuration below is summarized. The full YAML of every document in force is the configuration"
                        + " bundle: Settings -> Configuration bundle -> Download the bundle"
                        + " (/settings/configuration/bundle.yaml), or the page /settings/handoff.",
                document.findings().isEmpty()
                        ? "Troubleshooting: the data-quality report has no findings right now."
                        : "Troubleshooting: " + document.findings().size()
                                + " data-quality findings, listed at the end with what to do about each.");
        List<ExecutiveTable> tables = new ArrayList<>();
        tables.add(configuration(document));
        tables.add(kinds(document, formats));
        tables.add(sources(document, formats));
        if (!document.findings().isEmpty()) {
            tables.add(findings(document));
        }
        tables.add(people(document));
        return ExecutivePdf.render(
                "Steward admin hand-off",
                "Generated " + formats.time(document.generatedAt()) + " · version " + document.version(),
                introduction,
                tables);
    }

    private static ExecutiveTable configuration(Handoff.Document document) {
        List<List<String>> rows = new ArrayList<>();
        for (Handoff.ConfigurationKind kind : document.configuration()) {
            if (kind.documents().isEmpty()) {
                rows.add(List.of(kind.label(), "none in force", "", "Edit at " + kind.path()));
            }
            for (Handoff.ConfigurationDocument doc : kind.documents()) {
                rows.add(List.of(
                        kind.label(),
                        doc.name(),
                        doc.version() == null ? "" : "v" + doc.version(),
                        String.join("; ", doc.summary())));
            }
        }
        return new ExecutiveTable(
                "configuration",
                "Configuration in force (" + document.documents() + " documents)",
                List.of("Kind", "Name", "Published", "Summary"),
                rows);
    }

    private static ExecutiveTable kinds(Handoff.Document document, Formats formats) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<DataKind, KindSummary> entry : document.quality().kinds().entrySet()) {
            KindSummary kind = entry.getValue();
            rows.add(List.of(
                    kind.label() + " (" + kind.facts() + ")",
                    formats.count(kind.fresh()),
                    formats.count(kind.stale()),
                    formats.count(kind.missing()),
                    kind.staleAfterDays() + " days"));
        }
        return new ExecutiveTable(
                "kinds",
                "Freshness of each kind of data, "
                        + formats.count(document.quality().accounts()) + " accounts as of "
                        + formats.time(document.quality().asOf()),
                List.of("Kind", "Fresh", "Stale", "Missing", "Stale after"),
                rows);
    }

    private static ExecutiveTable sources(Handoff.Document document, Formats formats) {
        List<List<String>> rows = new ArrayList<>();
        for (Handoff.Source source : document.sources()) {
            var row = source.row();
            rows.add(List.of(
                    row.name(),
                    row.kind(),
                    row.lastReceivedAt() == null ? "never" : formats.time(row.lastReceivedAt()),
                    source.state().name() + " - " + row.status(),
                    formats.count(row.acceptedLast7Days()),
                    formats.count(row.rejectedLast7Days()),
                    formats.count(row.quarantined())));
        }
        return new ExecutiveTable(
                "sources",
                "Data sources",
                List.of(
                        "Source",
                        "Kind",
                        "Last data",
                        "State",
                        "Accepted (7 days)",
                        "Rejected (7 days)",
                        "Quarantined"),
                rows);
    }

    private static ExecutiveTable findings(Handoff.Document document) {
        List<List<String>> rows = new ArrayList<>();
        for (Handoff.Finding finding : document.findings()) {
            rows.add(List.of(
                    finding.title(),
                    finding.meaning(),
                    finding.affected(),
                    finding.action() + " Fix it at " + finding.path() + "."));
        }
        return new ExecutiveTable(
                "troubleshooting",
                "Troubleshooting guide",
                List.of("Finding", "What it means", "Affects", "What to do"),
                rows);
    }

    private static ExecutiveTable people(Handoff.Document document) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Role, List<User>> entry : document.people().entrySet()) {
            rows.add(List.of(
                    entry.getKey().name(),
                    String.valueOf(entry.getValue().size()),
                    entry.getValue().stream()
                            .map(user -> user.displayName() + " <" + user.email() + ">")
                            .collect(Collectors.joining(", "))));
        }
        return new ExecutiveTable("people", "People and access", List.of("Role", "Users", "Who"), rows);
    }
}
