package dev.airlock.audit;

/**
 * Signs checkpoints with the tenant's key (Ed25519, from the vault). Implementations must be
 * thread-safe; the private key never leaves the implementation.
 */
public interface CheckpointSigner {
    /** A stable identifier of the public key, recorded with each signature. */
    String keyId();

    /** The signature of {@code message}. */
    byte[] sign(byte[] message);
}
