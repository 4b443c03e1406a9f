package dev.airlock.audit;

import java.util.Optional;

/**
 * Signs checkpoints with the tenant's Ed25519 key (held in the vault). Implementations must be
 * thread-safe; the private key never leaves the implementation.
 *
 * <p>Once a tenant has an identity, every checkpoint of its log must be signed, so that a
 * recomputed chain cannot hide behind unsigned checkpoints. A process whose vault is locked
 * therefore writes no checkpoint at all: its rows stay covered by the chain only until a process
 * holding the key (or {@code airlock audit seal}) checkpoints them.
 */
public interface CheckpointSigner {
    /** Whether this log's checkpoints must be signed (the tenant has an identity). */
    boolean required();

    /** The signing key's id when the key is available in this process, else empty. */
    Optional<String> keyId();

    /** The signature of {@code message}; only called when {@link #keyId()} is present. */
    byte[] sign(byte[] message);
}
