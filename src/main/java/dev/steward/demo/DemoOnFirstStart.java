package dev.steward.demo;

import dev.steward.customer.AccountManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Loads the demo company when Steward starts on an empty database, unless {@code steward.demo.load-on-start=false}. */
@Component
@Order(10)
@EnableConfigurationProperties(DemoProperties.class)
class DemoOnFirstStart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoOnFirstStart.class);

    private final DemoProperties properties;
    private final AccountManagement accounts;
    private final DemoLoader loader;

    DemoOnFirstStart(DemoProperties properties, AccountManagement accounts, DemoLoader loader) {
        this.properties = properties;
        this.accounts = accounts;
        this.loader = loader;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.loadOnStart() || accounts.count() > 0) {
            return;
        }
        log.info(
                "Empty database: loading the demo company ({} accounts, seed {})",
                properties.accounts(),
                properties.seed());
        DemoLoader.Loaded loaded = loader.load(properties.accounts(), properties.seed());
        log.info(
                "Demo company loaded in {} ms: {} accounts, {} contacts, {} contracts, {} activity facts, {} usage values."
                        + " Sign in with the details printed above.",
                loaded.millis(),
                loaded.accounts(),
                loaded.contacts(),
                loaded.contracts(),
                loaded.activities(),
                loaded.usageRows());
    }
}
