package dev.steward.playbook;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What a playbook (a draft, say) would do if it were on: its problems, or on current data how many accounts its
 * trigger fires for, how many CTAs it would make (and for whom, due when), how many accounts it would hold back as
 * control or skip (an open CTA, the cooldown, its {@code when} condition), and which failed; and, where the trigger's
 * history is kept, how many CTAs a week it would have made over the past year, per owner.
 */
public record DryRun(
        boolean valid,
        List<PlaybookProblem> problems,
        String trigger,
        int triggered,
        int ctas,
        int control,
        int open,
        int cooldown,
        int notMatching,
        int failed,
        String firstFailure,
        List<Planned> sample,
        List<OwnerCount> byOwner,
        Replay replay) {

    /** One CTA it would make. */
    public record Planned(
            UUID account,
            String accountName,
            String owner,
            String priority,
            Instant dueAt,
            String fact,
            List<String> tasks) {}

    /** CTAs for one owner ({@code null}: unassigned). */
    public record OwnerCount(String owner, int ctas) {}

    /**
     * The trigger replayed over the past year ({@code available} false, with the reason, when its history is not
     * kept): CTAs per week in all and per owner (today's owners), the busiest week and the weekly average.
     */
    public record Replay(
            boolean available,
            String reason,
            LocalDate from,
            LocalDate to,
            int ctas,
            List<Week> weeks,
            int busiestWeek,
            double perWeek,
            List<OwnerWeekly> byOwner) {}

    public record Week(LocalDate start, int ctas) {}

    /** One owner's CTAs over the year, and their busiest week. */
    public record OwnerWeekly(String owner, int ctas, int busiestWeek, double perWeek) {}
}
