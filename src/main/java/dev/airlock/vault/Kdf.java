package dev.airlock.vault;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Password-based key derivation: Argon2id (RFC 9106) or scrypt (RFC 7914), both from BouncyCastle. */
final class Kdf {
    static final int SALT_BYTES = 16;

    private Kdf() {}

    /**
     * Derives 32 bytes from {@code password} (UTF-8, as the reference implementations take bytes).
     * The password array is the caller's to wipe.
     */
    static byte[] derive(KdfParams params, byte[] password, byte[] salt) {
        return switch (params.algorithm()) {
            case ARGON2ID -> argon2id(password, salt, params.memoryKib(), params.iterations(), params.parallelism(),
                    new byte[0], new byte[0], Crypto.KEY_BYTES);
            case SCRYPT -> scrypt(password, salt, 1 << params.log2N(), params.blockSize(), params.parallelism(), Crypto.KEY_BYTES);
        };
    }

    /** Raw Argon2id, version 0x13, with the optional secret K and associated data X of RFC 9106 3.1. */
    static byte[] argon2id(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism,
            byte[] secret, byte[] associatedData, int tagLength) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .withSecret(secret)
                .withAdditional(associatedData)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[tagLength];
        generator.generateBytes(password, out);
        return out;
    }

    /** Raw scrypt. */
    static byte[] scrypt(byte[] password, byte[] salt, int n, int r, int p, int length) {
        return SCrypt.generate(password, salt, n, r, p, length);
    }
}
