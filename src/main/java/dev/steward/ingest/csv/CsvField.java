package dev.steward.ingest.csv;

import java.util.List;

/** A field a CSV column can fill: its name as the bulk API spells it, how its cells are read, whether it is needed. */
record CsvField(String name, Type type, List<String> allowed, boolean required, String label) {

    /** How the cells of a field are read. */
    enum Type {
        TEXT,
        INTEGER,
        DECIMAL,
        DATE,
        INSTANT,
        BOOLEAN,
        UUID,
        CHOICE,
        LIST,
        METRIC,
        /** A number, or yes/no read as 1/0 (an account attribute's value). */
        NUMBER_OR_YES_NO;

        boolean numeric() {
            return this == INTEGER || this == DECIMAL || this == NUMBER_OR_YES_NO;
        }

        boolean temporal() {
            return this == DATE || this == INSTANT;
        }
    }

    /** Shown next to a field in the mapping form and the entity description. */
    String hint() {
        return switch (type) {
            case TEXT -> "text";
            case INTEGER -> "whole number";
            case DECIMAL -> "number";
            case DATE -> "date";
            case INSTANT -> "date and time";
            case BOOLEAN -> "yes/no";
            case UUID -> "Steward id";
            case CHOICE -> "one of " + String.join(", ", allowed);
            case LIST -> "list separated by ; or |";
            case METRIC -> "metric key";
            case NUMBER_OR_YES_NO -> "number, or yes/no as 1/0";
        };
    }
}
