package dev.steward.lifecycle;

import dev.steward.health.StageHistory;
import dev.steward.health.engine.StageStay;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Accounts' stays in lifecycle stages for health's measures ({@link StageHistory}), from the stage facts. */
@Component
class StageHistoryLookup implements StageHistory {

    private final AccountStages stages;

    StageHistoryLookup(AccountStages stages) {
        this.stages = stages;
    }

    @Override
    public Map<UUID, List<StageStay>> stays(Collection<UUID> accounts, Instant until) {
        Map<UUID, List<StageStay>> stays = new HashMap<>();
        if (accounts.isEmpty()) {
            return stays;
        }
        stages.enteredBefore(accounts, until)
                .forEach(stay -> stays.computeIfAbsent(stay.account(), k -> new java.util.ArrayList<>())
                        .add(new StageStay(stay.stage(), stay.enteredAt(), stay.leftAt())));
        return stays;
    }
}
