package dev.steward.health;

import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AccountSnapshot;
import dev.steward.customer.AccountSnapshots;
import dev.steward.health.engine.ScorecardAssignment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Which published scorecard applies to one account now, put to the conditions as scoring puts them; and, when none
 * does, why (which scorecards are published and what each applies to) and where to fix it. What the account page says
 * instead of a score.
 */
@Service
class ScorecardFit {

    /** The Scorecards page's section of customers no scorecard applies to. */
    static final String UNASSIGNED_PATH = "/scorecards#unassigned";

    private final ScorecardManagement scorecards;
    private final AccountSnapshots snapshots;
    private final AccountManagement accounts;
    private final ScorecardSegments segments;
    private final java.time.Clock clock;

    ScorecardFit(
            ScorecardManagement scorecards,
            AccountSnapshots snapshots,
            AccountManagement accounts,
            ScorecardSegments segments,
            java.time.Clock clock) {
        this.segments = segments;
        this.clock = clock;
        this.scorecards = scorecards;
        this.snapshots = snapshots;
        this.accounts = accounts;
    }

    /** A published scorecard as the reason lists it. */
    record Published(String name, int version, int priority, String appliesTo) {}

    /**
     * Why an account has no score. {@code scorecard} is the published scorecard that applies to it now ({@code null}
     * when none does: then {@code reason} says why and {@code createPath} opens a new scorecard for accounts like it);
     * {@code formerCustomer} holds the churn reason of an account that is no longer a customer, which is not scored.
     */
    record Fit(
            @Nullable String scorecard,
            @Nullable String formerCustomer,
            String reason,
            List<Published> published,
            @Nullable String tier,
            String fixPath,
            String createPath) {}

    /** Why this account has no score now. */
    Fit of(UUID id) {
        Account account = accounts.get(new AccountId(id));
        List<VersionedScorecard> set = scorecards.publishedVersions();
        List<Published> published = published(set);
        Map<String, String> group = new LinkedHashMap<>();
        group.put("tier", account.tier());
        String createPath = "/scorecards/new?name="
                + encode(account.tier() == null ? "" : account.tier())
                + "&appliesTo=" + encode(ScorecardCoverage.condition(group));
        if (account.churn() != null) {
            return new Fit(
                    null,
                    account.churn().reason(),
                    "A former customer is not scored: " + account.churn().reason() + ".",
                    published,
                    account.tier(),
                    UNASSIGNED_PATH,
                    createPath);
        }
        AccountSnapshot snapshot = snapshots.read(Set.of(id)).get(id);
        java.time.LocalDate today = java.time.LocalDate.now(clock);
        Set<String> in = segments.membership(ScoreComputation.segmentsNamed(set), Set.of(id), List.of(today))
                .of(id, today);
        ScorecardAssignment.Assignment assignment = ScorecardAssignment.of(
                        set.stream().map(VersionedScorecard::scorecard).toList())
                .assign(ScoreComputation.profile(snapshot).inSegments(in));
        String chosen = assignment.scorecard().map(s -> s.name()).orElse(null);
        String reason = chosen != null
                ? "Not scored yet: " + chosen + " applies to it, and a new account is scored within seconds of its"
                        + " creation (every account daily, and whenever a scorecard is published)."
                : reason(set)
                        + (assignment.reason().contains("could not be decided")
                                ? " (" + assignment.reason().substring("no scorecard applies; ".length()) + ")"
                                : "");
        return new Fit(chosen, null, reason, published, account.tier(), UNASSIGNED_PATH, createPath);
    }

    /**
     * Why no scorecard scores an account, in words, given the published set it was put to: none is published, or the
     * condition of each published one (by priority) did not hold for it. Stored on the account by each re-score.
     */
    static String reason(List<VersionedScorecard> set) {
        if (set.isEmpty()) {
            return "No scorecard is published, so no account is scored.";
        }
        return "No published scorecard applies to it: "
                + published(set).stream()
                        .map(p -> p.name() + " applies to " + p.appliesTo())
                        .collect(Collectors.joining("; "))
                + ".";
    }

    private static List<Published> published(List<VersionedScorecard> set) {
        return set.stream()
                .map(v -> new Published(
                        v.name(),
                        v.version(),
                        v.scorecard().priority(),
                        v.scorecard().appliesTo()))
                .sorted(Comparator.comparingInt(Published::priority))
                .toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
