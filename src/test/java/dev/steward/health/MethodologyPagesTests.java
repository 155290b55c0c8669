package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.steward.core.StewardTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

@StewardTest
@WithMockUser(roles = "ADMIN")
class MethodologyPagesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void theShippedSmbScorecardIsExplainedInPlainWords() throws Exception {
        mvc.perform(get("/scorecards/SMB/versions/1/methodology"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("SMB scorecard methodology"),
                                containsString("account.tier == &quot;SMB&quot;"),
                                containsString("Priority 30"),
                                // License utilization: linear, 25% of Product (40%), so 10% of the score.
                                containsString("Distinct active users over the last 30 days divided by licensed seats"),
                                containsString("25% of Product, 10% of the whole score"),
                                containsString("0 points at 0.15 or less, 100 at 0.6 or more, in proportion between."),
                                // Active-user trend: bands on a change, written as percentages.
                                containsString("below −30%: 0 points; below −10%: 50 points; otherwise 100 points."),
                                // Login frequency: percentile.
                                containsString("Total logins over the last 30 days"),
                                containsString("Ranked against accounts in the same segment"),
                                // Days since the executive-sponsor meeting: linear, lower is better.
                                containsString("Lower is better: 0 points at 90 or more, 100 at 60 or less"),
                                containsString("Support tickets"),
                                containsString("NPS surveys"),
                                containsString("Red: a score from 0 to 40."),
                                containsString("Yellow: above 40, up to 70."),
                                containsString("Green: above 70, up to 100."),
                                containsString("Black (insufficient data): when less than 60%"),
                                containsString("its weight is shared among the measures of its dimension"),
                                containsString("An override stops applying when it expires"),
                                containsString("/scorecards/SMB/versions/1/methodology.pdf"))));
    }

    @Test
    void theScorecardPageLinksToTheMethodology() throws Exception {
        mvc.perform(get("/scorecards/SMB"))
                .andExpect(content()
                        .string(allOf(
                                containsString("href=\"/scorecards/SMB/versions/1/methodology\""),
                                containsString("href=\"/scorecards/SMB/versions/1/methodology.pdf\""))));
    }

    @Test
    void thePdfHasTheSameExplanation() throws Exception {
        byte[] pdf = mvc.perform(get("/scorecards/SMB/versions/1/methodology.pdf"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"))
                .andExpect(header().string(
                                "Content-Disposition",
                                containsString("attachment; filename=\"SMB-v1-methodology.pdf\"")))
                .andReturn()
                .getResponse()
                .getContentAsByteArray();

        assertThat(new String(pdf, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("%PDF");
        StringBuilder text = new StringBuilder();
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
        } finally {
            reader.close();
        }
        assertThat(text.toString())
                .contains("SMB scorecard methodology", "License utilization", "Black (insufficient data)");
    }

    @Test
    void aVersionThatCannotBeReadShowsItsProblemsInstead() throws Exception {
        String broken = "name: Broken Methodology\npriority: [\n";
        mvc.perform(post("/scorecards/{name}/versions", "Broken Methodology")
                        .param("yaml", broken)
                        .with(csrf()))
                .andExpect(status().is3xxRedirection());

        mvc.perform(get("/scorecards/{name}/versions/1/methodology", "Broken Methodology"))
                .andExpect(status().isOk())
                .andExpect(content()
                        .string(allOf(
                                containsString("data-testid=\"methodology-problems\""),
                                not(containsString("How the score is built")),
                                not(containsString("methodology.pdf")))));
        mvc.perform(get("/scorecards/{name}/versions/1/methodology.pdf", "Broken Methodology"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(header().string("Content-Type", containsString("application/problem+json")))
                .andExpect(jsonPath("$.problems").isNotEmpty());
    }
}
