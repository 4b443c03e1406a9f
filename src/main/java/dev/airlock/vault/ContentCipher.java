package dev.airlock.vault;

/**
 * How a tenant's content is kept at rest: conversation messages, tool arguments and results,
 * memory, run artifacts. Tables that hold content store what {@link #seal} returns and read it back
 * with {@link #open}, naming the same table, column and row id.
 *
 * <p>Two implementations, told apart by the first byte of what they write, so that a tenant never
 * silently switches between them:
 * <ul>
 *   <li>{@link #encrypted(FieldCipher)}: the {@link FieldCipher} envelope (version {@code 0x01}),
 *       AES-256-GCM under the field key with table, column and row id as associated data.
 *       Guarantee: {@link #open} fails if the value was modified, moved to another cell, written
 *       under another key (exit 7, both key ids named) or stored as plaintext (exit 3: a plaintext
 *       value in an encrypted tenant is not authenticated, so it is not read).</li>
 *   <li>{@link #plaintext()}: {@code 0x00 ‖ UTF-8 text}, used only when the user turned encryption
 *       off ({@code security.encryption.enabled: false}, audited). It refuses to open an encrypted
 *       value (exit 7: the key is needed) rather than return ciphertext as text.</li>
 * </ul>
 * Closing wipes the key; the instance must not be used afterwards.
 */
public sealed interface ContentCipher extends AutoCloseable permits EncryptedContentCipher, PlaintextContentCipher {
    /** The first byte of a value written by {@link #plaintext()}. */
    byte PLAINTEXT_VERSION = 0;

    /**
     * The value to store for {@code text} in the cell {@code table.column} of row {@code rowId}.
     */
    byte[] seal(String table, String column, String rowId, String text);

    /**
     * The text stored in the cell {@code table.column} of row {@code rowId}.
     *
     * @throws VaultException exit 3 if the value is damaged, was moved from another cell, has an
     *     unknown version or is plaintext in an encrypted tenant; exit 7 if it was encrypted under
     *     another key, or is encrypted while this cipher is the plaintext one
     */
    String open(String table, String column, String rowId, byte[] sealed);

    /** Whether values are encrypted (false only for the explicit plaintext choice). */
    boolean encrypted();

    /** Wipes the key, if any. */
    @Override
    void close();

    /** Content encrypted with {@code cipher}, which this instance takes ownership of. */
    static ContentCipher encrypted(FieldCipher cipher) {
        return new EncryptedContentCipher(cipher);
    }

    /** Content stored as plaintext, marked as such: for tenants whose user turned encryption off. */
    static ContentCipher plaintext() {
        return new PlaintextContentCipher();
    }

    /** "messages.body of row 42", for messages. */
    static String where(String table, String column, String rowId) {
        return table + "." + column + " of row " + rowId;
    }
}
