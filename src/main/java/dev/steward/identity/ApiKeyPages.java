package dev.steward.identity;

import dev.steward.core.InvalidInputException;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page where people create and revoke their API keys. With htmx, creating and revoking answer with the key list
 * only; without it (no JavaScript), with the whole page.
 */
@Controller
@RequestMapping("/settings/api-keys")
class ApiKeyPages {

    private static final String PAGE = "identity/api-keys";
    private static final String LIST = PAGE + " :: keys";

    private final ApiKeys keys;

    ApiKeyPages(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping
    String list(Authentication authentication, Model model) {
        model.addAttribute("activeNav", "settings");
        model.addAttribute("keys", keys.list(authentication.getName()));
        return PAGE;
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "read") String scope,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Authentication authentication,
            Model model) {
        try {
            ApiKeyScope chosen = "read_write".equals(scope) ? ApiKeyScope.READ_WRITE : ApiKeyScope.READ;
            model.addAttribute("created", keys.create(authentication.getName(), new NewApiKey(name, chosen)));
        } catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
        }
        return answer(htmx, authentication, model);
    }

    @DeleteMapping("/{id}")
    String revoke(
            @PathVariable UUID id,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Authentication authentication,
            Model model) {
        keys.revoke(authentication.getName(), AccessRules.isAdministrator(authentication), id);
        return answer(htmx, authentication, model);
    }

    /** The same revocation for browsers without JavaScript, whose forms cannot send DELETE. */
    @PostMapping("/{id}/revoke")
    String revokeByForm(@PathVariable UUID id, Authentication authentication) {
        keys.revoke(authentication.getName(), AccessRules.isAdministrator(authentication), id);
        return "redirect:/settings/api-keys";
    }

    private String answer(String htmx, Authentication authentication, Model model) {
        model.addAttribute("activeNav", "settings");
        model.addAttribute("keys", keys.list(authentication.getName()));
        return htmx == null ? PAGE : LIST;
    }
}
