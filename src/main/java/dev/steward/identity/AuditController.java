package dev.steward.identity;

import dev.steward.core.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail through the API, for administrators: list, export as CSV, verify the chain. */
@RestController
@Tag(name = "Audit trail", description = "Every change made by a person or an API key, chained by hash")
class AuditController {

    private final AuditTrail trail;
    private final Clock clock;

    AuditController(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @GetMapping("/api/v1/audit")
    @Operation(
            summary = "The audit trail, newest first",
            description = "actor: an email; q: text in the path, method or what was sent; from and to: days"
                    + " (inclusive, in Steward's time zone); before: a seq, for the next page.")
    List<AuditTrail.Entry> list(
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) Long before,
            @RequestParam(required = false) Integer limit) {
        return trail.list(filter(actor, q, from, to, clock), before, new PageLimit(100, 1_000).of(limit));
    }

    @GetMapping("/api/v1/audit/export.csv")
    @Operation(summary = "The audit trail as CSV, oldest first, with each entry's hashes (the same filters)")
    void export(
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            HttpServletResponse response)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"steward-audit.csv\"");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        trail.csv(filter(actor, q, from, to, clock), response.getWriter());
    }

    @GetMapping("/api/v1/audit/verification")
    @Operation(
            summary = "Verify the chain",
            description = "Reads every entry in order and recomputes its hash: intact, or the first entry that breaks"
                    + " the chain and why.")
    AuditTrail.Verification verify() {
        return trail.verify();
    }

    static AuditTrail.Filter filter(
            @Nullable String actor, @Nullable String q, @Nullable LocalDate from, @Nullable LocalDate to, Clock clock) {
        Instant start = from == null ? null : from.atStartOfDay(clock.getZone()).toInstant();
        Instant end =
                to == null ? null : to.plusDays(1).atStartOfDay(clock.getZone()).toInstant();
        return new AuditTrail.Filter(actor, q, start, end);
    }

    /** The Settings → Audit trail page. */
    @org.springframework.stereotype.Controller
    static class Pages {

        private final AuditTrail trail;
        private final Clock clock;

        Pages(AuditTrail trail, Clock clock) {
            this.trail = trail;
            this.clock = clock;
        }

        @GetMapping("/settings/audit")
        String page(
                @RequestParam(required = false) String actor,
                @RequestParam(required = false) String q,
                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                @RequestParam(required = false) Long before,
                @RequestParam(defaultValue = "false") boolean verify,
                Model model) {
            List<AuditTrail.Entry> entries = trail.list(filter(actor, q, from, to, clock), before, 100);
            model.addAttribute("activeNav", "audit");
            model.addAttribute("entries", entries);
            model.addAttribute("actor", actor);
            model.addAttribute("q", q);
            model.addAttribute("from", from);
            model.addAttribute("to", to);
            model.addAttribute("next", entries.size() == 100 ? entries.get(99).seq() : null);
            if (verify) {
                model.addAttribute("verification", trail.verify());
            }
            return "identity/audit";
        }
    }
}
