package dev.steward.customer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves every account's current ARR and renewal date on with the calendar each night: contracts start and end on
 * dates, not on writes. Running it on several instances at once is harmless, since it only rewrites what changed.
 */
@Component
class DailyAccountTotals {

    private static final Logger log = LoggerFactory.getLogger(DailyAccountTotals.class);

    private final ContractManagement contracts;

    DailyAccountTotals(ContractManagement contracts) {
        this.contracts = contracts;
    }

    @Scheduled(cron = "0 5 0 * * *", zone = "UTC")
    void refresh() {
        int changed = contracts.refreshAccountTotals();
        log.info("Recomputed current ARR and renewal date; {} accounts changed", changed);
    }
}
