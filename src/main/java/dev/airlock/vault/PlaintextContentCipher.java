package dev.airlock.vault;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * {@link ContentCipher} for tenants whose user turned encryption at rest off: {@code 0x00 ‖ UTF-8}.
 * The marker byte keeps such values apart from encrypted ones in both directions.
 */
final class PlaintextContentCipher implements ContentCipher {
    @Override
    public byte[] seal(String table, String column, String rowId, String text) {
        byte[] utf8 = Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length + 1];
        out[0] = PLAINTEXT_VERSION;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }

    @Override
    public String open(String table, String column, String rowId, byte[] sealed) {
        String where = ContentCipher.where(table, column, rowId);
        if (sealed.length == 0) {
            throw VaultException.integrity("the field " + where + " is empty (not even its version byte); restore it from a backup");
        }
        if (sealed[0] == FieldCipher.VERSION_1) {
            throw VaultException.auth("the field " + where + " is encrypted, but encryption at rest is off "
                    + "(security.encryption.enabled: false); turn it back on and provide the key to read it");
        }
        if (sealed[0] != PLAINTEXT_VERSION) {
            throw VaultException.integrity("the field " + where + " has envelope version " + (sealed[0] & 0xff)
                    + ", which this Airlock does not read");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(sealed, 1, sealed.length - 1)).toString();
        } catch (CharacterCodingException e) {
            throw VaultException.integrity("the field " + where + " is not valid UTF-8 text; it was modified");
        }
    }

    @Override
    public boolean encrypted() {
        return false;
    }

    @Override
    public void close() {
        // no key
    }

    @Override
    public String toString() {
        return "ContentCipher[plaintext]";
    }
}
