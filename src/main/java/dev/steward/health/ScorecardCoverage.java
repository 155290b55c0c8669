package dev.steward.health;

import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.engine.ScorecardDocuments;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Which accounts the published scorecards leave out: every account's attributes today are put to the published
 * conditions (as scoring does), and the customers none applies to are counted by the attributes that decide.
 */
@Service
public class ScorecardCoverage {

    /** The attributes a group can be told by: those with a few values each, unlike ARR or employees. */
    private static final Map<String, Function<AccountSnapshot, String>> GROUPABLE = groupable();

    private static final Map<String, String> LABELS =
            Map.of("tier", "segment", "industry", "industry", "region", "region", "lifecycleStage", "lifecycle stage");

    private static final Pattern MENTIONED = Pattern.compile("\\baccount\\.(tier|industry|region|lifecycleStage)\\b");

    private static final String UNSEGMENTED = "Unsegmented";

    private final ScorecardManagement scorecards;
    private final ScoreComputation computation;
    private final AccountSnapshots accounts;

    ScorecardCoverage(ScorecardManagement scorecards, ScoreComputation computation, AccountSnapshots accounts) {
        this.scorecards = scorecards;
        this.computation = computation;
        this.accounts = accounts;
    }

    /** The customers no published scorecard applies to today, largest group first. */
    public UnassignedAccounts unassigned() {
        List<VersionedScorecard> set = scorecards.publishedVersions();
        List<String> decidedBy = decidedBy(set);
        Set<UUID> former = accounts.formerCustomers();
        Map<List<String>, Tally> tallies = new LinkedHashMap<>();
        int[] formerCustomers = {0};
        computation.assign(set, (account, scorecard) -> {
            if (scorecard != null) {
                return;
            }
            if (former.contains(account.id())) {
                formerCustomers[0]++;
                return;
            }
            List<String> values = Arrays.asList(decidedBy.stream()
                    .map(attribute -> GROUPABLE.get(attribute).apply(account))
                    .toArray(String[]::new));
            tallies.computeIfAbsent(values, v -> new Tally()).add(account.arr());
        });
        Set<String> suggested = new HashSet<>();
        scorecards.names().forEach(name -> suggested.add(name.toLowerCase(Locale.ROOT)));
        List<UnassignedAccounts.Group> groups = new ArrayList<>();
        int total = 0;
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
                    tally.accounts,
                    tally.arr,
                    condition(attributes),
                    suggestedName(attributes, suggested),
                    listable ? "/accounts?" + filter : null,
                    listable ? "/api/v1/accounts?" + filter : null));
        }
        return new UnassignedAccounts(total, arr, formerCustomers[0], decidedBy, groups);
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

    /** The attributes as people name them: "segment", "segment and region". */
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

    private static Map<String, Function<AccountSnapshot, String>> groupable() {
        Map<String, Function<AccountSnapshot, String>> groupable = new LinkedHashMap<>();
        groupable.put("tier", AccountSnapshot::tier);
        groupable.put("industry", AccountSnapshot::industry);
        groupable.put("region", AccountSnapshot::region);
        groupable.put("lifecycleStage", AccountSnapshot::lifecycleStage);
        return groupable;
    }

    /** How many customers a group has and their ARR. */
    private static final class Tally {

        int accounts;
        BigDecimal arr = BigDecimal.ZERO;

        void add(BigDecimal accountArr) {
            accounts++;
            if (accountArr != null) {
                arr = arr.add(accountArr);
            }
        }
    }
}
