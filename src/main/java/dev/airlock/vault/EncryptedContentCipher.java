package dev.airlock.vault;

import java.util.Objects;

/** {@link ContentCipher} over a {@link FieldCipher}. */
final class EncryptedContentCipher implements ContentCipher {
    private final FieldCipher cipher;

    EncryptedContentCipher(FieldCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    @Override
    public byte[] seal(String table, String column, String rowId, String text) {
        return cipher.encryptText(table, column, rowId, Objects.requireNonNull(text, "text"));
    }

    @Override
    public String open(String table, String column, String rowId, byte[] sealed) {
        if (sealed.length > 0 && sealed[0] == PLAINTEXT_VERSION) {
            throw VaultException.integrity("the field " + ContentCipher.where(table, column, rowId) + " is stored as plaintext, "
                    + "but this tenant encrypts content; it was not read (a plaintext value is not authenticated). It was "
                    + "written while security.encryption.enabled was false, or by someone else");
        }
        return cipher.decryptText(table, column, rowId, sealed);
    }

    @Override
    public boolean encrypted() {
        return true;
    }

    @Override
    public void close() {
        cipher.close();
    }

    @Override
    public String toString() {
        return "ContentCipher[encrypted, key id " + cipher.keyId() + "]";
    }
}
