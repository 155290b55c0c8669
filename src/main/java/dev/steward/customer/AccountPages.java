package dev.steward.customer;

import dev.steward.core.Page;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The accounts list: search, filters, sorting and paging, refreshed in place by htmx as filters change. */
@Controller
class AccountPages {

    private final AccountManagement accounts;
    private final UserDirectory users;

    AccountPages(AccountManagement accounts, UserDirectory users) {
        this.accounts = accounts;
        this.users = users;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/accounts";
    }

    @GetMapping("/accounts")
    String list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) UUID ownerId,
            @RequestParam(required = false) LifecycleStage lifecycleStage,
            @RequestParam(required = false) BigDecimal minArr,
            @RequestParam(required = false) BigDecimal maxArr,
            @RequestParam(defaultValue = "name") String sort,
            @RequestParam(required = false) String cursor,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            @RequestHeader(value = "HX-Target", required = false) String htmxTarget,
            Model model) {
        AccountQuery query = new AccountQuery(q, tier, ownerId, lifecycleStage, minArr, maxArr, null, sort, 50, cursor);
        Page<Account> page = accounts.list(query);
        Map<UUID, User> owners = users.findAll(page.items().stream()
                .map(Account::ownerId)
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet()));
        model.addAttribute("activeNav", "accounts");
        model.addAttribute("query", query);
        model.addAttribute("page", page);
        model.addAttribute("owners", owners);
        model.addAttribute("ownerChoices", users.accountOwners());
        model.addAttribute("stages", LifecycleStage.values());
        model.addAttribute("tiers", new String[] {"Enterprise", "Mid-Market", "SMB"});
        model.addAttribute("total", cursor == null && htmx == null ? accounts.count() : null);
        if (htmx != null && "account-results".equals(htmxTarget)) {
            return "customer/accounts :: results";
        }
        return "customer/accounts";
    }
}
