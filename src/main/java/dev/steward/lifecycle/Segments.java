package dev.steward.lifecycle;

import dev.steward.core.VersionedDocuments;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Where segments and every version of them are kept: {@code account_segment} and {@code account_segment_version}. */
@Configuration(proxyBeanMethods = false)
class Segments {

    @Bean
    VersionedDocuments<SegmentProblem> segmentDocuments(JdbcClient jdbc, ObjectMapper json) {
        return new VersionedDocuments<>(
                jdbc, json, new TypeReference<>() {}, "account_segment", "account_segment_version", "segment_id");
    }
}
