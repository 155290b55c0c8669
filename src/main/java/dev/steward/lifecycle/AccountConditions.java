package dev.steward.lifecycle;

import dev.steward.core.Conditions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Conditions over accounts for other modules (a playbook's), written as a journey's entry rules are: everything a
 * segment condition reads ({@code account.*}, {@code health.*}, {@code attribute.*}, {@code segments}) with the stage
 * the account is in ({@code stage.current}, {@code stage.days}) and its onboarding ({@code onboarding.*}).
 */
@Component
public class AccountConditions {

    private final AccountFactsReader reader;
    private final SegmentEvaluation evaluation;
    private final AccountStages stages;

    AccountConditions(AccountFactsReader reader, SegmentEvaluation evaluation, AccountStages stages) {
        this.reader = reader;
        this.evaluation = evaluation;
        this.stages = stages;
    }

    /** The declarations conditions are checked and run against, with today's attribute names. */
    public Conditions declarations() {
        return SegmentVariables.declareForStages(reader.attributeNames());
    }

    /** Which of these accounts the condition holds for on the day; one that cannot be decided does not hold. */
    public Set<UUID> holding(Conditions.Compiled condition, String text, Collection<UUID> accounts, LocalDate day) {
        Set<UUID> holding = new HashSet<>();
        evaluation.outcomes(condition, text, List.copyOf(accounts), day).forEach((id, outcome) -> {
            if (outcome.holds()) {
                holding.add(id);
            }
        });
        return holding;
    }

    /**
     * The condition's outcome for each of these accounts on the day: whether it holds, and why it could not be decided
     * when it could not; accounts that do not exist are left out.
     */
    public Map<UUID, Conditions.Outcome> outcomes(
            Conditions.Compiled condition, String text, Collection<UUID> accounts, LocalDate day) {
        return evaluation.outcomes(condition, text, List.copyOf(accounts), day);
    }

    /**
     * Each condition's outcome, by its text, for each of these accounts on the day, each account's facts read once for
     * all the conditions; accounts that do not exist are left out.
     */
    public Map<UUID, Map<String, Conditions.Outcome>> outcomes(
            Map<String, Conditions.Compiled> conditions, Collection<UUID> accounts, LocalDate day) {
        return evaluation.outcomes(conditions, List.copyOf(accounts), day);
    }

    /** Every account's id, a batch at a time, in id order. */
    public void eachBatch(java.util.function.Consumer<List<UUID>> batch) {
        reader.eachBatch(batch);
    }

    /** The keys of the stages of the journey in force; empty when none is published. */
    public Set<String> stageKeys() {
        JourneyRules journey = evaluation.journey();
        Set<String> keys = new java.util.LinkedHashSet<>();
        if (!journey.isEmpty()) {
            journey.document().stages().forEach(stage -> keys.add(stage.key()));
        }
        return keys;
    }

    /** An account's time in a stage: since when it has been in it. */
    public record Stay(UUID account, String stage, Instant since) {}

    /** The accounts in the stage now, longest first. */
    public List<Stay> inStage(String stage) {
        return stages.in(stage).stream()
                .map(s -> new Stay(s.account(), s.stage(), s.enteredAt()))
                .toList();
    }

    /** The stage each of these accounts is in now; accounts in none are left out. */
    public Map<UUID, Stay> stages(Collection<UUID> accounts) {
        Map<UUID, Stay> current = new java.util.HashMap<>();
        stages.current(accounts).forEach((id, s) -> current.put(id, new Stay(s.account(), s.stage(), s.enteredAt())));
        return current;
    }
}
