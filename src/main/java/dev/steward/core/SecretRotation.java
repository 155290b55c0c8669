package dev.steward.core;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps every stored secret sealed under the current key: at start and then every hour (db-scheduler, once across
 * instances), each value of each {@link SealedColumn} that is plain (stored before sealing began) or sealed under a
 * previous key ({@code steward.secrets.previous-keys}) is sealed again under {@code steward.secrets.key}. A row
 * changed meanwhile is left for the next round. Once a round reports nothing left under an old key, the old key can
 * be dropped from the configuration.
 */
@Configuration(proxyBeanMethods = false)
public class SecretRotation {

    private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);

    static final String TASK = "core-secret-rotation";

    private final List<SealedColumn> columns;
    private final SecretBox box;
    private final JdbcClient jdbc;

    SecretRotation(List<SealedColumn> columns, SecretBox box, JdbcClient jdbc) {
        this.columns = columns;
        this.box = box;
        this.jdbc = jdbc;
    }

    @Bean
    RecurringTask<Void> secretRotationTask() {
        return Tasks.recurring(TASK, Schedules.fixedDelay(Duration.ofHours(1)))
                .execute((instance, context) -> sealAgain());
    }

    /** Seals again what is not sealed under the current key; returns how many values it sealed. */
    public int sealAgain() {
        int sealed = 0;
        for (SealedColumn c : columns) {
            List<String[]> rows = jdbc.sql("select " + c.key() + "::text as k, " + c.column() + " as v from "
                            + c.table() + " where " + c.column() + " is not null")
                    .query((rs, n) -> new String[] {rs.getString("k"), rs.getString("v")})
                    .list();
            for (String[] row : rows) {
                String stored = row[1];
                if (box.isCurrent(stored)) {
                    continue;
                }
                String plain = SecretBox.isSealed(stored) ? box.open(stored) : stored;
                sealed += jdbc.sql("update " + c.table() + " set " + c.column() + " = ? where " + c.key()
                                + "::text = ? and " + c.column() + " = ?")
                        .params(box.seal(plain), row[0], stored)
                        .update();
            }
        }
        if (sealed > 0) {
            log.info("Sealed {} stored secrets under the current steward.secrets.key", sealed);
        }
        return sealed;
    }
}
