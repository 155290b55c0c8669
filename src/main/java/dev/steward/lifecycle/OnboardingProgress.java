package dev.steward.lifecycle;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * How far an account is through the journey's onboarding milestones on a day: how many are completed, whether all
 * are, and how many are past their due day (its first contract's start plus the milestone's due days) and not done.
 * An account without a contract has nothing overdue.
 */
record OnboardingProgress(boolean done, long completed, long overdue) {

    static OnboardingProgress of(
            List<JourneyDocument.Milestone> milestones,
            Map<String, AccountMilestones.Completion> completions,
            LocalDate start,
            LocalDate today) {
        long completed = milestones.stream()
                .filter(m -> completions.containsKey(m.key()))
                .count();
        long overdue = start == null
                ? 0
                : milestones.stream()
                        .filter(m -> !completions.containsKey(m.key()))
                        .filter(m -> start.plusDays(m.dueDays()).isBefore(today))
                        .count();
        return new OnboardingProgress(completed == milestones.size(), completed, overdue);
    }
}
