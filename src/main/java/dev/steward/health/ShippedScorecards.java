package dev.steward.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Gives a fresh Steward the shipped default scorecards (one per segment, and a catch-all of the lowest priority that
 * applies to every other account), published, so that every account is scored from the start; once any scorecard
 * exists they are left alone, whatever was done to them. {@code steward.health.shipped-scorecards} says where the
 * documents are.
 */
@Component
// Before the demo company loads (order 10) and before sub-commands run, which both score with these.
@Order(5)
class ShippedScorecards implements ApplicationRunner {

    static final String LOCATION = "classpath:health/scorecards/*.yaml";

    private static final Logger log = LoggerFactory.getLogger(ShippedScorecards.class);

    private final ScorecardManagement scorecards;
    private final HealthProperties properties;

    ShippedScorecards(ScorecardManagement scorecards, HealthProperties properties) {
        this.scorecards = scorecards;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        int imported =
                scorecards.importIfEmpty(documents(properties.shippedScorecards()), ScorecardManagement.SHIPPED_AUTHOR);
        if (imported > 0) {
            log.info("Published the {} shipped default scorecards", imported);
        }
    }

    /** The documents at these resource patterns, each pattern's by file name. */
    static List<String> documents(List<String> locations) throws IOException {
        List<String> documents = new ArrayList<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String location : locations) {
            Resource[] resources = resolver.getResources(location.strip());
            Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
            for (Resource resource : resources) {
                documents.add(resource.getContentAsString(StandardCharsets.UTF_8));
            }
        }
        return documents;
    }
}
