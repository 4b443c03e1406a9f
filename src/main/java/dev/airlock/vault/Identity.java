package dev.airlock.vault;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.StringJoiner;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The tenant's cryptographic identity with its private keys unlocked: Ed25519 (RFC 8032) to sign
 * audit checkpoints and, later, fleet envelopes; X25519 (RFC 7748) for key agreement. Private keys
 * never leave this object; it is wiped when its {@link UnlockedVault} closes.
 */
public final class Identity {
    static final String SIGNING = "signing";
    static final String AGREEMENT = "agreement";
    static final String ED25519 = "Ed25519";
    static final String X25519 = "X25519";

    private final UnlockedVault session;
    private final PublicIdentity publicIdentity;
    private final SecretBytes signingSeed;
    private final SecretBytes agreementKey;

    private Identity(UnlockedVault session, PublicIdentity publicIdentity, SecretBytes signingSeed, SecretBytes agreementKey) {
        this.session = session;
        this.publicIdentity = publicIdentity;
        this.signingSeed = signingSeed;
        this.agreementKey = agreementKey;
    }

    /** Decrypts the private keys and checks they match the public key table. */
    static Identity load(UnlockedVault session) {
        PublicIdentity published = PublicIdentity.load(session.vault.jdbi, session.tenant());
        SecretBytes seed = SecretBytes.adopt(session.decryptInternal(Names.SIGNING_KEY));
        SecretBytes agreement = SecretBytes.adopt(session.decryptInternal(Names.AGREEMENT_KEY));
        byte[] rawSeed = seed.toByteArray(SecretAccess.INSECURE_ACCESS);
        byte[] rawAgreement = agreement.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            if (rawSeed.length != 32 || rawAgreement.length != 32
                    || !MessageDigest.isEqual(new Ed25519PrivateKeyParameters(rawSeed).generatePublicKey().getEncoded(),
                            published.signingKey())
                    || !MessageDigest.isEqual(new X25519PrivateKeyParameters(rawAgreement).generatePublicKey().getEncoded(),
                            published.agreementKey())) {
                seed.destroy();
                agreement.destroy();
                throw VaultException.integrity("the identity public keys of tenant '" + session.tenant()
                        + "' do not match its private keys (vault_public_key was modified); restore the tenant database "
                        + "from a backup");
            }
        } finally {
            Crypto.wipe(rawSeed, rawAgreement);
        }
        return new Identity(session, published, seed, agreement);
    }

    /** The public keys and fingerprints. */
    public PublicIdentity publicIdentity() {
        return publicIdentity;
    }

    /**
     * Signs {@code message} with the tenant's Ed25519 key (pure Ed25519, RFC 8032 5.1.6).
     *
     * @throws VaultException exit 7 if the vault session was closed
     */
    public byte[] sign(byte[] message) {
        return session.read(() -> {
            byte[] seed = signingSeed.toByteArray(SecretAccess.INSECURE_ACCESS);
            try {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, new Ed25519PrivateKeyParameters(seed));
                signer.update(message, 0, message.length);
                return signer.generateSignature();
            } finally {
                Crypto.wipe(seed);
            }
        });
    }

    /**
     * X25519 shared secret with {@code peerPublicKey} (RFC 7748 section 6.1). Feed it to a KDF; never
     * use it as a key directly.
     *
     * @throws VaultException exit 3 if the peer key is malformed or of low order (all-zero output)
     */
    public SecretBytes agree(byte[] peerPublicKey) {
        return session.read(() -> {
            if (peerPublicKey.length != 32) {
                throw VaultException.integrity("the peer's X25519 public key must be 32 bytes");
            }
            byte[] key = agreementKey.toByteArray(SecretAccess.INSECURE_ACCESS);
            try {
                return SecretBytes.adopt(x25519(key, peerPublicKey));
            } finally {
                Crypto.wipe(key);
            }
        });
    }

    /** Raw X25519 (RFC 7748 section 5) refusing an all-zero result (section 6.1). */
    static byte[] x25519(byte[] privateKey, byte[] peerPublicKey) {
        byte[] shared = new byte[32];
        try {
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(new X25519PrivateKeyParameters(privateKey));
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey), shared, 0);
            return shared;
        } catch (IllegalStateException lowOrder) {
            Crypto.wipe(shared);
            throw VaultException.integrity("the peer's X25519 public key is invalid (low order point); refusing it");
        }
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature of {@code message} under the raw
     * 32-byte {@code publicKey}. Never throws on malformed input; it returns false.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != 32 || signature.length != 64) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /**
     * SHA-256 of the raw public key in lowercase hex, in groups of four separated by ':' so people
     * can compare them aloud, e.g. {@code 3f2a:91c0:…} (16 groups).
     */
    public static String fingerprint(byte[] publicKey) {
        String hex = HexFormat.of().formatHex(Crypto.sha256(publicKey));
        StringJoiner joined = new StringJoiner(":");
        for (int i = 0; i < hex.length(); i += 4) {
            joined.add(hex.substring(i, i + 4));
        }
        return joined.toString();
    }

    void destroy() {
        signingSeed.destroy();
        agreementKey.destroy();
    }

    @Override
    public String toString() {
        return "Identity[" + publicIdentity + "]";
    }
}
