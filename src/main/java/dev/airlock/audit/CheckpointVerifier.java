package dev.airlock.audit;

/**
 * Checks checkpoint signatures against the tenant's public key. {@link AuditVerifier} does not take
 * one: it reads the key from the database itself, so a caller cannot leave signatures unchecked.
 */
public interface CheckpointVerifier {
    /** The key id that signed checkpoints must carry. */
    String keyId();

    /** True when {@code signature} is a valid signature of {@code message} by the tenant's key. */
    boolean verify(byte[] message, byte[] signature);
}
