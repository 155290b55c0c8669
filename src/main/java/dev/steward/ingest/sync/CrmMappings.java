package dev.steward.ingest.sync;

import dev.steward.core.Conditions;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.ingest.csv.ImportTargets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The field mappings of CRM sources (HubSpot, Salesforce): per object, the connector's standard fields overlaid with
 * what an administrator mapped, checked against the vendor's properties and Steward's fields (an unknown one is named,
 * with the one meant when it is near one), kept per source.
 */
@Service
public class CrmMappings {

    /** Most fields one object's mapping may hold. */
    public static final int MAX_FIELDS = 200;

    /**
     * An object of a CRM as its mapping knows it: its name in the API ({@code companies}), what one is called
     * ({@code company}), the kind of record it becomes, and the connector's own readings as standard fields.
     */
    public record CrmObject(String name, String label, ImportTargets.Kind kind, List<FieldMapping.Field> standard) {}

    /** A property of a vendor's object as the vendor describes it, and the Steward field it suggests (or null). */
    public record VendorProperty(
            String name,
            String label,
            String type,
            boolean custom,
            @Nullable String suggested) {}

    /** A field as an administrator maps it; no policy: the CRM wins. */
    public record MappedField(String property, String target, FieldMapping.@Nullable Policy policy) {}

    /** A source's mapping of every object, and whether an administrator saved it; its schedule paused or not. */
    public record MappingView(String source, boolean saved, boolean paused, List<ObjectView> objects) {}

    /** One object's mapping, the Steward fields it can fill and the vendor's properties (empty when not asked). */
    public record ObjectView(
            String object,
            String label,
            List<FieldMapping.Field> fields,
            List<ImportTargets.Target> targets,
            boolean customFields,
            List<VendorProperty> properties) {}

    private final JdbcClient jdbc;

    CrmMappings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The object's mapping: its standard fields, each replaced by one mapped to the same Steward field, then the rest. */
    public FieldMapping mapping(UUID source, CrmObject object) {
        List<FieldMapping.Field> saved = jdbc.sql("""
                        select property, target, policy from ingest_crm_field_mapping
                        where source_id = ? and object = ? order by position""")
                .params(source, object.name())
                .query((rs, n) ->
                        field(object, rs.getString("property"), rs.getString("target"), rs.getString("policy")))
                .list();
        Map<String, FieldMapping.Field> fields = new LinkedHashMap<>();
        object.standard().forEach(f -> fields.put(f.target(), f));
        saved.forEach(f -> fields.put(f.target(), f));
        return new FieldMapping(object.kind(), List.copyOf(fields.values()));
    }

    /** The mapping of every object of a source, with the vendor's properties offered for each (by object name). */
    public MappingView view(
            UUID source,
            String name,
            boolean paused,
            List<CrmObject> objects,
            Map<String, List<VendorProperty>> offered) {
        List<ObjectView> views = new ArrayList<>();
        for (CrmObject o : objects) {
            views.add(new ObjectView(
                    o.name(),
                    o.label(),
                    mapping(source, o).fields(),
                    ImportTargets.of(o.kind()),
                    ImportTargets.hasCustomFields(o.kind()),
                    offered.getOrDefault(o.name(), List.of())));
        }
        return new MappingView(name, saved(source), paused, views);
    }

    /** Whether an administrator saved the source's mapping (confirmed it), even one left as it was. */
    public boolean saved(UUID source) {
        return jdbc.sql("select exists (select 1 from ingest_crm_field_mapping where source_id = ?)")
                .param(source)
                .query(Boolean.class)
                .single();
    }

    /**
     * Replaces the mapping of the objects given (an object left out keeps its own): each field's Steward field must be
     * one of its kind of record, its property one the vendor has (or the standard field's own), each Steward field
     * mapped once; only an account's fields may let Steward's value win. Refused as a whole, naming every field that
     * is wrong ({@code companies[2].property}), nothing kept.
     */
    @Transactional
    public void save(
            UUID source,
            String vendor,
            List<CrmObject> objects,
            Map<String, List<MappedField>> given,
            Map<String, Collection<String>> vendorProperties) {
        Map<String, CrmObject> byName = new LinkedHashMap<>();
        objects.forEach(o -> byName.put(o.name(), o));
        List<FieldError> errors = new ArrayList<>();
        Map<CrmObject, List<FieldMapping.Field>> checked = new LinkedHashMap<>();
        given.forEach((name, fields) -> {
            CrmObject object = byName.get(name);
            if (object == null) {
                errors.add(
                        FieldError.of(name, "is no " + vendor + " object Steward maps" + hint(name, byName.keySet())));
                return;
            }
            if (fields == null) {
                return;
            }
            if (fields.size() > MAX_FIELDS) {
                errors.add(FieldError.of(
                        name, "maps " + fields.size() + " fields; an object's mapping may map at most " + MAX_FIELDS));
                return;
            }
            List<FieldMapping.Field> ok = new ArrayList<>();
            Set<String> targets = new HashSet<>();
            Collection<String> properties = vendorProperties.getOrDefault(name, List.of());
            for (int i = 0; i < fields.size(); i++) {
                MappedField f = fields.get(i);
                String at = name + "[" + i + "]";
                List<FieldError> problems = problems(vendor, object, f, properties, at);
                if (problems.isEmpty() && !targets.add(f.target().strip())) {
                    problems.add(FieldError.of(at + ".target", "maps " + f.target() + " a second time"));
                }
                errors.addAll(problems);
                if (problems.isEmpty()) {
                    FieldMapping.Policy policy = f.policy() == null ? FieldMapping.Policy.crm : f.policy();
                    ok.add(field(object, f.property().strip(), f.target().strip(), policy.name()));
                }
            }
            checked.put(object, ok);
        });
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        checked.forEach((object, fields) -> {
            jdbc.sql("delete from ingest_crm_field_mapping where source_id = ? and object = ?")
                    .params(source, object.name())
                    .update();
            List<FieldMapping.Field> kept = new ArrayList<>(fields);
            if (kept.isEmpty()) {
                // Saved as the connector reads it: its standard fields, so that the mapping shows as confirmed.
                kept.addAll(object.standard());
            }
            for (int i = 0; i < kept.size(); i++) {
                FieldMapping.Field f = kept.get(i);
                jdbc.sql("""
                                insert into ingest_crm_field_mapping (source_id, object, target, property, policy, position)
                                values (?, ?, ?, ?, ?, ?)""")
                        .params(
                                source,
                                object.name(),
                                f.target(),
                                f.property(),
                                f.policy().name(),
                                i)
                        .update();
            }
        });
    }

    /** What a property suggests: the Steward field named like it, else a custom field of the account for a custom one. */
    public static @Nullable String suggest(CrmObject object, String property, String label, boolean custom) {
        for (ImportTargets.Target target : ImportTargets.of(object.kind())) {
            if (normalise(target.name()).equals(normalise(property))
                    || normalise(target.label()).equals(normalise(label))) {
                return target.name();
            }
        }
        if (custom && ImportTargets.hasCustomFields(object.kind())) {
            String key = property.toLowerCase(Locale.ROOT)
                    .replaceAll("__c$", "")
                    .replaceAll("[^a-z0-9]+", "_")
                    .replaceAll("^_+|_+$", "");
            return key.isEmpty() ? null : ImportTargets.CUSTOM + key;
        }
        return null;
    }

    private List<FieldError> problems(
            String vendor, CrmObject object, MappedField f, Collection<String> properties, String at) {
        List<FieldError> problems = new ArrayList<>();
        if (f.target() == null || f.target().isBlank()) {
            problems.add(FieldError.of(at + ".target", "is missing: the Steward field the property fills"));
        } else if (ImportTargets.find(object.kind(), f.target().strip()).isEmpty()) {
            List<String> names = new ArrayList<>(ImportTargets.of(object.kind()).stream()
                    .map(ImportTargets.Target::name)
                    .toList());
            String reason = "is no field of " + object.kind().name();
            if (ImportTargets.hasCustomFields(object.kind())) {
                reason += " (a custom field is customFields.<key>)";
                names.add(ImportTargets.CUSTOM + f.target().strip());
            }
            problems.add(FieldError.of(at + ".target", reason + hint(f.target().strip(), names)));
        }
        if (f.property() == null || f.property().isBlank()) {
            problems.add(FieldError.of(at + ".property", "is missing: the " + vendor + " property to read"));
        } else {
            String property = f.property().strip();
            boolean standard = object.standard().stream()
                    .anyMatch(s -> s.property().equals(property) && s.target().equals(f.target()));
            if (!standard && !properties.contains(property)) {
                problems.add(FieldError.of(
                        at + ".property",
                        "is no property of " + vendor + "'s " + object.name() + hint(property, properties)));
            }
        }
        if (f.policy() == FieldMapping.Policy.steward && object.kind() != ImportTargets.Kind.accounts) {
            problems.add(FieldError.of(
                    at + ".policy",
                    "steward applies to an account's fields only: a " + object.label() + "'s fields are the CRM's"));
        }
        return problems;
    }

    private static FieldMapping.Field field(CrmObject object, String property, String target, String policy) {
        boolean standard = object.standard().stream()
                .anyMatch(s -> s.property().equals(property) && s.target().equals(target));
        return new FieldMapping.Field(property, target, FieldMapping.Policy.valueOf(policy), standard);
    }

    private static String hint(String name, Collection<String> candidates) {
        String nearest = Conditions.nearest(name, candidates);
        return nearest == null ? "" : "; did you mean '" + nearest + "'?";
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The vendor properties of each object, by object name, as {@link #save} checks them. */
    public static Map<String, Collection<String>> names(Map<String, List<VendorProperty>> properties) {
        Map<String, Collection<String>> names = new HashMap<>();
        properties.forEach((object, list) ->
                names.put(object, list.stream().map(VendorProperty::name).toList()));
        return names;
    }
}
