package dev.steward.outreach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import dev.steward.core.MovableClock;
import dev.steward.core.StewardTest;
import dev.steward.health.SegmentMembershipLookup;
import dev.steward.notify.EmailBounced;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Email journeys over real SMTP (GreenMail on a free port) on a clock that stands still until a test moves it on: a
 * journey sends when an account enters its segment, waits, branches on the account, and stops for a contact who
 * replies (who lands on the timeline and gives the CSM a CTA); one-click unsubscribe and a bounce stop further mail;
 * the frequency cap holds a second journey's email back; the holdout gets nothing and is counted; problems are named
 * at their line and field; a dry run says who would get what, when; a survey step asks the survey and the answered
 * branch follows the contact's answer; a stage trigger enrols the contacts of an account moved into the stage; a journey
 * switched off sends nothing more; a preview shows a real contact's data and a test send goes to the signed-in person;
 * a usage metric or scorecard measure crossing enrols once per crossing; an event trigger enrols when the event is
 * done; the opened branch follows the tracking pixel and tracked links redirect only when signed; a reply quoting an
 * email's Message-ID from another address stops that contact; a mailbox message is handled once across a crash before
 * it was marked read. On a database of its own.
 */
@StewardTest
@TestPropertySource(
        properties = {
            "steward.test.outreach=own-database",
            "steward.notify.sweep-interval=1s",
            "steward.outreach.advance-interval=1s",
            "steward.mail.from=Steward Test <steward@test.example>",
            "steward.mail.base-url=https://steward.example.com/",
            "steward.outreach.sender-limits[limited@test.example]=2"
        })
class EmailJourneyTests {

    static final int SMTP_PORT = freePort();
    static final int IMAP_PORT = freePort();
    static final String MAILBOX = "replies@test.example";
    static final ServerSetup SMTP = new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp");
    static final String BASE = "https://steward.example.com";
    static final MovableClock CLOCK = new MovableClock();

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(
                    new ServerSetup[] {SMTP, new ServerSetup(IMAP_PORT, "127.0.0.1", "imap")})
            .withPerMethodLifecycle(false);

    @TestBean(name = "fixedClock", methodName = "movableClock")
    Clock clock;

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("steward.outreach.imap-host", () -> "127.0.0.1");
        registry.add("steward.outreach.imap-port", () -> IMAP_PORT);
        registry.add("steward.outreach.imap-ssl", () -> "false");
        registry.add("steward.outreach.imap-username", () -> MAILBOX);
        registry.add("steward.outreach.imap-password", () -> "mailbox-secret");
        registry.add("steward.outreach.reply-poll-interval", () -> "1s");
    }

    static Clock movableClock() {
        return CLOCK;
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    SegmentMembershipLookup segments;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JourneyEngine engine;

    @Autowired
    ReplyMailbox mailbox;

    @Autowired
    dev.steward.survey.SurveyManagement surveys;

    @Test
    void aJourneySendsWaitsBranchesAndStopsForAContactWhoReplies() throws Exception {
        String account = account("Journey Co", "SMB");
        contact(account, "Ada Journey", "ada.journey@example.com", "admin");
        contact(account, "Carl Journey", "carl.journey@example.com", "champion");
        contact(account, "Eve Journey", "eve.journey@example.com", "end_user");
        segment("Journey pilot");
        saveAndPublish("Onboarding", """
                name: Onboarding
                audience:
                  segment: Journey pilot
                  roles: [admin, champion]
                trigger:
                  type: segment_entered
                  segment: Journey pilot
                steps:
                  - email:
                      subject: "Welcome, {{contact.first_name}}"
                      text: "Hello {{contact}}, welcome aboard at {{account}}. Your CSM is {{csm}}."
                      html: "<p>Hello {{contact}} of {{account}}</p>"
                  - wait: 3
                  - branch:
                      if: account.tier == "Enterprise"
                      then: enterprise
                  - id: smb
                    email:
                      subject: "Three tips for small teams, {{contact.first_name}}"
                      text: "Here they are."
                  - exit
                  - id: enterprise
                    email:
                      subject: "Your enterprise onboarding"
                      text: "Let us plan it."
                """);

        addMember("Journey pilot", account);

        MimeMessage welcome = await().until(() -> emailsTo("ada.journey@example.com"), l -> l.size() == 1)
                .get(0);
        await().until(() -> emailsTo("carl.journey@example.com").size() == 1);
        assertThat(emailsTo("eve.journey@example.com"))
                .as("an end user, not in the audience")
                .isEmpty();
        assertThat(welcome.getSubject()).isEqualTo("Welcome, Ada");
        String text = part(welcome, "text/plain");
        assertThat(text).contains("Hello Ada Journey, welcome aboard at Journey Co. Your CSM is your customer success");
        assertThat(part(welcome, "text/html")).contains("<p>Hello Ada Journey of Journey Co</p>");
        String header = welcome.getHeader("List-Unsubscribe", null);
        assertThat(header).startsWith("<" + BASE + "/email/").endsWith("/unsubscribe>");
        assertThat(welcome.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(text).contains(header.substring(1, header.length() - 1));

        // Carl answers: his journey stops, the reply is on the timeline, and there is a CTA to answer him.
        send(post("/api/v1/outreach/replies"), """
                        {"from": "Carl Journey <Carl.Journey@example.com>", "subject": "Re: Welcome, Carl",
                         "inReplyTo": "<x@example.com>", "text": "Can we talk about exports?"}""", admin())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.matched", is(true)))
                .andExpect(jsonPath("$.stopped", is(1)))
                .andExpect(jsonPath("$.ctas.length()", is(1)));
        mvc.perform(get("/api/v1/ctas")
                        .param("scope", "all")
                        .param("account", account)
                        .with(admin()))
                .andExpect(content().string(containsString("Answer the reply from carl.journey@example.com")));
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andExpect(content().string(containsString("Reply from carl.journey@example.com: Re: Welcome, Carl")))
                .andExpect(content().string(containsString("Email sent to ada.journey@example.com: Welcome, Ada")));
        // A reply nobody was mailed from changes nothing.
        send(post("/api/v1/outreach/replies"), "{\"from\": \"stranger@example.com\", \"text\": \"hi\"}", admin())
                .andExpect(jsonPath("$.matched", is(false)));
        send(post("/api/v1/outreach/replies"), "{\"subject\": \"no sender\"}", admin())
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("from")));

        // Three days on, Ada (an SMB account) gets the SMB email; Carl, who replied, gets nothing more.
        CLOCK.advance(Duration.ofDays(3).plusMinutes(1));
        MimeMessage tips = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("ada.journey@example.com"), l -> l.size() == 2)
                .get(1);
        assertThat(tips.getSubject()).isEqualTo("Three tips for small teams, Ada");
        assertThat(emailsTo("carl.journey@example.com")).hasSize(1);

        await().untilAsserted(() -> mvc.perform(
                        get("/api/v1/outreach/journeys/Onboarding/contacts").with(admin()))
                .andExpect(jsonPath("$[?(@.email == 'ada.journey@example.com')].state", hasItem("finished")))
                .andExpect(jsonPath("$[?(@.email == 'carl.journey@example.com')].state", hasItem("stopped")))
                .andExpect(jsonPath("$[?(@.email == 'carl.journey@example.com')].reason", hasItem("replied"))));
        await().untilAsserted(() -> mvc.perform(
                        get("/api/v1/outreach/journeys/Onboarding/results").with(admin()))
                .andExpect(jsonPath("$.entered", is(2)))
                .andExpect(jsonPath("$.finished", is(1)))
                .andExpect(jsonPath("$.replied", is(1)))
                .andExpect(jsonPath("$.steps[0].sent", is(2)))
                .andExpect(jsonPath("$.steps[0].delivered", is(2)))
                .andExpect(jsonPath("$.steps[0].replied", is(1)))
                .andExpect(jsonPath(
                        "$.steps[1].label", is("smb: email “Three tips for small teams, {{contact.first_name}}”")))
                .andExpect(jsonPath("$.steps[1].sent", is(1)))
                .andExpect(jsonPath("$.steps[2].sent", is(0))));
        mvc.perform(get("/outreach/journeys/Onboarding/results").with(admin()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Three tips for small teams")));
        mvc.perform(get("/outreach/journeys").with(admin()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Onboarding")));
        mvc.perform(get("/outreach/journeys/new").with(manager()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Onboarding welcome")));
    }

    @Test
    void aReplyReadFromTheMailboxOverImapStopsTheJourney() throws Exception {
        smtp.setUser(MAILBOX, MAILBOX, "mailbox-secret");
        String account = account("Mailbox Co", "SMB");
        contact(account, "Ivy Mailbox", "ivy.mailbox@example.com", "admin");
        segment("Mailbox");
        saveAndPublish("Mailbox check-in", """
                name: Mailbox check-in
                trigger: {type: segment_entered, segment: Mailbox}
                steps:
                  - email: {subject: "How is it going?", text: "Tell us."}
                  - wait: 2
                  - email: {subject: "Still there?", text: "Tell us."}
                """);
        addMember("Mailbox", account);
        await().until(() -> emailsTo("ivy.mailbox@example.com").size() == 1);

        com.icegreen.greenmail.util.GreenMailUtil.sendTextEmail(
                MAILBOX, "ivy.mailbox@example.com", "Re: How is it going?", "Fine, but exports fail.", SMTP);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Mailbox check-in")
                                .with(admin()))
                        .andExpect(jsonPath("$[0].state", is("stopped")))
                        .andExpect(jsonPath("$[0].reason", is("replied"))));
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andExpect(
                        content().string(containsString("Reply from ivy.mailbox@example.com: Re: How is it going?")));
        mvc.perform(get("/api/v1/ctas")
                        .param("scope", "all")
                        .param("account", account)
                        .with(admin()))
                .andExpect(content().string(containsString("Answer the reply from ivy.mailbox@example.com")));

        // A crash after the handling committed but before the message was marked read: it is unread again. The next
        // poll finds it handled, marks it read and handles nothing twice.
        int replies = occurrences(timeline(account), "Reply from ivy.mailbox@example.com");
        assertThat(replies).isEqualTo(1);
        assertThat(imapSeen("Re: How is it going?", false)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> imapSeen("Re: How is it going?", null));
        assertThat(mailbox.poll()).as("nothing left to handle").isZero();
        assertThat(occurrences(timeline(account), "Reply from ivy.mailbox@example.com"))
                .as("the reply on the timeline once")
                .isEqualTo(1);
    }

    @Test
    void aReplyQuotingAnEmailsMessageIdFromAnotherAddressStopsThatContactsJourney() throws Exception {
        String account = account("Forwarded Co", "SMB");
        contact(account, "Rita Match", "rita.match@example.com", "admin");
        segment("Forwarded");
        saveAndPublish("Forwarded check-in", """
                name: Forwarded check-in
                trigger: {type: segment_entered, segment: Forwarded}
                steps:
                  - email: {subject: "Your renewal plan", text: "Shall we talk?"}
                  - wait: 5
                  - email: {subject: "Second try", text: "Shall we talk now?"}
                """);
        addMember("Forwarded", account);
        MimeMessage email = await().until(() -> emailsTo("rita.match@example.com"), l -> l.size() == 1)
                .get(0);
        String messageId = email.getMessageID();
        assertThat(messageId)
                .as("the Message-ID recorded with the send is the one the email went out with")
                .startsWith("<outreach.")
                .endsWith("@steward.example.com>");

        // Her colleague answers from his own address; his mail program quotes our Message-ID.
        send(post("/api/v1/outreach/replies"), """
                        {"from": "Sam Boss <sam.boss@elsewhere.example>", "subject": "Re: Your renewal plan",
                         "inReplyTo": "%s", "references": "<other@elsewhere.example> %s",
                         "text": "Rita is away, I will handle this."}""".formatted(messageId, messageId), admin())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.matched", is(true)))
                .andExpect(jsonPath("$.stopped", is(1)))
                .andExpect(jsonPath("$.ctas.length()", is(1)));
        mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Forwarded check-in")
                        .with(admin()))
                .andExpect(jsonPath("$[0].state", is("stopped")))
                .andExpect(jsonPath("$[0].reason", is("replied")));
        mvc.perform(get("/api/v1/outreach/journeys/{n}/results", "Forwarded check-in")
                        .with(admin()))
                .andExpect(jsonPath("$.steps[0].replied", is(1)));
        assertThat(timeline(account))
                .contains(
                        "Reply from sam.boss@elsewhere.example (about rita.match@example.com): Re: Your renewal plan");
        // Without a Message-ID of ours, the same sender is nobody a journey mailed.
        send(post("/api/v1/outreach/replies"), """
                        {"from": "sam.boss@elsewhere.example", "inReplyTo": "<unknown@elsewhere.example>",
                         "text": "hello"}""", admin()).andExpect(jsonPath("$.matched", is(false)));
        CLOCK.advance(Duration.ofDays(5).plusMinutes(1));
        mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Forwarded check-in")
                        .with(admin()))
                .andExpect(jsonPath("$[0].state", is("stopped")));
        assertThat(emailsTo("rita.match@example.com")).hasSize(1);
    }

    @Test
    void theOpenedBranchFollowsTheTrackingPixelAndATrackedLinkRedirectsOnceSigned() throws Exception {
        String account = account("Opens Co", "SMB");
        contact(account, "Olga Opens", "olga.opens@example.com", "admin");
        contact(account, "Nate Never", "nate.never@example.com", "champion");
        segment("Opens");
        saveAndPublish("Open check", """
                name: Open check
                trigger: {type: segment_entered, segment: Opens}
                steps:
                  - email:
                      subject: "Getting started"
                      text: "Read {{link:https://docs.example.com/start?a=1&b=2}}"
                      html: '<p>Read <a href="{{link:https://docs.example.com/start?a=1&b=2}}">the guide</a></p>'
                  - wait: 3
                  - branch: {if: opened, then: thanks}
                  - email: {subject: "Did you see our guide?", text: "Here it is again."}
                  - exit
                  - id: thanks
                    email: {subject: "Glad you found the guide", text: "Thanks for reading."}
                """);
        addMember("Opens", account);
        MimeMessage olga = await().until(() -> emailsTo("olga.opens@example.com"), l -> l.size() == 1)
                .get(0);
        MimeMessage nate = await().until(() -> emailsTo("nate.never@example.com"), l -> l.size() == 1)
                .get(0);
        String olgaPixel = pixel(part(olga, "text/html"));
        String natePixel = pixel(part(nate, "text/html"));

        // Olga's mail program shows images: the pixel is fetched (twice: one open), without signing in.
        for (int i = 0; i < 2; i++) {
            mvc.perform(get(java.net.URI.create(olgaPixel)))
                    .andExpect(status().isOk())
                    .andExpect(content().contentType("image/gif"));
        }
        // A pixel address with another signature records nothing, and answers the same.
        mvc.perform(get(java.net.URI.create(natePixel.replaceAll("/[^/]+\\.gif$", "/AAAAAAAAAAAAAAAAAAAAAA.gif"))))
                .andExpect(status().isOk());
        // Her tracked link redirects to the page the email linked to; one changed in any way leads nowhere.
        java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote(BASE) + "/email/track/\\S+/click\\?url=\\S+")
                .matcher(part(olga, "text/plain"));
        assertThat(link.find()).isTrue();
        mvc.perform(get(java.net.URI.create(link.group())))
                .andExpect(status().isFound())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                        .string("Location", "https://docs.example.com/start?a=1&b=2"));
        mvc.perform(get(java.net.URI.create(link.group().replace("docs.example.com", "evil.example.com"))))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/outreach/journeys/{n}/results", "Open check").with(admin()))
                .andExpect(jsonPath("$.steps[0].sent", is(2)))
                .andExpect(jsonPath("$.steps[0].opened", is(1)))
                .andExpect(jsonPath("$.steps[0].clicked", is(1)));

        CLOCK.advance(Duration.ofDays(3).plusMinutes(1));
        MimeMessage thanks = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("olga.opens@example.com"), l -> l.size() == 2)
                .get(1);
        assertThat(thanks.getSubject()).isEqualTo("Glad you found the guide");
        MimeMessage nudge = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("nate.never@example.com"), l -> l.size() == 2)
                .get(1);
        assertThat(nudge.getSubject()).isEqualTo("Did you see our guide?");
    }

    @Test
    void aMeasureCrossingEnrolsOncePerCrossingAndAgainOnlyAfterTheAccountRecovered() throws Exception {
        metric("journey.logins", "sum");
        String account = account("Crossing Co", "SMB");
        UUID id = UUID.fromString(account);
        contact(account, "Xena Crossing", "xena.crossing@example.com", "admin");
        usage(account, "journey.logins", 20);
        saveAndPublish("Low logins", """
                name: Low logins
                trigger: {measure: journey.logins, crosses: below, value: 5}
                steps:
                  - email: {subject: "We miss you at {{account}}", text: "Logins fell."}
                """);
        assertThat(engine.enterCrossings(List.of(id)))
                .as("above the line when published: nothing")
                .isZero();

        // Down to 2 logins in 30 days: it crosses below 5, and Xena enters.
        usage(account, "journey.logins", 2);
        MimeMessage email = await().until(() -> emailsTo("xena.crossing@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(email.getSubject()).isEqualTo("We miss you at Crossing Co");

        // Still below: no new crossing, so a contact added meanwhile does not enter.
        contact(account, "Yuri Crossing", "yuri.crossing@example.com", "admin");
        CLOCK.advance(Duration.ofMinutes(1));
        usage(account, "journey.logins", 3);
        assertThat(engine.enterCrossings(List.of(id))).isZero();
        // Back above, then below again: the second crossing fires, and Yuri enters then (Xena was in before).
        usage(account, "journey.logins", 30);
        assertThat(engine.enterCrossings(List.of(id))).isZero();
        CLOCK.advance(Duration.ofMinutes(1));
        Instant again = CLOCK.instant();
        usage(account, "journey.logins", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("yuri.crossing@example.com").size() == 1);
        String contacts = mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Low logins")
                        .with(admin()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> entered = JsonPath.read(contacts, "$[?(@.email == 'yuri.crossing@example.com')].enteredAt");
        assertThat(entered).hasSize(1);
        assertThat(Instant.parse(entered.get(0)))
                .as("entered at the second crossing, not while the account stayed below")
                .isEqualTo(again);
        assertThat(emailsTo("xena.crossing@example.com")).hasSize(1);
    }

    @Test
    void aScorecardMeasureCrossingIsReadFromTheAccountsLatestScore() throws Exception {
        // Scored by the shipped SMB scorecard, whose "Login frequency" is the logins summed over its window.
        String account = account("Quiet Co", "SMB");
        UUID id = UUID.fromString(account);
        contact(account, "Quinn Quiet", "quinn.quiet@example.com", "admin");
        usage(account, "logins", 20);
        send(post("/api/v1/health/rescore"), "", admin()).andExpect(status().isOk());
        saveAndPublish("Gone quiet", """
                name: Gone quiet
                trigger: {measure: Login frequency, crosses: below, value: 5}
                steps:
                  - email: {subject: "Haven't seen you in a while", text: "Need a hand?"}
                """);
        assertThat(engine.enterCrossings(List.of(id))).as("20 logins: not past").isZero();

        usage(account, "logins", 2);
        send(post("/api/v1/health/rescore"), "", admin()).andExpect(status().isOk());
        engine.enterCrossings(List.of(id));
        MimeMessage email = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("quinn.quiet@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(email.getSubject()).isEqualTo("Haven't seen you in a while");
        assertThat(engine.enterCrossings(List.of(id)))
                .as("still past: no second crossing")
                .isZero();
        assertThat(timeline(account)).contains("Login frequency crosses below 5");
    }

    @Test
    void anEventTriggerEnrolsWhenTheAccountDoesTheEventAndBadSettingsAreNamed() throws Exception {
        metric("journey.exports", "sum");
        String account = account("Event Co", "SMB");
        contact(account, "Zoe Event", "zoe.event@example.com", "admin");
        usage(account, "journey.exports", 0);
        saveAndPublish("First export", """
                name: First export
                trigger: {event: journey.exports, within: 7}
                steps:
                  - email: {subject: "Your first export, {{contact.first_name}}", text: "Nice."}
                """);
        usage(account, "journey.exports", 1);
        MimeMessage email = await().until(() -> emailsTo("zoe.event@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(email.getSubject()).isEqualTo("Your first export, Zoe");

        mvc.perform(post("/api/v1/outreach/journeys/{n}/validate", "Bad triggers")
                        .contentType("application/yaml")
                        .content("""
                                name: Bad triggers
                                trigger:
                                  measure: journey.logins
                                  crosses: belw
                                  value: lots
                                steps:
                                  - email: {subject: "x", text: "{{link:docs}}"}
                                  - branch: {if: opend, then: end}
                                """)
                        .with(manager())
                        .with(csrf()))
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'trigger.crosses')].reason",
                        hasItem(containsString("did you mean 'below'?"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'trigger.crosses')].line", hasItem(4)))
                .andExpect(jsonPath("$.problems[?(@.field == 'trigger.value')].line", hasItem(5)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'steps[0].email.text')].reason",
                        hasItem(containsString("a tracked link to an absolute http(s) address"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'steps[1].branch.if')].line", hasItem(8)));
        mvc.perform(post("/api/v1/outreach/journeys/{n}/validate", "Bad event")
                        .contentType("application/yaml")
                        .content("""
                                name: Bad event
                                trigger: {type: product_event, event: journey.exprts, within: 400, did: maybe}
                                steps:
                                  - exit
                                """)
                        .with(manager())
                        .with(csrf()))
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'trigger.event')].reason",
                        hasItem(containsString("did you mean 'journey.exports'?"))))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'trigger.within')].reason", hasItem(containsString("1 to 365"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'trigger.did')]").isNotEmpty());
    }

    @Test
    void anUnsubscribeOrABounceStopsFurtherMail() throws Exception {
        String account = account("Quiet Journey Co", "SMB");
        contact(account, "Dan Quiet", "dan.quietj@example.com", "admin");
        contact(account, "Fay Gone", "fay.gonej@example.com", "admin");
        contact(account, "Gus Stays", "gus.staysj@example.com", "admin");
        segment("Quiet journey");
        saveAndPublish("Two emails", """
                name: Two emails
                audience: {segment: Quiet journey}
                trigger: {type: segment_entered, segment: Quiet journey}
                steps:
                  - email: {subject: "First", text: "One. Leave us: {{unsubscribe}}"}
                  - wait: 4
                  - email: {subject: "Second", text: "Two."}
                """);
        addMember("Quiet journey", account);
        MimeMessage toDan = await().until(() -> emailsTo("dan.quietj@example.com"), l -> l.size() == 1)
                .get(0);
        MimeMessage toFay = await().until(() -> emailsTo("fay.gonej@example.com"), l -> l.size() == 1)
                .get(0);
        await().until(() -> emailsTo("gus.staysj@example.com").size() == 1);
        assertThat(part(toDan, "text/plain"))
                .as("the link where the template put it, and no second one")
                .containsOnlyOnce("/unsubscribe");

        // Dan's mail program posts the one-click unsubscribe: no session, no CSRF token (RFC 8058).
        String header = toDan.getHeader("List-Unsubscribe", null);
        String oneClick = header.substring(1 + BASE.length(), header.length() - 1);
        mvc.perform(post(oneClick)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("List-Unsubscribe=One-Click"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("dan.quietj@example.com is unsubscribed")));
        mvc.perform(get("/email/{token}/unsubscribe", "not-a-token")).andExpect(status().isNotFound());

        // Fay's mail server refuses her address.
        String delivery = toFay.getHeader("Steward-Delivery", null);
        transactions.executeWithoutResult(status -> events.publishEvent(new EmailBounced(
                UUID.fromString(delivery), "fay.gonej@example.com", "550 5.1.1 User unknown", CLOCK.instant())));
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{name}/contacts", "Two emails")
                        .with(admin()))
                .andExpect(jsonPath("$[?(@.email == 'fay.gonej@example.com')].state", hasItem("stopped")))
                .andExpect(jsonPath("$[?(@.email == 'dan.quietj@example.com')].reason", hasItem("unsubscribed"))));

        CLOCK.advance(Duration.ofDays(4).plusMinutes(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("gus.staysj@example.com").size() == 2);
        assertThat(emailsTo("dan.quietj@example.com")).hasSize(1);
        assertThat(emailsTo("fay.gonej@example.com")).hasSize(1);
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{name}/results", "Two emails")
                        .with(admin()))
                .andExpect(jsonPath("$.unsubscribed", is(1)))
                .andExpect(jsonPath("$.steps[0].sent", is(3)))
                .andExpect(jsonPath("$.steps[0].unsubscribed", is(1)))
                .andExpect(jsonPath("$.steps[0].bounced", is(1)))
                .andExpect(jsonPath("$.steps[1].sent", is(1))));
    }

    @Test
    void theFrequencyCapHoldsASecondJourneysEmailBack() throws Exception {
        String account = account("Capped Co", "SMB");
        contact(account, "Hal Capped", "hal.capped@example.com", "admin");
        segment("Capped");
        for (String name : List.of("Cap one", "Cap two")) {
            saveAndPublish(name, """
                    name: %s
                    trigger: {type: segment_entered, segment: Capped}
                    steps:
                      - email: {subject: "From %s", text: "Hello."}
                    """.formatted(name, name));
        }
        Instant entered = CLOCK.instant();
        addMember("Capped", account);
        await().until(() -> emailsTo("hal.capped@example.com").size() == 1);
        await().untilAsserted(() -> {
            String one = mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Cap one")
                            .with(admin()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            String two = mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Cap two")
                            .with(admin()))
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            List<String> reasons = new ArrayList<>();
            reasons.addAll(JsonPath.read(one, "$[*].reason"));
            reasons.addAll(JsonPath.read(two, "$[*].reason"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("frequency cap: next email from "));
            assertThat(reasons).contains("reached the end");
        });
        assertThat(emailsTo("hal.capped@example.com"))
                .as("one email in three days")
                .hasSize(1);

        CLOCK.advanceTo(entered.plus(Duration.ofDays(3)).plusSeconds(60));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("hal.capped@example.com").size() == 2);
    }

    @Test
    void theHoldoutGetsNoMailAndTheDryRunSaysWhoGetsWhatWhen() throws Exception {
        String account = account("Holdout Co", "SMB");
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String address = "held" + i + "@holdout.example.com";
            addresses.add(address);
            contact(account, "Person " + i, address, "end_user");
        }
        segment("Holdout");
        addMember("Holdout", account);
        String yaml = """
                name: Adoption nudge
                audience: {segment: Holdout, roles: [end_user]}
                trigger: {type: segment_entered, segment: Holdout}
                steps:
                  - email: {subject: "Did you try reports, {{contact.first_name}}?", text: "Try them."}
                  - wait: 5
                  - email: {subject: "Reports, again", text: "Please."}
                goal: account.tier == "SMB"
                holdoutPercent: 40
                """;
        List<String> held = new ArrayList<>();
        String contacts = mvc.perform(get("/api/v1/contacts")
                        .param("accountId", account)
                        .param("limit", "50")
                        .with(admin()))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> ids = JsonPath.read(contacts, "$.items[*].id");
        List<String> emails = JsonPath.read(contacts, "$.items[*].email");
        for (int i = 0; i < ids.size(); i++) {
            if (JourneyEngine.heldOut("Adoption nudge", UUID.fromString(ids.get(i)), 40)) {
                held.add(emails.get(i));
            }
        }

        // The dry run, on the accounts in the segment now, as if they had just entered it.
        String dry = mvc.perform(post("/api/v1/outreach/journeys/{n}/dry-run", "Adoption nudge")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(true)))
                .andExpect(jsonPath("$.accounts", is(1)))
                .andExpect(jsonPath("$.entering", is(12)))
                .andExpect(jsonPath("$.heldOut", is(held.size())))
                .andExpect(jsonPath("$.emails", is(2 * (12 - held.size()))))
                .andExpect(jsonPath("$.steps[2].contacts", is(12 - held.size())))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<Map<String, Object>> mailed = JsonPath.read(dry, "$.sample[?(@.heldOut == false)]");
        Map<String, Object> someone = mailed.get(0);
        List<Map<String, Object>> planned = JsonPath.read(someone, "$.planned");
        assertThat(planned).hasSize(2);
        assertThat(planned.get(0).get("subject")).isEqualTo("Did you try reports, Person?");
        assertThat(Instant.parse((String) planned.get(1).get("at")))
                .isEqualTo(Instant.parse((String) planned.get(0).get("at")).plus(Duration.ofDays(5)));
        assertThat(smtp.getReceivedMessages())
                .as("a dry run sends nothing")
                .noneMatch(m -> addresses.stream().anyMatch(a -> recipient(m).equalsIgnoreCase(a)));

        // Published, then entered for real: the holdout gets nothing and is counted.
        saveAndPublish("Adoption nudge", yaml);
        removeAndAddMember("Holdout", account);
        for (String address : addresses) {
            if (!held.contains(address)) {
                await().until(() -> emailsTo(address).size() == 1);
            }
        }
        for (String address : held) {
            assertThat(emailsTo(address)).as(address + " is held out").isEmpty();
        }
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/results", "Adoption nudge")
                        .with(admin()))
                .andExpect(jsonPath("$.entered", is(12)))
                .andExpect(jsonPath("$.heldOut", is(held.size())))
                .andExpect(jsonPath("$.mailed.contacts", is(12 - held.size())))
                .andExpect(jsonPath("$.mailed.rate", is(1.0)))
                .andExpect(jsonPath("$.holdout.contacts", is(held.size()))));
    }

    @Test
    void problemsAreNamedAtTheirLineAndField() throws Exception {
        segment("Checked");
        String yaml = """
                name: Broken
                trigger:
                  type: segment_enterd
                steps:
                  - email:
                      subject: "Hi {{contct}}"
                      text: "Hello"
                  - branch:
                      if: account.tier ==
                      then: nowhere
                  - wait: 0
                holdoutPercent: 90
                """;
        mvc.perform(post("/api/v1/outreach/journeys/{n}/validate", "Broken")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[?(@.field == 'trigger.type')].line", hasItem(3)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'trigger.type')].reason",
                        hasItem(containsString("did you mean 'segment_entered'?"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'steps[0].email.subject')].line", hasItem(6)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'steps[0].email.subject')].reason",
                        hasItem(containsString("{{contct}} is not a merge field; did you mean {{contact}}?"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'steps[1].branch.if')].line", hasItem(9)))
                .andExpect(jsonPath(
                        "$.problems[?(@.field == 'steps[1].branch.then')].reason",
                        hasItem(containsString("no step has the id 'nowhere'"))))
                .andExpect(jsonPath("$.problems[?(@.field == 'steps[2].wait')].line", hasItem(11)))
                .andExpect(jsonPath("$.problems[?(@.field == 'holdoutPercent')].line", hasItem(12)));

        // Saved as a draft with its problems, but not published.
        mvc.perform(post("/api/v1/outreach/journeys/{n}/versions", "Broken")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.valid", is(false)));
        send(post("/api/v1/outreach/journeys/{n}/versions/1/publish", "Broken"), "", manager())
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("trigger.type")));

        // Too long is refused before it is read; viewers may not save.
        mvc.perform(post("/api/v1/outreach/journeys/{n}/versions", "Huge")
                        .contentType("application/yaml")
                        .content("name: Huge\n#" + "x".repeat(70_000))
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("a journey may have at most 64 KB")));
        mvc.perform(post("/api/v1/outreach/journeys/{n}/versions", "Broken")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(user("journey-viewer@example.com").roles("VIEWER"))
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }

    @Test
    void aSurveyStepAsksTheSurveyAndTheAnsweredBranchFollowsTheAnswer() throws Exception {
        String account = account("Survey Journey Co", "SMB");
        contact(account, "Kim Answers", "kim.answers@example.com", "champion");
        contact(account, "Lou Silent", "lou.silent@example.com", "champion");
        segment("Survey journey");
        String survey = JsonPath.read(
                send(post("/api/v1/surveys"), "{\"name\": \"Journey NPS\", \"roles\": [\"champion\"]}", manager())
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
        saveAndPublish("Ask and follow up", """
                name: Ask and follow up
                audience: {segment: Survey journey, roles: [champion]}
                trigger: {type: segment_entered, segment: Survey journey}
                steps:
                  - survey: Journey NPS
                  - wait: 3
                  - branch:
                      if: answered
                      then: thanks
                  - email: {subject: "Did you see our question, {{contact.first_name}}?", text: "One click."}
                  - exit
                  - id: thanks
                    email: {subject: "Thank you for answering, {{contact.first_name}}", text: "It helps."}
                """);
        addMember("Survey journey", account);

        MimeMessage asked = await().until(() -> emailsTo("kim.answers@example.com"), l -> l.size() == 1)
                .get(0);
        await().until(() -> emailsTo("lou.silent@example.com").size() == 1);
        String text = part(asked, "text/plain");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote(BASE) + "(/nps/[A-Za-z0-9_-]{64})/9\\b")
                .matcher(text);
        assertThat(link.find()).as("the survey's score links: " + text).isTrue();
        mvc.perform(get("/api/v1/surveys/{id}/results", survey).with(admin())).andExpect(jsonPath("$.sent", is(2)));

        // Kim answers through the survey's page, signed in to nothing.
        mvc.perform(get(link.group(1) + "/9")).andExpect(status().isOk());

        CLOCK.advance(Duration.ofDays(3).plusMinutes(1));
        MimeMessage thanks = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("kim.answers@example.com"), l -> l.size() == 2)
                .get(1);
        assertThat(thanks.getSubject()).isEqualTo("Thank you for answering, Kim");
        MimeMessage reminder = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("lou.silent@example.com"), l -> l.size() == 2)
                .get(1);
        assertThat(reminder.getSubject()).isEqualTo("Did you see our question, Lou?");
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/results", "Ask and follow up")
                        .with(admin()))
                .andExpect(jsonPath("$.finished", is(2)))
                .andExpect(jsonPath("$.steps[0].sent", is(2)))
                .andExpect(jsonPath("$.steps[0].surveysAnswered", is(1))));
    }

    @Test
    void aStageEnteredTriggerEnrolsTheContactsOfAnAccountMovedIntoTheStage() throws Exception {
        String moved = account("Stage Moved Co", "SMB");
        String stays = account("Stage Stays Co", "SMB");
        contact(moved, "Mia Risk", "mia.risk@example.com", "admin");
        contact(stays, "Ned Calm", "ned.calm@example.com", "admin");
        segment("Stage watch");
        addMember("Stage watch", moved);
        addMember("Stage watch", stays);
        saveAndPublish("Rescue", """
                name: Rescue
                audience: {segment: Stage watch}
                trigger: {type: stage_entered, stage: at_risk}
                steps:
                  - email: {subject: "Can we help at {{account}}, {{contact.first_name}}?", text: "Let us talk."}
                """);
        for (String account : List.of(moved, stays)) {
            await().untilAsserted(() -> mvc.perform(
                            get("/api/v1/accounts/{id}/stage", account).with(admin()))
                    .andExpect(jsonPath("$.current.stage").isString()));
        }

        LocalDate today = LocalDate.now(CLOCK);
        send(post("/api/v1/accounts/{id}/stage", moved), """
                        {"stage": "at_risk", "reason": "Champion left", "holdUntil": "%s"}""".formatted(today.plusDays(30)), manager())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.current.stage", is("at_risk")));

        send(post("/api/v1/accounts/{id}/stage", stays), """
                        {"stage": "growth", "reason": "Expanding", "holdUntil": "%s"}""".formatted(today.plusDays(30)), manager())
                .andExpect(status().isOk());

        MimeMessage help = await().until(() -> emailsTo("mia.risk@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(help.getSubject()).isEqualTo("Can we help at Stage Moved Co, Mia?");
        await().untilAsserted(() -> mvc.perform(
                        get("/api/v1/outreach/journeys/{n}/contacts", "Rescue").with(admin()))
                .andExpect(jsonPath("$.length()", is(1)))
                .andExpect(jsonPath("$[0].email", is("mia.risk@example.com"))));
        assertThat(emailsTo("ned.calm@example.com"))
                .as("its account entered another stage")
                .isEmpty();
    }

    @Test
    void aJourneySwitchedOffSendsNothingMore() throws Exception {
        String first = account("Switch First Co", "SMB");
        String later = account("Switch Later Co", "SMB");
        contact(first, "Oli First", "oli.first@example.com", "admin");
        contact(later, "Pam Later", "pam.later@example.com", "admin");
        segment("Switch");
        saveAndPublish("Short lived", """
                name: Short lived
                audience: {segment: Switch}
                trigger: {type: segment_entered, segment: Switch}
                steps:
                  - email: {subject: "First of two", text: "One."}
                  - wait: 4
                  - email: {subject: "Second of two", text: "Two."}
                """);
        addMember("Switch", first);
        await().until(() -> emailsTo("oli.first@example.com").size() == 1);

        send(post("/api/v1/outreach/journeys/{n}/switch-off", "Short lived"), "", manager())
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/outreach/journeys").with(admin()))
                .andExpect(jsonPath("$[?(@.name == 'Short lived')].on", hasItem(false)));

        // Nobody enters it, and the contact in it stops at their next step.
        addMember("Switch", later);
        CLOCK.advance(Duration.ofDays(4).plusMinutes(1));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Short lived")
                                .with(admin()))
                        .andExpect(jsonPath("$.length()", is(1)))
                        .andExpect(jsonPath("$[0].email", is("oli.first@example.com")))
                        .andExpect(jsonPath("$[0].state", is("stopped")))
                        .andExpect(jsonPath("$[0].reason", is("the journey was switched off"))));
        assertThat(emailsTo("oli.first@example.com")).hasSize(1);
        assertThat(emailsTo("pam.later@example.com")).isEmpty();
    }

    @Test
    void aPreviewShowsARealContactsDataAndATestSendGoesToTheSignedInPerson() throws Exception {
        String account = account("Preview Co", "SMB");
        contact(account, "Quinn Preview", "quinn.preview@example.com", "admin");
        segment("Preview");
        addMember("Preview", account);
        String yaml = """
                name: Previewed
                audience: {segment: Preview}
                trigger: {type: segment_entered, segment: Preview}
                steps:
                  - wait: 1
                  - email:
                      subject: "Hello {{contact.first_name}} of {{account}}"
                      text: "Your address is {{contact.email}}."
                      html: "<p>Hello {{contact}}</p>"
                """;
        mvc.perform(post("/api/v1/outreach/journeys/{n}/preview", "Previewed")
                        .param("step", "1")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.to", is("quinn.preview@example.com")))
                .andExpect(jsonPath("$.subject", is("Hello Quinn of Preview Co")))
                .andExpect(jsonPath("$.text", containsString("Your address is quinn.preview@example.com.")))
                .andExpect(jsonPath("$.html", containsString("<p>Hello Quinn Preview</p>")));
        mvc.perform(post("/api/v1/outreach/journeys/{n}/preview", "Previewed")
                        .param("step", "0")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("step 0 is not an email step")));

        mvc.perform(post("/api/v1/outreach/journeys/{n}/test-send", "Previewed")
                        .param("step", "1")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(user("tess.sender@example.com").roles("MANAGER"))
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.to", is("tess.sender@example.com")));
        MimeMessage test = await().until(() -> emailsTo("tess.sender@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(test.getSubject()).isEqualTo("[Test] Hello Quinn of Preview Co");
        assertThat(part(test, "text/plain")).contains("Your address is quinn.preview@example.com.");
        assertThat(emailsTo("quinn.preview@example.com"))
                .as("the contact gets nothing")
                .isEmpty();
        mvc.perform(post("/api/v1/outreach/journeys/{n}/test-send", "Previewed")
                        .param("step", "1")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(user("vic.viewer@example.com").roles("VIEWER"))
                        .with(csrf()))
                .andExpect(status().isForbidden());
    }

    @Test
    void aStepDueAtTenInTheEveningInTheContactsZoneGoesAtNineTheNextWeekday() throws Exception {
        String account = account("Window Co", "SMB");
        send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Nobody", "email": "nobody.window@example.com",
                         "timeZone": "Mars/Olympus"}""".formatted(account), admin())
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("timeZone")));
        send(post("/api/v1/contacts"), """
                        {"accountId": "%s", "name": "Uwe Window", "email": "uwe.window@example.com", "role": "admin",
                         "timeZone": "Europe/Berlin"}""".formatted(account), admin())
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.timeZone", is("Europe/Berlin")));
        segment("Window");
        addMember("Window", account);
        String yaml = """
                name: Working hours
                audience: {segment: Window}
                trigger: {type: segment_entered, segment: Window}
                sendWindow: {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
                steps:
                  - email: {subject: "In working hours", text: "Hello."}
                """;

        // Friday, 22:00 in Berlin (wherever the shared clock stands): the email waits for Monday 09:00 Berlin.
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        java.time.ZonedDateTime friday = CLOCK.instant()
                .atZone(berlin)
                .toLocalDate()
                .with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.FRIDAY))
                .atTime(22, 0)
                .atZone(berlin);
        CLOCK.advanceTo(friday.toInstant());
        Instant monday =
                friday.toLocalDate().plusDays(3).atTime(9, 0).atZone(berlin).toInstant();

        // The dry run says so, in the contact's zone.
        mvc.perform(post("/api/v1/outreach/journeys/{n}/dry-run", "Working hours")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sample[0].planned[0].at", is(monday.toString())))
                .andExpect(jsonPath(
                        "$.sample[0].planned[0].local", is(friday.toLocalDate().plusDays(3) + "T09:00 Europe/Berlin")))
                .andExpect(jsonPath("$.sample[0].planned[0].waiting", is("send window")));

        saveAndPublish("Working hours", yaml);
        removeAndAddMember("Window", account);
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Working hours")
                        .with(admin()))
                .andExpect(jsonPath("$[0].reason", containsString("waiting: send window")))
                .andExpect(jsonPath("$[0].nextDueAt", is(monday.toString()))));
        assertThat(emailsTo("uwe.window@example.com")).isEmpty();

        CLOCK.advanceTo(monday.plusSeconds(30));
        MimeMessage email = await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("uwe.window@example.com"), l -> l.size() == 1)
                .get(0);
        assertThat(email.getSubject()).isEqualTo("In working hours");
    }

    @Test
    void aSenderPastItsDailyLimitWaitsForTheNextDay() throws Exception {
        String account = account("Limited Co", "SMB");
        for (String name : List.of("Ann", "Ben", "Cid")) {
            contact(account, name + " Limited", name.toLowerCase() + ".limited@example.com", "admin");
        }
        segment("Limited");
        addMember("Limited", account);
        String yaml = """
                name: Limited sender
                from: "Limited Sender <limited@test.example>"
                audience: {segment: Limited}
                trigger: {type: segment_entered, segment: Limited}
                steps:
                  - email: {subject: "From a sender with a limit", text: "Hello {{contact}}."}
                """;
        Instant entered = CLOCK.instant();
        Instant nextDay = LocalDate.ofInstant(entered, java.time.ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant();
        // The dry run plans two today and the third at the start of the sender's next day.
        String dry = mvc.perform(post("/api/v1/outreach/journeys/{n}/dry-run", "Limited sender")
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.emails", is(3)))
                .andReturn()
                .getResponse()
                .getContentAsString();
        List<String> planned = JsonPath.read(dry, "$.sample[*].planned[0].at");
        assertThat(planned).containsExactly(entered.toString(), entered.toString(), nextDay.toString());
        assertThat((String) JsonPath.read(dry, "$.sample[2].planned[0].waiting"))
                .isEqualTo("sender's daily limit");
        assertThat((List<?>) JsonPath.read(dry, "$.sample[*].planned[0].waiting"))
                .as("the first two wait for nothing")
                .hasSize(1);

        saveAndPublish("Limited sender", yaml);
        removeAndAddMember("Limited", account);

        List<String> addresses =
                List.of("ann.limited@example.com", "ben.limited@example.com", "cid.limited@example.com");
        await().until(() -> addresses.stream().mapToInt(a -> emailsTo(a).size()).sum() == 2);
        await().untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Limited sender")
                        .with(admin()))
                .andExpect(jsonPath(
                        "$[*].reason",
                        hasItem(containsString("waiting: sender's daily limit (2 a day from limited@test.example)")))));
        MimeMessage first = addresses.stream()
                .flatMap(a -> emailsTo(a).stream())
                .findFirst()
                .orElseThrow();
        assertThat(first.getHeader("From", null)).isEqualTo("Limited Sender <limited@test.example>");
        // The third waits for the sender's next day (UTC, the configured zone); nobody was dropped.
        mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Limited sender")
                        .with(admin()))
                .andExpect(jsonPath("$[?(@.state == 'active')].nextDueAt", hasItem(nextDay.toString())));
        CLOCK.advanceTo(nextDay.plusSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(addresses)
                        .allSatisfy(a -> assertThat(emailsTo(a)).hasSize(1)));
    }

    @Test
    void aComplaintByWebhookOrAsAnAbuseReportOverImapStopsMail() throws Exception {
        smtp.setUser(MAILBOX, MAILBOX, "mailbox-secret");
        String account = account("Complaining Co", "SMB");
        contact(account, "Kim Complains", "kim.complains@example.com", "admin");
        contact(account, "Lou Reports", "lou.reports@example.com", "admin");
        contact(account, "Max Content", "max.content@example.com", "admin");
        segment("Complaining");
        saveAndPublish("Complaint check", """
                name: Complaint check
                audience: {segment: Complaining}
                trigger: {type: segment_entered, segment: Complaining}
                steps:
                  - email: {subject: "News for you", text: "Hello."}
                  - wait: 4
                  - email: {subject: "More news", text: "Hello again."}
                """);
        addMember("Complaining", account);
        await().until(() -> emailsTo("kim.complains@example.com").size() == 1
                && emailsTo("lou.reports@example.com").size() == 1
                && emailsTo("max.content@example.com").size() == 1);

        // Kim's provider posts a feedback-loop complaint.
        send(post("/api/v1/outreach/complaints"), """
                        {"email": "Kim Complains <Kim.Complains@example.com>", "feedbackType": "abuse",
                         "source": "Example Mail feedback loop", "subject": "News for you"}""", admin())
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.email", is("kim.complains@example.com")))
                .andExpect(jsonPath("$.suppressed", is(true)))
                .andExpect(jsonPath("$.stopped", is(1)))
                .andExpect(jsonPath("$.accounts[0]", is(account)));
        send(post("/api/v1/outreach/complaints"), "{\"feedbackType\": \"abuse\"}", admin())
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(containsString("email")));
        send(post("/api/v1/outreach/complaints"), "{\"email\": \"x@example.com\"}", manager())
                .andExpect(status().isForbidden());

        // Lou's mail program sends an abuse report (RFC 5965) to the reply mailbox.
        smtp.getUserManager().getUser(MAILBOX).deliver(abuseReport("lou.reports@example.com", "News for you"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Complaint check")
                                .with(admin()))
                        .andExpect(jsonPath(
                                "$[?(@.email == 'lou.reports@example.com')].reason",
                                hasItem(containsString("complaint: abuse report from Example Mail (ARF)"))))
                        .andExpect(jsonPath(
                                "$[?(@.email == 'kim.complains@example.com')].reason",
                                hasItem(containsString("complaint")))));
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andExpect(content().string(containsString("Marked our email as spam: kim.complains@example.com")))
                .andExpect(content().string(containsString("Marked our email as spam: lou.reports@example.com")));

        CLOCK.advance(Duration.ofDays(4).plusMinutes(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("max.content@example.com").size() == 2);
        assertThat(emailsTo("kim.complains@example.com")).hasSize(1);
        assertThat(emailsTo("lou.reports@example.com")).hasSize(1);
        // Off customer mail: a survey would skip them too.
        assertThat(surveys.unsubscribed("lou.reports@example.com")).isTrue();
    }

    @Test
    void thePreferencePageSwitchesACategoryOffAndOnlyThatCategoryStops() throws Exception {
        String account = account("Choosy Co", "SMB");
        contact(account, "Nia Choosy", "nia.choosy@example.com", "admin");
        segment("Choosy");
        for (String category : List.of("product news", "renewals")) {
            String name = "Choosy " + category;
            saveAndPublish(name, """
                    name: %s
                    category: %s
                    audience: {segment: Choosy}
                    trigger: {type: segment_entered, segment: Choosy}
                    steps:
                      - wait: 5
                      - email: {subject: "%s", text: "Hello. {{preferences}}"}
                    """.formatted(name, category, category));
        }
        saveAndPublish("Choosy welcome", """
                name: Choosy welcome
                audience: {segment: Choosy}
                trigger: {type: segment_entered, segment: Choosy}
                steps:
                  - email: {subject: "Welcome", text: "Hello."}
                """);
        addMember("Choosy", account);
        MimeMessage welcome = await().until(() -> emailsTo("nia.choosy@example.com"), l -> l.size() == 1)
                .get(0);
        String text = part(welcome, "text/plain");
        assertThat(text).contains("Choose which emails you get: " + BASE + "/email/");
        String link = text.substring(text.indexOf("Choose which emails you get: ") + 29)
                .strip()
                .substring(BASE.length());
        assertThat(link).endsWith("/preferences");

        mvc.perform(get(link))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("nia.choosy@example.com")))
                .andExpect(content().string(containsString("product news")))
                .andExpect(content().string(containsString("renewals")));
        // A forged or changed token is refused, and changes nothing.
        mvc.perform(get("/email/{t}/preferences", "forged-token")).andExpect(status().isNotFound());
        String forged = link.replace("/email/", "/email/x");
        mvc.perform(post(forged)
                        .param("category", "renewals")
                        .param("surveys", "on")
                        .with(csrf()))
                .andExpect(status().isNotFound());
        // Without the page's CSRF token the form is refused.
        mvc.perform(post(link).param("category", "renewals")).andExpect(status().isForbidden());

        // Nia keeps renewals and surveys, and switches product news off.
        mvc.perform(post(link)
                        .param("category", "renewals")
                        .param("surveys", "on")
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Saved")));
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andExpect(content().string(containsString("Mail preferences changed: nia.choosy@example.com")))
                .andExpect(content().string(containsString("product news off")));

        // Five days on (past the frequency cap), the renewals email goes and the product news one does not.
        CLOCK.advance(Duration.ofDays(5).plusMinutes(1));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> mvc.perform(get("/api/v1/outreach/journeys/{n}/contacts", "Choosy product news")
                                .with(admin()))
                        .andExpect(jsonPath("$[0].state", is("stopped")))
                        .andExpect(jsonPath("$[0].reason", is("chose no product news mail on the preference page"))));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("nia.choosy@example.com").size() == 2);
        assertThat(emailsTo("nia.choosy@example.com").get(1).getSubject()).isEqualTo("renewals");

        // Unsubscribing altogether links to the page, where Nia may come back; her choices and surveys stay as set.
        String unsubscribe = link.replace("/preferences", "/unsubscribe");
        mvc.perform(get(unsubscribe))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(link)));
        assertThat(surveys.unsubscribed("nia.choosy@example.com")).isTrue();
        mvc.perform(get(link)).andExpect(content().string(containsString("You get no emails or surveys")));
        mvc.perform(post(link).param("category", "renewals").param("all", "on").with(csrf()))
                .andExpect(status().isOk());
        assertThat(surveys.unsubscribed("nia.choosy@example.com")).isFalse();
        assertThat(surveys.surveysOff("nia.choosy@example.com")).isTrue();
        mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andExpect(content().string(containsString("surveys off, all customer mail on")));
    }

    /** An abuse report in the Abuse Reporting Format (RFC 5965), as a mailbox provider's feedback loop sends it. */
    private static MimeMessage abuseReport(String recipient, String subject) throws MessagingException {
        String raw = String.join(
                "\r\n",
                "From: Example Mail Abuse <abuse@mail.example>",
                "To: " + MAILBOX,
                "Subject: Abuse report",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"",
                "",
                "--arf",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "This is an email abuse report for an email message received from you.",
                "--arf",
                "Content-Type: message/feedback-report",
                "",
                "Feedback-Type: abuse",
                "User-Agent: Example Mail",
                "Version: 1",
                "Original-Mail-From: <steward@test.example>",
                "Original-Rcpt-To: <" + recipient + ">",
                "",
                "--arf",
                "Content-Type: text/rfc822-headers",
                "",
                "From: Steward Test <steward@test.example>",
                "To: " + recipient,
                "Subject: " + subject,
                "",
                "--arf--",
                "");
        return new MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()),
                new java.io.ByteArrayInputStream(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    // ---- helpers ----

    private void metric(String key, String aggregation) throws Exception {
        send(
                        post("/api/v1/usage/metrics"),
                        "{\"key\": \"%s\", \"name\": \"%s\", \"unit\": \"events\", \"aggregation\": \"%s\"}"
                                .formatted(key, key, aggregation),
                        admin())
                .andExpect(status().isCreated());
    }

    /** Today's value of a metric for the account (replacing one recorded today before). */
    private void usage(String account, String metric, double value) throws Exception {
        send(
                        post("/api/v1/accounts/{id}/usage", account),
                        "[{\"day\": \"%s\", \"metric\": \"%s\", \"value\": %s}]"
                                .formatted(LocalDate.now(CLOCK), metric, value),
                        admin())
                .andExpect(status().is2xxSuccessful());
    }

    private String timeline(String account) throws Exception {
        return mvc.perform(get("/api/v1/accounts/{id}/timeline", account).with(admin()))
                .andReturn()
                .getResponse()
                .getContentAsString();
    }

    private static int occurrences(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            count++;
        }
        return count;
    }

    /** The tracking pixel's address in an email's HTML part. */
    private static String pixel(String html) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
                        "<img src=\"(" + java.util.regex.Pattern.quote(BASE) + "/email/track/[^\"]+\\.gif)\"")
                .matcher(html);
        assertThat(matcher.find()).as("a tracking pixel in " + html).isTrue();
        return matcher.group(1);
    }

    /**
     * Whether the mailbox's message with this subject is read, over IMAP; with {@code set}, first sets it so (as a
     * crash before the flag was stored would leave it).
     */
    private static boolean imapSeen(String subject, Boolean set) throws MessagingException {
        java.util.Properties settings = new java.util.Properties();
        try (jakarta.mail.Store store =
                jakarta.mail.Session.getInstance(settings).getStore("imap")) {
            store.connect("127.0.0.1", IMAP_PORT, MAILBOX, "mailbox-secret");
            jakarta.mail.Folder inbox = store.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_WRITE);
            try {
                boolean seen = true;
                for (jakarta.mail.Message message : inbox.getMessages()) {
                    if (subject.equals(message.getSubject())) {
                        if (set != null) {
                            message.setFlag(jakarta.mail.Flags.Flag.SEEN, set);
                        }
                        seen &= message.isSet(jakarta.mail.Flags.Flag.SEEN);
                    }
                }
                return set != null ? !seen == !set : seen;
            } finally {
                inbox.close(false);
            }
        }
    }

    private static RequestPostProcessor admin() {
        return user("journey-admin@example.com").roles("ADMIN");
    }

    private static RequestPostProcessor manager() {
        return user("journey-manager@example.com").roles("MANAGER");
    }

    /** An audience may narrow its accounts with a CEL condition over them; a condition that is no CEL is named. */
    @Test
    void anAudienceConditionTakesOnlyTheAccountsItHoldsFor() throws Exception {
        String enterprise = account("Audience Big Co", "Enterprise");
        String small = account("Audience Small Co", "SMB");
        contact(enterprise, "Ina Big", "ina.big@audience.example.com", "admin");
        contact(small, "Ola Small", "ola.small@audience.example.com", "admin");
        segment("Audience condition");
        String yaml = """
                name: Enterprise welcome
                audience: {segment: Audience condition, roles: [admin], condition: 'account.tier == "Enterprise"'}
                trigger: {type: segment_entered, segment: Audience condition}
                steps:
                  - email: {subject: "Welcome to the enterprise programme", text: "Hello {{contact}}."}
                """;
        mvc.perform(post("/api/v1/outreach/journeys/{n}/validate", "Enterprise welcome")
                        .contentType("application/yaml")
                        .content(yaml.replace("account.tier ==", "account.tierr =="))
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid", is(false)))
                .andExpect(jsonPath("$.problems[0].field", is("audience.condition")))
                .andExpect(jsonPath("$.problems[0].line", is(2)));
        saveAndPublish("Enterprise welcome", yaml);
        addMember("Audience condition", small);
        addMember("Audience condition", enterprise);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> emailsTo("ina.big@audience.example.com").size() == 1);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> emailsTo("ola.small@audience.example.com").isEmpty());
    }

    private void saveAndPublish(String name, String yaml) throws Exception {
        String saved = mvc.perform(post("/api/v1/outreach/journeys/{n}/versions", name)
                        .contentType("application/yaml")
                        .content(yaml)
                        .with(manager())
                        .with(csrf()))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat((Object) JsonPath.read(saved, "$.problems")).asString().isEqualTo("[]");
        int version = JsonPath.read(saved, "$.version");
        send(post("/api/v1/outreach/journeys/{n}/versions/{v}/publish", name, version), "", manager())
                .andExpect(status().isOk());
    }

    private String account(String name, String tier) throws Exception {
        return JsonPath.read(
                send(post("/api/v1/accounts"), "{\"name\": \"%s\", \"tier\": \"%s\"}".formatted(name, tier), admin())
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "$.id");
    }

    private void contact(String account, String name, String email, String role) throws Exception {
        send(
                        post("/api/v1/contacts"),
                        "{\"accountId\": \"%s\", \"name\": \"%s\", \"role\": \"%s\", \"email\": \"%s\"}"
                                .formatted(account, name, role, email),
                        admin())
                .andExpect(status().isCreated());
    }

    private void segment(String name) throws Exception {
        mvc.perform(post("/api/v1/segments/{name}/versions", name)
                        .contentType("application/yaml")
                        .content("name: " + name + "\ntype: static\n")
                        .with(admin())
                        .with(csrf()))
                .andExpect(status().isCreated());
        send(post("/api/v1/segments/{name}/versions/1/publish", name), "", admin())
                .andExpect(status().isOk());
    }

    private void addMember(String segment, String account) throws Exception {
        send(post("/api/v1/segments/{name}/members", segment), "{\"accountIds\": [\"%s\"]}".formatted(account), admin())
                .andExpect(status().isOk());
        await().until(() -> segments.currentMembers(List.of(segment)).containsKey(UUID.fromString(account)));
    }

    private void removeAndAddMember(String segment, String account) throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                                "/api/v1/segments/{name}/members/{account}", segment, account)
                        .with(admin())
                        .with(csrf()))
                .andExpect(status().is2xxSuccessful());
        await().until(() -> !segments.currentMembers(List.of(segment)).containsKey(UUID.fromString(account)));
        addMember(segment, account);
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String json, RequestPostProcessor who)
            throws Exception {
        return mvc.perform(request.contentType(MediaType.APPLICATION_JSON)
                .content(json)
                .with(who)
                .with(csrf()));
    }

    static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return ((String) part.getContent()).replace("\r\n", "\n");
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<MimeMessage> emailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> recipient(message).equalsIgnoreCase(address))
                .toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
