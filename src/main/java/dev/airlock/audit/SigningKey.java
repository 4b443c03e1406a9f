package dev.airlock.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The tenant's Ed25519 checkpoint key as the verifier sees it: the raw 32-byte public key from
 * {@code vault_public_key} (purpose {@code signing}), its key id, and RFC 8032 verification with the
 * JDK alone, so the audit verifier depends on nothing but the database and the spec.
 *
 * <pre>
 * key_id = lowercase hex SHA-256(raw 32-byte key), in 16 groups of 4 digits joined by ':'
 * </pre>
 */
final class SigningKey {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410): the raw key follows. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] raw;
    private final String keyId;
    private final PublicKey key;

    private SigningKey(byte[] raw) throws GeneralSecurityException {
        this.raw = raw.clone();
        this.keyId = keyId(raw);
        byte[] spki = new byte[SPKI_PREFIX.length + 32];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, 32);
        this.key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** The key, or null when {@code raw} is not a usable 32-byte Ed25519 public key. */
    static @org.jspecify.annotations.Nullable SigningKey of(byte[] raw) {
        if (raw == null || raw.length != 32) {
            return null;
        }
        try {
            return new SigningKey(raw);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    static String keyId(byte[] raw) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
            StringBuilder b = new StringBuilder(79);
            for (int i = 0; i < hex.length(); i += 4) {
                if (i > 0) {
                    b.append(':');
                }
                b.append(hex, i, i + 4);
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** A fingerprint as people type it: case and ':' separators do not matter. */
    static String normalizeFingerprint(String fp) {
        return fp.strip().replace(":", "").toLowerCase(Locale.ROOT);
    }

    String keyId() {
        return keyId;
    }

    byte[] raw() {
        return raw.clone();
    }

    /** Whether {@code signature} is this key's valid Ed25519 signature of {@code message}. */
    boolean verify(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
