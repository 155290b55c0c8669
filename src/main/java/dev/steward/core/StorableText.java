package dev.steward.core;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Text PostgreSQL can store. A {@code text} or {@code jsonb} value cannot hold the NUL character (U+0000), and an
 * unpaired UTF-16 surrogate (as JSON's {@code \\ud800} escape produces) is not a character at all: written out as
 * UTF-8 it would silently become {@code ?}. Such text is refused where it comes in, naming the field, rather than
 * acknowledged and failed later or quietly altered.
 */
public final class StorableText {

    private StorableText() {}

    /** Why the text cannot be stored, or null when it can (null text can). */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "holds the NUL character (U+0000) at position " + (i + 1)
                        + ", which cannot be stored; remove it";
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        : false;
                if (!paired) {
                    return "holds an unpaired surrogate " + escape(c) + " at position " + (i + 1)
                            + ": half of a UTF-16 pair is not a character; send valid Unicode";
                }
                i++;
            }
        }
        return null;
    }

    /** Whether the text can be stored as it is. */
    public static boolean storable(String text) {
        return problem(text) == null;
    }

    /**
     * The first field of a JSON value whose name or text cannot be stored, with the reason; null when all can.
     * {@code path} names the value itself ({@code traits}, or null for a whole message).
     */
    public static FieldError firstProblem(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            String problem = problem(node.asString());
            return problem == null ? null : FieldError.of(path, problem);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String child = path == null ? entry.getKey() : path + "." + entry.getKey();
                String problem = problem(entry.getKey());
                if (problem != null) {
                    return FieldError.of(
                            path == null ? visible(entry.getKey()) : path + "." + visible(entry.getKey()),
                            "the field's name " + problem);
                }
                FieldError inside = firstProblem(entry.getValue(), child);
                if (inside != null) {
                    return inside;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                FieldError inside = firstProblem(node.get(i), (path == null ? "" : path) + "[" + i + "]");
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }

    /**
     * The text with what cannot be stored written out as JSON-style escapes ({@code \\u0000}, {@code \\ud800}), so that
     * a record of refused input can itself be stored and shown; other text is returned as it is.
     */
    public static String visible(String text) {
        if (text == null || storable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                out.append("\\u0000");
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(escape(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String escape(char c) {
        return String.format("\\u%04x", (int) c);
    }
}
