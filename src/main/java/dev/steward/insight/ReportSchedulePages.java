package dev.steward.insight;

import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The scheduled reports page: the schedules one owns or receives, a form to schedule one (previewing the next due
 * times as the cron expression and zone are typed), and each schedule with its history, to change, pause, test or
 * remove.
 */
@Controller
@RequestMapping("/insight/schedules")
class ReportSchedulePages {

    /** What the form offers first: the zones people mean most often; any IANA id may be typed. */
    static final List<String> ZONES = new ArrayList<>(new TreeSet<>(ZoneId.getAvailableZoneIds()));

    private final ScheduledReports reports;
    private final UserDirectory users;
    private final AccountManagement accounts;

    ReportSchedulePages(ScheduledReports reports, UserDirectory users, AccountManagement accounts) {
        this.reports = reports;
        this.users = users;
        this.accounts = accounts;
    }

    /** The form's fields as typed. */
    record Form(
            @Nullable UUID id,
            String name,
            String report,
            String tier,
            String cron,
            String timeZone,
            List<UUID> recipients,
            boolean enabled) {}

    @GetMapping
    String list(
            @RequestParam(required = false) @Nullable String report,
            @RequestParam(required = false) @Nullable String tier,
            Authentication authentication,
            Model model) {
        User viewer = users.signedIn(authentication);
        // "Email me this every …" from the executive dashboard: the form comes filled in.
        Form form = new Form(
                null,
                "cockpit".equals(report) ? "My cockpit every Monday" : "Executive report every Monday",
                report == null ? "executive" : report,
                tier == null ? "" : tier,
                "0 0 7 * * MON",
                "UTC",
                viewer.id() == null ? List.of() : List.of(viewer.id()),
                true);
        return listPage(viewer, form, model);
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "executive") String report,
            @RequestParam(defaultValue = "") String tier,
            @RequestParam(defaultValue = "") String cron,
            @RequestParam(defaultValue = "") String timeZone,
            @RequestParam(required = false) @Nullable List<UUID> recipients,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        User viewer = users.signedIn(authentication);
        Form form = new Form(null, name, report, tier, cron, timeZone, listOf(recipients), true);
        try {
            ReportSchedule created = reports.create(viewer, request(form));
            redirect.addFlashAttribute(
                    "message", "\"" + created.name() + "\" is scheduled; it first goes out " + first(created) + ".");
            return "redirect:/insight/schedules/" + created.id();
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", e.errors());
            return listPage(viewer, form, model);
        }
    }

    @GetMapping("/preview")
    String preview(
            @RequestParam(defaultValue = "") String cron,
            @RequestParam(defaultValue = "") String timeZone,
            Model model) {
        try {
            model.addAttribute("preview", reports.preview(cron, timeZone));
        } catch (InvalidInputException e) {
            model.addAttribute("errors", e.errors());
        }
        return "insight/schedules :: preview";
    }

    @GetMapping("/{id}")
    String schedule(@PathVariable UUID id, Authentication authentication, Model model) {
        User viewer = users.signedIn(authentication);
        ReportSchedule schedule = reports.get(viewer, id);
        return schedulePage(viewer, schedule, formOf(schedule), model);
    }

    @PostMapping("/{id}")
    String update(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "executive") String report,
            @RequestParam(defaultValue = "") String tier,
            @RequestParam(defaultValue = "") String cron,
            @RequestParam(defaultValue = "") String timeZone,
            @RequestParam(required = false) @Nullable List<UUID> recipients,
            @RequestParam(defaultValue = "false") boolean enabled,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        User viewer = users.signedIn(authentication);
        Form form = new Form(id, name, report, tier, cron, timeZone, listOf(recipients), enabled);
        try {
            ReportSchedule saved = reports.update(viewer, id, request(form));
            redirect.addFlashAttribute("message", "\"" + saved.name() + "\" is saved.");
            return "redirect:/insight/schedules/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("errors", e.errors());
            return schedulePage(viewer, reports.get(viewer, id), form, model);
        }
    }

    @PostMapping("/{id}/enabled")
    String setEnabled(
            @PathVariable UUID id,
            @RequestParam boolean enabled,
            Authentication authentication,
            RedirectAttributes redirect) {
        ReportSchedule saved = reports.setEnabled(users.signedIn(authentication), id, enabled);
        redirect.addFlashAttribute(
                "message",
                "\"" + saved.name() + "\" " + (enabled ? "is on again; next " + first(saved) + "." : "is paused."));
        return "redirect:/insight/schedules/" + id;
    }

    @PostMapping("/{id}/send-now")
    String sendNow(@PathVariable UUID id, Authentication authentication, RedirectAttributes redirect) {
        ReportSchedule.Run run = reports.sendNow(users.signedIn(authentication), id);
        redirect.addFlashAttribute(
                "message", run.deliveries().size() + " email(s) queued now; their status is in the history below.");
        return "redirect:/insight/schedules/" + id;
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id, Authentication authentication, RedirectAttributes redirect) {
        User viewer = users.signedIn(authentication);
        String name = reports.get(viewer, id).name();
        reports.delete(viewer, id);
        redirect.addFlashAttribute("message", "\"" + name + "\" was removed.");
        return "redirect:/insight/schedules";
    }

    private String listPage(User viewer, Form form, Model model) {
        model.addAttribute("schedules", reports.list(viewer));
        common(viewer, form, model);
        return "insight/schedules";
    }

    private String schedulePage(User viewer, ReportSchedule schedule, Form form, Model model) {
        model.addAttribute("schedule", schedule);
        model.addAttribute("history", reports.history(viewer, schedule.id()));
        model.addAttribute(
                "mayChange",
                // A viewer reads their schedules (an administrator may send them one) but changes nothing.
                viewer.role() == Role.ADMIN
                        || (viewer.role() != Role.VIEWER
                                && schedule.owner().id().equals(viewer.id())));
        common(viewer, form, model);
        return "insight/schedule";
    }

    private void common(User viewer, Form form, Model model) {
        model.addAttribute("activeNav", "schedules");
        model.addAttribute("form", form);
        model.addAttribute("tiers", accounts.tiers());
        model.addAttribute("zones", ZONES);
        boolean forOthers = viewer.role() == Role.ADMIN || viewer.role() == Role.MANAGER;
        model.addAttribute("forOthers", forOthers);
        model.addAttribute(
                "people",
                forOthers
                        ? users.everyone().stream()
                                .filter(User::enabled)
                                .sorted(Comparator.comparing(User::displayName))
                                .toList()
                        : List.of(viewer));
        try {
            model.addAttribute("formPreview", reports.preview(form.cron(), form.timeZone()));
        } catch (InvalidInputException e) {
            model.addAttribute("formPreview", null);
        }
    }

    private static Form formOf(ReportSchedule schedule) {
        return new Form(
                schedule.id(),
                schedule.name(),
                schedule.report(),
                schedule.tier() == null ? "" : schedule.tier(),
                schedule.cron(),
                schedule.timeZone(),
                schedule.recipients().stream().map(Cockpit.Person::id).toList(),
                schedule.enabled());
    }

    private static ReportSchedule.Request request(Form form) {
        return new ReportSchedule.Request(
                form.name(),
                form.report(),
                form.tier(),
                form.cron(),
                form.timeZone(),
                form.recipients(),
                form.enabled());
    }

    private static List<UUID> listOf(@Nullable List<UUID> recipients) {
        return recipients == null ? List.of() : recipients;
    }

    private static String first(ReportSchedule schedule) {
        return schedule.nextRuns().isEmpty()
                ? "never"
                : "on " + schedule.nextRuns().get(0);
    }
}
