package dev.airlock.vault;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value: an API key, a token, a private key, a data key. Modelled on Tink's
 * {@code util/SecretBytes}.
 *
 * <ul>
 *   <li>The bytes are copied in and copied out, so no caller shares the array.</li>
 *   <li>{@link #toString()} prints a fixed mask and never the value or its length; {@code equals}
 *       is identity on purpose (use {@link #equalsSecret}, which is constant-time).</li>
 *   <li>Reading the plaintext requires {@link SecretAccess#INSECURE_ACCESS}.</li>
 *   <li>{@link #destroy()} overwrites the bytes with zeros; afterwards every read throws. The JVM
 *       may still hold copies made by the garbage collector or by cipher implementations, which is
 *       why secrets also never reach logs or disk in the clear: wiping narrows the window, it does
 *       not close it.</li>
 * </ul>
 */
public final class SecretBytes implements AutoCloseable {
    private static final String MASK = "SecretBytes[***]";

    private final byte[] value;
    private boolean destroyed;

    private SecretBytes(byte[] owned) {
        this.value = owned;
    }

    /** A secret holding a copy of {@code value}; the caller should wipe its own array. */
    public static SecretBytes copyOf(byte[] value) {
        return new SecretBytes(Objects.requireNonNull(value, "value").clone());
    }

    /** {@code length} bytes from {@code random}. */
    public static SecretBytes random(int length, SecureRandom random) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new SecretBytes(bytes);
    }

    /**
     * The UTF-8 encoding of {@code chars} without passing through a {@code String} (strings cannot
     * be wiped). The caller still owns {@code chars} and should clear it.
     *
     * @throws IllegalArgumentException if {@code chars} holds an unpaired surrogate
     */
    public static SecretBytes fromChars(char[] chars) {
        return new SecretBytes(utf8(chars));
    }

    /** Takes ownership of {@code owned} without copying: for arrays this package just created. */
    static SecretBytes adopt(byte[] owned) {
        return new SecretBytes(owned);
    }

    /** Number of bytes. */
    public synchronized int size() {
        checkAlive();
        return value.length;
    }

    /** A copy of the plaintext. The caller owns it and should wipe it after use. */
    public synchronized byte[] toByteArray(SecretAccess access) {
        Objects.requireNonNull(access, "access");
        checkAlive();
        return value.clone();
    }

    /** An independent copy that can be destroyed separately. */
    public synchronized SecretBytes copy() {
        checkAlive();
        return new SecretBytes(value.clone());
    }

    /**
     * Whether both hold the same bytes. The comparison time does not depend on where the contents
     * differ ({@link MessageDigest#isEqual}); it does reveal whether the lengths differ.
     */
    public boolean equalsSecret(SecretBytes other) {
        byte[] mine = toByteArray(SecretAccess.INSECURE_ACCESS);
        byte[] theirs = other.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            return MessageDigest.isEqual(mine, theirs);
        } finally {
            Arrays.fill(mine, (byte) 0);
            Arrays.fill(theirs, (byte) 0);
        }
    }

    /** Overwrites the value with zeros. Idempotent. */
    public synchronized void destroy() {
        Arrays.fill(value, (byte) 0);
        destroyed = true;
    }

    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    /** A fixed mask: never the value, never its length. */
    @Override
    public String toString() {
        return MASK;
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("this secret was destroyed after use; obtain it again from the vault");
        }
    }

    /** UTF-8 bytes of {@code chars}; intermediate buffers are wiped. */
    static byte[] utf8(char[] chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the text is not valid Unicode (unpaired surrogate)");
        }
        byte[] out = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return out;
    }
}
