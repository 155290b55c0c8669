package dev.steward.health.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A parent account's score is the ARR-weighted average of its own and its children's (children first, so a grandparent
 * rolls up rolled-up children). An account without ARR weighs as much as the smallest member with some (or 1 when none
 * has any). Black members, and accounts without a score (former customers, accounts no scorecard applies to), are left
 * out: a parent that is Black itself is the roll-up of its children, and one whose members are all Black stays Black. A
 * parent without a score of its own is not rolled up. The rolled score is rounded to a tenth and colored by the
 * parent's own thresholds.
 */
public final class RollUp {

    /**
     * An account of one day's scoring: its parent, its ARR, and its own score, color and scorecard thresholds
     * ({@code score} and {@code color} are {@code null} when it has no score).
     */
    public record Member(UUID account, UUID parent, double arr, Double score, Color color, Thresholds thresholds) {}

    /** A parent's rolled-up score and the color its thresholds give it. */
    public record Rolled(double score, Color color) {}

    private RollUp() {}

    /** The rolled-up score of every parent that has a score of its own and a member that is not Black. */
    public static Map<UUID, Rolled> of(Collection<Member> members) {
        Map<UUID, List<Member>> children = new HashMap<>();
        Map<UUID, Member> byId = new HashMap<>();
        for (Member member : members) {
            byId.put(member.account(), member);
            if (member.parent() != null) {
                children.computeIfAbsent(member.parent(), k -> new ArrayList<>())
                        .add(member);
            }
        }
        Map<UUID, Rolled> rolled = new HashMap<>();
        Set<UUID> done = new HashSet<>();
        for (UUID parent : children.keySet()) {
            rollUp(parent, children, byId, rolled, done, new HashSet<>());
        }
        return rolled;
    }

    private static void rollUp(
            UUID parent,
            Map<UUID, List<Member>> children,
            Map<UUID, Member> byId,
            Map<UUID, Rolled> rolled,
            Set<UUID> done,
            Set<UUID> path) {
        if (done.contains(parent) || !path.add(parent)) {
            // Done already, or a cycle in the hierarchy: roll each account once.
            return;
        }
        Member own = byId.get(parent);
        List<double[]> weighed = new ArrayList<>();
        if (scored(own)) {
            weighed.add(new double[] {own.score(), own.arr()});
        }
        for (Member child : children.getOrDefault(parent, List.of())) {
            if (children.containsKey(child.account())) {
                rollUp(child.account(), children, byId, rolled, done, path);
            }
            Rolled childRolled = rolled.get(child.account());
            if (childRolled != null && childRolled.color() != Color.BLACK) {
                weighed.add(new double[] {childRolled.score(), child.arr()});
            } else if (childRolled == null && scored(child)) {
                weighed.add(new double[] {child.score(), child.arr()});
            }
        }
        done.add(parent);
        if (own == null || own.score() == null || weighed.isEmpty()) {
            return;
        }
        double smallest = weighed.stream()
                .mapToDouble(m -> m[1])
                .filter(arr -> arr > 0)
                .min()
                .orElse(1);
        double weightedSum = 0;
        double weights = 0;
        for (double[] member : weighed) {
            double weight = member[1] > 0 ? member[1] : smallest;
            weightedSum += member[0] * weight;
            weights += weight;
        }
        double score = Math.round(weightedSum / weights * 10) / 10.0;
        rolled.put(parent, new Rolled(score, own.thresholds().colorOf(score)));
    }

    private static boolean scored(Member member) {
        return member != null && member.score() != null && member.color() != Color.BLACK;
    }
}
