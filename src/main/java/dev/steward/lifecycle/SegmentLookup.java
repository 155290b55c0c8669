package dev.steward.lifecycle;

import dev.steward.core.VersionedDocuments;
import dev.steward.health.HealthScoring;
import dev.steward.health.SegmentMembershipLookup;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Segment membership for health's scorecards and for backtests ({@link SegmentMembershipLookup}): the published
 * segments, and who was in them when past days ended, from the membership facts. Each entry and exit is passed on in
 * the transaction that records it, so that a scorecard naming the segment re-scores its accounts within seconds.
 */
@Component
class SegmentLookup implements SegmentMembershipLookup {

    private static final Pattern READS_HEALTH = Pattern.compile("(?<![\\w.])health\\s*\\.");

    private final VersionedDocuments<SegmentProblem> segments;
    private final HealthScoring scoring;
    private final SegmentMemberships memberships;
    private final Clock clock;

    // The published documents read once per version (by their text): the lookup is asked at every scorecard read.
    private final Map<String, SegmentDocument> read = new ConcurrentHashMap<>();

    SegmentLookup(
            VersionedDocuments<SegmentProblem> segments,
            HealthScoring scoring,
            SegmentMemberships memberships,
            Clock clock) {
        this.segments = segments;
        this.scoring = scoring;
        this.memberships = memberships;
        this.clock = clock;
    }

    @Override
    public List<PublishedSegment> segments() {
        Map<String, SegmentDocument> documents = new LinkedHashMap<>();
        for (VersionedDocuments.Published<SegmentProblem> published : segments.published()) {
            SegmentDocument document = read.computeIfAbsent(published.text().yaml(), SegmentLookup::document);
            if (document != null) {
                documents.put(published.text().version().name(), document);
            }
        }
        List<PublishedSegment> all = new ArrayList<>();
        Map<String, Boolean> readsHealth = new HashMap<>();
        for (String name : new TreeSet<>(documents.keySet())) {
            all.add(new PublishedSegment(
                    name, documents.get(name).isRule(), readsHealth(name, documents, readsHealth, new HashSet<>())));
        }
        return all;
    }

    /** Whether the segment's condition reads health, or names a segment whose members depend on it. */
    private static boolean readsHealth(
            String name, Map<String, SegmentDocument> documents, Map<String, Boolean> known, Set<String> visiting) {
        Boolean answer = known.get(name);
        if (answer != null) {
            return answer;
        }
        SegmentDocument document = documents.get(name);
        if (document == null || !document.isRule() || !visiting.add(name)) {
            return false;
        }
        boolean reads = READS_HEALTH.matcher(document.condition()).find()
                || SegmentDocuments.references(document.condition()).stream()
                        .anyMatch(other -> readsHealth(other, documents, known, visiting));
        known.put(name, reads);
        return reads;
    }

    /** What a published document says; its condition is not compiled (it was when it was published). */
    private static SegmentDocument document(String yaml) {
        List<SegmentProblem> problems = new ArrayList<>();
        var root = SegmentDocuments.compose(yaml, problems);
        if (!(root instanceof org.yaml.snakeyaml.nodes.MappingNode mapping)) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        for (var tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key
                    && tuple.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode value) {
                fields.put(key.getValue(), value.getValue());
            }
        }
        boolean isStatic =
                "static".equalsIgnoreCase(String.valueOf(fields.get("type")).strip());
        return new SegmentDocument(
                fields.getOrDefault("name", ""),
                fields.getOrDefault("description", ""),
                isStatic ? SegmentDocument.Kind.STATIC : SegmentDocument.Kind.RULE,
                isStatic ? null : fields.getOrDefault("condition", ""));
    }

    @Override
    public SegmentMembership membership(
            Collection<String> names, Collection<UUID> accounts, Collection<LocalDate> days) {
        if (names.isEmpty() || accounts.isEmpty() || days.isEmpty()) {
            return SegmentMembership.NONE;
        }
        List<LocalDate> sorted = new ArrayList<>(new TreeSet<>(days));
        List<Instant> ends = sorted.stream()
                .map(day -> SegmentManagement.endOf(day, clock.getZone()))
                .toList();
        Map<LocalDate, Map<UUID, Set<String>>> byDay = new HashMap<>();
        sorted.forEach(day -> byDay.put(day, new HashMap<>()));
        memberships.stays(names, accounts, ends.get(0), ends.get(ends.size() - 1), named -> {
            for (int i = 0; i < sorted.size(); i++) {
                if (named.stay().inAt(ends.get(i))) {
                    byDay.get(sorted.get(i))
                            .computeIfAbsent(named.stay().account(), k -> new HashSet<>())
                            .add(named.segment());
                }
            }
        });
        return new SegmentMembership(byDay);
    }

    @Override
    public Map<UUID, Set<String>> currentMembers(Collection<String> names) {
        Map<UUID, Set<String>> members = new HashMap<>();
        if (!names.isEmpty()) {
            memberships.currentByName(
                    names,
                    (name, account) -> members.computeIfAbsent(account, k -> new HashSet<>())
                            .add(name));
        }
        return members;
    }

    @EventListener
    void on(SegmentEntered entered) {
        scoring.membershipChanged(
                entered.segment(),
                entered.accounts().stream().map(a -> a.value()).toList());
    }

    @EventListener
    void on(SegmentLeft left) {
        scoring.membershipChanged(
                left.segment(), left.accounts().stream().map(a -> a.value()).toList());
    }
}
