package dev.airlock.vault;

import java.security.MessageDigest;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/** The row of {@code vault_header}, and the byte encodings derived from it. */
final class VaultHeader {
    static final int FORMAT_VERSION = 1;
    private static final String COLUMNS =
            "format_version, tenant, kdf, kdf_params, salt, wrap_nonce, wrapped_key, key_check, digest, created, updated";

    final int formatVersion;
    final String tenant;
    final String kdf;
    final String kdfParams;
    final byte[] salt;
    final byte[] wrapNonce;
    final byte[] wrappedKey;
    final byte[] keyCheck;
    final byte[] digest;
    final long created;
    final long updated;

    VaultHeader(int formatVersion, String tenant, String kdf, String kdfParams, byte[] salt, byte[] wrapNonce,
            byte[] wrappedKey, byte[] keyCheck, byte[] digest, long created, long updated) {
        this.formatVersion = formatVersion;
        this.tenant = tenant;
        this.kdf = kdf;
        this.kdfParams = kdfParams;
        this.salt = salt;
        this.wrapNonce = wrapNonce;
        this.wrappedKey = wrappedKey;
        this.keyCheck = keyCheck;
        this.digest = digest;
        this.created = created;
        this.updated = updated;
    }

    /** A header with its digest computed over every other column. */
    static VaultHeader sealed(String tenant, KdfParams params, byte[] salt, byte[] wrapNonce, byte[] wrappedKey,
            byte[] keyCheck, long created, long updated) {
        VaultHeader draft = new VaultHeader(FORMAT_VERSION, tenant, params.algorithm().id(), params.encoded(), salt,
                wrapNonce, wrappedKey, keyCheck, new byte[0], created, updated);
        return new VaultHeader(FORMAT_VERSION, tenant, draft.kdf, draft.kdfParams, salt, wrapNonce, wrappedKey, keyCheck,
                draft.computeDigest(), created, updated);
    }

    /**
     * Associated data of the wrapped key and input of the key check: everything the KEK depends on,
     * so that a header edited to other KDF parameters or another tenant cannot be unwrapped.
     */
    static byte[] keyAad(int formatVersion, String tenant, String kdf, String kdfParams, byte[] salt) {
        return new Crypto.Fields("airlock vault header v1").u32(formatVersion).text(tenant).text(kdf).text(kdfParams)
                .bytes(salt).toByteArray();
    }

    byte[] keyAad() {
        return keyAad(formatVersion, tenant, kdf, kdfParams, salt);
    }

    /**
     * SHA-256 over all other columns. Unkeyed on purpose: it is checked before any password is
     * involved, to report accidental corruption as corruption rather than as a wrong password. An
     * attacker can recompute it; what stops them is the key check and the GCM tag.
     */
    byte[] computeDigest() {
        return Crypto.sha256(new Crypto.Fields("airlock vault header digest v1").u32(formatVersion).text(tenant).text(kdf)
                .text(kdfParams).bytes(salt).bytes(wrapNonce).bytes(wrappedKey).bytes(keyCheck).u64(created).u64(updated)
                .toByteArray());
    }

    boolean digestMatches() {
        return MessageDigest.isEqual(digest, computeDigest());
    }

    static Optional<VaultHeader> load(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM vault_header WHERE id = 1")
                .map((rs, ctx) -> new VaultHeader(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        bytes(rs.getBytes(5)), bytes(rs.getBytes(6)), bytes(rs.getBytes(7)), bytes(rs.getBytes(8)),
                        bytes(rs.getBytes(9)), rs.getLong(10), rs.getLong(11)))
                .findOne();
    }

    private static byte[] bytes(byte @Nullable [] b) {
        return b == null ? new byte[0] : b;
    }

    void insert(Handle h) {
        h.createUpdate("INSERT INTO vault_header (id, " + COLUMNS + ") VALUES (1, :format_version, :tenant, :kdf, "
                        + ":kdf_params, :salt, :wrap_nonce, :wrapped_key, :key_check, :digest, :created, :updated)")
                .bind("format_version", formatVersion).bind("tenant", tenant).bind("kdf", kdf).bind("kdf_params", kdfParams)
                .bind("salt", salt).bind("wrap_nonce", wrapNonce).bind("wrapped_key", wrappedKey).bind("key_check", keyCheck)
                .bind("digest", digest).bind("created", created).bind("updated", updated)
                .execute();
    }

    /** Replaces the header only if it is still {@code previous}; returns whether it did. */
    boolean replace(Handle h, VaultHeader previous) {
        return h.createUpdate("UPDATE vault_header SET format_version = :format_version, kdf = :kdf, kdf_params = :kdf_params, "
                        + "salt = :salt, wrap_nonce = :wrap_nonce, wrapped_key = :wrapped_key, key_check = :key_check, "
                        + "digest = :digest, updated = :updated WHERE id = 1 AND digest = :previous")
                .bind("format_version", formatVersion).bind("kdf", kdf).bind("kdf_params", kdfParams).bind("salt", salt)
                .bind("wrap_nonce", wrapNonce).bind("wrapped_key", wrappedKey).bind("key_check", keyCheck)
                .bind("digest", digest).bind("updated", updated).bind("previous", previous.digest)
                .execute() == 1;
    }
}
