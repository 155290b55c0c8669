package dev.steward.lifecycle;

/**
 * What a segment document says: its name and description, and whether its members follow a CEL {@code condition}
 * ({@link Kind#RULE}) or are picked by hand ({@link Kind#STATIC}, without a condition).
 */
public record SegmentDocument(String name, String description, Kind kind, String condition) {

    /** How a segment's members are chosen. */
    public enum Kind {
        RULE,
        STATIC;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean isRule() {
        return kind == Kind.RULE;
    }
}
