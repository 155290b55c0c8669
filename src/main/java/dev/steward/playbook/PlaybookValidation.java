package dev.steward.playbook;

import java.util.List;

/** Whether a playbook document may be published, and if not, every problem with its line and column. */
public record PlaybookValidation(boolean valid, List<PlaybookProblem> problems) {

    public PlaybookValidation {
        problems = List.copyOf(problems);
    }
}
