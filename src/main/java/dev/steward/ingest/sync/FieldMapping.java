package dev.steward.ingest.sync;

import dev.steward.ingest.csv.ImportTargets;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a CRM source reads one object (companies, contacts, deals…): which of the vendor's properties fills which Steward
 * field, and which system wins when both have a value. The connector's own readings are its standard fields; a mapped
 * field reads its property's text as its Steward field's value.
 */
public record FieldMapping(ImportTargets.Kind kind, List<Field> fields) {

    /** Which system wins a field both have a value for. */
    public enum Policy {
        /** The CRM's value overwrites Steward's (an empty one clears it). */
        crm,
        /** The CRM only fills a field Steward has no value for. */
        steward
    }

    /**
     * A mapped field: the vendor's property, the Steward field it fills (a custom field of the account as {@code
     * customFields.<key>}), who wins, and whether it is the connector's own reading (its property then says how).
     */
    public record Field(String property, String target, Policy policy, boolean standard) {}

    public FieldMapping {
        fields = List.copyOf(fields);
    }

    /** The vendor's properties the mapped fields read, to ask the vendor for beside the connector's own. */
    public List<String> properties() {
        return fields.stream()
                .filter(f -> !f.standard())
                .map(Field::property)
                .distinct()
                .toList();
    }

    /** Whether any field reads a property of its own rather than the connector's reading. */
    public boolean mapsProperties() {
        return fields.stream().anyMatch(f -> !f.standard());
    }

    /** The fields whose Steward value wins. */
    public List<Field> stewardWins() {
        return fields.stream().filter(f -> f.policy() == Policy.steward).toList();
    }

    /**
     * Writes the mapped fields onto a record the connector read ({@code read} gives a property's text, null when it has
     * none): each replaces the connector's value of its field; an empty one clears it, except a name (the connector's
     * stays). A text its field cannot take refuses the record, naming the property.
     */
    public void apply(Function<String, @Nullable String> read, ObjectNode record) {
        for (Field field : fields) {
            if (field.standard()) {
                continue;
            }
            String text = read.apply(field.property());
            JsonNode value;
            try {
                value = ImportTargets.value(kind, field.target(), text);
            } catch (ImportTargets.Unreadable e) {
                throw new RecordRefused(
                        field.property(), text, "cannot fill " + field.target() + ": " + e.getMessage());
            }
            if (value == null && field.target().equals("name")) {
                continue;
            }
            if (field.target().startsWith(ImportTargets.CUSTOM)) {
                ObjectNode custom = record.has("customFields") && record.get("customFields") instanceof ObjectNode o
                        ? o
                        : record.putObject("customFields");
                custom.set(field.target().substring(ImportTargets.CUSTOM.length()), value);
            } else {
                record.set(field.target(), value);
            }
        }
    }
}
