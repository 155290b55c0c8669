package dev.steward.backtest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Score disagreements")
class DisagreementOutcomeController {

    private final DisagreementOutcomes outcomes;

    DisagreementOutcomeController(DisagreementOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @GetMapping("/api/v1/health/disagreements/outcomes")
    @Operation(
            summary = "Who was right when CSMs disagreed with the score",
            description =
                    "Each disagreement settles once its account churned within 90 days after its day (whoever"
                            + " said the worse color was right) or those days passed without churn as far as the data tells"
                            + " (whoever said the better color was right); until then it is pending. Churn is read as the"
                            + " backtests read it. csmRightShare is given only from 10 settled disagreements on, left out below.")
    DisagreementTally outcomes() {
        return outcomes.tally();
    }
}
