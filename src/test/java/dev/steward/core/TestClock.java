package dev.steward.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The clock of every {@link StewardTest}: a fixed instant, so that "now" and "today" in what the application stores
 * and shows are the same on every run, and a test that reads the machine's time instead of the application's is found
 * out. The job scheduler keeps the machine's time: it decides when work runs, not what it says.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClock {

    /** Now, for the application under test. */
    public static final Instant NOW = Instant.parse("2026-03-18T10:15:30Z");

    @Bean
    @Primary
    Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
