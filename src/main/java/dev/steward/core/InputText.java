package dev.steward.core;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds what a request carries that PostgreSQL cannot store or that cannot be meant: a NUL character or a lone UTF-16
 * surrogate in any text (keys included), a date whose year is outside 0001–9999. Each is refused naming the field,
 * never altered (a lone surrogate would otherwise become '?').
 */
public final class InputText {

    static final int MAXIMUM_ERRORS = 20;

    private InputText() {}

    /** The problems in a value read from a request: a record, a map, a list, a JSON tree, a text or a date. */
    public static List<FieldError> problems(Object value) {
        List<FieldError> errors = new ArrayList<>();
        walk(value, "", errors, 0);
        return errors;
    }

    /** Why this text cannot be stored, or null when it can. */
    public static String problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (\\u0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not a character";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not a character";
            }
        }
        return null;
    }

    private static void walk(Object value, String path, List<FieldError> errors, int depth) {
        if (value == null || errors.size() >= MAXIMUM_ERRORS || depth > 64) {
            return;
        }
        if (value instanceof CharSequence text) {
            add(errors, path, problem(text));
        } else if (value instanceof JsonNode node) {
            walkTree(node, path, errors, depth);
        } else if (value instanceof Temporal temporal) {
            add(errors, path, yearProblem(temporal));
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String keyProblem = problem(key);
                if (keyProblem != null) {
                    add(errors, path, "has a key that " + keyProblem);
                } else {
                    walk(entry.getValue(), join(path, key), errors, depth + 1);
                }
            }
        } else if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", errors, depth + 1);
            }
        } else if (value.getClass().isRecord()) {
            for (Component component : COMPONENTS.get(value.getClass())) {
                try {
                    walk(component.accessor().invoke(value), join(path, component.name()), errors, depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read " + component.name() + " of " + value.getClass(), e);
                }
            }
        }
    }

    /** A record component's name and accessor, made accessible once. */
    private record Component(String name, Method accessor) {}

    /**
     * Each record class's components, looked up once: {@code getRecordComponents()} copies and resolves them on every
     * call, which made walking the records of a bulk write (such as the Segment processor's usage rollups) slow.
     */
    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                components.add(new Component(component.getName(), accessor));
            }
            return List.copyOf(components);
        }
    };

    private static void walkTree(JsonNode node, String path, List<FieldError> errors, int depth) {
        if (errors.size() >= MAXIMUM_ERRORS || depth > 64) {
            return;
        }
        if (node.isString()) {
            add(errors, path, problem(node.asString()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkTree(node.get(i), path + "[" + i + "]", errors, depth + 1);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String keyProblem = problem(field.getKey());
                if (keyProblem != null) {
                    add(errors, path, "has a key that " + keyProblem);
                } else {
                    walkTree(field.getValue(), join(path, field.getKey()), errors, depth + 1);
                }
            }
        }
    }

    private static String yearProblem(Temporal temporal) {
        int year;
        if (temporal instanceof LocalDate date) {
            year = date.getYear();
        } else if (temporal instanceof LocalDateTime time) {
            year = time.getYear();
        } else if (temporal instanceof OffsetDateTime time) {
            year = time.getYear();
        } else if (temporal instanceof ZonedDateTime time) {
            year = time.getYear();
        } else if (temporal instanceof Instant instant) {
            if (instant.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("9999-12-31T23:59:59.999999Z"))) {
                year = instant.atOffset(ZoneOffset.UTC).getYear();
            } else {
                return null;
            }
        } else {
            return null;
        }
        return year >= 1 && year <= 9999 ? null : "year " + year + " is outside 0001–9999";
    }

    private static void add(List<FieldError> errors, String path, String reason) {
        if (reason != null && errors.size() < MAXIMUM_ERRORS) {
            errors.add(FieldError.of(path.isEmpty() ? null : path, reason));
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
