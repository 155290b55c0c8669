package dev.steward.identity;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/** A CSM or manager finds their book of business from every page: the accounts they own. */
@StewardTest
class MyBookNavigationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Test
    void aCsmHasMyBookInTheNavigationAndAnAdministratorDoesNot() throws Exception {
        User csm = users.createIfAbsent("my.book@example.com", "Bo Okafor", Role.CSM);
        User admin = users.createIfAbsent("no.book@example.com", "Ad Min", Role.ADMIN);
        mvc.perform(get("/books").with(user(SignedInUser.of(csm, false))))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/accounts?ownerId=" + csm.id() + "\"")))
                .andExpect(content().string(containsString(">My book</a>")));
        mvc.perform(get("/books").with(user(SignedInUser.of(admin, false))))
                .andExpect(status().isOk())
                .andExpect(content().string(not(containsString(">My book</a>"))));
    }
}
