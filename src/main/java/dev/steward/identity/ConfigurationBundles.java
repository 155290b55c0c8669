package dev.steward.identity;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.steward.core.ConflictException;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.core.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The whole configuration as one YAML bundle: every document in force of every {@link ConfigurationPart} (scorecards,
 * segments, the journey, assignment rules, playbooks), exported exactly as saved, and a bundle applied all or nothing.
 * Applying reads the bundle, then publishes each document that differs from what is in force, kind by kind in order,
 * in one transaction: any problem in any document rolls the whole back and is answered with the document and the
 * reason. A preview does the same and always rolls back, so it shows exactly what applying would do and refuse.
 * Documents here that the bundle does not name are left as they are.
 */
@Service
public class ConfigurationBundles {

    /** The bundle format's version, the first key of every bundle. */
    static final int FORMAT = 1;

    static final String FORMAT_KEY = "steward-bundle";

    /** Bundles larger than this are refused before they are read. */
    static final int MAXIMUM_BYTES = 2 * 1024 * 1024;

    /** What applying a bundle does, or would do, to one document. */
    public enum Change {
        added,
        changed,
        unchanged,
        /** In force here, not in the bundle: left as it is. */
        kept
    }

    /** One document of the bundle against what is in force: its change, the unified diff, and its problems. */
    public record Document(String kind, String name, Change change, String diff, List<String> problems) {}

    /** The outcome of a preview or an application. */
    public record Outcome(boolean applied, List<Document> documents) {

        public long count(Change change) {
            return documents.stream().filter(d -> d.change() == change).count();
        }

        public boolean valid() {
            return documents.stream().allMatch(d -> d.problems().isEmpty());
        }
    }

    private final List<ConfigurationPart> parts;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ConfigurationBundles(List<ConfigurationPart> parts, PlatformTransactionManager transactions, Clock clock) {
        this.parts = parts.stream()
                .sorted(Comparator.comparingInt(ConfigurationPart::order))
                .toList();
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The bundle of everything in force, as YAML: kinds in order, documents by name. */
    public String export() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(FORMAT_KEY, FORMAT);
        for (ConfigurationPart part : parts) {
            bundle.put(part.kind(), new TreeMap<>(part.published()));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        return "# Steward configuration bundle, exported " + clock.instant()
                + ". Apply it on another Steward: Settings → Configuration.\n"
                + new Yaml(new BlockTexts(options), options).dump(bundle);
    }

    /** What applying the bundle would do, without changing anything. */
    public Outcome preview(String bundle, User author) {
        return run(bundle, author, false);
    }

    /**
     * Applies the bundle all or nothing. Refused with every problem (field {@code <kind>.<name>}) when any document
     * cannot be published; nothing is changed then.
     */
    public Outcome apply(String bundle, User author) {
        Outcome outcome = run(bundle, author, true);
        if (!outcome.valid()) {
            List<FieldError> errors = new ArrayList<>();
            for (Document document : outcome.documents()) {
                for (String problem : document.problems()) {
                    errors.add(FieldError.of(document.kind() + "." + document.name(), problem));
                }
            }
            throw new InvalidInputException(errors);
        }
        return outcome;
    }

    private Outcome run(String text, User author, boolean apply) {
        Map<String, Map<String, String>> bundle = read(text);
        List<Document> documents = new ArrayList<>();
        boolean[] committed = {false};
        transactions.executeWithoutResult(status -> {
            for (ConfigurationPart part : parts) {
                Map<String, String> here = part.published();
                Map<String, String> wanted = bundle.getOrDefault(part.kind(), Map.of());
                for (Map.Entry<String, String> entry : new TreeMap<>(wanted).entrySet()) {
                    String name = entry.getKey();
                    String yaml = entry.getValue();
                    String before = here.get(name);
                    if (yaml.equals(before)) {
                        documents.add(new Document(part.kind(), name, Change.unchanged, "", List.of()));
                        continue;
                    }
                    List<String> problems = publish(part, name, yaml, author);
                    documents.add(new Document(
                            part.kind(),
                            name,
                            before == null ? Change.added : Change.changed,
                            diff(part.kind() + "/" + name, before == null ? "" : before, yaml),
                            problems));
                }
                here.keySet().stream()
                        .filter(name -> !wanted.containsKey(name))
                        .sorted()
                        .forEach(name -> documents.add(new Document(part.kind(), name, Change.kept, "", List.of())));
            }
            boolean valid = documents.stream().allMatch(d -> d.problems().isEmpty());
            if (!apply || !valid || status.isRollbackOnly()) {
                status.setRollbackOnly();
            } else {
                committed[0] = true;
            }
        });
        return new Outcome(committed[0], documents);
    }

    private static List<String> publish(ConfigurationPart part, String name, String yaml, User author) {
        try {
            part.publish(name, yaml, author);
            return List.of();
        } catch (InvalidInputException e) {
            return e.errors().stream().map(FieldError::toString).toList();
        } catch (ConflictException | NotFoundException | IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /** Reads a bundle: its format, its kinds (each known here), and each document's name and text. */
    Map<String, Map<String, String>> read(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("bundle", "is empty: send the YAML a bundle export gave");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAXIMUM_BYTES) {
            throw new InvalidInputException(
                    "bundle", "has " + bytes + " bytes; a bundle may have at most " + MAXIMUM_BYTES);
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowDuplicateKeys(false);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new InvalidInputException(
                    "bundle", "is not YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new InvalidInputException("bundle", "must be a mapping of kinds to documents");
        }
        if (!Integer.valueOf(FORMAT).equals(map.get(FORMAT_KEY))) {
            throw new InvalidInputException(
                    FORMAT_KEY, "is " + map.get(FORMAT_KEY) + "; this Steward reads bundles of format " + FORMAT);
        }
        List<String> kinds = parts.stream().map(ConfigurationPart::kind).toList();
        Map<String, Map<String, String>> bundle = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String kind = String.valueOf(entry.getKey());
            if (kind.equals(FORMAT_KEY)) {
                continue;
            }
            if (!kinds.contains(kind)) {
                errors.add(FieldError.of(kind, "is not a kind of document; the kinds are " + String.join(", ", kinds)));
                continue;
            }
            if (entry.getValue() == null) {
                bundle.put(kind, Map.of());
                continue;
            }
            if (!(entry.getValue() instanceof Map<?, ?> documents)) {
                errors.add(FieldError.of(kind, "must be a mapping of names to documents"));
                continue;
            }
            Map<String, String> texts = new LinkedHashMap<>();
            documents.forEach((name, yaml) -> {
                if (!(name instanceof String) || !(yaml instanceof String)) {
                    errors.add(FieldError.of(kind + "." + name, "must be a name and the document's YAML as text"));
                } else {
                    texts.put((String) name, (String) yaml);
                }
            });
            bundle.put(kind, texts);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return bundle;
    }

    private static String diff(String name, String from, String to) {
        List<String> before = from.isEmpty() ? List.of() : from.lines().toList();
        List<String> after = to.lines().toList();
        return String.join(
                "\n",
                UnifiedDiffUtils.generateUnifiedDiff(
                        "here/" + name, "bundle/" + name, before, DiffUtils.diff(before, after), 3));
    }

    /** Writes multi-line texts as literal blocks, so that a bundle reads as the documents it holds. */
    private static final class BlockTexts extends Representer {

        BlockTexts(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String value = (String) data;
                return representScalar(
                        Tag.STR,
                        value,
                        value.contains("\n") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
            });
        }
    }
}
