package dev.steward.identity;

import dev.steward.core.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * Settings → Configuration bundle: download the bundle; paste or upload one (or pull a sandbox's) to see what it
 * would change, document by document with diffs and problems, then apply it all or nothing.
 */
@Controller
@RequestMapping("/settings/configuration")
class ConfigurationPages {

    private static final String PAGE = "identity/configuration";

    private final ConfigurationBundles bundles;
    private final ConfigurationController.Sandboxes sandboxes;
    private final UserDirectory users;

    ConfigurationPages(ConfigurationBundles bundles, ConfigurationController.Sandboxes sandboxes, UserDirectory users) {
        this.bundles = bundles;
        this.sandboxes = sandboxes;
        this.users = users;
    }

    @GetMapping
    String page(Model model) {
        model.addAttribute("activeNav", "configuration");
        return PAGE;
    }

    @GetMapping("/bundle.yaml")
    ResponseEntity<String> download() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(ConfigurationController.YAML + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"steward-configuration.yaml\"")
                .body(bundles.export());
    }

    /** Previews or applies a pasted or uploaded bundle ({@code action}: preview or apply). */
    @PostMapping
    String submit(
            @RequestParam(defaultValue = "") String bundle,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(defaultValue = "preview") String action,
            Authentication authentication,
            Model model)
            throws IOException {
        String text = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8) : bundle;
        return answer(text, action, authentication, model);
    }

    /** Pulls a sandbox's bundle and shows its preview, with the text ready to apply. */
    @PostMapping("/promotion")
    String promote(
            @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "") String apiKey,
            Authentication authentication,
            Model model) {
        model.addAttribute("url", url);
        String text;
        try {
            text = sandboxes.bundle(url, apiKey);
        } catch (InvalidInputException e) {
            model.addAttribute("activeNav", "configuration");
            model.addAttribute("promotionError", e.errors().get(0).toString());
            return PAGE;
        }
        return answer(text, "preview", authentication, model);
    }

    private String answer(String text, String action, Authentication authentication, Model model) {
        model.addAttribute("activeNav", "configuration");
        model.addAttribute("bundle", text);
        User author = users.signedIn(authentication);
        try {
            if ("apply".equals(action)) {
                model.addAttribute("outcome", bundles.apply(text, author));
            } else {
                model.addAttribute("outcome", bundles.preview(text, author));
            }
        } catch (InvalidInputException e) {
            model.addAttribute("errors", e.errors());
            if ("apply".equals(action)) {
                // Show what stood in the way, document by document.
                try {
                    model.addAttribute("outcome", bundles.preview(text, author));
                } catch (InvalidInputException unreadable) {
                    // The bundle itself cannot be read: the errors say why.
                }
            }
        }
        return PAGE;
    }
}
