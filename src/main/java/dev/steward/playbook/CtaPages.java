package dev.steward.playbook;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import dev.steward.core.Page;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The CTA pages: the list (mine, my team's, everyone's, unassigned) with filters, sorting, cursor paging and one
 * action on many at once, and the workload per owner for managers; a new CTA made by hand; one CTA with its cause,
 * tasks, history and what can be done with it; and the CTA panel of an account's page. What the services refuse is
 * said on the page.
 */
@Controller
class CtaPages {

    private static final String LIST = "playbook/ctas";
    private static final String PAGE = "playbook/cta";
    private static final String NEW = "playbook/new-cta";

    private final CtaWork work;
    private final PlaybookManagement playbooks;
    private final AccountManagement accounts;
    private final UserDirectory users;
    private final Days days;
    private final Clock clock;

    CtaPages(
            CtaWork work,
            PlaybookManagement playbooks,
            AccountManagement accounts,
            UserDirectory users,
            PlaybookProperties properties,
            Clock clock) {
        this.work = work;
        this.playbooks = playbooks;
        this.accounts = accounts;
        this.users = users;
        this.days = new Days(properties.timeZone());
        this.clock = clock;
    }

    /**
     * Days as the working calendar counts them, for pages: a CTA due at the end of a working day is due at midnight
     * after it, and the page names that working day, not the next.
     */
    record Days(ZoneId zone) {

        public LocalDate due(Instant at) {
            return at == null ? null : at.minusNanos(1).atZone(zone).toLocalDate();
        }
    }

    @ModelAttribute
    void days(Model model) {
        model.addAttribute("days", days);
    }

    /** The list's filters as the page shows and links them; blank means "any". */
    record Filters(
            String scope,
            UUID owner,
            String status,
            String type,
            String priority,
            boolean overdue,
            UUID account,
            String playbook,
            String sort) {

        CtaQuery query(String cursor) {
            return new CtaQuery(
                    scope,
                    owner,
                    status,
                    blank(type),
                    blank(priority),
                    overdue,
                    account,
                    blank(playbook),
                    sort,
                    50,
                    cursor);
        }

        /** The same list for every account and owner. */
        public String everyAccount() {
            return new Filters(scope, null, status, type, priority, overdue, null, playbook, sort)
                    .link(scope, sort, null);
        }

        /** The list with these filters, another scope or sort, and a cursor. */
        public String link(String withScope, String withSort, String cursor) {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath("/ctas")
                    .queryParam("scope", withScope)
                    .queryParam("status", status);
            put(link, "type", type);
            put(link, "priority", priority);
            if (overdue) {
                link.queryParam("overdue", true);
            }
            if (owner != null) {
                link.queryParam("owner", owner);
            }
            if (account != null) {
                link.queryParam("account", account);
            }
            put(link, "playbook", playbook);
            link.queryParam("sort", withSort);
            put(link, "cursor", cursor);
            return link.encode().build().toUriString();
        }

        /** Another tab: the list of another scope, for any owner. */
        public String scopeLink(String withScope) {
            return new Filters(withScope, null, status, type, priority, overdue, account, playbook, sort)
                    .link(withScope, sort, null);
        }

        public String sortLink(String withSort) {
            return link(scope, withSort, null);
        }

        private static void put(UriComponentsBuilder link, String name, String value) {
            if (value != null && !value.isBlank()) {
                link.queryParam(name, value);
            }
        }
    }

    /** A CTA a bulk action left as it was, and why. */
    record Refused(UUID id, String title, String reason) implements Serializable {}

    @GetMapping("/ctas")
    String list(
            @RequestParam(defaultValue = "mine") String scope,
            @RequestParam(required = false) UUID owner,
            @RequestParam(defaultValue = "active") String status,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String priority,
            @RequestParam(defaultValue = "false") boolean overdue,
            @RequestParam(required = false) UUID account,
            @RequestParam(required = false) String playbook,
            @RequestParam(defaultValue = "due") String sort,
            @RequestParam(required = false) String cursor,
            Authentication authentication,
            Model model) {
        User user = users.signedIn(authentication);
        Filters filters = new Filters(scope, owner, status, type, priority, overdue, account, playbook, sort);
        Page<Cta> page;
        try {
            page = work.list(filters.query(cursor), user);
        } catch (InvalidInputException e) {
            model.addAttribute("listRefusal", e.errors());
            page = new Page<>(List.of(), null);
        }
        model.addAttribute("activeNav", "ctas");
        model.addAttribute("filters", filters);
        model.addAttribute("ctas", page.items());
        model.addAttribute("nextLink", page.next() == null ? null : filters.link(scope, sort, page.next()));
        model.addAttribute("firstLink", cursor == null ? null : filters.link(scope, sort, null));
        model.addAttribute("back", filters.link(scope, sort, cursor));
        if (account != null) {
            accounts.find(new AccountId(account)).ifPresent(a -> model.addAttribute("accountName", a.name()));
        }
        if (owner != null) {
            users.find(owner).ifPresent(u -> model.addAttribute("ownerName", u.displayName()));
        }
        model.addAttribute("types", CtaWork.types());
        model.addAttribute("priorities", CtaWork.priorities());
        model.addAttribute("outcomes", CtaWork.OUTCOMES);
        model.addAttribute(
                "playbookNames",
                playbooks.list().stream().map(PlaybookSummary::name).toList());
        model.addAttribute("owners", users.accountOwners());
        model.addAttribute("mayWork", user.role() != Role.VIEWER);
        boolean manager = user.role() == Role.ADMIN || user.role() == Role.MANAGER;
        if (manager) {
            model.addAttribute("loads", work.loads());
        }
        return LIST;
    }

    /** One action on the CTAs ticked in the list; the list then says how many changed and why the others did not. */
    @PostMapping("/ctas/bulk")
    String bulk(
            @RequestParam(required = false) List<UUID> ids,
            @RequestParam(defaultValue = "") String action,
            @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String priority,
            @RequestParam(defaultValue = "/ctas") String back,
            Authentication authentication,
            RedirectAttributes redirect) {
        try {
            CtaWork.BulkDone done = work.bulk(
                    new CtaWork.Bulk(ids == null ? List.of() : ids, action, outcome, reason, until, owner, priority),
                    users.signedIn(authentication));
            List<Refused> refused = new ArrayList<>();
            for (FieldError error : done.refused()) {
                UUID id = UUID.fromString(error.externalId());
                String title;
                try {
                    title = work.get(id).cta().title();
                } catch (NotFoundException e) {
                    title = "(a CTA that no longer exists)";
                }
                refused.add(
                        new Refused(id, title, (error.field() == null ? "" : error.field() + ": ") + error.reason()));
            }
            redirect.addFlashAttribute("bulkChanged", done.changed());
            redirect.addFlashAttribute("bulkRefused", refused);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("refusal", messages(e));
        } catch (AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", List.of(e.getMessage()));
        }
        return "redirect:" + (back.startsWith("/ctas") && !back.startsWith("/ctas/") ? back : "/ctas");
    }

    @GetMapping("/ctas/new")
    String newCta(@RequestParam(required = false) UUID account, Authentication authentication, Model model) {
        return form(new CtaWork.NewCta(account, "activity", "", "medium", 5, null, null), null, authentication, model);
    }

    @PostMapping("/ctas/new")
    String create(
            @RequestParam(required = false) String account,
            @RequestParam(required = false) String type,
            @RequestParam(defaultValue = "") String title,
            @RequestParam(required = false) String priority,
            @RequestParam(required = false) String slaDays,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) String note,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        List<String> problems = new ArrayList<>();
        UUID accountId = null;
        if (account != null && !account.isBlank()) {
            try {
                accountId = UUID.fromString(account.strip());
            } catch (IllegalArgumentException e) {
                problems.add("account: '" + account + "' is not an account id (open the account and copy it from"
                        + " the address, or use New CTA on the account's page)");
            }
        }
        Integer sla = null;
        if (slaDays != null && !slaDays.isBlank()) {
            try {
                sla = Integer.valueOf(slaDays.strip());
            } catch (NumberFormatException e) {
                problems.add("slaDays: '" + slaDays + "' is not a whole number of business days");
            }
        }
        CtaWork.NewCta request = new CtaWork.NewCta(
                accountId, type, title, priority, sla, owner, note == null || note.isBlank() ? null : note.strip());
        if (problems.isEmpty()) {
            try {
                CtaDetail made = work.create(request, users.signedIn(authentication));
                redirect.addFlashAttribute("notice", "Made the CTA.");
                return "redirect:/ctas/" + made.cta().id();
            } catch (InvalidInputException e) {
                problems.addAll(messages(e));
            } catch (AccessDeniedException e) {
                problems.add(e.getMessage());
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return form(request, problems, authentication, model);
    }

    @GetMapping("/ctas/{id}")
    String cta(@PathVariable UUID id, Authentication authentication, Model model) {
        User user = users.signedIn(authentication);
        CtaDetail detail = work.get(id);
        model.addAttribute("activeNav", "ctas");
        model.addAttribute("detail", detail);
        model.addAttribute("cta", detail.cta());
        model.addAttribute("mayWork", user.role() != Role.VIEWER);
        model.addAttribute("priorities", CtaWork.priorities());
        model.addAttribute("outcomes", CtaWork.OUTCOMES);
        model.addAttribute("owners", users.accountOwners());
        model.addAttribute("tomorrow", LocalDate.now(clock).plusDays(1));
        return PAGE;
    }

    @PostMapping("/ctas/{id}/comments")
    String comment(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String text,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(id, redirect, "Comment added.", user -> work.comment(id, text, user), authentication);
    }

    /** Marks a task done ({@code done=true}) or not done (the box unticked sends no {@code done}). */
    @PostMapping("/ctas/{id}/tasks/{task}")
    String task(
            @PathVariable UUID id,
            @PathVariable UUID task,
            @RequestParam(defaultValue = "false") boolean done,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(
                id,
                redirect,
                done ? "Task done." : "Task marked not done.",
                user -> work.task(id, task, done, user),
                authentication);
    }

    @PostMapping("/ctas/{id}/snooze")
    String snooze(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(
                id,
                redirect,
                "Snoozed until " + until + ".",
                user -> work.snooze(id, until, reason, user),
                authentication);
    }

    @PostMapping("/ctas/{id}/reassign")
    String reassign(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String owner,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(
                id,
                redirect,
                "Reassigned to " + owner + ".",
                user -> work.reassign(id, owner, reason, user),
                authentication);
    }

    @PostMapping("/ctas/{id}/priority")
    String priority(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String priority,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(
                id,
                redirect,
                "Priority set to " + priority + ".",
                user -> work.prioritize(id, priority, user),
                authentication);
    }

    @PostMapping("/ctas/{id}/close")
    String close(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String outcome,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            RedirectAttributes redirect) {
        return act(
                id,
                redirect,
                "Closed: " + outcome.replace('_', ' ') + ".",
                user -> work.close(id, outcome, reason, user),
                authentication);
    }

    @PostMapping("/ctas/{id}/reopen")
    String reopen(@PathVariable UUID id, Authentication authentication, RedirectAttributes redirect) {
        return act(id, redirect, "Reopened.", user -> work.reopen(id, user), authentication);
    }

    /** The account page's CTA panel: its active CTAs and a way to make one. */
    @GetMapping("/accounts/{id}/cta-panel")
    String panel(@PathVariable UUID id, Authentication authentication, Model model) {
        User user = users.signedIn(authentication);
        model.addAttribute("account", id);
        model.addAttribute(
                "ctas",
                work.list(new CtaQuery("all", null, "active", null, null, null, id, null, "due", 20, null), user)
                        .items());
        model.addAttribute("mayWork", user.role() != Role.VIEWER);
        return "playbook/cta-panel :: panel";
    }

    /**
     * Does what the user asked and comes back to the CTA's page saying so, or saying why it was refused. An htmx
     * request follows the redirect and takes the part of the page it replaces.
     */
    private String act(
            UUID id, RedirectAttributes redirect, String done, Consumer<User> action, Authentication authentication) {
        try {
            action.accept(users.signedIn(authentication));
            redirect.addFlashAttribute("notice", done);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("refusal", messages(e));
        } catch (ConflictException | AccessDeniedException e) {
            redirect.addFlashAttribute("refusal", List.of(e.getMessage()));
        }
        return "redirect:/ctas/" + id;
    }

    private String form(CtaWork.NewCta request, List<String> problems, Authentication authentication, Model model) {
        User user = users.signedIn(authentication);
        model.addAttribute("activeNav", "ctas");
        model.addAttribute("request", request);
        model.addAttribute("problems", problems);
        if (request.account() != null) {
            accounts.find(new AccountId(request.account())).ifPresent(a -> model.addAttribute("accountName", a.name()));
        }
        model.addAttribute("types", CtaWork.types());
        model.addAttribute("priorities", CtaWork.priorities());
        model.addAttribute("owners", users.accountOwners());
        model.addAttribute("mayWork", user.role() != Role.VIEWER);
        return NEW;
    }

    private static List<String> messages(InvalidInputException e) {
        return e.errors().stream()
                .map(error -> (error.field() == null ? "" : error.field() + ": ") + error.reason())
                .toList();
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
