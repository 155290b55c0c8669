package dev.steward.notify;

import dev.steward.core.InvalidInputException;
import dev.steward.identity.UserDirectory;
import java.util.Arrays;
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
 * The administrators' pages of delivery: the outbox (what is pending or failed, with the last error, to retry now; a
 * test email) and the webhook endpoints.
 */
@Controller
class NotifyAdminPages {

    private final OutboxAdministration outbox;
    private final Webhooks webhooks;
    private final UserDirectory users;

    NotifyAdminPages(OutboxAdministration outbox, Webhooks webhooks, UserDirectory users) {
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.users = users;
    }

    @GetMapping("/settings/outbox")
    String outbox(Authentication authentication, Model model) {
        Administrators.require(authentication, "see the outbox");
        model.addAttribute("activeNav", "outbox");
        model.addAttribute("overview", outbox.overview());
        return "notify/outbox";
    }

    @PostMapping("/settings/outbox/{id}/retry")
    String retry(@PathVariable UUID id, Authentication authentication, RedirectAttributes redirect) {
        Administrators.require(authentication, "retry deliveries");
        outbox.retry(id);
        redirect.addFlashAttribute("message", "Delivery " + id + " is being tried again now.");
        return "redirect:/settings/outbox";
    }

    @PostMapping("/settings/outbox/retry-not-configured")
    String retryNotConfigured(Authentication authentication, RedirectAttributes redirect) {
        Administrators.require(authentication, "retry deliveries");
        int count = outbox.retryNotConfigured();
        redirect.addFlashAttribute("message", count + " email(s) kept while email was off are being sent now.");
        return "redirect:/settings/outbox";
    }

    @PostMapping("/settings/outbox/test-email")
    String testEmail(Authentication authentication, RedirectAttributes redirect) {
        Administrators.require(authentication, "send test emails");
        String to = users.signedIn(authentication).email();
        String error = outbox.sendTestEmail(to);
        if (error == null) {
            redirect.addFlashAttribute("message", "A test email went to " + to + ".");
        } else {
            redirect.addFlashAttribute("error", "The test email to " + to + " failed: " + error);
        }
        return "redirect:/settings/outbox";
    }

    @GetMapping("/settings/webhooks")
    String webhooks(Authentication authentication, Model model) {
        Administrators.require(authentication, "manage webhooks");
        return webhooksPage(model);
    }

    @PostMapping("/settings/webhooks")
    String createWebhook(
            @RequestParam(defaultValue = "") String url,
            @RequestParam(defaultValue = "") String kinds,
            @RequestParam(defaultValue = "") String description,
            Authentication authentication,
            Model model,
            RedirectAttributes redirect,
            jakarta.servlet.http.HttpServletResponse response) {
        Administrators.require(authentication, "manage webhooks");
        try {
            CreatedWebhook created = webhooks.create(new WebhookRequest(url, kindList(kinds), description, true, null));
            redirect.addFlashAttribute("createdUrl", created.endpoint().url());
            redirect.addFlashAttribute("createdSecret", created.secret());
            return "redirect:/settings/webhooks";
        } catch (InvalidInputException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("error", e.getMessage());
            model.addAttribute("url", url);
            model.addAttribute("kinds", kinds);
            model.addAttribute("description", description);
            return webhooksPage(model);
        }
    }

    @PostMapping("/settings/webhooks/{id}/enabled")
    String setEnabled(
            @PathVariable UUID id,
            @RequestParam boolean enabled,
            Authentication authentication,
            RedirectAttributes redirect) {
        Administrators.require(authentication, "manage webhooks");
        WebhookEndpoint endpoint = webhooks.get(id);
        webhooks.update(
                id, new WebhookRequest(endpoint.url(), endpoint.kinds(), endpoint.description(), enabled, null));
        redirect.addFlashAttribute("message", endpoint.url() + (enabled ? " receives events again." : " is paused."));
        return "redirect:/settings/webhooks";
    }

    @PostMapping("/settings/webhooks/{id}/delete")
    String delete(@PathVariable UUID id, Authentication authentication, RedirectAttributes redirect) {
        Administrators.require(authentication, "manage webhooks");
        WebhookEndpoint endpoint = webhooks.get(id);
        webhooks.delete(id);
        redirect.addFlashAttribute("message", endpoint.url() + " was removed.");
        return "redirect:/settings/webhooks";
    }

    private String webhooksPage(Model model) {
        model.addAttribute("activeNav", "outbox");
        model.addAttribute("endpoints", webhooks.list());
        return "notify/webhooks";
    }

    /** Kinds as typed in the form: separated by commas or spaces. */
    static List<String> kindList(String kinds) {
        return Arrays.stream(kinds.split("[,\\s]+")).filter(k -> !k.isBlank()).toList();
    }
}
