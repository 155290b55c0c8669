package dev.steward.survey;

import dev.steward.identity.UserDirectory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Surveys",
        description = "NPS surveys emailed to the contacts of a segment (or of every account) in chosen roles: each"
                + " contact asked once, answered with one click without signing in, the answer a survey response of"
                + " the account; results with response rate and NPS by segment")
class SurveyController {

    private final SurveyManagement surveys;
    private final UserDirectory users;

    SurveyController(SurveyManagement surveys, UserDirectory users) {
        this.surveys = surveys;
        this.users = users;
    }

    @GetMapping("/api/v1/surveys")
    @Operation(summary = "List surveys, newest first")
    List<Survey> list() {
        return surveys.list();
    }

    @PostMapping("/api/v1/surveys")
    @Operation(
            summary = "Make a survey (not sent yet)",
            description =
                    "{\"name\": \"Q2 NPS\", \"segment\": \"SMB\", \"roles\": [\"admin\", \"champion\"]};"
                            + " subject and question are optional (merge fields {{account}}, {{contact}}); no segment: every"
                            + " account; no roles: all of them. 422 naming the field when one is wrong. ADMIN and MANAGER only.")
    ResponseEntity<Survey> create(@RequestBody SurveyInput input, Authentication authentication) {
        Survey survey = surveys.create(input, users.signedInId(authentication).orElse(null));
        return ResponseEntity.created(URI.create("/api/v1/surveys/" + survey.id()))
                .body(survey);
    }

    @GetMapping("/api/v1/surveys/{id}")
    @Operation(summary = "One survey")
    Survey get(@PathVariable UUID id) {
        return surveys.get(id);
    }

    @PostMapping("/api/v1/surveys/{id}/send")
    @Operation(
            summary = "Email the survey to every eligible contact not asked yet",
            description = "Contacts in its roles with an address that did not unsubscribe, of the accounts in its"
                    + " segment now; each once, however often this is called. ADMIN and MANAGER only.")
    SurveySending send(@PathVariable UUID id) {
        return surveys.send(id);
    }

    @GetMapping("/api/v1/surveys/{id}/results")
    @Operation(
            summary = "Sent, delivered, failed, responses, response rate and NPS, overall and by segment",
            description = "nps.score is null (no data) while nobody answered.")
    SurveyResults results(@PathVariable UUID id) {
        return surveys.results(id);
    }

    @GetMapping(value = "/api/v1/surveys/{id}/results", params = "by")
    @Operation(
            summary = "NPS and response rate per month the contacts were asked in, overall and by segment",
            description = "by=month. Each month from the first wave to the last: sent, responses, responseRate and"
                    + " nps (with promoters, passives, detractors); responseRate and nps.score are null (no data)"
                    + " for a month nobody was asked in or nobody answered.")
    NpsOverTime resultsOverTime(@PathVariable UUID id, @RequestParam String by) {
        return surveys.overTime(id, by);
    }
}
