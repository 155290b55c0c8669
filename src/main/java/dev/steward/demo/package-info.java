/** The demo company: a deterministic, realistic B2B SaaS customer base for the default run and for benchmarks. */
package dev.steward.demo;
