package dev.steward.core;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The banner every page shows while Steward is still doing its start-up work ({@link StartupProgress}): which step,
 * how far, how long is left. The banner asks {@code /startup} again every two seconds and disappears when the work is
 * done. {@code /startup} is public, as the sign-in page shows it too; it tells only how far a start got.
 */
@Controller
@ControllerAdvice(annotations = Controller.class)
class StartupBanner {

    private final StartupProgress progress;

    StartupBanner(StartupProgress progress) {
        this.progress = progress;
    }

    @ModelAttribute("startup")
    StartupProgress.View startup(HttpServletRequest request) {
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            return null;
        }
        return progress.now().orElse(null);
    }

    @GetMapping("/startup")
    String banner(Model model) {
        model.addAttribute("startup", progress.now().orElse(null));
        return "startup :: banner";
    }
}
