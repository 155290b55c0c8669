package dev.steward.core;

/**
 * The demo company as benchmarks load it, for a benchmark that lives in the module it measures: the {@code demo}
 * module provides it, and a module may use the shared {@code core} where it may not use {@code demo}.
 */
public interface BenchCompany {

    /**
     * Loads a demo company of {@code accounts} accounts into an empty database, printing its progress, or keeps the
     * accounts the database already holds (so that a large company is loaded once and measured many times), and says
     * which it did.
     */
    void loadUnlessPresent(int accounts, long seed);
}
