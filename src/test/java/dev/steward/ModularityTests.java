package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    /** The module diagrams and canvases as committed, for readers of the repository. */
    static final Path COMMITTED = Path.of("docs/architecture");

    private static final Path GENERATED = Path.of("target/modulith-docs");

    private final ApplicationModules modules = ApplicationModules.of(StewardApplication.class);

    @Test
    void modulesOnlyUseEachOthersPublicApi() {
        modules.verify();
    }

    /**
     * The committed diagrams (PlantUML) and canvases (AsciiDoc) are what Spring Modulith's {@link Documenter} writes for
     * the code as it is, one of each for every module. When they are stale, the build writes the current ones into
     * {@code docs/architecture} and this test fails: commit them. Documenter lists some relations in no fixed order,
     * so two versions are compared line by line in any order.
     */
    @Test
    void committedModuleDiagramsAreCurrent() throws IOException {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        Map<String, List<String>> current = read(GENERATED);
        for (ApplicationModule module : modules) {
            String name = module.getIdentifier().toString();
            assertThat(current)
                    .as("documents written for module %s", name)
                    .containsKeys("module-" + name + ".puml", "module-" + name + ".adoc");
            assertThat(current.get("components.puml"))
                    .as("the diagram of all modules, with %s", module.getDisplayName())
                    .anyMatch(line -> line.strip().startsWith("Component(")
                            && line.contains("\"" + module.getDisplayName() + "\""));
        }

        Map<String, List<String>> committed = read(COMMITTED);
        List<String> stale = new ArrayList<>();
        new TreeSet<>(List.copyOf(current.keySet())).forEach(file -> {
            if (!current.get(file).equals(committed.get(file))) {
                stale.add(committed.containsKey(file) ? file : file + " (missing)");
            }
        });
        committed.keySet().stream()
                .filter(file -> !current.containsKey(file))
                .forEach(file -> stale.add(file + " (no such module)"));
        if (!stale.isEmpty()) {
            refresh();
            fail(
                    "The module documents in %s were stale: %s. They have been written anew; commit them.",
                    COMMITTED, stale);
        }
    }

    /** Each document's lines, sorted; a list item that opens a table cell ("|* ...") counts as the item itself. */
    private static Map<String, List<String>> read(Path folder) throws IOException {
        Map<String, List<String>> documents = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return documents;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                documents.put(
                        file.getFileName().toString(),
                        Files.readAllLines(file).stream()
                                .map(line -> line.startsWith("|* ") ? line.substring(1) : line)
                                .sorted()
                                .toList());
            }
        }
        return documents;
    }

    private static void refresh() throws IOException {
        Files.createDirectories(COMMITTED);
        try (Stream<Path> old = Files.list(COMMITTED)) {
            old.filter(Files::isRegularFile).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        try (Stream<Path> fresh = Files.list(GENERATED)) {
            for (Path file : fresh.filter(Files::isRegularFile).toList()) {
                Files.copy(file, COMMITTED.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
