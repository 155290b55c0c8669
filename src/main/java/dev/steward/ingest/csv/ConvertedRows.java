package dev.steward.ingest.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and converts a file's rows on a thread of its own, a block ahead of the caller, so that reading the next
 * rows overlaps with writing the last ones (the usage import spends most of its time in the database). The caller
 * takes blocks in file order; a file that cannot be read fails the caller's next {@link #nextBlock}.
 */
final class ConvertedRows implements AutoCloseable {

    /** A row and what was read from it. */
    record ConvertedRow(CsvReader.Row row, RowConverter.Converted converted) {}

    /** Blocks read ahead: enough to keep the database busy, few enough to bound memory. */
    private static final int BLOCKS_AHEAD = 8;

    private static final List<ConvertedRow> END = List.of();

    private final BlockingQueue<Object> blocks = new ArrayBlockingQueue<>(BLOCKS_AHEAD);
    private final Thread reader;
    private boolean ended;

    ConvertedRows(CsvReader file, RowConverter converter, int blockSize) {
        this.reader = new Thread(
                () -> {
                    try {
                        List<ConvertedRow> block = new ArrayList<>(blockSize);
                        for (CsvReader.Row row = file.next(); row != null; row = file.next()) {
                            block.add(new ConvertedRow(row, converter.convert(row)));
                            if (block.size() == blockSize) {
                                blocks.put(block);
                                block = new ArrayList<>(blockSize);
                            }
                        }
                        if (!block.isEmpty()) {
                            blocks.put(block);
                        }
                        blocks.put(END);
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException failed) {
                        blocks.clear();
                        blocks.offer(failed);
                    }
                },
                "csv-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next block of rows, or an empty list at the end of the file. */
    @SuppressWarnings("unchecked")
    List<ConvertedRow> nextBlock() {
        if (ended) {
            return END;
        }
        Object next;
        try {
            next = blocks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the file", e);
        }
        if (next instanceof RuntimeException failed) {
            ended = true;
            throw failed;
        }
        List<ConvertedRow> block = (List<ConvertedRow>) next;
        ended = block.isEmpty();
        return block;
    }

    /** Stops reading ahead, as when the import ends early. */
    @Override
    public void close() {
        reader.interrupt();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
