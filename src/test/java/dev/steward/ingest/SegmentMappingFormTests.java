package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.ingest.SegmentMappingForm.Kind;
import dev.steward.ingest.SegmentMappingForm.Row;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mapping form of a Segment source: rows become the settings the API takes, and each problem lands on its row. */
class SegmentMappingFormTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METRICS = Set.of("logins", "feature.reports", "feature.exports");

    @Test
    void rowsBecomeTheSettingsTheApiTakesKeepingWhatTheFormDoesNotEdit() {
        JsonNode current = JSON.readTree("{\"accounts\": {\"create\": false, \"update\": [\"tier\"]}}");
        SegmentMappingForm.Checked checked = new SegmentMappingForm(List.of(
                        new Row(Kind.events, "Report Created", "feature.reports", true),
                        new Row(Kind.pages, " Dashboard ", "logins", false),
                        new Row(Kind.traits, "plan", "tier", false),
                        new Row(Kind.events, "", "", false)))
                .check(current, METRICS);
        assertThat(checked.valid()).isTrue();
        assertThat(checked.settings()).isEqualTo(JSON.readTree("""
                        {"events": {"Report Created": "feature.reports"}, "pages": {"Dashboard": "logins"},
                         "traits": {"plan": "tier"}, "keyFeatures": ["feature.reports"],
                         "accounts": {"create": false, "update": ["tier"]}}"""));
    }

    @Test
    void eachProblemIsGivenOnTheRowItIsAbout() {
        SegmentMappingForm.Checked checked = new SegmentMappingForm(List.of(
                        new Row(Kind.events, "Signed In", "logins", false),
                        new Row(Kind.events, "Report Created", "reports_created", false),
                        new Row(Kind.traits, "plan", "logins", false),
                        new Row(Kind.events, "Signed In", "feature.exports", false),
                        new Row(Kind.pages, "", "logins", false),
                        new Row(Kind.events, "Exported", "", false),
                        new Row(Kind.events, "Seen", "active_users", false)))
                .check(null, METRICS);
        assertThat(checked.valid()).isFalse();
        assertThat(checked.of(0)).isEmpty();
        assertThat(checked.of(1)).singleElement().asString().contains("unknown metric 'reports_created'");
        assertThat(checked.of(2)).singleElement().asString().contains("a group trait fills an account field");
        assertThat(checked.of(3)).singleElement().asString().contains("'Signed In' is mapped twice");
        assertThat(checked.of(4)).singleElement().asString().contains("name the page or screen");
        assertThat(checked.of(5)).singleElement().asString().contains("choose the Steward field 'Exported' fills");
        assertThat(checked.of(6)).singleElement().asString().contains("'active_users' is computed from all events");
    }

    @Test
    void theFormShowsTheCurrentSettingsWithTheDefaultTraitsWhenNoneWereSet() {
        SegmentMappingForm form = SegmentMappingForm.of(JSON.readTree("""
                {"events": {"Report Created": "feature.reports"}, "keyFeatures": ["feature.reports"]}"""));
        assertThat(form.rows()).first().isEqualTo(new Row(Kind.events, "Report Created", "feature.reports", true));
        assertThat(form.rows()).contains(new Row(Kind.traits, "plan", "tier", false));
        SegmentMappingForm.Checked again = form.check(null, METRICS);
        assertThat(again.valid()).isTrue();
        assertThat(again.settings().path("traits").path("plan").asString()).isEqualTo("tier");
    }
}
