package dev.steward.usage;

import dev.steward.core.InvalidInputException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DataAccessException;

/**
 * Writes an import's chunks of rows to usage_daily in the caller's transaction. A row of a day after the last one its
 * account has stored cannot be stored already: those rows (new days of usage, the usual case) are appended with a
 * plain COPY, twice as fast as a merge; the others go through a staging table and are merged, leaving values that
 * are stored already alone. Should an append meet a stored row after all, it is undone and its rows merged.
 */
final class ImportChunks {

    private final UsageDays days;
    private final Connection connection;
    /** The last day each account of the import has stored (as an epoch day), the rows appended so far included. */
    private final Map<UUID, Long> lastDays = new HashMap<>();

    private long changed;

    ImportChunks(UsageDays days) {
        this.days = days;
        this.connection = days.transactionConnection();
    }

    /** Writes the chunk's rows ({@code accounts} are theirs), and empties it. */
    void write(UsageChunk chunk, Set<UUID> accounts) {
        Set<UUID> unknown = new HashSet<>(accounts);
        unknown.removeAll(lastDays.keySet());
        lastDays(unknown);
        UsageChunk.Split split = chunk.split(lastDays);
        if (split.merged().length > 0) {
            changed += merge(split.merged());
        }
        if (split.appended().length > 0) {
            long appended = days.appendUnlessStored(connection, split.appended(), split.appended().length);
            changed += appended >= 0 ? appended : merge(split.appended());
        }
    }

    /** How many rows the import inserted or changed. */
    long changed() {
        return changed;
    }

    private void lastDays(Collection<UUID> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        Map<UUID, Long> stored = days.lastDays(accounts);
        for (UUID account : accounts) {
            lastDays.put(account, stored.getOrDefault(account, Long.MIN_VALUE));
        }
    }

    private long merge(byte[] rows) {
        try {
            days.stage(rows, rows.length);
            return days.mergeStaged();
        } catch (DataAccessException e) {
            if (e.getMostSpecificCause() instanceof SQLException sql && "21000".equals(sql.getSQLState())) {
                throw new InvalidInputException(
                        "day", "the import has the same account, metric and day more than once; send each once");
            }
            throw e;
        }
    }
}
