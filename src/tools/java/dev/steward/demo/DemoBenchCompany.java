package dev.steward.demo;

import dev.steward.core.BenchCompany;
import org.springframework.stereotype.Component;

/** The demo company for benchmarks in other modules, which reach it through {@link BenchCompany}. */
@Component
class DemoBenchCompany implements BenchCompany {

    private final DemoLoader loader;

    DemoBenchCompany(DemoLoader loader) {
        this.loader = loader;
    }

    @Override
    public void loadUnlessPresent(int accounts, long seed) {
        loader.loadUnlessPresent(accounts, seed);
    }
}
