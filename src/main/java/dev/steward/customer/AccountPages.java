package dev.steward.customer;

import dev.steward.core.Page;
import dev.steward.identity.Role;
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
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
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
    private final ObjectProvider<OwnerTeams> teams;
    private final AccountViews views;
    private final Clock clock;

    AccountPages(
            AccountManagement accounts,
            ContactManagement contacts,
            ContractManagement contracts,
            UserDirectory users,
            ObjectProvider<OwnerTeams> teams,
            AccountViews views,
            Clock clock) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.contracts = contracts;
        this.users = users;
        this.teams = teams;
        this.views = views;
        this.clock = clock;
    }

    /**
     * One account: profile, place in the hierarchy, contacts, contracts with their renewal outcomes and ARR over
     * time. The timeline comes from the activity module, which the page loads into itself.
     */
    @GetMapping("/accounts/{id}")
    String account(@PathVariable UUID id, Authentication authentication, Model model) {
        AccountId accountId = new AccountId(id);
        Account account = accounts.get(accountId);
        // A person looked at the account (for the adoption figures); a reload the same day adds nothing.
        users.signedInId(authentication).ifPresent(user -> views.viewed(user, accountId));
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

    /**
     * Whose accounts the list shows: the viewer's own ({@code me}), a manager's team's ({@code team}), everyone's, or
     * one person's (a user id). The list opens on a CSM's own book and a manager's team's; everyone else, anyone who
     * picks "Everyone", and links from other pages that name filters but no owner, show every account.
     */
    record OwnerScope(String choice, String label, UUID ownerId, List<UUID> owners) {

        static final String ME = "me";
        static final String TEAM = "team";
        static final String EVERYONE = "everyone";

        public boolean everyone() {
            return EVERYONE.equals(choice);
        }
    }

    @GetMapping("/accounts")
    String list(
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String tier,
            @RequestParam(required = false) String owner,
            @RequestParam(required = false) UUID ownerId,
            @RequestParam(required = false) LifecycleStage lifecycleStage,
            @RequestParam(required = false) BigDecimal minArr,
            @RequestParam(required = false) BigDecimal maxArr,
            @RequestParam(required = false) List<String> health,
            @RequestParam(required = false) String healthBasis,
            @RequestParam(required = false) String segment,
            @RequestParam(required = false) String stage,
            @RequestParam(defaultValue = "name") String sort,
            @RequestParam(required = false) String cursor,
            @RequestHeader(value = "HX-Request", required = false) String htmx,
            @RequestHeader(value = "HX-Target", required = false) String htmxTarget,
            Authentication authentication,
            Model model) {
        User viewer = authentication == null ? null : users.signedIn(authentication);
        // A link from another page that names filters (a segment's members, a stage's accounts) means everyone's
        // accounts that match, unless it names an owner too; the list opened as it is shows one's own book.
        boolean linkedWithFilters =
                Stream.of(q, tier, segment, stage, healthBasis).anyMatch(v -> v != null && !v.isBlank())
                        || lifecycleStage != null
                        || minArr != null
                        || maxArr != null
                        || (health != null && health.stream().anyMatch(h -> !h.isBlank()));
        OwnerScope scope = scope(
                viewer, owner == null && ownerId == null && linkedWithFilters ? OwnerScope.EVERYONE : owner, ownerId);
        AccountQuery query = new AccountQuery(
                q,
                tier,
                scope.ownerId(),
                scope.owners(),
                lifecycleStage,
                minArr,
                maxArr,
                null,
                health,
                QueryParameters.enumValue(AccountQuery.HealthBasis.class, "healthBasis", healthBasis),
                segment,
                stage,
                sort,
                50,
                cursor);
        Page<Account> page = accounts.list(query);
        Map<UUID, User> owners = users.findAll(page.items().stream()
                .map(Account::ownerId)
                .filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet()));
        model.addAttribute("activeNav", "accounts");
        model.addAttribute("query", query);
        model.addAttribute("scope", scope);
        model.addAttribute("teamChoice", viewer != null && viewer.id() != null && viewer.role() == Role.MANAGER);
        model.addAttribute("meChoice", viewer != null && viewer.id() != null);
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
        if (htmx != null && "account-results".equals(htmxTarget)) {
            return "customer/accounts :: results";
        }
        return "customer/accounts";
    }

    /**
     * Whose accounts to list: {@code owner} is "me", "team", "everyone" or a user id, {@code ownerId} one person (as
     * older links name them); without either, a CSM's own book, a manager's team's and everyone's for the rest.
     */
    private OwnerScope scope(User viewer, String owner, UUID ownerId) {
        String choice = owner == null || owner.isBlank() ? null : owner.strip().toLowerCase(java.util.Locale.ROOT);
        if (choice == null && ownerId != null) {
            choice = ownerId.toString();
        }
        boolean hasBook =
                viewer != null && viewer.id() != null && (viewer.role() == Role.CSM || viewer.role() == Role.MANAGER);
        if (choice == null) {
            choice = !hasBook ? OwnerScope.EVERYONE : viewer.role() == Role.MANAGER ? OwnerScope.TEAM : OwnerScope.ME;
        }
        switch (choice) {
            case OwnerScope.EVERYONE:
                return new OwnerScope(OwnerScope.EVERYONE, "everyone", null, List.of());
            case OwnerScope.ME:
            case OwnerScope.TEAM:
                if (viewer == null || viewer.id() == null) {
                    throw new dev.steward.core.InvalidInputException(
                            "owner", "'" + choice + "' needs a signed-in user; this sign-in has none");
                }
                if (choice.equals(OwnerScope.TEAM)) {
                    OwnerTeams kept = teams.getIfAvailable();
                    List<UUID> team = kept == null ? List.of(viewer.id()) : kept.team(viewer.id());
                    return new OwnerScope(
                            OwnerScope.TEAM,
                            "your team (" + team.size() + (team.size() == 1 ? " person" : " people") + ")",
                            null,
                            team);
                }
                return new OwnerScope(OwnerScope.ME, "you (" + viewer.displayName() + ")", viewer.id(), List.of());
            default:
                UUID id;
                try {
                    id = UUID.fromString(choice);
                } catch (IllegalArgumentException e) {
                    throw new dev.steward.core.InvalidInputException(
                            "owner", "'" + owner + "' is not 'me', 'team', 'everyone' or a user id");
                }
                if (viewer != null && id.equals(viewer.id())) {
                    return new OwnerScope(OwnerScope.ME, "you (" + viewer.displayName() + ")", viewer.id(), List.of());
                }
                String name = users.find(id).map(User::displayName).orElse("an unknown user");
                return new OwnerScope(id.toString(), name, id, List.of());
        }
    }
}
