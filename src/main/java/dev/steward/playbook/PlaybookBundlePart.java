package dev.steward.playbook;

import dev.steward.identity.ConfigurationPart;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Playbooks in a configuration bundle, last: they name segments, stages and scorecards. */
@Configuration(proxyBeanMethods = false)
class PlaybookBundlePart {

    @Bean
    ConfigurationPart playbooksBundlePart(PlaybookManagement playbooks, Playbooks documents) {
        return ConfigurationPart.of(
                "playbooks", 40, () -> documents.documents().publishedTexts(), (name, yaml, author) -> {
                    int version =
                            playbooks.saveDraft(name, yaml, author).version().version();
                    playbooks.publish(name, version, author);
                });
    }
}
