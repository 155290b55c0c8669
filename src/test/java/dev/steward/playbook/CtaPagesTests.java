package dev.steward.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import dev.steward.core.TestClock;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AccountManagement;
import dev.steward.identity.Role;
import dev.steward.identity.User;
import dev.steward.identity.UserManagement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The CTA pages: what the services refuse (no outcome, a CTA closed already, a CSM working another's CTA, a bad
 * cursor) is said on the page rather than failing it; a bulk action says how many changed and why the others did
 * not; the list pages with its cursor without losing or repeating a CTA; the account page's panel lists the account's
 * CTAs. Shares its database with {@link PlaybookPagesTests}.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.playbook-pages=own-database")
@WithMockUser(username = "mia.pages@example.com", roles = "MANAGER")
class CtaPagesTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Autowired
    AccountManagement accounts;

    @Autowired
    CtaWork work;

    @Autowired
    JdbcClient jdbc;

    @Test
    void refusalsAreSaidOnTheCtaPage() throws Exception {
        User mia = users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
        User ole = users.createIfAbsent("ole.pages@example.com", "Ole Pages", Role.CSM);
        UUID account = account("Refusal Works", ole.id());
        UUID id = work.create(new CtaWork.NewCta(account, "risk", "Call Refusal Works", "high", 3, null, null), mia)
                .cta()
                .id();

        mvc.perform(post("/ctas/{id}/close", id).with(csrf()))
                .andExpect(redirectedUrl("/ctas/" + id))
                .andExpect(flash().attribute("refusal", contains(containsString("outcome: is required"))));
        // Another CSM may not work Ole's CTA: said as a refusal, not a forbidden page.
        users.createIfAbsent("una.pages@example.com", "Una Pages", Role.CSM);
        mvc.perform(post("/ctas/{id}/comments", id)
                        .param("text", "Mine now")
                        .with(user("una.pages@example.com").roles("CSM"))
                        .with(csrf()))
                .andExpect(redirectedUrl("/ctas/" + id))
                .andExpect(
                        flash().attribute("refusal", contains("This CTA is Ole Pages's; a CSM works their own CTAs")));
        mvc.perform(post("/ctas/{id}/close", id)
                        .param("outcome", "saved")
                        .param("reason", "Renewed early")
                        .with(csrf()))
                .andExpect(flash().attribute("notice", "Closed: saved."));
        MvcResult refused = mvc.perform(
                        post("/ctas/{id}/close", id).param("outcome", "saved").with(csrf()))
                .andExpect(flash().attribute("refusal", contains("The CTA is closed already (saved)")))
                .andReturn();
        follow(refused)
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("closed: saved"),
                                containsString("The CTA is closed already (saved)"),
                                containsString("none: made by hand"),
                                containsString("data-testid=\"reopen\""),
                                not(containsString("data-testid=\"close-form\"")))));
    }

    @Test
    void anOverdueCtaIsEscalatedAndThePageSaysSo() throws Exception {
        User mia = users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
        UUID account = account("Late Works", mia.id());
        UUID id = work.create(new CtaWork.NewCta(account, "renewal", "Quote the renewal", "high", 1, null, null), mia)
                .cta()
                .id();
        jdbc.sql("update cta set due_at = ? where id = ?")
                .params(java.sql.Timestamp.from(TestClock.NOW.minusSeconds(3600)), id)
                .update();
        // The follow-up job may get there first; either way the CTA ends up escalated once.
        work.escalateOverdue();
        mvc.perform(get("/ctas/{id}", id))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"cta-overdue\""),
                                containsString("data-testid=\"cta-escalated\""),
                                containsString("escalated it, overdue, to no manager: the owner has no team"))));
        mvc.perform(get("/ctas").param("scope", "all").param("overdue", "true"))
                .andExpect(content().string(containsString("Quote the renewal")));
    }

    @Test
    void aBulkActionSaysHowManyChangedAndWhyTheOthersDidNot() throws Exception {
        User mia = users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
        UUID account = account("Bulk Works", mia.id());
        UUID open = work.create(new CtaWork.NewCta(account, "renewal", "Renewal call", "medium", 5, null, null), mia)
                .cta()
                .id();
        UUID closed = work.create(new CtaWork.NewCta(account, "renewal", "Old call", "medium", 5, null, null), mia)
                .cta()
                .id();
        work.close(closed, "not_needed", null, mia);

        MvcResult bulk = mvc.perform(post("/ctas/bulk")
                        .param("ids", open.toString(), closed.toString())
                        .param("action", "close")
                        .param("outcome", "renewed")
                        .param("back", "/ctas?scope=all&status=any")
                        .with(csrf()))
                .andExpect(redirectedUrl("/ctas?scope=all&status=any"))
                .andExpect(flash().attribute("bulkChanged", 1))
                .andExpect(flash().attribute(
                                "bulkRefused",
                                contains(new CtaPages.Refused(
                                        closed, "Old call", "id: The CTA is closed already (not_needed)"))))
                .andReturn();
        follow(bulk)
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("1 changed"),
                                containsString("these were refused:"),
                                containsString("Old call</a>:"),
                                containsString("The CTA is closed already (not_needed)"))));
        mvc.perform(post("/ctas/bulk").param("action", "close").with(csrf()))
                .andExpect(redirectedUrl("/ctas"))
                .andExpect(flash().attribute("refusal", contains("ids: must list 1 to 500 CTAs")));
    }

    @Test
    void theListPagesWithoutLosingOrRepeatingACtaAndABadCursorIsSaid() throws Exception {
        User mia = users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
        UUID account = account("Paging Works", mia.id());
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            made.add(work.create(new CtaWork.NewCta(account, "activity", "Step " + i, "low", 5, null, null), mia)
                    .cta()
                    .id());
        }
        // Made at one instant with microseconds, as a playbook run makes its CTAs: paging by creation time must not
        // skip the rest of them after the first page.
        jdbc.sql("update cta set created_at = ? where account_id = ?")
                .params(java.sql.Timestamp.from(TestClock.NOW.plusNanos(123_456_000)), account)
                .update();
        for (String sort : List.of("created", "due", "priority")) {
            String first = mvc.perform(get("/ctas")
                            .param("scope", "all")
                            .param("account", account.toString())
                            .param("sort", sort))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            Matcher next = Pattern.compile("href=\"([^\"]*cursor=[^\"]*)\" data-testid=\"next-page\"")
                    .matcher(first);
            assertThat(next.find()).as("a next page when sorted by " + sort).isTrue();
            String second = mvc.perform(get(next.group(1).replace("&amp;", "&")))
                    .andExpect(status().isOk())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            HashSet<String> seen = new HashSet<>();
            int rows = 0;
            for (String page : List.of(first, second)) {
                Matcher row = Pattern.compile("data-testid=\"cta-row\" data-id=\"([^\"]+)\"")
                        .matcher(page);
                while (row.find()) {
                    seen.add(row.group(1));
                    rows++;
                }
            }
            assertThat(rows).as("rows sorted by " + sort).isEqualTo(55);
            assertThat(seen).as("CTAs sorted by " + sort).hasSize(55);
        }
        mvc.perform(get("/ctas").param("cursor", "not-a-cursor"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("cursor: is not a cursor")));

        mvc.perform(get("/accounts/{id}/cta-panel", account))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Step 0"),
                                containsString("New CTA for this account"),
                                containsString("/ctas/new?account=" + account))));
        assertThat(made).hasSize(55);
    }

    @Test
    void aCtaIsMadeByHandFromTheFormAndBadInputIsSaidInIt() throws Exception {
        User mia = users.createIfAbsent("mia.pages@example.com", "Mia Pages", Role.MANAGER);
        UUID account = account("Form Works", mia.id());
        mvc.perform(get("/ctas/new").param("account", account.toString()))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(containsString("New CTA<span class=\"text-secondary fw-normal\"> for Form Works")));
        mvc.perform(post("/ctas/new")
                        .param("account", account.toString())
                        .param("title", "")
                        .param("slaDays", "99")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("title: is required, at most 200 characters")));
        mvc.perform(post("/ctas/new")
                        .param("account", account.toString())
                        .param("title", "Plan the QBR")
                        .param("type", "lifecycle")
                        .param("priority", "medium")
                        .param("slaDays", "99")
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("slaDays: is 99; business days from 1 to 60")));
        String location = mvc.perform(post("/ctas/new")
                        .param("account", account.toString())
                        .param("title", "Plan the QBR")
                        .param("type", "lifecycle")
                        .param("slaDays", "10")
                        .with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andReturn()
                .getResponse()
                .getRedirectedUrl();
        mvc.perform(get(location))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("Plan the QBR"),
                                containsString("Made by Mia Pages"),
                                containsString("(SLA 10 business days)"))));
    }

    /** The page a form's answer redirects to, in the same session, so that it shows what the flash carried. */
    private ResultActions follow(MvcResult result) throws Exception {
        return mvc.perform(get(result.getResponse().getRedirectedUrl())
                .cookie(result.getResponse().getCookies()));
    }

    private UUID account(String name, UUID owner) {
        return accounts.create(new AccountInput(
                        null, name, null, null, "SMB", "Cta pages", null, 20, owner, null, null, null, null))
                .id()
                .value();
    }
}
