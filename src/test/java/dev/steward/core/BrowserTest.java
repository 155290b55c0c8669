package dev.steward.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * A test of what a person sees in a real browser: the whole application on a random port over an empty database,
 * at a fixed time (see {@link TestClock}), driven through Debian's Chromium (see {@link Chromium}). Skipped, with the reason, where Chromium is not installed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
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
@Tag("browser")
@EnabledIf(
        value = "dev.steward.core.Chromium#installed",
        disabledReason = "Chromium not installed at /usr/bin/chromium: apt-get install chromium")
public @interface BrowserTest {}
