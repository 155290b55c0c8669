package dev.steward.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.springframework.boot.ExitCodeGenerator;

/**
 * The embedded database's directory is held by another running Steward, said in one line with what to do: stop that
 * one, or (true for a command such as {@code import}, and for a second server) use its PostgreSQL while it runs. Found
 * before anything starts, so a command run beside a server prints that line instead of a page of stack trace.
 */
public final class DatabaseInUse extends IllegalStateException implements ExitCodeGenerator {

    /** The lock file the embedded PostgreSQL keeps in its directory while a process uses it. */
    static final String LOCK_FILE = "epg-lock";

    DatabaseInUse(String message) {
        super(message, null);
    }

    /** A command that could not start exits with 2, as one given wrong arguments does. */
    @Override
    public int getExitCode() {
        return 2;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // Said in one line; where in Steward it was found does not help the reader.
    }

    /**
     * Whether another process holds the embedded database of this configuration, and then what to tell the person
     * starting {@code command} (null: serving).
     */
    static Optional<DatabaseInUse> check(DatabaseProperties properties, String command) {
        if (properties.external()) {
            return Optional.empty();
        }
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        Path directory = dataDir.resolve("postgres");
        Path lock = directory.resolve(LOCK_FILE);
        if (!Files.exists(lock) || !held(lock)) {
            return Optional.empty();
        }
        return Optional.of(describe(dataDir, holder(lock), port(directory), command));
    }

    /** The one line for a directory held by {@code holder}, whose PostgreSQL listens on {@code port}. */
    static DatabaseInUse describe(Path dataDir, OptionalLong holder, OptionalInt port, String command) {
        String who = "another running Steward" + (holder.isPresent() ? " (process " + holder.getAsLong() + ")" : "");
        String start = "The database in " + dataDir + " is in use by " + who + ". ";
        Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
        if (command != null) {
            String stop = "Stop it and run '" + command + "' again";
            if (port.isEmpty()) {
                return new DatabaseInUse(start + stop + ", or, once it has started, point '" + command + "' at its"
                        + " PostgreSQL with --steward.database.url (the port is in " + dataDir.resolve("postgres")
                        + "/postmaster.pid)");
            }
            return new DatabaseInUse(start + stop + ", or run it against that Steward's database by adding"
                    + " --steward.database.url=" + url(port.getAsInt()) + " --steward.database.username="
                    + EmbeddedDatabase.USER + " --steward.database.password=\"$(cat " + passwordFile + ")\"");
        }
        String own = "give this one a directory of its own (STEWARD_DATABASE_DATA_DIR)";
        if (port.isEmpty()) {
            return new DatabaseInUse(start + "Stop it, or " + own);
        }
        return new DatabaseInUse(start + "Stop it, " + own + ", or share that one's database:"
                + " STEWARD_DATABASE_URL=" + url(port.getAsInt()) + " STEWARD_DATABASE_USERNAME="
                + EmbeddedDatabase.USER
                + " STEWARD_DATABASE_PASSWORD=\"$(cat " + passwordFile + ")\"");
    }

    private static String url(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Whether another process (or this one) holds the lock; the lock is only tried, never kept. */
    private static boolean held(Path lock) {
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock acquired = channel.tryLock();
            if (acquired == null) {
                return true;
            }
            acquired.release();
            return false;
        } catch (OverlappingFileLockException heldHere) {
            return true;
        } catch (IOException | RuntimeException cannotTell) {
            return false; // starting will find out, and say so
        }
    }

    /**
     * The process holding the lock, where the system says (Linux lists every file lock, with its holder, in {@code
     * /proc/locks}, by device and inode).
     */
    static OptionalLong holder(Path lock) {
        Path locks = Path.of("/proc/locks");
        if (!Files.isReadable(locks)) {
            return OptionalLong.empty();
        }
        try {
            long inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            return holder(Files.readAllLines(locks), String.format("%02x:%02x:%d", major, minor, inode), inode);
        } catch (IOException | RuntimeException unknown) {
            return OptionalLong.empty();
        }
    }

    /** The holder in lines of {@code /proc/locks}: by device and inode, else by the inode alone if only one has it. */
    static OptionalLong holder(List<String> lines, String file, long inode) {
        OptionalLong byInode = OptionalLong.empty();
        int inodeMatches = 0;
        for (String line : lines) {
            if (line.contains("->")) {
                continue; // a process waiting for the lock, not holding it
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length < 6 || !parts[4].matches("\\d+")) {
                continue;
            }
            if (parts[5].equals(file)) {
                return OptionalLong.of(Long.parseLong(parts[4]));
            }
            if (parts[5].endsWith(":" + inode)) {
                inodeMatches++;
                byInode = OptionalLong.of(Long.parseLong(parts[4]));
            }
        }
        return inodeMatches == 1 ? byInode : OptionalLong.empty();
    }

    /** The port the running server listens on, from its {@code postmaster.pid} (fourth line). */
    private static OptionalInt port(Path directory) {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("postmaster.pid"));
            return lines.size() > 3
                    ? OptionalInt.of(Integer.parseInt(lines.get(3).trim()))
                    : OptionalInt.empty();
        } catch (IOException | RuntimeException unknown) {
            return OptionalInt.empty();
        }
    }
}
