package dev.steward.customer;

import dev.steward.core.Page;
import dev.steward.identity.User;
import dev.steward.identity.UserDirectory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The accounts list (search, filters, sorting, paging; refreshed in place by htmx) and the account page. */
@Controller
class AccountPages {

    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final ContractManagement contracts;
    private final UserDirectory users;
    private final Clock clock;

    AccountPages(
            AccountManagement accounts,
            ContactManagement contacts,
            ContractManagement contracts,
            UserDirectory users,
            Clock clock) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.contracts = contracts;
        this.users = users;
        this.clock = clock;
    }

    /**
     * One account: profile, place in the hierarchy, contacts, contracts with their renewal outcomes and ARR over
     * time. The timeline comes from the activity module, which the page loads into itself.
     */
    @GetMapping("/accounts/{id}")
    String account(@PathVariable UUID id, Model model) {
        AccountId accountId = new AccountId(id);
        Account account = accounts.get(accountId);
        LocalDate today = LocalDate.now(clock);
        List<Contact> people =
                new ArrayList<>(contacts.list(new ContactQuery(id, null, null, AccountQuery.MAX_LIMIT, null))
                        .items());
        // Current people first, champions and sponsors at the top; those who left at the bottom.
        people.sort(Comparator.comparing((Contact c) -> c.leftAt() != null)
                .thenComparing(Contact::role)
                .thenComparing(Contact::name));
        List<Renewal> renewals = new ArrayList<>(contracts.renewals(accountId));
        renewals.sort(Comparator.comparing(Renewal::startDate).reversed());
        List<MonthlyArr> arr =
                contracts.arrHistory(accountId, today.minusMonths(24).withDayOfMonth(1), today);
        model.addAttribute("activeNav", "accounts");
        model.addAttribute("account", account);
        model.addAttribute(
                "owner",
                account.ownerId() == null ? null : users.find(account.ownerId()).orElse(null));
        List<Account> ancestors = new ArrayList<>(accounts.ancestors(accountId));
        java.util.Collections.reverse(ancestors);
        model.addAttribute("ancestors", ancestors);
        model.addAttribute("children", accounts.children(accountId));
        model.addAttribute("contacts", people);
        model.addAttribute("renewals", renewals);
        model.addAttribute(
                "arrMonths",
                arr.stream().map(m -> m.month().toString().substring(0, 7)).toList());
        model.addAttribute("arrValues", arr.stream().map(MonthlyArr::arr).toList());
        return "customer/account";
    }

    @GetMapping("/accounts")
    String list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) UUID ownerId,
            @RequestParam(required = false) LifecycleStage lifecycleStage,
            @RequestParam(required = false) BigDecimal minArr,
            @RequestParam(required = false) BigDecimal maxArr,
            @RequestParam(required = false) List<String> health,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String stage,
            @RequestParam(defaultValue = "name") String sort,
            @RequestParam(required = false) String cursor,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            @RequestHeader(value = "HX-Target", required = false) String htmxTarget,
            Model model) {
        AccountQuery query = new AccountQuery(
                q, tier, ownerId, lifecycleStage, minArr, maxArr, null, health, segment, stage, sort, 50, cursor);
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
        model.addAttribute("stages", accounts.journeyStages());
        model.addAttribute("recordedStages", LifecycleStage.values());
        List<String> tiers = new java.util.ArrayList<>(accounts.tiers());
        if (query.tier() != null && !query.tier().isBlank() && !tiers.contains(query.tier())) {
            tiers.add(query.tier());
        }
        model.addAttribute("tiers", tiers);
        model.addAttribute("healthFilter", String.join(",", query.health()));
        model.addAttribute("segmentChoices", accounts.segmentNames());
        Accounts.Total total = cursor == null && htmx == null ? accounts.total() : null;
        model.addAttribute("total", total == null ? null : total.count());
        model.addAttribute("totalEstimated", total != null && total.estimated());
        if (htmx != null && "account-results".equals(htmxTarget)) {
            return "customer/accounts :: results";
        }
        return "customer/accounts";
    }
}
