package dev.steward.insight;

import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
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
@RequestMapping("/api/v1/insight/schedules")
@Tag(
        name = "Scheduled reports",
        description = "The executive dashboard or one's cockpit emailed as a PDF with CSV attachments on a schedule"
                + " (cron expression and IANA time zone), with the history of each email (see docs/insight.md)")
class ReportScheduleController {

    private final ScheduledReports reports;
    private final UserDirectory users;

    ReportScheduleController(ScheduledReports reports, UserDirectory users) {
        this.reports = reports;
        this.users = users;
    }

    @GetMapping
    @Operation(summary = "The schedules I own or receive (an admin: every one)")
    List<ReportSchedule> list(Authentication authentication) {
        return reports.list(users.signedIn(authentication));
    }

    @PostMapping
    @Operation(
            summary = "Schedule a report",
            description = "Body: {\"name\": \"Monday executive report\", \"report\": \"executive\" | \"cockpit\","
                    + " \"tier\": \"Enterprise\" (executive only, optional), \"cron\": \"0 0 7 * * MON\","
                    + " \"timeZone\": \"Europe/Berlin\", \"recipients\": [user ids] (default: me; others only for"
                    + " an admin or a manager), \"enabled\": true}. The cron expression has six fields (second minute"
                    + " hour day-of-month month day-of-week) and may fire at most once an hour. 422 naming each field"
                    + " at fault.")
    ResponseEntity<ReportSchedule> create(@RequestBody ReportSchedule.Request request, Authentication authentication) {
        ReportSchedule created = reports.create(users.signedIn(authentication), request);
        return ResponseEntity.created(URI.create("/api/v1/insight/schedules/" + created.id()))
                .body(created);
    }

    @GetMapping("/preview")
    @Operation(
            summary = "The next three due times of a cron expression in a time zone",
            description = "As a form previews them; 422 naming cron or timeZone when either is wrong.")
    ReportSchedule.Preview preview(
            @RequestParam(required = false) @Nullable String cron,
            @RequestParam(required = false) @Nullable String timeZone) {
        return reports.preview(cron, timeZone);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One schedule, with its next three due times")
    ReportSchedule get(@PathVariable UUID id, Authentication authentication) {
        return reports.get(users.signedIn(authentication), id);
    }

    @PutMapping("/{id}")
    @Operation(
            summary = "Change a schedule (its owner or an admin)",
            description = "The same body as scheduling; \"enabled\": false pauses it. Unchanged times keep the next"
                    + " due time; changed ones start from now.")
    ReportSchedule update(
            @PathVariable UUID id, @RequestBody ReportSchedule.Request request, Authentication authentication) {
        return reports.update(users.signedIn(authentication), id, request);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a schedule with its history (its owner or an admin)")
    ResponseEntity<Void> delete(@PathVariable UUID id, Authentication authentication) {
        reports.delete(users.signedIn(authentication), id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/send-now")
    @Operation(
            summary = "Send the report now, to test the schedule",
            description = "Queues the emails at once and answers 202 with the run; the due times stay as they were.")
    ResponseEntity<ReportSchedule.Run> sendNow(@PathVariable UUID id, Authentication authentication) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(reports.sendNow(users.signedIn(authentication), id));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(
            summary = "The schedule's latest 50 runs and how each email went",
            description = "Per recipient: queued, retrying (with the next attempt), sent, failed (given up on, with"
                    + " the last error), held (email is off) or not queued (with why), from the outbox.")
    List<ReportSchedule.Run> history(@PathVariable UUID id, Authentication authentication) {
        return reports.history(users.signedIn(authentication), id);
    }

    /** Who may not change a schedule is said, rather than the generic "your role may not use". */
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
