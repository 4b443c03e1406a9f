package dev.airlock.vault;

/**
 * Seals content at rest (messages, tool arguments and results, run artifacts) field by field. The
 * associated data binds table, column and row id: a sealed value copied to another row, column or
 * table does not open.
 *
 * <p>Which implementation a tenant gets is decided once, from {@code security.encryption}: a
 * {@link FieldCipher}-backed one by default; a plaintext one only when the user turned encryption off.
 */
public interface ContentCipher {
    /** Seals {@code text} for the given place. */
    byte[] seal(String table, String column, String rowId, String text);

    /**
     * Opens a value sealed for the given place.
     *
     * @throws VaultException when the value was changed, moved, or sealed with another key
     */
    String open(String table, String column, String rowId, byte[] sealed);
}
