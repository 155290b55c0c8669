package dev.steward.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Whether and how big a demo company the default run loads into an empty database. */
@ConfigurationProperties("steward.demo")
record DemoProperties(Boolean loadOnStart, Integer accounts, Long seed) {

    DemoProperties {
        loadOnStart = loadOnStart == null || loadOnStart;
        accounts = accounts == null ? 2000 : accounts;
        seed = seed == null ? 42L : seed;
    }
}
