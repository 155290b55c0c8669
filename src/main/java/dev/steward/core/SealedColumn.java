package dev.steward.core;

/**
 * A column that holds secrets sealed by {@link SecretBox}, named so that {@link SecretRotation} can seal its values
 * again under a new key (and seal values stored before sealing began). Each module declares its own as beans; the
 * names are constants of the code, never input.
 *
 * @param table the table
 * @param key the column that identifies a row
 * @param column the column holding the sealed value (nullable values are left alone)
 */
public record SealedColumn(String table, String key, String column) {

    public SealedColumn {
        for (String name : new String[] {table, key, column}) {
            if (!name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain SQL name: " + name);
            }
        }
    }
}
