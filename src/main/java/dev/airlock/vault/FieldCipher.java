package dev.airlock.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Encryption of content fields at rest (messages, tool arguments and results, memory, run
 * artifacts): AES-256-GCM with a fresh random nonce, under the field key.
 *
 * <p>Guarantee: decryption fails if the envelope was modified or if it is presented for another
 * table, column or row than the one it was written for, since all three are bound as associated
 * data.
 *
 * <p>Envelope, version 1: {@code 0x01 ‖ key id (8) ‖ nonce (12) ‖ ciphertext ‖ tag (16)}. The key
 * id (HMAC-SHA256 of a label under the key, truncated) tells a wrong key (exit 7) from a damaged
 * envelope (exit 3) without revealing anything about the key.
 *
 * <p>The field key is HKDF-SHA256(tenant data key, info "airlock field v1") when it comes from the
 * vault, or the 32 bytes of an environment variable (default {@code AIRLOCK_ENC_KEY}, base64) for
 * unattended services; {@link UnlockedVault#exportFieldKey()} yields that value.
 */
public final class FieldCipher implements AutoCloseable {
    /** The default environment variable holding the base64 field key. */
    public static final String DEFAULT_KEY_ENV = "AIRLOCK_ENC_KEY";
    static final byte VERSION_1 = 1;
    static final int KEY_ID_BYTES = 8;
    private static final int HEADER_BYTES = 1 + KEY_ID_BYTES + Crypto.NONCE_BYTES;

    private final SecretBytes key;
    private final byte[] keyId;
    private final SecureRandom random = new SecureRandom();

    private FieldCipher(SecretBytes key) {
        this.key = key;
        byte[] raw = key.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            this.keyId = Arrays.copyOf(Crypto.hmacSha256(raw, "airlock field key id v1".getBytes(StandardCharsets.UTF_8)),
                    KEY_ID_BYTES);
        } finally {
            Crypto.wipe(raw);
        }
    }

    /** Takes ownership of a 32-byte field key. */
    static FieldCipher withKey(SecretBytes key) {
        if (key.size() != Crypto.KEY_BYTES) {
            throw new IllegalArgumentException("a field key has 32 bytes");
        }
        return new FieldCipher(key);
    }

    /**
     * The cipher keyed from the environment variable {@code keyEnv} (base64 of 32 bytes).
     *
     * @throws VaultException exit 7 if the variable is unset or empty; exit 2 if it is not base64 of
     *     32 bytes (the message never repeats the value)
     */
    public static FieldCipher fromEnvironment(Map<String, String> env, String keyEnv) {
        String encoded = env.get(keyEnv);
        if (encoded == null || encoded.isBlank()) {
            throw VaultException.auth("encryption at rest is on but " + keyEnv + " is not set; set it to the base64 field key, "
                    + "or unlock the vault (AIRLOCK_PASSWORD_FILE, AIRLOCK_PASSWORD_COMMAND or a prompt). Nothing was written");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw VaultException.usage(keyEnv + " is not valid base64; it must hold the 32-byte field key in base64");
        }
        if (raw.length != Crypto.KEY_BYTES) {
            Crypto.wipe(raw);
            throw VaultException.usage(keyEnv + " must hold exactly 32 bytes in base64");
        }
        return new FieldCipher(SecretBytes.adopt(raw));
    }

    /**
     * The key source for a tenant with encryption at rest on: the unlocked vault if there is one,
     * else the environment variable.
     *
     * @throws VaultException exit 7 if neither is available
     */
    public static FieldCipher resolve(@Nullable UnlockedVault vault, Map<String, String> env, String keyEnv) {
        if (vault != null && !vault.isClosed()) {
            return vault.fieldCipher();
        }
        return fromEnvironment(env, keyEnv);
    }

    /** The key id as hex, safe to show: it identifies the key without revealing it. */
    public String keyId() {
        return Crypto.hex(keyId);
    }

    /** Encrypts {@code plaintext} for one cell; returns the versioned envelope. */
    public byte[] encrypt(String table, String column, String rowId, byte[] plaintext) {
        byte[] nonce = Crypto.randomBytes(random, Crypto.NONCE_BYTES);
        byte[] raw = keyBytes();
        try {
            byte[] sealed = Crypto.seal(raw, nonce, aad(table, column, rowId, VERSION_1, keyId), plaintext);
            return ByteBuffer.allocate(HEADER_BYTES + sealed.length).put(VERSION_1).put(keyId).put(nonce).put(sealed).array();
        } finally {
            Crypto.wipe(raw);
        }
    }

    /** {@link #encrypt} of UTF-8 text. */
    public byte[] encryptText(String table, String column, String rowId, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try {
            return encrypt(table, column, rowId, utf8);
        } finally {
            Crypto.wipe(utf8);
        }
    }

    /**
     * Decrypts an envelope written by {@link #encrypt} for the same table, column and row.
     *
     * @throws VaultException exit 3 if it was modified or belongs to another cell; exit 7 if it was
     *     written under another key
     */
    public byte[] decrypt(String table, String column, String rowId, byte[] envelope) {
        String where = table + "." + column + " of row " + rowId;
        if (envelope.length < HEADER_BYTES + Crypto.TAG_BYTES) {
            throw VaultException.integrity("the encrypted field " + where + " is truncated; restore it from a backup");
        }
        if (envelope[0] != VERSION_1) {
            throw VaultException.integrity("the encrypted field " + where + " has envelope version " + (envelope[0] & 0xff)
                    + ", which this Airlock does not read");
        }
        byte[] id = Arrays.copyOfRange(envelope, 1, 1 + KEY_ID_BYTES);
        if (!Arrays.equals(id, keyId)) {
            throw VaultException.auth("the encrypted field " + where + " was written under another key (id " + Crypto.hex(id)
                    + ", this key is " + keyId() + "); unlock the right tenant's vault or set the matching field key");
        }
        byte[] nonce = Arrays.copyOfRange(envelope, 1 + KEY_ID_BYTES, HEADER_BYTES);
        byte[] sealed = Arrays.copyOfRange(envelope, HEADER_BYTES, envelope.length);
        byte[] raw = keyBytes();
        try {
            return Crypto.open(raw, nonce, aad(table, column, rowId, envelope[0], id), sealed);
        } catch (GeneralSecurityException e) {
            throw VaultException.integrity("the encrypted field " + where + " failed its integrity check: it was modified or "
                    + "copied from another cell; it was left as is");
        } finally {
            Crypto.wipe(raw);
        }
    }

    /** {@link #decrypt} to UTF-8 text. */
    public String decryptText(String table, String column, String rowId, byte[] envelope) {
        byte[] plain = decrypt(table, column, rowId, envelope);
        try {
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            Crypto.wipe(plain);
        }
    }

    static byte[] aad(String table, String column, String rowId, byte version, byte[] keyId) {
        return new Crypto.Fields(UnlockedVault.FIELD_INFO).text(Objects.requireNonNull(table, "table"))
                .text(Objects.requireNonNull(column, "column")).text(Objects.requireNonNull(rowId, "rowId"))
                .u32(version).bytes(keyId).toByteArray();
    }

    private byte[] keyBytes() {
        try {
            return key.toByteArray(SecretAccess.INSECURE_ACCESS);
        } catch (IllegalStateException destroyed) {
            throw VaultException.auth("this field cipher was closed; obtain a new one from the vault or the environment");
        }
    }

    /** Wipes the key. */
    @Override
    public void close() {
        key.destroy();
    }

    @Override
    public String toString() {
        return "FieldCipher[key id " + keyId() + "]";
    }
}
