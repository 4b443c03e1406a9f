package dev.airlock.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.jspecify.annotations.Nullable;

/** The primitives of this package, wired once so that known-answer tests cover every use. */
final class Crypto {
    static final int KEY_BYTES = 32;
    /** 96-bit nonces: the length GCM is specified for (NIST SP 800-38D, 8.2). */
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private Crypto() {}

    static byte[] randomBytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** AES-256-GCM (NIST SP 800-38D) with a 128-bit tag; returns ciphertext ‖ tag. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable in this JDK", e);
        }
    }

    /**
     * Opens {@code sealed} (ciphertext ‖ tag). Decryption fails if the ciphertext, the nonce, the
     * tag or the associated data was modified.
     *
     * @throws GeneralSecurityException when authentication fails
     */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed) throws GeneralSecurityException {
        if (nonce.length != NONCE_BYTES || sealed.length < TAG_BYTES) {
            throw new GeneralSecurityException("malformed ciphertext");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed);
    }

    /** HKDF-SHA256 (RFC 5869) without salt: {@code ikm} is already uniformly random key material. */
    static byte[] hkdf(byte[] ikm, String info, int length) {
        return hkdf(ikm, null, info.getBytes(StandardCharsets.UTF_8), length);
    }

    static byte[] hkdf(byte[] ikm, byte @Nullable [] salt, byte[] info, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        generator.generateBytes(out, 0, length);
        return out;
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Lowercase hex of {@code bytes} as ASCII bytes, without a {@code String} (which cannot be wiped). */
    static byte[] hexAscii(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = (byte) HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = (byte) HEX_DIGITS[bytes[i] & 0xf];
        }
        return out;
    }

    /**
     * Decodes {@code length} bytes from ASCII hex (either case); surrounding whitespace is ignored.
     * Returns null if the text is not exactly that, without saying where (it may be a secret).
     */
    static byte @Nullable [] fromHexAscii(byte[] ascii, int length) {
        int start = 0;
        int end = ascii.length;
        while (start < end && Character.isWhitespace(ascii[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(ascii[end - 1])) {
            end--;
        }
        if (end - start != 2 * length) {
            return null;
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            int hi = Character.digit(ascii[start + 2 * i], 16);
            int lo = Character.digit(ascii[start + 2 * i + 1], 16);
            if (hi < 0 || lo < 0) {
                wipe(out);
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    static void wipe(byte @Nullable []... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    /**
     * An unambiguous encoding of several fields for associated data and digests: a domain label,
     * then each field length-prefixed, so that no two different field lists encode the same bytes.
     */
    static final class Fields {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Fields(String label) {
            text(label);
        }

        Fields text(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        Fields bytes(byte[] b) {
            u32(b.length);
            out.writeBytes(b);
            return this;
        }

        Fields u32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Fields u64(long v) {
            u32((int) (v >>> 32));
            return u32((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
