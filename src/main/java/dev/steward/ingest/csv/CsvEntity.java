package dev.steward.ingest.csv;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.steward.activity.ChurnEventInput;
import dev.steward.activity.ChurnLabelInput;
import dev.steward.activity.InvoiceInput;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.customer.AccountInput;
import dev.steward.customer.AttributeInput;
import dev.steward.customer.ContactInput;
import dev.steward.customer.ContractInput;
import dev.steward.customer.OpportunityInput;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a CSV file can hold: one kind of record of the data model. The fields of record kinds are those of the bulk
 * API's input record, so a new field there is importable at once; usage rows have their own.
 */
enum CsvEntity {
    accounts("Accounts", AccountInput.class, "externalId", "name"),
    contacts("Contacts", ContactInput.class, "externalId", "name"),
    contracts("Contracts / subscriptions", ContractInput.class, "externalId", "startDate", "arr"),
    opportunities("Opportunities", OpportunityInput.class, "externalId", "name", "type", "stage"),
    usage("Daily usage", null, new Wide("metric", "metric", false), "metric", "day", "value"),
    usage_events("Usage events (counted per day)", null, "metric", "occurredAt"),
    tickets("Support tickets", TicketInput.class, "externalId", "openedAt", "subject"),
    invoices("Invoices", InvoiceInput.class, "externalId", "issuedOn", "dueOn", "amount"),
    meetings("Meetings", MeetingInput.class, "externalId", "occurredAt", "type", "title"),
    survey_responses("Survey responses", SurveyResponseInput.class, "externalId", "respondedAt", "kind", "score"),
    churn_events("Churn events", ChurnEventInput.class, "externalId", "churnedOn", "reasonCategory"),
    account_attributes(
            "Account attributes (tenure, charges, yes/no …)",
            AttributeInput.class,
            new Wide("name", "attribute name", true),
            "name",
            "asOf",
            "value"),
    churn_labels(
            "Churn labels (a labelled snapshot)", ChurnLabelInput.class, "snapshot", "asOf", "horizonDays", "churned");

    static final String ACCOUNT_ID = "accountId";
    static final String ACCOUNT_EXTERNAL_ID = "accountExternalId";
    static final String VALUE = "value";
    static final String ARR = "arr";

    /**
     * How a wide file of this kind is read: each mapped column's cells are values of their own, the column's key
     * going into {@code keyField} (a metric, an attribute's name) and the cell into {@code value}; {@code
     * yesNoAsNumber} reads yes/no cells as 1/0.
     */
    record Wide(String keyField, String keyName, boolean yesNoAsNumber) {}

    private final String label;
    private final Class<?> input;
    private final Wide wide;
    private final Map<String, CsvField> fields;
    private final List<String> mapFields;

    CsvEntity(String label, Class<?> input, String... required) {
        this(label, input, null, required);
    }

    CsvEntity(String label, Class<?> input, Wide wide, String... required) {
        this.label = label;
        this.input = input;
        this.wide = wide;
        Set<String> needed = Set.of(required);
        Map<String, CsvField> fields = new LinkedHashMap<>();
        List<String> mapFields = new ArrayList<>();
        if (input == null) {
            add(fields, ACCOUNT_EXTERNAL_ID, CsvField.Type.TEXT, List.of(), false);
            add(fields, ACCOUNT_ID, CsvField.Type.UUID, List.of(), false);
            add(fields, "metric", CsvField.Type.METRIC, List.of(), true);
            if (needed.contains("day")) {
                add(fields, "day", CsvField.Type.DATE, List.of(), true);
                add(fields, "value", CsvField.Type.DECIMAL, List.of(), true);
            } else {
                add(fields, "occurredAt", CsvField.Type.INSTANT, List.of(), true);
                add(fields, "count", CsvField.Type.DECIMAL, List.of(), false);
            }
        } else {
            for (RecordComponent component : input.getRecordComponents()) {
                Class<?> type = component.getType();
                if (Map.class.isAssignableFrom(type)) {
                    mapFields.add(component.getName());
                    continue;
                }
                CsvField.Type read = wide != null
                                && wide.yesNoAsNumber()
                                && component.getName().equals(VALUE)
                        ? CsvField.Type.NUMBER_OR_YES_NO
                        : typeOf(component);
                add(fields, component.getName(), read, allowed(type), needed.contains(component.getName()));
            }
        }
        if (input == AccountInput.class) {
            // Not an account field: an account's ARR is that of its contracts, so the import writes one (see
            // CsvImporter).
            fields.put(ARR, new CsvField(ARR, CsvField.Type.DECIMAL, List.of(), false, "ARR (kept as a contract)"));
        }
        this.fields = Collections.unmodifiableMap(fields);
        this.mapFields = List.copyOf(mapFields);
    }

    public String label() {
        return label;
    }

    /** The input record the bulk API takes, or null for usage rows. */
    Class<?> input() {
        return input;
    }

    List<CsvField> fields() {
        return List.copyOf(fields.values());
    }

    /**
     * The field of this name; {@code customFields.tier_note} or {@code externalIds.salesforce} name one key of a
     * map-valued field, read as text.
     */
    Optional<CsvField> field(String name) {
        CsvField field = fields.get(name);
        if (field != null) {
            return Optional.of(field);
        }
        int dot = name.indexOf('.');
        if (dot > 0 && dot < name.length() - 1 && mapFields.contains(name.substring(0, dot))) {
            return Optional.of(new CsvField(name, CsvField.Type.TEXT, List.of(), false, label(name)));
        }
        return Optional.empty();
    }

    /** Map-valued fields, such as an account's {@code customFields}, filled key by key. */
    List<String> mapFields() {
        return mapFields;
    }

    /** Whether records of this kind belong to an account, named by {@code accountExternalId} or {@code accountId}. */
    boolean belongsToAccount() {
        return fields.containsKey(ACCOUNT_EXTERNAL_ID);
    }

    boolean isUsage() {
        return input == null;
    }

    /** How a wide file of this kind is read, or null when files of this kind hold one record per row. */
    Wide wide() {
        return wide;
    }

    /**
     * The fields that identify a record in a file, so that a file holding one twice can say on which line it came
     * first: the external id; for an attribute its account, name and day; for a churn label its snapshot and account.
     */
    List<String> keyFields() {
        return switch (this) {
            case account_attributes -> List.of(ACCOUNT_EXTERNAL_ID, ACCOUNT_ID, "name", "asOf");
            case churn_labels -> List.of("snapshot", ACCOUNT_EXTERNAL_ID, ACCOUNT_ID);
            default -> fields.containsKey("externalId") ? List.of("externalId") : List.of();
        };
    }

    static Optional<CsvEntity> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Arrays.stream(values()).filter(e -> e.name().equals(key)).findFirst();
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }

    private static void add(
            Map<String, CsvField> fields, String name, CsvField.Type type, List<String> allowed, boolean required) {
        fields.put(name, new CsvField(name, type, allowed, required, label(name)));
    }

    private static CsvField.Type typeOf(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == String.class) {
            return CsvField.Type.TEXT;
        }
        if (type == Integer.class) {
            return CsvField.Type.INTEGER;
        }
        if (type == BigDecimal.class || type == Double.class) {
            return CsvField.Type.DECIMAL;
        }
        if (type == LocalDate.class) {
            return CsvField.Type.DATE;
        }
        if (type == Instant.class) {
            return CsvField.Type.INSTANT;
        }
        if (type == Boolean.class) {
            return CsvField.Type.BOOLEAN;
        }
        if (type == UUID.class) {
            return CsvField.Type.UUID;
        }
        if (type.isEnum()) {
            return CsvField.Type.CHOICE;
        }
        if (List.class.isAssignableFrom(type)
                && component.getGenericType() instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] == String.class) {
            return CsvField.Type.LIST;
        }
        throw new IllegalStateException("no CSV reading for " + component);
    }

    /** The values an enum is written as in the API (its JSON name). */
    private static List<String> allowed(Class<?> type) {
        if (!type.isEnum()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = type.getField(name).getAnnotation(JsonProperty.class);
                names.add(property != null ? property.value() : name);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(names);
    }

    /** "accountExternalId" → "Account external id". */
    private static String label(String name) {
        String spaced =
                name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('.', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
