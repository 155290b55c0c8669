package dev.steward.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a request changed, record by record, field by field, as the audit trail keeps it beside what was sent: a
 * service that changes a record notes it as it was and as it is now ({@link #note}); the audit trail's filter collects
 * the notes of the request it wraps ({@link #collect}). Outside such a request (a job) notes are not kept. Fields that
 * only move with every change (version, timestamps of the change) are left out.
 */
public final class AuditedChanges {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> MOVING = Set.of("version", "updatedAt", "createdAt");
    private static final ThreadLocal<List<ObjectNode>> NOTES = new ThreadLocal<>();

    private AuditedChanges() {}

    /** Starts keeping the notes of the current request's thread. */
    public static void begin() {
        NOTES.set(new ArrayList<>());
    }

    /**
     * The notes since {@link #begin}, as JSON ({@code [{"kind": …, "id": …, "fields": {"name": {"before": …,
     * "after": …}}}]}), or {@code null} for none; stops keeping them.
     */
    public static @Nullable String collect() {
        List<ObjectNode> notes = NOTES.get();
        NOTES.remove();
        return notes == null || notes.isEmpty() ? null : JSON.writeValueAsString(notes);
    }

    /** Notes that a record of {@code kind} changed from {@code before} to {@code after} (either null: none). */
    public static void note(String kind, Object id, @Nullable Object before, @Nullable Object after) {
        List<ObjectNode> notes = NOTES.get();
        if (notes == null) {
            return;
        }
        JsonNode from = before == null ? JSON.createObjectNode() : JSON.valueToTree(before);
        JsonNode to = after == null ? JSON.createObjectNode() : JSON.valueToTree(after);
        Set<String> names = new LinkedHashSet<>(from.propertyNames());
        names.addAll(to.propertyNames());
        Map<String, ObjectNode> fields = new LinkedHashMap<>();
        for (String name : names) {
            if (MOVING.contains(name) || Objects.equals(from.get(name), to.get(name))) {
                continue;
            }
            ObjectNode field = JSON.createObjectNode();
            field.set("before", from.get(name));
            field.set("after", to.get(name));
            fields.put(name, field);
        }
        if (fields.isEmpty()) {
            return;
        }
        ObjectNode note = JSON.createObjectNode();
        note.put("kind", kind);
        note.put("id", String.valueOf(id));
        note.put("change", before == null ? "created" : after == null ? "deleted" : "changed");
        ObjectNode changed = note.putObject("fields");
        fields.forEach(changed::set);
        notes.add(note);
    }
}
