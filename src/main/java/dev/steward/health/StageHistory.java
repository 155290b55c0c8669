package dev.steward.health;

import dev.steward.health.engine.StageStay;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accounts' stays in lifecycle stages as measures read them ({@code lifecycle.days_in_stage}), implemented by the
 * module that keeps the stages (lifecycle), which health may not depend on. Without an implementation, the measure has
 * no data.
 */
public interface StageHistory {

    /**
     * The stays of each of these accounts entered before {@code until}, oldest first; an account without any is left
     * out. A stay that was left after {@code until} is given as it is: a reader as of an earlier day sees it open.
     */
    Map<UUID, List<StageStay>> stays(Collection<UUID> accounts, Instant until);
}
