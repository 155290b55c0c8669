package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The administrators' page listing users, creating them and changing their role or status. */
@Controller
@RequestMapping("/settings/users")
class UserPages {

    private final UserManagement users;
    private final SsoProperties sso;

    UserPages(UserManagement users, SsoProperties sso) {
        this.users = users;
        this.sso = sso;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("activeNav", "users");
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("sso", sso.configured() ? sso.name() : null);
        model.addAttribute("ssoOnly", sso.ssoOnly());
        if (!model.containsAttribute("draft")) {
            model.addAttribute("draft", new NewUser("", "", Role.CSM, null));
        }
        return "identity/users";
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "") String displayName,
            @RequestParam(defaultValue = "CSM") Role role,
            @RequestParam(defaultValue = "") String password,
            Model model,
            RedirectAttributes redirect) {
        NewUser input = new NewUser(email, displayName, role, password.isEmpty() ? null : password);
        try {
            User user = users.create(input);
            redirect.addFlashAttribute("message", "Created " + user.email());
            return "redirect:/settings/users";
        } catch (InvalidInputException | ConflictException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("draft", new NewUser(email, displayName, role, null));
            return list(model);
        }
    }

    @PostMapping("/{id}")
    String change(
            @PathVariable UUID id,
            @RequestParam Role role,
            @RequestParam(defaultValue = "false") boolean enabled,
            @RequestParam(defaultValue = "") String password,
            RedirectAttributes redirect) {
        try {
            User user = users.change(id, new UserChange(null, role, enabled, password.isEmpty() ? null : password));
            redirect.addFlashAttribute("message", "Saved " + user.email());
        } catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings/users";
    }
}
