package dev.steward.core;

import java.util.List;

/**
 * A command the jar runs instead of serving, such as {@code demo} or {@code bench accounts}; modules contribute
 * them as beans.
 */
public interface SubCommand {

    /** The words that select this command, e.g. {@code "demo"} or {@code "bench accounts"}. */
    String name();

    /** One line describing the arguments, shown by {@code help}. */
    String usage();

    /** Runs the command with the arguments after its name and returns the process exit code. */
    int run(List<String> arguments) throws Exception;

    /**
     * For a benchmark that needs an empty database (figures taken on top of other data would not compare with earlier
     * runs): whether this one holds accounts, having said so and how to start on a fresh data directory.
     */
    default boolean refusesNonEmpty(long accounts) {
        if (accounts == 0) {
            return false;
        }
        System.err.printf(
                "%s needs an empty database, but this one holds %,d accounts; start it on a fresh data directory, e.g."
                        + " --steward.database.data-dir=/tmp/%s-$(date +%%s)%n",
                name(), accounts, name().replace(' ', '-'));
        return true;
    }
}
