package dev.steward.health;

import dev.steward.core.VersionedDocuments;
import dev.steward.health.engine.ScorecardProblem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Where scorecards and every version of them are kept: tables {@code scorecard} and {@code scorecard_version}. */
@Configuration(proxyBeanMethods = false)
class Scorecards {

    @Bean
    VersionedDocuments<ScorecardProblem> scorecardDocuments(JdbcClient jdbc, ObjectMapper json) {
        return new VersionedDocuments<>(
                jdbc, json, new TypeReference<>() {}, "scorecard", "scorecard_version", "scorecard_id");
    }
}
