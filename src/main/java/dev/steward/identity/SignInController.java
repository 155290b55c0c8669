package dev.steward.identity;

import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page, the page where people change their password, and the page that explains a refusal. */
@Controller
class SignInController {

    private final UserManagement users;
    private final SsoProperties sso;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    SignInController(UserManagement users, SsoProperties sso) {
        this.users = users;
        this.sso = sso;
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, HttpSession session, Model model) {
        if (request.getParameterMap().containsKey("error")) {
            Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            model.addAttribute("error", message(failure));
        }
        model.addAttribute("signedOut", request.getParameterMap().containsKey("signedOut"));
        model.addAttribute("sso", sso.configured() ? sso.name() : null);
        model.addAttribute("ssoPath", SingleSignOn.SIGN_IN_PATH);
        // With single sign-on only, the password form is for the break-glass administrators, who ask for it.
        model.addAttribute(
                "passwordForm", !sso.ssoOnly() || request.getParameterMap().containsKey("password"));
        return "identity/login";
    }

    /**
     * Only a lock, a disabled account, a one-time password used already, password sign-in being off and what single
     * sign-on says is worth telling apart; anything else is the one generic message.
     */
    private static String message(Object failure) {
        if (failure instanceof OAuth2AuthenticationException oauth2) {
            OAuth2Error error = oauth2.getError();
            return SingleSignOn.REFUSED.equals(error.getErrorCode())
                    ? error.getDescription()
                    : "Single sign-on failed (" + error.getErrorCode() + "); try again, or ask your administrator";
        }
        return failure instanceof LockedException
                        || failure instanceof DisabledException
                        || failure instanceof CredentialsExpiredException
                        || failure instanceof PasswordSignIn.PasswordsOff
                ? ((AuthenticationException) failure).getMessage()
                : PasswordSignIn.WRONG;
    }

    @GetMapping(OneTimePasswordFilter.PASSWORD_PAGE)
    String passwordForm(@AuthenticationPrincipal SignedInUser user, Model model) {
        model.addAttribute("mustChange", user != null && user.mustChangePassword());
        model.addAttribute("minimumLength", UserManagement.MINIMUM_PASSWORD_LENGTH);
        return "identity/password";
    }

    @PostMapping(OneTimePasswordFilter.PASSWORD_PAGE)
    String changePassword(
            @AuthenticationPrincipal SignedInUser user,
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword,
            @RequestParam(defaultValue = "") String confirmation,
            Authentication authentication,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (user == null) {
            model.addAttribute("errors", List.of(FieldError.of(null, "Only people who sign in have a password")));
            return passwordForm(null, model);
        }
        try {
            if (!newPassword.equals(confirmation)) {
                throw new InvalidInputException("confirmation", "does not match the new password");
            }
            users.changeOwnPassword(
                    user.id(),
                    currentPassword,
                    newPassword,
                    request.getSession().getId());
        } catch (InvalidInputException e) {
            model.addAttribute("errors", e.errors());
            return passwordForm(user, model);
        }
        // The session still holds the principal from sign-in; it must stop demanding a password change.
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                user.passwordChanged(), null, authentication.getAuthorities()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/";
    }

    @RequestMapping(AccessRules.FORBIDDEN_PAGE)
    String forbidden(HttpServletRequest request, Model model) {
        Object detail = request.getAttribute(AccessRules.DETAIL_ATTRIBUTE);
        model.addAttribute("detail", detail == null ? "You may not do this." : detail);
        return "identity/forbidden";
    }
}
