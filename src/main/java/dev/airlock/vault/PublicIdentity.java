package dev.airlock.vault;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The public half of a tenant identity: the Ed25519 verification key (RFC 8032) and the X25519
 * key-agreement key (RFC 7748), as raw 32-byte keys, with their fingerprints. Readable without the
 * vault password.
 */
public final class PublicIdentity {
    private final String tenant;
    private final byte[] signingKey;
    private final byte[] agreementKey;

    PublicIdentity(String tenant, byte[] signingKey, byte[] agreementKey) {
        this.tenant = tenant;
        this.signingKey = signingKey.clone();
        this.agreementKey = agreementKey.clone();
    }

    static PublicIdentity load(Jdbi jdbi, String tenant) {
        Map<String, byte[]> keys = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT purpose, algorithm, public_key FROM vault_public_key").map((rs, ctx) -> {
            String purpose = rs.getString(1);
            String expected = Identity.SIGNING.equals(purpose) ? Identity.ED25519 : Identity.X25519;
            byte[] key = rs.getBytes(3);
            if (expected.equals(rs.getString(2)) && key != null && key.length == 32) {
                keys.put(purpose, key);
            }
            return purpose;
        }).list());
        byte[] signing = keys.get(Identity.SIGNING);
        byte[] agreement = keys.get(Identity.AGREEMENT);
        if (signing == null || agreement == null) {
            throw VaultException.integrity("tenant '" + tenant + "' has no valid identity public keys (vault_public_key); "
                    + "run 'airlock init' for a new tenant or restore the tenant database from a backup");
        }
        return new PublicIdentity(tenant, signing, agreement);
    }

    public String tenant() {
        return tenant;
    }

    /** The raw Ed25519 public key (32 bytes), a copy. */
    public byte[] signingKey() {
        return signingKey.clone();
    }

    /** The raw X25519 public key (32 bytes), a copy. */
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    /** {@link Identity#fingerprint} of the signing key. */
    public String signingFingerprint() {
        return Identity.fingerprint(signingKey);
    }

    /** {@link Identity#fingerprint} of the agreement key. */
    public String agreementFingerprint() {
        return Identity.fingerprint(agreementKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicIdentity p && p.tenant.equals(tenant) && Arrays.equals(p.signingKey, signingKey)
                && Arrays.equals(p.agreementKey, agreementKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signingKey);
    }

    @Override
    public String toString() {
        return "PublicIdentity[tenant=" + tenant + ", ed25519=" + signingFingerprint() + ", x25519=" + agreementFingerprint() + "]";
    }
}
