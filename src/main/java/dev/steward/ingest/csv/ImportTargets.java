package dev.steward.ingest.csv;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The Steward fields another system's accounts, contacts and opportunities can fill, named as the CSV import's mapping
 * names them ({@code tier}, {@code customFields.plan}), with how a text is read for each: what a CRM connector's field
 * mapping maps its properties to.
 */
public final class ImportTargets {

    /** The kinds of record a CRM fills. */
    public enum Kind {
        accounts(CsvEntity.accounts),
        contacts(CsvEntity.contacts),
        opportunities(CsvEntity.opportunities);

        private final CsvEntity entity;

        Kind(CsvEntity entity) {
            this.entity = entity;
        }
    }

    /** A field a mapping can fill: its name, label and what its values look like. */
    public record Target(String name, String label, String hint) {}

    /** A text that is no value of its field; the message says what is expected. */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Ids, links between records and the account's ARR (a contract's) are the connector's to fill, not a mapping's. */
    private static final Set<String> NOT_MAPPED = Set.of(
            "externalId",
            "accountId",
            CsvEntity.ACCOUNT_EXTERNAL_ID,
            "parentId",
            "parentExternalId",
            "ownerId",
            CsvEntity.ARR);

    /** The prefix of a custom field of the account, as the CSV import's mapping writes it. */
    public static final String CUSTOM = "customFields.";

    private static final int MAX_CUSTOM_KEY = 100;

    private ImportTargets() {}

    /** The fields records of this kind can have mapped, in the order of their input record. */
    public static List<Target> of(Kind kind) {
        return kind.entity.fields().stream()
                .filter(f -> !NOT_MAPPED.contains(f.name()))
                .map(f -> new Target(f.name(), f.label(), f.hint()))
                .toList();
    }

    /** Whether records of this kind have custom fields ({@code customFields.<key>}). */
    public static boolean hasCustomFields(Kind kind) {
        return kind.entity.mapFields().contains("customFields");
    }

    /** The field of this name, a custom field's key included; empty when records of this kind have none so named. */
    public static Optional<Target> find(Kind kind, String name) {
        if (name.startsWith(CUSTOM)) {
            String key = name.substring(CUSTOM.length());
            return hasCustomFields(kind) && !key.isBlank() && key.length() <= MAX_CUSTOM_KEY
                    ? kind.entity.field(name).map(f -> new Target(f.name(), f.label(), "text"))
                    : Optional.empty();
        }
        return of(kind).stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * A text read as the value of a field, in JSON as the bulk API takes it (a number, a day, a choice in lower case…);
     * null for none. Refused ({@link Unreadable}) when it is no value of the field.
     */
    public static @Nullable JsonNode value(Kind kind, String name, @Nullable String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (text == null || text.isBlank()) {
            return null;
        }
        CsvField field = kind.entity
                .field(name)
                .orElseThrow(() -> new IllegalArgumentException("no field " + name + " of " + kind));
        String value = text.strip();
        try {
            return switch (field.type()) {
                case INTEGER -> nodes.numberNode(CsvValues.integer(value));
                case DECIMAL, NUMBER_OR_YES_NO -> nodes.numberNode(CsvValues.decimal(value));
                case DATE -> nodes.stringNode(CsvValues.date(value).toString());
                case INSTANT -> nodes.stringNode(CsvValues.instant(value).toString());
                case BOOLEAN -> nodes.booleanNode(CsvValues.bool(value));
                case CHOICE -> nodes.stringNode(choice(field, value));
                case LIST -> {
                    ArrayNode list = nodes.arrayNode();
                    Arrays.stream(value.split("[;|]"))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .forEach(list::add);
                    yield list;
                }
                default -> nodes.stringNode(value);
            };
        } catch (CsvValues.Refused e) {
            throw new Unreadable(e.getMessage());
        } catch (RuntimeException e) {
            throw new Unreadable("'" + value + "' is not a " + field.hint());
        }
    }

    private static String choice(CsvField field, String value) {
        String key = value.toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        return field.allowed().stream()
                .filter(a -> a.equalsIgnoreCase(key))
                .findFirst()
                .orElseThrow(() -> new Unreadable("'" + value + "' is not " + field.hint()));
    }
}
