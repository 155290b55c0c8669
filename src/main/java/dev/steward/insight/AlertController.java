package dev.steward.insight;

import dev.steward.core.Cursor;
import dev.steward.core.Page;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/insight/alerts")
@Tag(
        name = "Alerts",
        description = "Each person's alert rules: a CEL condition per account, or a threshold on an executive figure;"
                + " fired once per crossing, in-app, by email (at once or in the daily digest) and to webhooks"
                + " (see docs/alerts.md)")
class AlertController {

    private final Alerts alerts;
    private final UserDirectory users;

    AlertController(Alerts alerts, UserDirectory users) {
        this.alerts = alerts;
        this.users = users;
    }

    @GetMapping
    @Operation(summary = "My alert rules (an administrator's list holds everyone's), oldest first")
    List<AlertRule> list(Authentication authentication) {
        return alerts.list(users.signedIn(authentication));
    }

    @PostMapping
    @Operation(
            summary = "Create an alert rule",
            description = "201 with the rule; it takes stock within seconds: what already holds is reported once as"
                    + " its initial state. 422 with 'problems' (field, reason, and for the condition its line and"
                    + " column) when it cannot be saved. Any role, VIEWER included, may create their own.")
    ResponseEntity<AlertRule> create(@RequestBody AlertRequest request, Authentication authentication) {
        AlertRule rule = alerts.create(users.signedIn(authentication), request);
        return ResponseEntity.created(URI.create("/api/v1/insight/alerts/" + rule.id()))
                .body(rule);
    }

    @PostMapping("/validate")
    @Operation(
            summary = "Check a rule as written without saving it",
            description = "Always 200: {valid, problems, currentValue}; each problem with field, reason and, in the"
                    + " condition, line and column; currentValue is what a figure rule's figure reads now.")
    Alerts.Validation validate(@RequestBody AlertRequest request) {
        return alerts.validate(request);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One rule: its definition, and for a figure whether it is crossed now and its last value")
    AlertRule get(@PathVariable UUID id, Authentication authentication) {
        return alerts.get(users.signedIn(authentication), id);
    }

    @PutMapping("/{id}")
    @Operation(
            summary = "Replace a rule",
            description = "A new condition, scope, figure, threshold or operator (or enabling it again) starts the rule"
                    + " over: it takes stock afresh and reports its initial state once. A new name, channels or"
                    + " delivery keep what it knew.")
    AlertRule update(@PathVariable UUID id, @RequestBody AlertRequest request, Authentication authentication) {
        return alerts.update(users.signedIn(authentication), id, request);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a rule and its history")
    ResponseEntity<Void> delete(@PathVariable UUID id, Authentication authentication) {
        alerts.delete(users.signedIn(authentication), id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/firings")
    @Operation(
            summary = "What a rule reported, newest first",
            description = "Each entry is an initial state, a crossing (delivered) or a recovery (kept only), of an"
                    + " account or of the figure. 'limit' 1 to 500 (default 50); 'cursor' from 'next' pages on.")
    Page<AlertFiring> firings(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor,
            Authentication authentication) {
        int size = Alerts.HISTORY.of(limit);
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        Instant beforeAt;
        try {
            beforeAt = after == null ? null : Instant.parse(after.sortValue());
        } catch (RuntimeException e) {
            throw new dev.steward.core.InvalidInputException(
                    "cursor", "is not a cursor returned by this API; start again without it");
        }
        List<AlertFiring> firings =
                alerts.history(users.signedIn(authentication), id, beforeAt, after == null ? null : after.id(), size);
        String next = firings.size() < size
                ? null
                : new Cursor(
                                firings.get(firings.size() - 1).firedAt().toString(),
                                firings.get(firings.size() - 1).id())
                        .encode();
        return new Page<>(firings, next);
    }

    /** A refused rule names each problem's field and reason, and in a condition its line and column. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> onInvalid(InvalidAlertRule e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                e.problems().size() == 1
                        ? e.problems().get(0).toString()
                        : e.problems().size() + " problems: " + e.problems());
        problem.setType(URI.create("https://steward.dev/problems/invalid-input"));
        problem.setTitle("Invalid alert rule");
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("errors", e.errors());
        problem.setProperty("problems", e.problems());
        return ResponseEntity.unprocessableContent()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
