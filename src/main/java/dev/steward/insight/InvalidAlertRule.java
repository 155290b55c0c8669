package dev.steward.insight;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import java.util.List;

/** An alert rule refused, with each problem's field, reason and (in a condition) line and column. */
class InvalidAlertRule extends InvalidInputException {

    private final List<AlertProblem> problems;

    InvalidAlertRule(List<AlertProblem> problems) {
        super(problems.stream()
                .map(p -> FieldError.of(
                        p.field(),
                        p.line() == null
                                ? p.reason()
                                : "line " + p.line() + ", column " + p.column() + ": " + p.reason()))
                .toList());
        this.problems = List.copyOf(problems);
    }

    List<AlertProblem> problems() {
        return problems;
    }
}
