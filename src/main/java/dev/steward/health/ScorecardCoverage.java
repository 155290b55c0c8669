package dev.steward.health;

import dev.steward.customer.AccountSnapshots;
import dev.steward.health.engine.AccountProfile;
import dev.steward.health.engine.ScorecardAssignment;
import dev.steward.health.engine.ScorecardDocuments;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Which accounts the published scorecards leave out: every account's attributes today are put to the published
 * conditions (as scoring does), and the customers none applies to are counted by the attributes that decide.
 * Whether an account is a former customer is as the last re-score of today recorded it.
 */
@Service
public class ScorecardCoverage {

    /** The attributes a group can be told by: those with a few values each, unlike ARR or employees. */
    private static final Map<String, Function<AccountSnapshots.Profiles, String>> GROUPABLE = groupable();

    private static final Map<String, String> LABELS =
            Map.of("tier", "tier", "industry", "industry", "region", "region", "lifecycleStage", "lifecycle stage");

    private static final Pattern MENTIONED = Pattern.compile("\\baccount\\.(tier|industry|region|lifecycleStage)\\b");

    private static final String UNSEGMENTED = "No tier";

    /** Between the names of the segments an account is in, in the label it is counted by. */
    private static final String BETWEEN_SEGMENTS = "\u001f";

    private final ScorecardManagement scorecards;
    private final AccountSnapshots accounts;
    private final ScorecardSegments segments;

    ScorecardCoverage(ScorecardManagement scorecards, AccountSnapshots accounts, ScorecardSegments segments) {
        this.scorecards = scorecards;
        this.accounts = accounts;
        this.segments = segments;
    }

    /**
     * The customers no published scorecard applies to today, largest group first. Accounts are read counted by the
     * attributes the published conditions name (one grouped query), and each combination is put to the conditions once.
     */
    public UnassignedAccounts unassigned() {
        List<VersionedScorecard> set = scorecards.publishedVersions();
        List<String> decidedBy = decidedBy(set);
        Set<String> read = new HashSet<>(ScoreComputation.Assigner.mentioned(set));
        read.addAll(decidedBy);
        ScorecardAssignment assignment = ScorecardAssignment.of(
                set.stream().map(VersionedScorecard::scorecard).toList());
        Map<List<String>, Tally> tallies = new LinkedHashMap<>();
        long formerCustomers = 0;
        // A scorecard for a segment applies to its members: accounts are counted apart by the segments they are in now,
        // of those the published scorecards name.
        Set<String> named = new HashSet<>();
        set.forEach(version -> named.addAll(ScorecardDocuments.segmentsNamed(version.scorecard())));
        Map<UUID, String> labels = new HashMap<>();
        segments.currentMembers(named)
                .forEach((account, in) -> labels.put(account, String.join(BETWEEN_SEGMENTS, new TreeSet<>(in))));
        for (AccountSnapshots.Profiles profiles : accounts.profiles(read, labels)) {
            AccountProfile profile = new AccountProfile(
                    profiles.tier(),
                    profiles.industry(),
                    profiles.region(),
                    profiles.employees() == null ? null : profiles.employees().longValue(),
                    profiles.lifecycleStage(),
                    profiles.arr() == null ? null : profiles.arr().doubleValue(),
                    profiles.customFields());
            if (profiles.label() != null) {
                profile = profile.inSegments(Set.of(profiles.label().split(BETWEEN_SEGMENTS)));
            }
            if (assignment.assign(profile).scorecard().isPresent()) {
                continue;
            }
            if (profiles.formerCustomer()) {
                formerCustomers += profiles.accounts();
                continue;
            }
            List<String> values = Arrays.asList(decidedBy.stream()
                    .map(attribute -> GROUPABLE.get(attribute).apply(profiles))
                    .toArray(String[]::new));
            tallies.computeIfAbsent(values, v -> new Tally()).add(profiles.accounts(), profiles.totalArr());
        }
        Set<String> suggested = new HashSet<>();
        scorecards.names().forEach(name -> suggested.add(name.toLowerCase(Locale.ROOT)));
        List<UnassignedAccounts.Group> groups = new ArrayList<>();
        long total = 0;
        BigDecimal arr = BigDecimal.ZERO;
        List<Map.Entry<List<String>, Tally>> ordered = new ArrayList<>(tallies.entrySet());
        ordered.sort(Comparator.comparing((Map.Entry<List<String>, Tally> e) -> -e.getValue().accounts)
                .thenComparing(e -> e.getKey().toString()));
        for (Map.Entry<List<String>, Tally> entry : ordered) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < decidedBy.size(); i++) {
                attributes.put(decidedBy.get(i), entry.getKey().get(i));
            }
            Tally tally = entry.getValue();
            total += tally.accounts;
            arr = arr.add(tally.arr);
            String tier = attributes.get("tier");
            boolean listable = decidedBy.equals(List.of("tier")) && tier != null;
            String filter = "health=unscored&tier=" + URLEncoder.encode(listable ? tier : "", StandardCharsets.UTF_8);
            groups.add(new UnassignedAccounts.Group(
                    attributes,
                    label(attributes),
                    Math.toIntExact(tally.accounts),
                    tally.arr,
                    condition(attributes),
                    suggestedName(attributes, suggested),
                    listable ? "/accounts?" + filter : null,
                    listable ? "/api/v1/accounts?" + filter : null));
        }
        return new UnassignedAccounts(Math.toIntExact(total), arr, Math.toIntExact(formerCustomers), decidedBy, groups);
    }

    /** The groupable attributes the published conditions read, or the segment when they read none. */
    static List<String> decidedBy(List<VersionedScorecard> set) {
        Set<String> mentioned = new HashSet<>();
        for (VersionedScorecard version : set) {
            Matcher matcher = MENTIONED.matcher(version.scorecard().appliesTo());
            while (matcher.find()) {
                mentioned.add(matcher.group(1));
            }
        }
        List<String> decidedBy =
                GROUPABLE.keySet().stream().filter(mentioned::contains).toList();
        return decidedBy.isEmpty() ? List.of("tier") : decidedBy;
    }

    /** The attributes as people name them: "tier", "tier and region". */
    static String describe(List<String> attributes) {
        List<String> named = attributes.stream().map(LABELS::get).toList();
        return named.size() == 1
                ? named.get(0)
                : String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1);
    }

    /** A CEL condition that holds for exactly the accounts with these values ({@code null}: the attribute is absent). */
    static String condition(Map<String, String> attributes) {
        List<String> parts = new ArrayList<>();
        attributes.forEach((attribute, value) -> parts.add(
                value == null
                        ? "!has(account." + attribute + ")"
                        : "account." + attribute + " == " + ScorecardDocuments.celString(value)));
        return String.join(" && ", parts);
    }

    private static String label(Map<String, String> attributes) {
        List<String> parts = new ArrayList<>();
        attributes.forEach((attribute, value) -> parts.add(
                value == null
                        ? "no " + LABELS.get(attribute)
                        : value.isBlank() ? "blank " + LABELS.get(attribute) : value));
        return String.join(" · ", parts);
    }

    /** The group's values as a scorecard name that no scorecard (nor another group) has yet ({@code taken}). */
    private static String suggestedName(Map<String, String> attributes, Set<String> suggested) {
        String base = attributes.values().stream()
                .filter(value -> value != null)
                .map(value -> value.replaceAll("[^\\p{L}\\p{N} _.&()-]", " "))
                .reduce((a, b) -> a + " " + b)
                .orElse("")
                .replaceAll("\\s+", " ")
                .strip();
        base = base.replaceFirst("^[^\\p{L}\\p{N}]+", "");
        if (base.length() > ScorecardDocuments.NAME_MAX_LENGTH - 12) {
            base = base.substring(0, ScorecardDocuments.NAME_MAX_LENGTH - 12).strip();
        }
        if (base.isEmpty()) {
            base = UNSEGMENTED;
        }
        List<String> tries = new ArrayList<>(List.of(base, base + " accounts"));
        for (int n = 2; n < 100; n++) {
            tries.add(base + " " + n);
        }
        for (String name : tries) {
            if (ScorecardDocuments.nameProblem(name) == null
                    && !ScorecardManagement.RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))
                    && suggested.add(name.toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        return base;
    }

    private static Map<String, Function<AccountSnapshots.Profiles, String>> groupable() {
        Map<String, Function<AccountSnapshots.Profiles, String>> groupable = new LinkedHashMap<>();
        groupable.put("tier", AccountSnapshots.Profiles::tier);
        groupable.put("industry", AccountSnapshots.Profiles::industry);
        groupable.put("region", AccountSnapshots.Profiles::region);
        groupable.put("lifecycleStage", AccountSnapshots.Profiles::lifecycleStage);
        return groupable;
    }

    /** How many customers a group has and their ARR. */
    private static final class Tally {

        long accounts;
        BigDecimal arr = BigDecimal.ZERO;

        void add(long more, BigDecimal moreArr) {
            accounts += more;
            arr = arr.add(moreArr);
        }
    }
}
