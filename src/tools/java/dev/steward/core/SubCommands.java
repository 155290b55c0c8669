package dev.steward.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Chooses between serving and running a sub-command. {@code java -jar steward.jar} serves; {@code java -jar
 * steward.jar demo --accounts 2000} runs the demo loader and exits. Benchmarks ({@code bench <name>}) start the web
 * server on a random port because several of them measure it over HTTP.
 */
@Component
// Last among the runners: a sub-command needs what the others set up at start, such as the shipped scorecards.
@Order(Ordered.LOWEST_PRECEDENCE)
public class SubCommands implements ApplicationRunner {

    static final String COMMAND_PROPERTY = "steward.command";

    private final List<SubCommand> commands;
    private final ConfigurableApplicationContext context;

    SubCommands(List<SubCommand> commands, ConfigurableApplicationContext context) {
        this.commands = commands;
        this.context = context;
    }

    /** Prepares the application for the command named by the arguments, if any. */
    public static void configure(SpringApplication application, String[] args) {
        boolean serving = args.length == 0 || args[0].startsWith("-") || args[0].equals("serve");
        // Before the banner and any bean: a database another running Steward holds is said in one line.
        application.addListeners(new DatabaseInUseCheck(serving ? null : String.join(" ", positional(args))));
        if (serving) {
            return;
        }
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(COMMAND_PROPERTY, String.join(" ", positional(args)));
        defaults.put("steward.demo.load-on-start", "false");
        if (args[0].equals("bench")) {
            // A free port, so that a benchmark never collides with a running Steward.
            defaults.put("server.port", "0");
            // A benchmark's last line is its headline figure, which CI reads; info logs at shutdown would follow it.
            defaults.put("logging.level.root", "WARN");
        } else {
            application.setWebApplicationType(WebApplicationType.NONE);
        }
        application.setDefaultProperties(defaults);
    }

    private static List<String> positional(String[] args) {
        return Arrays.stream(args).takeWhile(a -> !a.startsWith("-")).toList();
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        String requested = context.getEnvironment().getProperty(COMMAND_PROPERTY);
        if (requested == null || requested.isBlank()) {
            return;
        }
        int exitCode = execute(requested, args.getSourceArgs());
        int code = SpringApplication.exit(context, () -> exitCode);
        // A benchmark's BENCH lines come last, after whatever the shutdown logged.
        System.err.flush();
        BenchRuns.LAST_LINES.forEach(System.out::println);
        System.out.flush();
        System.exit(code);
    }

    private int execute(String requested, String[] sourceArgs) throws Exception {
        if (requested.equals("bench")) {
            // "bench" alone (or "bench --list") names the benchmarks, one a line, for scripts such as CI.
            commands.stream()
                    .map(SubCommand::name)
                    .filter(n -> n.startsWith("bench "))
                    .sorted()
                    .forEach(n -> System.out.println(n.substring("bench ".length())));
            return 0;
        }
        SubCommand command = commands.stream()
                .filter(c -> requested.equals(c.name()) || requested.startsWith(c.name() + " "))
                .max(Comparator.comparingInt(c -> c.name().length()))
                .orElse(null);
        if (command == null) {
            System.err.println("Unknown command: " + requested);
            printUsage();
            return 2;
        }
        int skip = command.name().split(" ").length;
        List<String> rest = Arrays.asList(sourceArgs).subList(skip, sourceArgs.length);
        return command.run(rest);
    }

    private void printUsage() {
        System.err.println("Usage: java -jar steward.jar [command]");
        System.err.println("  (no command)  serve Steward on http://localhost:8080");
        commands.stream()
                .sorted(Comparator.comparing(SubCommand::name))
                .forEach(c -> System.err.printf("  %-14s%s%n", c.name(), c.usage()));
    }
}
