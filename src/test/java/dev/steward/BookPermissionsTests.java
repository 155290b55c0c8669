package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.steward.core.StewardTest;
import dev.steward.identity.Role;
import dev.steward.identity.UserManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may change what, over every write endpoint of the application, read from its request mappings so that a new
 * endpoint cannot slip past: each is in a class of this table or the first test fails. VIEWERs change nothing but
 * their own credentials; administrators' areas refuse managers; everything under an account's address, the records
 * of an account, CTAs and owner moves follow the signed-in person's book (a CSM their own accounts, a manager their
 * team's); bulk loads and imports need someone who may change every book. On a database of its own, with teams
 * published: Mia manages Ada, Sam manages Ben.
 */
@StewardTest
@TestPropertySource(properties = "steward.test.permissions=own-database")
@WithMockUser(username = "perm-root@example.com", roles = "ADMIN")
class BookPermissionsTests {

    /** What decides who may make a request. */
    enum Kind {
        /** One's own password, API keys, notifications and alert subscriptions, and signing in: anyone. */
        OWN,
        /** Requests no person makes (tracking APIs by write key, vendors' webhooks): not a person's permission. */
        SOURCE,
        /** Administrators only, by the security configuration. */
        ADMIN,
        /** Configuration documents and analysis: managers and administrators, by each module's editors. */
        CONFIGURATION,
        /** An account or what belongs to it: the person's book. */
        ACCOUNT,
        /** A bulk load or an import: someone who may change every book. */
        EVERY_BOOK,
        /**
         * Anyone but a VIEWER: what changes no customer data nor configuration (checking, previewing and dry-running a
         * document, a backtest, staging a file to import, refreshing data-quality findings) and one's own scheduled
         * reports.
         */
        ANALYSIS
    }

    private static final List<Map.Entry<Pattern, Kind>> TABLE = List.of(
            rule("(POST|PUT|PATCH|DELETE) /(login|logout|account/password|forbidden|error)", Kind.OWN),
            rule("\\w+ /(settings/api-keys|api/v1/api-keys|notifications|api/v1/notifications)(/.*)?", Kind.OWN),
            rule("\\w+ /(insight/alerts|api/v1/insight/alerts)(/.*)?", Kind.OWN),
            rule("\\w+ /(v1|2)/.*|\\w+ /(batch|import|track|webhooks/.*)", Kind.SOURCE),
            // A survey's recipients answer and unsubscribe through signed links, without an account.
            rule("(GET|POST) /nps/.*", Kind.SOURCE),
            // So do the contacts an email journey mails, through its unsubscribe link.
            rule("(GET|POST) /email/.*", Kind.SOURCE),
            // Replies to journeys' emails, posted by an inbound-mail service with an administrator's key.
            rule("POST /api/v1/outreach/replies", Kind.ADMIN),
            // Spam complaints from a feedback loop, posted the same way.
            rule("POST /api/v1/outreach/complaints", Kind.ADMIN),
            rule(
                    "\\w+ /(api/v1/(users|stripe|warehouse|zendesk|intercom|freshdesk|hubspot|salesforce|pendo|event-exports|configuration"
                            + "|webhooks)|settings/(users|configuration|outbox|webhooks))(/.*)?",
                    Kind.ADMIN),
            rule("\\w+ /(api/v1/)?health/disagreements(/.*)?", Kind.ADMIN),
            rule("\\w+ /(api/v1/)?ctas(/.*)?", Kind.ACCOUNT),
            rule("\\w+ /(api/v1/)?[a-z-]+(/\\{[a-zA-Z]+\\})?/bulk", Kind.EVERY_BOOK),
            rule("\\w+ /(api/v1/)?imports/\\{id\\}/run", Kind.EVERY_BOOK),
            rule("\\w+ /(api/v1/)?accounts/\\{id\\}(/.*)?", Kind.ACCOUNT),
            rule("POST /api/v1/accounts", Kind.ACCOUNT),
            rule("\\w+ /api/v1/(contracts|contacts|opportunities)(/\\{id\\})?", Kind.ACCOUNT),
            rule("\\w+ /(api/v1/)?books/(balance|reassign)", Kind.ACCOUNT),
            rule("POST /(api/v1/)?(backtests/\\{id\\}/suggestions/\\{scorecard\\}/draft)", Kind.CONFIGURATION),
            rule(
                    "\\w+ /(api/v1/)?(scorecards|segments|lifecycle|books/rules|books/versions|playbooks|sources)(/.*)?",
                    Kind.CONFIGURATION),
            rule("\\w+ /(api/v1/)?surveys(/.*)?", Kind.CONFIGURATION),
            rule("\\w+ /(api/v1/)?outreach(/.*)?", Kind.CONFIGURATION),
            rule("\\w+ /api/v1/usage/metrics", Kind.CONFIGURATION),
            rule("\\w+ /(api/v1/pilot|settings/pilot)(/.*)?", Kind.CONFIGURATION),
            rule("\\w+ /(api/v1/)?(backtests|insight/schedules|data-quality)(/.*)?", Kind.ANALYSIS),
            rule("\\w+ /(api/v1/)?imports(/plans?|/\\{id\\}/mapping(-yaml)?)?", Kind.ANALYSIS),
            rule("\\w+ /(api/v1/)?health/rescore", Kind.ANALYSIS));

    private static Map.Entry<Pattern, Kind> rule(String regex, Kind kind) {
        return Map.entry(Pattern.compile(regex), kind);
    }

    static final String RULES = """
            name: Permission teams
            teams:
              - key: north
                name: North
                manager: perm-mia@example.com
                members: [perm-ada@example.com]
              - key: south
                name: South
                manager: perm-sam@example.com
                members: [perm-ben@example.com]
            territories:
              - key: north
                name: North
                rule: account.tier == "North"
                team: north
              - key: south
                name: South
                team: south
            """;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserManagement users;

    @Autowired
    Clock clock;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    Map<String, UUID> people = new LinkedHashMap<>();
    String adas;
    String bens;

    @BeforeEach
    void teamsAndAccounts() throws Exception {
        people.put(
                "ada",
                users.createIfAbsent("perm-ada@example.com", "Ada North", Role.CSM)
                        .id());
        people.put(
                "ben",
                users.createIfAbsent("perm-ben@example.com", "Ben South", Role.CSM)
                        .id());
        people.put(
                "mia",
                users.createIfAbsent("perm-mia@example.com", "Mia Manager", Role.MANAGER)
                        .id());
        people.put(
                "sam",
                users.createIfAbsent("perm-sam@example.com", "Sam Manager", Role.MANAGER)
                        .id());
        people.put(
                "vic",
                users.createIfAbsent("perm-vic@example.com", "Vic Viewer", Role.VIEWER)
                        .id());
        users.createIfAbsent("perm-root@example.com", "Root Admin", Role.ADMIN);
        String published = mvc.perform(get("/api/v1/books/rules"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        if (!published.contains("perm-mia@example.com")) {
            String saved = mvc.perform(post("/api/v1/books/rules/versions")
                            .contentType("application/yaml")
                            .content(RULES)
                            .with(csrf()))
                    .andExpect(status().isCreated())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            mvc.perform(post("/api/v1/books/rules/versions/{v}/publish", (int) JsonPath.read(saved, "$.version"))
                            .with(csrf()))
                    .andExpect(status().isOk());
        }
        adas = account("Permissions Ada " + UUID.randomUUID(), "North", "ada");
        bens = account("Permissions Ben " + UUID.randomUUID(), "South", "ben");
        // The rules keep each account with its owner (both are in their territory's pool): wait until they have.
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            mvc.perform(get("/api/v1/accounts/{id}/owner", adas))
                    .andExpect(jsonPath("$.current.territory", is("north")))
                    .andExpect(jsonPath("$.current.owner.email", is("perm-ada@example.com")));
            mvc.perform(get("/api/v1/accounts/{id}/owner", bens))
                    .andExpect(jsonPath("$.current.territory", is("south")));
        });
    }

    @Test
    void everyWriteEndpointIsInOneClassOfTheTable() {
        Map<String, Kind> endpoints = writeEndpoints();
        List<String> unclassified = endpoints.entrySet().stream()
                .filter(e -> e.getValue() == null)
                .map(Map.Entry::getKey)
                .toList();
        assertThat(unclassified)
                .as("write endpoints nobody decided who may use: add them to the table")
                .isEmpty();
        assertThat(endpoints.values()).contains(Kind.values());
        assertThat(endpoints.size()).isGreaterThan(200);
    }

    @Test
    void viewersChangeNothingButTheirOwnCredentials() throws Exception {
        List<String> allowed = new ArrayList<>();
        for (Map.Entry<String, Kind> endpoint : writeEndpoints().entrySet()) {
            if (endpoint.getValue() == Kind.OWN || endpoint.getValue() == Kind.SOURCE) {
                continue;
            }
            int status =
                    send(endpoint.getKey(), as("vic", "VIEWER")).getResponse().getStatus();
            if (status != 403) {
                allowed.add(endpoint.getKey() + " → " + status);
            }
        }
        assertThat(allowed).as("write endpoints a VIEWER was not refused").isEmpty();
    }

    @Test
    void administratorsAreasRefuseManagers() throws Exception {
        List<String> allowed = new ArrayList<>();
        for (Map.Entry<String, Kind> endpoint : writeEndpoints().entrySet()) {
            if (endpoint.getValue() != Kind.ADMIN) {
                continue;
            }
            int status =
                    send(endpoint.getKey(), as("mia", "MANAGER")).getResponse().getStatus();
            if (status != 403) {
                allowed.add(endpoint.getKey() + " → " + status);
            }
        }
        assertThat(allowed)
                .as("administrators' endpoints a MANAGER was not refused")
                .isEmpty();
    }

    @Test
    void configurationIsForManagersAndAdministrators() throws Exception {
        List<String> allowed = new ArrayList<>();
        for (Map.Entry<String, Kind> endpoint : writeEndpoints().entrySet()) {
            if (endpoint.getValue() != Kind.CONFIGURATION) {
                continue;
            }
            MvcResult result = send(endpoint.getKey(), as("ada", "CSM"));
            if (result.getResponse().getStatus() == 415) {
                result = send(endpoint.getKey(), as("ada", "CSM"), "application/yaml", "name: x\n");
            }
            if (result.getResponse().getStatus() != 403) {
                allowed.add(endpoint.getKey() + " → " + result.getResponse().getStatus());
            }
        }
        assertThat(allowed).as("configuration endpoints a CSM was not refused").isEmpty();
    }

    /** The account's pages offer a change only to someone who may make it. */
    @Test
    void pagesOfferChangesOnlyWithinTheBook() throws Exception {
        String forBen = mvc.perform(get("/accounts/{id}/timeline", adas).with(as("ben", "CSM")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String forAda = mvc.perform(get("/accounts/{id}/timeline", adas).with(as("ada", "CSM")))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(forBen).doesNotContain("data-testid=\"sentiment-form\"");
        assertThat(forAda).contains("data-testid=\"sentiment-form\"");
        mvc.perform(post("/accounts/{id}/sentiment", adas)
                        .param("score", "2")
                        .param("reason", "Quiet lately")
                        .with(as("ben", "CSM"))
                        .with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(containsString("is in perm-ada@example.com&#39;s book")));
    }

    /**
     * Every change under an account's address, API and pages alike: refused outside the book before the request is
     * read, let through within it (whatever the request's own answer then is).
     */
    @Test
    void everythingUnderAnAccountsAddressFollowsTheBook() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String endpoint : writeEndpoints().keySet()) {
            if (!endpoint.matches("\\w+ /(api/v1/)?accounts/\\{id\\}(/.*)?")) {
                continue;
            }
            checked++;
            for (String[] who : new String[][] {{"ben", "CSM"}, {"sam", "MANAGER"}}) {
                MvcResult refused = send(endpoint.replace("{id}", adas), as(who[0], who[1]));
                if (refused.getResponse().getStatus() != 403
                        || !refused.getResponse().getContentAsString().contains("perm-ada@example.com")) {
                    wrong.add(endpoint + " as " + who[0] + " → "
                            + refused.getResponse().getStatus());
                }
            }
            for (String[] who : new String[][] {{"ada", "CSM"}, {"mia", "MANAGER"}, {"root", "ADMIN"}}) {
                // Within the book the request goes on to its handler: answered as it may be (a manager's task refused
                // to a CSM by role, a body of nothing refused as invalid), but never as outside the book.
                MvcResult let = send(endpoint.replace("{id}", adas), as(who[0], who[1]));
                if (let.getResponse().getStatus() == 403
                        && (let.getResponse().getContentAsString().contains("outside-book")
                                || let.getResponse().getContentAsString().contains("Outside your book"))) {
                    wrong.add(endpoint + " as " + who[0] + " → 403 "
                            + let.getResponse().getContentAsString());
                }
            }
        }
        assertThat(checked).isGreaterThan(25);
        assertThat(wrong).isEmpty();
        // The refusal as a client reads it.
        json(
                        post("/api/v1/accounts/{id}/notes", adas),
                        "{\"writtenAt\": \"2026-03-18T09:00:00Z\", \"body\": \"Called them\"}",
                        as("ben", "CSM"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/outside-book")))
                .andExpect(jsonPath("$.account", is(adas)))
                .andExpect(jsonPath("$.detail", containsString("is in perm-ada@example.com's book")))
                .andExpect(jsonPath("$.detail", containsString("your role CSM may change the accounts you own")));
    }

    @Test
    void recordsOfAnAccountFollowItsBookWhenCreatedChangedOrDeleted() throws Exception {
        LocalDate today = LocalDate.now(clock);
        String contract = """
                {"accountId": "%s", "startDate": "%s", "endDate": "%s", "arr": 1200, "seats": 3}""";
        String contact = """
                {"accountId": "%s", "name": "Pat Customer", "email": "pat-%s@example.com"}""";
        String opportunity = """
                {"accountId": "%s", "name": "Renewal", "type": "renewal", "amount": 1200, "stage": "open",
                 "closeDate": "%s"}""";
        Map<String, String> creates = new LinkedHashMap<>();
        creates.put("contracts", contract.formatted(adas, today.minusDays(10), today.plusDays(300)));
        creates.put("contacts", contact.formatted(adas, UUID.randomUUID()));
        creates.put("opportunities", opportunity.formatted(adas, today.plusDays(30)));
        for (Map.Entry<String, String> kind : creates.entrySet()) {
            json(post("/api/v1/" + kind.getKey()), kind.getValue(), as("ben", "CSM"))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type", is("https://steward.dev/problems/outside-book")));
            String made = json(post("/api/v1/" + kind.getKey()), kind.getValue(), as("ada", "CSM"))
                    .andExpect(status().isCreated())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            String id = JsonPath.read(made, "$.id");
            String version = JsonPath.read(made, "$.version").toString();
            for (MockHttpServletRequestBuilder change : List.of(
                    put("/api/v1/" + kind.getKey() + "/" + id).content(kind.getValue()),
                    patch("/api/v1/" + kind.getKey() + "/" + id).content("{}"),
                    delete("/api/v1/" + kind.getKey() + "/" + id))) {
                mvc.perform(change.contentType(MediaType.APPLICATION_JSON)
                                .header("If-Match", "\"" + version + "\"")
                                .with(as("sam", "MANAGER"))
                                .with(csrf()))
                        .andExpect(status().isForbidden())
                        .andExpect(jsonPath("$.account", is(adas)));
            }
            // Moving a record onto an account outside the book is refused too, even by its account's owner.
            mvc.perform(put("/api/v1/" + kind.getKey() + "/" + id)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(kind.getValue().replace(adas, bens))
                            .header("If-Match", "\"" + version + "\"")
                            .with(as("ada", "CSM"))
                            .with(csrf()))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.account", is(bens)));
            mvc.perform(delete("/api/v1/" + kind.getKey() + "/" + id)
                            .header("If-Match", "\"" + version + "\"")
                            .with(as("mia", "MANAGER"))
                            .with(csrf()))
                    .andExpect(status().isNoContent());
        }
    }

    @Test
    void accountsStayInTheBookOfWhoeverCreatesOrChangesThem() throws Exception {
        String bensNew = "{\"name\": \"Given away\", \"tier\": \"North\", \"ownerId\": \"" + people.get("ben") + "\"}";
        json(post("/api/v1/accounts"), bensNew, as("ada", "CSM"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("may not give an account to perm-ben@example.com")));
        // Named nobody, it is the CSM's own.
        json(post("/api/v1/accounts"), "{\"name\": \"Nobody's\", \"tier\": \"North\"}", as("ada", "CSM"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.ownerId", is(people.get("ada").toString())));
        json(
                        post("/api/v1/accounts"),
                        "{\"name\": \"Ada's own\", \"tier\": \"North\", \"ownerId\": \"" + people.get("ada") + "\"}",
                        as("ada", "CSM"))
                .andExpect(status().isCreated());
        // Ada may edit her account but not hand it to Ben; Mia (her manager) may not hand it outside her team either.
        String body = mvc.perform(get("/api/v1/accounts/" + adas))
                .andReturn()
                .getResponse()
                .getContentAsString();
        String version = JsonPath.read(body, "$.version").toString();
        for (String[] who : new String[][] {{"ada", "CSM"}, {"mia", "MANAGER"}}) {
            mvc.perform(put("/api/v1/accounts/" + adas)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"Moved\", \"tier\": \"North\", \"ownerId\": \"" + people.get("ben")
                                    + "\"}")
                            .header("If-Match", "\"" + version + "\"")
                            .with(as(who[0], who[1]))
                            .with(csrf()))
                    .andExpect(status().isForbidden());
        }
        json(
                        put("/api/v1/accounts/{id}/owner", adas),
                        "{\"owner\": \"perm-ben@example.com\", \"reason\": \"Ben knows them\"}",
                        as("mia", "MANAGER"))
                .andExpect(status().isForbidden());
        json(
                        put("/api/v1/accounts/{id}/owner", adas),
                        "{\"owner\": \"perm-ben@example.com\", \"reason\": \"Ben knows them\"}",
                        as("root", "ADMIN"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.owner.email", is("perm-ben@example.com")));
    }

    @Test
    void bulkLoadsNeedSomeoneWhoMayChangeEveryBook() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Kind> endpoint : writeEndpoints().entrySet()) {
            if (endpoint.getValue() != Kind.EVERY_BOOK || !endpoint.getKey().contains("/api/v1/")) {
                continue;
            }
            for (String[] who : new String[][] {{"ada", "CSM"}, {"mia", "MANAGER"}}) {
                MvcResult result = send(endpoint.getKey(), as(who[0], who[1]));
                if (result.getResponse().getStatus() != 403) {
                    wrong.add(endpoint.getKey() + " as " + who[0] + " → "
                            + result.getResponse().getStatus());
                }
            }
            if (send(endpoint.getKey(), as("root", "ADMIN")).getResponse().getStatus() == 403) {
                wrong.add(endpoint.getKey() + " refused an administrator");
            }
        }
        assertThat(wrong).isEmpty();
        json(post("/api/v1/accounts/bulk"), "{\"records\": []}", as("mia", "MANAGER"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("A bulk load may change accounts of every book")));
    }

    @Test
    void ctasAreWorkedWithinTheBook() throws Exception {
        String cta = json(
                        post("/api/v1/ctas"),
                        "{\"account\": \"%s\", \"title\": \"Call about the renewal\"}".formatted(adas),
                        as("ada", "CSM"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = JsonPath.read(cta, "$.cta.id");
        json(post("/api/v1/ctas"), "{\"account\": \"%s\", \"title\": \"Not mine\"}".formatted(adas), as("ben", "CSM"))
                .andExpect(status().isForbidden());
        json(post("/api/v1/ctas/{id}/priority", id), "{\"priority\": \"high\"}", as("sam", "MANAGER"))
                .andExpect(status().isForbidden());
        json(post("/api/v1/ctas/{id}/priority", id), "{\"priority\": \"high\"}", as("mia", "MANAGER"))
                .andExpect(status().isOk());
    }

    @Test
    void anApiKeyActsAsItsUserNeverAboveThem() throws Exception {
        String created = json(
                        post("/api/v1/api-keys"),
                        "{\"name\": \"Ben's script\", \"scope\": \"read_write\"}",
                        as("ben", "CSM"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String key = JsonPath.read(created, "$.secret");
        mvc.perform(post("/api/v1/accounts/{id}/notes", adas)
                        .header("Authorization", "Bearer " + key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"writtenAt\": \"2026-03-18T09:00:00Z\", \"body\": \"From a script\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type", is("https://steward.dev/problems/outside-book")));
        mvc.perform(post("/api/v1/accounts/{id}/notes", bens)
                        .header("Authorization", "Bearer " + key)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"writtenAt\": \"2026-03-18T09:00:00Z\", \"body\": \"From a script\"}"))
                .andExpect(status().isCreated());
    }

    // ---- helpers ----

    /** Every write endpoint as "METHOD /pattern", with the class the table puts it in ({@code null}: none). */
    private Map<String, Kind> writeEndpoints() {
        Map<String, Kind> endpoints = new TreeMap<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            Set<RequestMethod> writes = methods.isEmpty()
                    ? Set.of(RequestMethod.POST)
                    : Set.copyOf(methods.stream()
                            .filter(m -> m != RequestMethod.GET
                                    && m != RequestMethod.HEAD
                                    && m != RequestMethod.OPTIONS
                                    && m != RequestMethod.TRACE)
                            .toList());
            for (RequestMethod method : writes) {
                for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                    String endpoint = method + " " + pattern;
                    endpoints.put(endpoint, kindOf(endpoint));
                }
            }
        }
        return endpoints;
    }

    private static Kind kindOf(String endpoint) {
        for (Map.Entry<Pattern, Kind> rule : TABLE) {
            if (rule.getKey().matcher(endpoint).matches()) {
                return rule.getValue();
            }
        }
        return null;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z]+)(:[^}]*)?\\}");

    /** Sends a request to an endpoint with a JSON body of nothing in particular; its variables filled. */
    private MvcResult send(String endpoint, RequestPostProcessor who) throws Exception {
        return send(endpoint, who, MediaType.APPLICATION_JSON_VALUE, "{}");
    }

    private MvcResult send(String endpoint, RequestPostProcessor who, String type, String body) throws Exception {
        String[] parts = endpoint.split(" ", 2);
        Matcher variables = VARIABLE.matcher(parts[1]);
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            String name = variables.group(1).toLowerCase();
            String value = name.contains("version")
                    ? "1"
                    : name.contains("id") || name.equals("task")
                            ? UUID.randomUUID().toString()
                            : "x";
            variables.appendReplacement(path, value);
        }
        variables.appendTail(path);
        return mvc.perform(request(HttpMethod.valueOf(parts[0]), path.toString())
                        .contentType(type)
                        .header("If-Match", "\"999999\"")
                        .content(body)
                        .with(who)
                        .with(csrf()))
                .andReturn();
    }

    private org.springframework.test.web.servlet.ResultActions json(
            MockHttpServletRequestBuilder request, String body, RequestPostProcessor who) throws Exception {
        return mvc.perform(request.contentType(MediaType.APPLICATION_JSON)
                .content(body)
                .with(who)
                .with(csrf()));
    }

    private RequestPostProcessor as(String who, String role) {
        return user("perm-" + who + "@example.com").roles(role);
    }

    private String account(String name, String tier, String owner) throws Exception {
        return JsonPath.read(
                mvc.perform(post("/api/v1/accounts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"name\": \"%s\", \"tier\": \"%s\", \"ownerId\": \"%s\"}"
                                        .formatted(name, tier, people.get(owner)))
                                .with(csrf()))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }
}
