package dev.steward.customer;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells the pages and panels of an account (whichever module draws them) whether the signed-in person may change it,
 * so that they offer only the changes that would be accepted: {@code mayChangeAccount}, absent outside an account's
 * address.
 */
@ControllerAdvice(annotations = Controller.class)
class BookAdvice {

    private final AccountPermissions permissions;

    BookAdvice(AccountPermissions permissions) {
        this.permissions = permissions;
    }

    @ModelAttribute("mayChangeAccount")
    Boolean mayChangeAccount(HttpServletRequest request) {
        return BookWrites.accountOf(request)
                .map(id -> permissions.mayChange(new AccountId(id)))
                .orElse(null);
    }
}
