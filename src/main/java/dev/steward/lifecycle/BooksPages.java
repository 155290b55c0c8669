package dev.steward.lifecycle;

import dev.steward.core.DocumentText;
import dev.steward.core.DocumentVersion;
import dev.steward.core.InvalidInputException;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Books page (every owner's workload as a chart and a table; the territories and teams in force; balancing
 * suggestions previewed before they are applied; moving a person's whole book; the assignment rules' YAML with
 * drafts, publication and history) and the owner panel of an account's page (its owner, how they came to own it, the
 * owners before, and assignment by hand).
 */
@Controller
class BooksPages {

    private static final String PAGE = "lifecycle/books";

    private final BooksOfBusiness books;
    private final UserDirectory users;

    BooksPages(BooksOfBusiness books, UserDirectory users) {
        this.books = books;
        this.users = users;
    }

    @GetMapping("/books")
    String page(
            @RequestParam(required = false) String territory,
            @RequestParam(required = false) Integer limit,
            Authentication authentication,
            Model model) {
        List<DocumentVersion> versions = books.versions();
        model.addAttribute("activeNav", "books");
        model.addAttribute("rules", books.rules());
        model.addAttribute("workload", books.workload());
        model.addAttribute("versions", versions);
        model.addAttribute("owners", users.accountOwners());
        model.addAttribute("mayEdit", books.mayEdit(users.signedIn(authentication)));
        if (!versions.isEmpty() && !model.containsAttribute("shown")) {
            model.addAttribute("shown", books.version(versions.get(0).version()));
        }
        if (limit != null && !model.containsAttribute("suggestion")) {
            try {
                model.addAttribute("suggestion", books.suggest(territory, limit));
            } catch (InvalidInputException refused) {
                model.addAttribute("refusal", refused.errors());
            }
        }
        return PAGE;
    }

    @PostMapping("/books/versions")
    String saveDraft(
            @RequestParam(defaultValue = "") String yaml, Authentication authentication, RedirectAttributes redirect) {
        DocumentText<SegmentProblem> saved =
                books.saveDraft(yaml.replace("\r\n", "\n"), users.signedIn(authentication));
        redirect.addFlashAttribute("saved", saved.version());
        return "redirect:/books#rules";
    }

    @PostMapping("/books/versions/{version}/publish")
    String publish(
            @PathVariable int version,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        try {
            redirect.addFlashAttribute("published", books.publish(version, users.signedIn(authentication)));
            return "redirect:/books";
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            return page(null, null, authentication, model);
        }
    }

    /** Applies the suggested moves the form lists (account, from, to in step), with a reason. */
    @PostMapping("/books/balance")
    String apply(
            @RequestParam(name = "account", required = false) List<UUID> accounts,
            @RequestParam(name = "from", required = false) List<UUID> from,
            @RequestParam(name = "to", required = false) List<UUID> to,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        List<BooksOfBusiness.MoveRequest> moves = new ArrayList<>();
        if (accounts != null && from != null && to != null) {
            for (int i = 0; i < Math.min(accounts.size(), Math.min(from.size(), to.size())); i++) {
                moves.add(new BooksOfBusiness.MoveRequest(accounts.get(i), from.get(i), to.get(i)));
            }
        }
        try {
            redirect.addFlashAttribute("applied", books.apply(moves, reason, users.signedIn(authentication)));
            return "redirect:/books";
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            return page(null, null, authentication, model);
        }
    }

    @PostMapping("/books/reassign")
    String reassign(
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        try {
            redirect.addFlashAttribute(
                    "reassigned",
                    books.reassign(from, to.isBlank() ? null : to, reason, users.signedIn(authentication)));
            return "redirect:/books";
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            return page(null, null, authentication, model);
        }
    }

    @GetMapping("/accounts/{id}/owner-panel")
    String panel(@PathVariable UUID id, Authentication authentication, Model model) {
        User user = users.signedIn(authentication);
        model.addAttribute("owner", books.of(id));
        model.addAttribute("owners", users.accountOwners());
        model.addAttribute("mayEdit", books.mayEdit(user));
        model.addAttribute("rulesInForce", books.rules().version() != null);
        return "lifecycle/owner-panel :: panel";
    }

    /** Assigns the account by hand; answers the panel, with what was wrong (422) when it is refused. */
    @PostMapping("/accounts/{id}/owner-panel")
    String assign(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "") String owner,
            @RequestParam(defaultValue = "") String reason,
            Authentication authentication,
            Model model,
            HttpServletResponse response) {
        try {
            books.assign(id, owner, reason, users.signedIn(authentication));
            model.addAttribute("assigned", true);
            response.setHeader("HX-Trigger", LifecyclePages.TIMELINE_CHANGED);
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
            model.addAttribute("triedReason", reason);
            model.addAttribute("triedOwner", owner);
        }
        return panel(id, authentication, model);
    }

    @PostMapping("/accounts/{id}/owner-panel/hand-back")
    String handBack(@PathVariable UUID id, Authentication authentication, Model model, HttpServletResponse response) {
        try {
            books.handBack(id, users.signedIn(authentication));
            response.setHeader("HX-Trigger", LifecyclePages.TIMELINE_CHANGED);
        } catch (InvalidInputException refused) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("refusal", refused.errors());
        }
        return panel(id, authentication, model);
    }
}
