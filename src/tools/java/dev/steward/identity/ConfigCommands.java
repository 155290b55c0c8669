package dev.steward.identity;

import dev.steward.core.InvalidInputException;
import dev.steward.core.SubCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code config export}, {@code config preview} and {@code config apply}: the configuration bundle from the command
 * line, as the Settings page and the API give it.
 */
@Configuration(proxyBeanMethods = false)
class ConfigCommands {

    @Bean
    SubCommand configExport(ConfigurationBundles bundles) {
        return command(
                "config export",
                "[file] --steward.database.data-dir=<dir>  write the configuration bundle to the file (or print it)",
                arguments -> {
                    String bundle = bundles.export();
                    if (arguments.isEmpty()) {
                        System.out.print(bundle);
                    } else {
                        Files.writeString(Path.of(arguments.get(0)), bundle, StandardCharsets.UTF_8);
                        System.out.println("Wrote the configuration bundle to " + arguments.get(0));
                    }
                    return 0;
                });
    }

    @Bean
    SubCommand configPreview(ConfigurationBundles bundles, UserDirectory users) {
        return command(
                "config preview",
                "<file> --as <admin email> --steward.database.data-dir=<dir>  say what applying the bundle would do;"
                        + " exit code 1 when it would be refused",
                arguments -> run(bundles, users, arguments, false));
    }

    @Bean
    SubCommand configApply(ConfigurationBundles bundles, UserDirectory users) {
        return command(
                "config apply",
                "<file> --as <admin email> --steward.database.data-dir=<dir>  apply the bundle all or nothing, as that"
                        + " administrator; exit code 1 when it is refused (nothing changed then)",
                arguments -> run(bundles, users, arguments, true));
    }

    private static int run(ConfigurationBundles bundles, UserDirectory users, List<String> arguments, boolean apply)
            throws Exception {
        int as = arguments.indexOf("--as");
        if (arguments.isEmpty() || as < 0 || as + 1 >= arguments.size() || as == 0) {
            System.err.println("Give the bundle's file and --as <email of an ADMIN>, who will be the author");
            return 2;
        }
        User author = users.findByEmail(arguments.get(as + 1)).orElse(null);
        if (author == null || author.role() != Role.ADMIN || !author.enabled()) {
            System.err.println(arguments.get(as + 1) + " is not an enabled ADMIN of this Steward");
            return 2;
        }
        String text = Files.readString(Path.of(arguments.get(0)), StandardCharsets.UTF_8);
        ConfigurationBundles.Outcome outcome;
        try {
            outcome = apply ? bundles.apply(text, author) : bundles.preview(text, author);
        } catch (InvalidInputException e) {
            System.out.println("Refused; nothing was changed:");
            e.errors().forEach(error -> System.out.println("  " + error));
            return 1;
        }
        for (ConfigurationBundles.Document document : outcome.documents()) {
            System.out.printf("%-10s %-12s %s%n", document.change(), document.kind(), document.name());
            document.problems().forEach(problem -> System.out.println("           problem: " + problem));
        }
        System.out.println(
                outcome.applied()
                        ? "Applied."
                        : outcome.valid() ? "Preview only: nothing changed." : "It would be refused: nothing changed.");
        return outcome.valid() ? 0 : 1;
    }

    private interface Body {
        int run(List<String> arguments) throws Exception;
    }

    private static SubCommand command(String name, String usage, Body body) {
        return new SubCommand() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String usage() {
                return usage;
            }

            @Override
            public int run(List<String> arguments) throws Exception {
                return body.run(arguments);
            }
        };
    }
}
