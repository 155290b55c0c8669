package dev.steward.health;

import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(
        name = "Score disagreements",
        description = "A CSM's \"I disagree with this score\" (the color it should be, and why), the administrators'"
                + " review queue, and, on the backtest side, who turned out right")
class DisagreementController {

    private final DisagreementManagement disagreements;
    private final UserDirectory users;

    DisagreementController(DisagreementManagement disagreements, UserDirectory users) {
        this.disagreements = disagreements;
        this.users = users;
    }

    @PostMapping("/accounts/{id}/health/disagreements")
    @Operation(
            summary = "Disagree with an account's score",
            description = "The color the score should be (green, yellow or red, not the model's) and why (at most"
                    + " 2,000 characters), about the score stored on 'day' (default: the latest stored score). Keeps"
                    + " the model's color, score and scorecard version of that day. 422 naming the field for a bad"
                    + " color or reason, or a day without a score (nothing to disagree with); 409 naming your open"
                    + " disagreement with this account while it waits for review.")
    ResponseEntity<ScoreDisagreement> disagree(
            @PathVariable UUID id,
            @RequestBody DisagreementManagement.Disagreement input,
            Authentication authentication) {
        ScoreDisagreement created = disagreements.disagree(id, input, users.signedIn(authentication));
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + id + "/health/disagreements"))
                .body(created);
    }

    @GetMapping("/accounts/{id}/health/disagreements")
    @Operation(summary = "An account's score disagreements, newest first, with their reviews")
    List<ScoreDisagreement> ofAccount(@PathVariable UUID id) {
        return disagreements.ofAccount(id);
    }

    @GetMapping("/health/disagreements")
    @Operation(
            summary = "The review queue of score disagreements (administrators)",
            description = "status=open (default, oldest first), reviewed (newest review first) or all; each with the"
                    + " account's name and its age in days.")
    List<DisagreementManagement.Listed> queue(@RequestParam(required = false) String status) {
        return disagreements.queue(status);
    }

    /** An administrator's review: {@code accepted} or {@code dismissed}, with a note (needed when dismissing). */
    record Review(String decision, String note) {}

    @PostMapping("/health/disagreements/{id}/review")
    @Operation(
            summary = "Review a score disagreement (administrators)",
            description = "decision 'accepted' or 'dismissed'; 'note' is required when dismissing. Changes no score:"
                    + " to change what the account shows, set an override. 409 when it was reviewed already.")
    ScoreDisagreement review(@PathVariable UUID id, @RequestBody Review review, Authentication authentication) {
        return disagreements.review(id, review.decision(), review.note(), users.signedIn(authentication));
    }

    /** 409 naming the open disagreement, so that a client can show it instead of guessing. */
    @ExceptionHandler
    ProblemDetail onAlreadyOpen(DisagreementManagement.AlreadyOpen e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(URI.create("https://steward.dev/problems/conflict"));
        problem.setTitle("Conflict");
        problem.setProperty("openDisagreement", e.open());
        return problem;
    }
}
