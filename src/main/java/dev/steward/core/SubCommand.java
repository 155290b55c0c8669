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
}
