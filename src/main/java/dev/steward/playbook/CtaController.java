package dev.steward.playbook;

import dev.steward.core.Page;
import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "CTAs",
        description = "Calls to action: owned work for an account with a priority, a due time under a business-day"
                + " SLA and tasks; made by playbooks or by hand, worked, snoozed, reassigned and closed with an"
                + " outcome")
class CtaController {

    private final CtaWork work;
    private final UserDirectory users;

    CtaController(CtaWork work, UserDirectory users) {
        this.work = work;
        this.users = users;
    }

    @GetMapping("/api/v1/ctas")
    @Operation(
            summary = "List CTAs",
            description = "scope: mine (default: owned by me or with an open task for me), team (the people I manage"
                    + " in the books of business, and me), all, unassigned; or owner=<user id>. status: active"
                    + " (default: open and snoozed), open, snoozed, closed, any. type, priority, overdue=true,"
                    + " account, playbook. sort: due (default), priority, created. Cursor paging: limit (1–200) and"
                    + " the 'next' cursor.")
    Page<Cta> list(
            @RequestParam(required = false) String scope,
            @RequestParam(required = false) UUID owner,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String priority,
            @RequestParam(required = false) Boolean overdue,
            @RequestParam(required = false) UUID account,
            @RequestParam(required = false) String playbook,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            Authentication authentication) {
        return work.list(
                new CtaQuery(scope, owner, status, type, priority, overdue, account, playbook, sort, limit, cursor),
                users.signedIn(authentication));
    }

    @PostMapping("/api/v1/ctas")
    @Operation(
            summary = "Make a CTA by hand",
            description = "For an account: type (default activity), title, priority (default medium), slaDays"
                    + " (business days, default 5), owner (email or id; default the account's CSM), note.")
    ResponseEntity<CtaDetail> create(@RequestBody CtaWork.NewCta request, Authentication authentication) {
        CtaDetail made = work.create(request, users.signedIn(authentication));
        return ResponseEntity.created(URI.create("/api/v1/ctas/" + made.cta().id()))
                .body(made);
    }

    @GetMapping("/api/v1/ctas/{id}")
    @Operation(summary = "One CTA with its cause, tasks and history")
    CtaDetail get(@PathVariable UUID id) {
        return work.get(id);
    }

    @GetMapping("/api/v1/ctas/workload")
    @Operation(summary = "Active and overdue CTAs per owner, most overdue first")
    List<CtaWork.OwnerLoad> workload() {
        return work.loads();
    }

    record Comment(String text) {}

    @PostMapping("/api/v1/ctas/{id}/comments")
    @Operation(summary = "Comment on a CTA")
    CtaDetail comment(@PathVariable UUID id, @RequestBody Comment comment, Authentication authentication) {
        return work.comment(id, comment.text(), users.signedIn(authentication));
    }

    record TaskDone(Boolean done) {}

    @PostMapping("/api/v1/ctas/{id}/tasks/{task}")
    @Operation(summary = "Mark a task done ({\"done\": true}) or not done again")
    CtaDetail task(
            @PathVariable UUID id, @PathVariable UUID task, @RequestBody TaskDone done, Authentication authentication) {
        return work.task(id, task, done.done() == null || done.done(), users.signedIn(authentication));
    }

    record Snooze(LocalDate until, String reason) {}

    @PostMapping("/api/v1/ctas/{id}/snooze")
    @Operation(
            summary = "Snooze a CTA until a day, with a reason",
            description = "It opens again on that day; its due time moves to the end of that day if it was earlier.")
    CtaDetail snooze(@PathVariable UUID id, @RequestBody Snooze snooze, Authentication authentication) {
        return work.snooze(id, snooze.until(), snooze.reason(), users.signedIn(authentication));
    }

    record Reassign(String owner, String reason) {}

    @PostMapping("/api/v1/ctas/{id}/reassign")
    @Operation(summary = "Give a CTA to another CSM or manager (email or id)")
    CtaDetail reassign(@PathVariable UUID id, @RequestBody Reassign reassign, Authentication authentication) {
        return work.reassign(id, reassign.owner(), reassign.reason(), users.signedIn(authentication));
    }

    record Prioritize(String priority) {}

    @PostMapping("/api/v1/ctas/{id}/priority")
    @Operation(summary = "Override a CTA's priority: low, medium, high or urgent")
    CtaDetail priority(@PathVariable UUID id, @RequestBody Prioritize priority, Authentication authentication) {
        return work.prioritize(id, priority.priority(), users.signedIn(authentication));
    }

    record Close(String outcome, String reason) {}

    @PostMapping("/api/v1/ctas/{id}/close")
    @Operation(
            summary = "Close a CTA with an outcome and a reason",
            description = "outcome: saved, not_saved, expanded, renewed or not_needed.")
    CtaDetail close(@PathVariable UUID id, @RequestBody Close close, Authentication authentication) {
        return work.close(id, close.outcome(), close.reason(), users.signedIn(authentication));
    }

    @PostMapping("/api/v1/ctas/{id}/reopen")
    @Operation(summary = "Reopen a closed CTA")
    CtaDetail reopen(@PathVariable UUID id, Authentication authentication) {
        return work.reopen(id, users.signedIn(authentication));
    }

    @PostMapping("/api/v1/ctas/bulk")
    @Operation(
            summary = "One action on many CTAs",
            description = "action close (outcome, reason), snooze (until, reason), reassign (owner, reason) or"
                    + " priority (priority), for up to 500 ids; each CTA that cannot take it is listed with the"
                    + " reason, the others are changed.")
    CtaWork.BulkDone bulk(@RequestBody CtaWork.Bulk bulk, Authentication authentication) {
        return work.bulk(bulk, users.signedIn(authentication));
    }
}
