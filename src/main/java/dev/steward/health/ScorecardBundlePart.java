package dev.steward.health;

import dev.steward.core.VersionedDocuments;
import dev.steward.health.engine.ScorecardProblem;
import dev.steward.identity.ConfigurationPart;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Scorecards in a configuration bundle, after the segments they may apply to. */
@Configuration(proxyBeanMethods = false)
class ScorecardBundlePart {

    @Bean
    ConfigurationPart scorecardsBundlePart(
            ScorecardManagement scorecards, VersionedDocuments<ScorecardProblem> scorecardDocuments) {
        return ConfigurationPart.of("scorecards", 30, scorecardDocuments::publishedTexts, (name, yaml, author) -> {
            int version = scorecards.saveDraft(name, yaml, author).version().version();
            scorecards.publish(name, version, author);
        });
    }
}
