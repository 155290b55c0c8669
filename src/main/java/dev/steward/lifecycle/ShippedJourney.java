package dev.steward.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives a fresh Steward the shipped customer journey (onboarding, adoption, growth, renewal, at risk, churned),
 * published, so that accounts have stages from the start; once a journey exists it is left alone.
 */
@Component
@Order(6)
class ShippedJourney implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ShippedJourney.class);

    private final LifecycleManagement lifecycle;

    ShippedJourney(LifecycleManagement lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (lifecycle.importIfEmpty()) {
            log.info("Published the shipped customer journey");
        }
    }
}
