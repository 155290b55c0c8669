package dev.steward.usage;

import dev.steward.core.InvalidInputException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Takes an import's rows on a thread of its own and gathers them into chunks, a chunk ahead of the caller, so that
 * making rows (reading a file or a warehouse's result, converting, resolving accounts) overlaps with the database's
 * writing of the chunk before. The rows are taken outside the caller's transaction: whatever the source of rows reads
 * from the database it reads as committed, on a connection of its own, never on the one the COPY is using.
 */
final class ChunksAhead implements AutoCloseable {

    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
    private final BlockingQueue<UsageChunk> free = new ArrayBlockingQueue<>(3);
    private final Thread taker;
    private boolean ended;

    ChunksAhead(Iterator<DailyUsage> rows, Set<String> known, int chunkRows) {
        for (int i = 0; i < 3; i++) {
            free.add(new UsageChunk());
        }
        taker = new Thread(
                () -> {
                    try {
                        long index = 0;
                        UsageChunk chunk = free.take();
                        while (rows.hasNext()) {
                            DailyUsage row = rows.next();
                            validate(row, index++, known);
                            chunk.add(row.account().value(), row.metric(), row.day(), row.value());
                            if (chunk.size() == chunkRows) {
                                ready.put(chunk);
                                chunk = free.take();
                            }
                        }
                        if (chunk.size() > 0) {
                            ready.put(chunk);
                        }
                        ready.put(END);
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error failed) {
                        // Said to the caller, who would otherwise wait for the next chunk for ever.
                        ready.clear();
                        ready.offer(failed);
                    }
                },
                "usage-rows");
        taker.setDaemon(true);
        taker.start();
    }

    /** The next chunk, or null after the last; a row refused or a source that failed fails here. */
    UsageChunk next() {
        if (ended) {
            return null;
        }
        Object next;
        try {
            next = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while usage rows were read", e);
        }
        if (next instanceof RuntimeException failed) {
            ended = true;
            throw failed;
        }
        if (next instanceof Error failed) {
            ended = true;
            throw failed;
        }
        if (next == END) {
            ended = true;
            return null;
        }
        return (UsageChunk) next;
    }

    /** Gives a chunk written (and emptied) back for the rows to come. */
    void written(UsageChunk chunk) {
        free.add(chunk);
    }

    /** Stops taking rows, as when the import fails, and waits until the thread has stopped touching them. */
    @Override
    public void close() {
        taker.interrupt();
        try {
            taker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void validate(DailyUsage row, long index, Set<String> known) {
        // Called once per row of imports running to millions: build messages only when refusing.
        if (row.account() == null || row.day() == null || row.metric() == null) {
            throw new InvalidInputException(null, "row " + index + ": account, day and metric are required");
        }
        if (!known.contains(row.metric())) {
            throw new InvalidInputException(
                    "metric", "row " + index + ": unknown metric '" + row.metric() + "'; known metrics are " + known);
        }
        if (!Double.isFinite(row.value()) || row.value() < 0) {
            throw new InvalidInputException(
                    "value", "row " + index + ": must be a finite number ≥ 0, got " + row.value());
        }
    }
}
