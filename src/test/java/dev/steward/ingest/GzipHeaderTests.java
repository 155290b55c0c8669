package dev.steward.ingest;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.steward.core.StewardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** A body that claims to be gzip-compressed but is not is the sender's mistake: 400 saying so, not a 500. */
@StewardTest
class GzipHeaderTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    SourceAdministration administration;

    @Autowired
    WriteKeys writeKeys;

    @Test
    void aPlainBodyWithAGzipHeaderIsABadRequest() throws Exception {
        administration.create(new SourceAdministration.NewSource("gzip-header", Source.Kind.segment, null, null));
        String key = writeKeys.create("gzip-header", "test").writeKey();
        mvc.perform(post("/v1/track")
                        .header(HttpHeaders.AUTHORIZATION, TrackingApiTests.basic(key))
                        .header(HttpHeaders.CONTENT_ENCODING, "gzip")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"userId\": \"u1\", \"event\": \"Plain, not gzip\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("not gzip-compressed")));
    }
}
