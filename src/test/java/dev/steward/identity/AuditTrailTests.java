package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Changes made through the API land on the audit trail with who, what and the answer, secrets hidden; reads do not;
 * entries cannot be changed or deleted; an entry changed behind Steward's back (its triggers dropped) breaks the
 * chain at that entry, and the chain is whole again once the entry is put back.
 */
@StewardTest
@WithMockUser(username = "auditor@example.com", roles = "ADMIN")
class AuditTrailTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditTrail trail;

    @Test
    void changesAreRecordedChainedAndCannotBeRewritten() throws Exception {
        mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Audited Anchors\", \"tier\": \"SMB\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/warehouse/sources")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "audit-dwh", "jdbcUrl": "jdbc:oracle:thin:@x", "password": "Sup3rS3cret!"}"""))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(get("/api/v1/accounts?q=Audited")).andExpect(status().isOk());

        mvc.perform(get("/api/v1/audit?actor=auditor@example.com&limit=2"))
                .andExpect(jsonPath("$[0].action", is("POST")))
                .andExpect(jsonPath("$[0].target", is("/api/v1/warehouse/sources")))
                .andExpect(jsonPath("$[0].status", is(422)))
                .andExpect(jsonPath("$[0].detail", containsString("\"password\": \"(hidden)\"")))
                .andExpect(jsonPath("$[0].detail", not(containsString("Sup3rS3cret"))))
                .andExpect(jsonPath("$[1].target", is("/api/v1/accounts")))
                .andExpect(jsonPath("$[1].status", is(201)))
                .andExpect(jsonPath("$[1].actorKind", is("user")))
                .andExpect(jsonPath("$[1].detail", containsString("Audited Anchors")));
        mvc.perform(get("/api/v1/audit?q=accounts%3Fq%3DAudited"))
                .andExpect(content().json("[]"));
        mvc.perform(get("/api/v1/audit/export.csv?actor=auditor@example.com"))
                .andExpect(content().string(containsString("seq,at,actor,actor_kind,address,action,target,status")))
                .andExpect(content().string(containsString("/api/v1/accounts")));
        mvc.perform(get("/api/v1/audit/verification"))
                .andExpect(jsonPath("$.brokenAt").doesNotExist());

        long seq = trail.list(new AuditTrail.Filter("auditor@example.com", "/api/v1/accounts", null, null), null, 1)
                .get(0)
                .seq();
        assertThatThrownBy(() -> jdbc.sql("update audit_entry set detail = 'nothing' where seq = ?")
                        .param(seq)
                        .update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_entry where seq = ?")
                        .param(seq)
                        .update())
                .hasMessageContaining("append-only");

        String original = jdbc.sql("select detail from audit_entry where seq = ?")
                .param(seq)
                .query(String.class)
                .single();
        rewrite(seq, "{\"name\": \"Someone Else\"}");
        try {
            AuditTrail.Verification broken = trail.verify();
            assertThat(broken.brokenAt()).isEqualTo(seq);
            assertThat(broken.reason()).contains("does not match its hash");
        } finally {
            rewrite(seq, original);
        }
        assertThat(trail.verify().intact()).isTrue();
        mvc.perform(get("/settings/audit?actor=auditor@example.com&verify=true"))
                .andExpect(content().string(containsString("Intact: all")))
                .andExpect(content().string(containsString("Audited Anchors")));
    }

    /** A change is on the trail with what it changed: each field's value before and after, and nothing that stayed. */
    @Test
    void changesCarryEachChangedFieldBeforeAndAfter() throws Exception {
        String created = mvc.perform(post("/api/v1/accounts")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Before After Co\", \"tier\": \"SMB\", \"industry\": \"Retail\"}"))
                .andExpect(status().isCreated())
                .andReturn()
                .getResponse()
                .getContentAsString();
        String id = com.jayway.jsonpath.JsonPath.read(created, "$.id");
        String version = com.jayway.jsonpath.JsonPath.read(created, "$.version").toString();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/v1/accounts/" + id)
                        .with(csrf())
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"name\": \"Before After Inc\", \"tier\": \"Enterprise\", \"industry\": \"Retail\"}"))
                .andExpect(status().isOk());
        String detail = trail.list(
                        new AuditTrail.Filter("auditor@example.com", "/api/v1/accounts/" + id, null, null), null, 1)
                .get(0)
                .detail();
        assertThat(detail)
                .startsWith("{\"name\": \"Before After Inc\"")
                .contains("\nchanged: [{\"kind\":\"account\",\"id\":\"" + id + "\",\"change\":\"changed\"")
                .contains("\"name\":{\"before\":\"Before After Co\",\"after\":\"Before After Inc\"}")
                .contains("\"tier\":{\"before\":\"SMB\",\"after\":\"Enterprise\"}")
                .doesNotContain("\"industry\":{")
                .doesNotContain("\"version\":{");
        // A refused change changed nothing, and says so by carrying no changes.
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/v1/accounts/" + id)
                        .with(csrf())
                        .header("If-Match", "\"" + version + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"Stale Edit\"}"))
                .andExpect(status().isPreconditionFailed());
        assertThat(trail.list(
                                new AuditTrail.Filter("auditor@example.com", "/api/v1/accounts/" + id, null, null),
                                null,
                                1)
                        .get(0)
                        .detail())
                .doesNotContain("changed:");
        assertThat(trail.verify().intact()).isTrue();
    }

    private void rewrite(long seq, String detail) {
        jdbc.sql("alter table audit_entry disable trigger audit_entry_no_change")
                .update();
        try {
            jdbc.sql("update audit_entry set detail = ? where seq = ?")
                    .params(detail, seq)
                    .update();
        } finally {
            jdbc.sql("alter table audit_entry enable trigger audit_entry_no_change")
                    .update();
        }
    }
}
