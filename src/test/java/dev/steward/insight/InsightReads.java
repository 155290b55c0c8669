package dev.steward.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.ObjectMapper;

/**
 * How the insight tests read a figure the three ways a user meets it — the API's JSON, the CSV export and the page —
 * so that they compare the same numbers exactly.
 */
final class InsightReads {

    private InsightReads() {}

    static <T> T read(MockMvc mvc, ObjectMapper json, String url, Class<T> type) throws Exception {
        String body = mvc.perform(get(url))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        return json.readValue(body, type);
    }

    /** The lines of a CSV export. */
    static List<String> csv(MockMvc mvc, String url) throws Exception {
        String body = mvc.perform(get(url))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        return Arrays.asList(body.split("\r\n"));
    }

    static String page(MockMvc mvc, String url) throws Exception {
        return mvc.perform(get(url))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    /** The text of the element with this data-testid, as a reader sees it. */
    static String shown(String html, String testId) {
        Matcher matcher =
                Pattern.compile("data-testid=\"" + testId + "\"[^>]*>([^<]*)<").matcher(html);
        assertThat(matcher.find()).as("an element %s", testId).isTrue();
        return matcher.group(1).strip();
    }

    /** The table row that carries this attribute. */
    static String row(String html, String attribute) {
        int at = html.indexOf(attribute);
        assertThat(at).as("a row with %s", attribute).isNotNegative();
        return html.substring(at, html.indexOf("</tr>", at));
    }
}
