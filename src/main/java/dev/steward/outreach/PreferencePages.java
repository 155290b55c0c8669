package dev.steward.outreach;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The preference page a journey's email links to, opened without signing in: the link's token is the proof. The
 * contact chooses which kinds of mail they get, or none.
 */
@Controller
class PreferencePages {

    private final ContactPreferences preferences;

    PreferencePages(ContactPreferences preferences) {
        this.preferences = preferences;
    }

    @GetMapping("/email/{token}/preferences")
    String page(@PathVariable String token, Model model, HttpServletResponse response) {
        return show(token, preferences.choices(token), false, model, response);
    }

    @PostMapping("/email/{token}/preferences")
    String choose(
            @PathVariable String token,
            @RequestParam(name = "category", required = false) @Nullable List<String> categories,
            @RequestParam(name = "surveys", required = false) @Nullable String surveys,
            @RequestParam(name = "all", defaultValue = "on") String all,
            Model model,
            HttpServletResponse response) {
        Optional<ContactPreferences.Choices> chosen = preferences.choose(
                token, categories == null ? List.of() : categories, surveys != null, !all.equals("off"));
        return show(token, chosen, true, model, response);
    }

    private static String show(
            String token,
            Optional<ContactPreferences.Choices> choices,
            boolean saved,
            Model model,
            HttpServletResponse response) {
        if (choices.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "outreach/invalid";
        }
        model.addAttribute("token", token);
        model.addAttribute("choices", choices.get());
        model.addAttribute("saved", saved);
        return "outreach/preferences";
    }
}
