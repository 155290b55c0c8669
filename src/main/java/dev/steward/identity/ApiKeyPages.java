package dev.steward.identity;

import dev.steward.core.ConflictException;
import dev.steward.core.InvalidInputException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
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
    private final Clock clock;

    ApiKeyPages(ApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @GetMapping
    String list(Authentication authentication, Model model) {
        return answer(null, authentication, model);
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam Map<String, String> form,
            @RequestParam(defaultValue = "90") String expiresInDays,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Authentication authentication,
            Model model) {
        Map<String, String> areas = new LinkedHashMap<>();
        for (ApiArea area : ApiArea.values()) {
            String access = form.getOrDefault("area-" + area.value(), "none");
            if (!access.equals("none")) {
                areas.put(area.value(), access);
            }
        }
        try {
            Integer days = parseDays(expiresInDays);
            model.addAttribute(
                    "created",
                    keys.create(
                            authentication.getName(), new NewApiKey(name, null, areas.isEmpty() ? null : areas, days)));
        } catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
        }
        return answer(htmx, authentication, model);
    }

    private static Integer parseDays(String value) {
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("expiresInDays", "is '" + value + "'; give a number of days");
        }
    }

    /** Rotates a key: the new secret is shown once, the old key works for the chosen grace period. */
    @PostMapping("/{id}/rotate")
    String rotate(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "24") int graceHours,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            Authentication authentication,
            Model model) {
        try {
            model.addAttribute("created", keys.rotate(authentication.getName(), id, graceHours));
            model.addAttribute("rotated", true);
        } catch (InvalidInputException | ConflictException e) {
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
        model.addAttribute("areas", ApiArea.values());
        model.addAttribute("now", clock.instant());
        return htmx == null ? PAGE : LIST;
    }
}
