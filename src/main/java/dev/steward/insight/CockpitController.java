package dev.steward.insight;

import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Cockpit",
        description = "A CSM's day: ranked priorities with the reason for each, the book's health and ARR at risk,"
                + " the trend and recent events")
class CockpitController {

    private final Cockpits cockpits;
    private final UserDirectory users;

    CockpitController(Cockpits cockpits, UserDirectory users) {
        this.cockpits = cockpits;
        this.users = users;
    }

    @GetMapping("/api/v1/insight/cockpit")
    @Operation(
            summary = "The cockpit of my book",
            description = "Without owner: the signed-in CSM's book, or a manager's with their team's. owner=<user id>:"
                    + " that person's book, for a manager of one of their team (or themselves) and for an admin; a"
                    + " CSM asking for another's gets 403, an unknown user 404. Priorities are ranked by the rule"
                    + " in rankingRule (see docs/cockpit.md); the first " + Cockpits.LISTED + " are listed and"
                    + " priorityCounts counts them all.")
    Cockpit cockpit(@RequestParam(required = false) UUID owner, Authentication authentication) {
        return cockpits.of(users.signedIn(authentication), owner);
    }

    @GetMapping("/api/v1/insight/cockpit/history")
    @Operation(
            summary = "The trend and recent events of my book",
            description = "The book's accounts (and their ARR today) by stored color on today and the same weekday of"
                    + " the 11 weeks before, and the last 7 days' color changes, CTAs opened or closed and tickets"
                    + " opened (newest 20). owner as for the cockpit.")
    CockpitHistory history(@RequestParam(required = false) UUID owner, Authentication authentication) {
        return cockpits.history(users.signedIn(authentication), owner);
    }

    /** Whose cockpit one may not see is said, rather than the generic "your role may not use" of other refusals. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> onRefused(AccessDeniedException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        problem.setType(URI.create("https://steward.dev/problems/forbidden"));
        problem.setTitle("Forbidden");
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
