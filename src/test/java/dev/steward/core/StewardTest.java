package dev.steward.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * An integration test of the whole application on a real, empty PostgreSQL database (see {@link TestDatabase}),
 * with MockMvc, at a fixed time (see {@link TestClock}). Tagged {@code postgres}: CI runs these a second time against
 * the machine's PostgreSQL 15.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestClock.class)
// The segment scorecards without the shipped catch-all: the tests hold accounts of segments no scorecard applies to,
// as an installation from before the catch-all has (CatchAllScorecardTests tests the catch-all a fresh one gets).
@TestPropertySource(
        properties = {
            "steward.demo.load-on-start=false",
            "steward.admin.password=admin-test-password",
            "steward.health.shipped-scorecards=" + StewardTest.SEGMENT_SCORECARDS,
            // The dashboard page waits for figures computed again after a change (the tests read exact figures
            // right after writing); ExecutiveCacheTests tests the page's budget.
            "steward.insight.page-budget=2m"
        })
@Tag("postgres")
public @interface StewardTest {

    /** The shipped scorecards of the three segments, without the catch-all "All other accounts". */
    String SEGMENT_SCORECARDS =
            "classpath:health/scorecards/enterprise.yaml,classpath:health/scorecards/mid-market.yaml,"
                    + "classpath:health/scorecards/smb.yaml";
}
