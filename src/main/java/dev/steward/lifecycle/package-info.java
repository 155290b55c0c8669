/**
 * Segments of the customer base: versioned documents with a CEL condition, or hand-picked lists, and each account's
 * membership kept as facts (entered, left) so that any past day's members are known.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"activity", "core", "customer", "health", "health :: engine", "identity"})
package dev.steward.lifecycle;
