package dev.steward.usage;

import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The metric catalog, cached because every usage row is checked against it. Another instance may have added a
 * metric since the cache was filled, so an unknown key reloads the catalog once before it is refused.
 */
@Repository
class UsageMetrics {

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile Map<String, UsageMetric> cache;

    UsageMetrics(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Map<String, UsageMetric> all() {
        Map<String, UsageMetric> metrics = cache;
        return metrics == null ? reloaded() : metrics;
    }

    boolean known(String key) {
        return all().containsKey(key) || reloaded().containsKey(key);
    }

    FieldError unknown(String key) {
        return FieldError.of("metric", "unknown metric '" + key + "'; known metrics are " + all().keySet());
    }

    UsageMetric add(UsageMetric metric) {
        String reserved = UsageMetric.reservedReason(metric.key());
        if (reserved != null) {
            throw new InvalidInputException("key", "'" + metric.key() + "': " + reserved);
        }
        int added = jdbc.sql("""
                        insert into usage_metric (key, name, description, unit, aggregation, created_at)
                        values (?, ?, ?, ?, ?, ?) on conflict (key) do nothing""")
                .params(
                        metric.key(),
                        metric.name(),
                        metric.description(),
                        metric.unit(),
                        metric.aggregation().name(),
                        Timestamp.from(clock.instant()))
                .update();
        reloaded();
        forgetOnRollback();
        if (added == 0) {
            throw ConflictException.of("metric '" + metric.key() + "' already exists");
        }
        return metric;
    }

    /** Changes a metric's name, description and unit; its key and aggregation stay. */
    UsageMetric describe(UsageMetric metric) {
        int changed = jdbc.sql("update usage_metric set name = ?, description = ?, unit = ? where key = ?")
                .params(metric.name(), metric.description(), metric.unit(), metric.key())
                .update();
        if (changed == 0) {
            throw new NotFoundException("metric '" + metric.key() + "' does not exist");
        }
        reloaded();
        forgetOnRollback();
        return metric;
    }

    /**
     * A change made in a transaction that is rolled back (a bundle's preview) must not stay in the cache: the catalog
     * is read again once the transaction ends, whichever way.
     */
    private void forgetOnRollback() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    cache = null;
                }
            });
        }
    }

    /** The catalog as stored now, which also refreshes the cache. */
    synchronized Map<String, UsageMetric> reloaded() {
        Map<String, UsageMetric> metrics = new LinkedHashMap<>();
        jdbc.sql("select key, name, description, unit, aggregation from usage_metric order by key")
                .query((rs, n) -> metrics.put(
                        rs.getString(1),
                        new UsageMetric(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                UsageMetric.Aggregation.valueOf(rs.getString(5)))))
                .list();
        cache = java.util.Collections.unmodifiableMap(metrics);
        return cache;
    }
}
