/**
 * What the book of business is worth and what to do about it today: the CSM cockpit (ranked priorities with the reason
 * for each), and the executive figures in money — ARR at risk, the renewal forecast against what renewed, net and
 * gross revenue retention with their waterfall, cohort retention — each drilling down to its accounts and exported.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "activity",
            "backtest",
            "core",
            "customer",
            "health",
            "health :: engine",
            "identity",
            "ingest :: quality",
            "lifecycle",
            "notify",
            "playbook"
        })
package dev.steward.insight;
