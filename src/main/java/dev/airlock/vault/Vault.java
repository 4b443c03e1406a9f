package dev.airlock.vault;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The vault of one tenant, locked. Metadata (names, versions, times, KDF parameters, public keys)
 * is readable here; values need {@link #unlock(char[])}.
 *
 * <p>Key hierarchy (docs/vault.md): password → Argon2id or scrypt with the header's parameters and
 * salt → HKDF-SHA256 (RFC 5869) into a key-encryption key and a key-check key → the KEK unwraps a
 * random 256-bit data key (AES-256-GCM) → HKDF gives the entry key ({@code airlock vault entry v1})
 * and the field key ({@code airlock field v1}). Changing the password re-wraps the data key only.
 *
 * <p>Every unlock attempt is audited, successful or not; a failed unlock changes nothing else.
 * Password arrays handed to this class are cleared before the method returns.
 */
public final class Vault {
    static final String KEK_INFO = "airlock vault kek v1";
    static final String CHECK_INFO = "airlock vault key check v1";

    final String tenant;
    final Jdbi jdbi;
    final AuditLog audit;
    final Clock clock;
    final SecureRandom random;
    final String actor;

    private Vault(Builder b) {
        this.tenant = b.tenant;
        this.jdbi = b.jdbi;
        this.audit = b.audit;
        this.clock = b.clock;
        this.random = b.random;
        this.actor = b.actor;
    }

    /** Starts a vault for a tenant's database. */
    public static Builder builder() {
        return new Builder();
    }

    public String tenant() {
        return tenant;
    }

    /** Whether the tenant's vault has been created ({@code airlock init}). */
    public boolean isInitialized() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM vault_header").mapTo(Integer.class).one()) > 0;
    }

    /**
     * Creates the vault: a random data key wrapped under {@code password}, and the tenant identity
     * (Ed25519 and X25519 key pairs, private halves as encrypted entries). One transaction with its
     * audit row. Clears {@code password}.
     *
     * @return the vault, unlocked
     * @throws VaultException exit 2 if the vault exists or the password is empty
     */
    public UnlockedVault initialize(char[] password, KdfParams params) {
        Objects.requireNonNull(params, "params");
        byte[] dataKey = Crypto.randomBytes(random, Crypto.KEY_BYTES);
        UnlockedVault session = null;
        try {
            if (password.length == 0) {
                throw VaultException.usage("the vault password is empty; choose a non-empty password");
            }
            if (isInitialized()) {
                throw VaultException.usage("tenant '" + tenant + "' already has a vault; use 'airlock secrets passwd' to change "
                        + "its password");
            }
            long now = clock.millis();
            VaultHeader header = wrap(password, params, dataKey, now, now);
            session = new UnlockedVault(this, SecretBytes.copyOf(dataKey));
            UnlockedVault s = session;
            Ed25519PrivateKeyParameters signing = new Ed25519PrivateKeyParameters(random);
            X25519PrivateKeyParameters agreement = new X25519PrivateKeyParameters(random);
            byte[] signingSeed = signing.getEncoded();
            byte[] agreementSeed = agreement.getEncoded();
            try {
                audit.appendWith(event("vault.create", vaultTarget()).detail("kdf", params.toString())
                                .detail("format_version", VaultHeader.FORMAT_VERSION).build(), h -> {
                    if (VaultHeader.load(h).isPresent()) {
                        throw VaultException.usage("tenant '" + tenant + "' already has a vault");
                    }
                    header.insert(h);
                    s.writeEntry(h, Names.SIGNING_KEY, signingSeed);
                    s.writeEntry(h, Names.AGREEMENT_KEY, agreementSeed);
                    insertPublicKey(h, Identity.SIGNING, Identity.ED25519, signing.generatePublicKey().getEncoded(), now);
                    insertPublicKey(h, Identity.AGREEMENT, Identity.X25519, agreement.generatePublicKey().getEncoded(), now);
                    return null;
                });
            } finally {
                Crypto.wipe(signingSeed, agreementSeed);
            }
            return session;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw e;
        } finally {
            Crypto.wipe(dataKey);
            Arrays.fill(password, '\0');
        }
    }

    private static void insertPublicKey(org.jdbi.v3.core.Handle h, String purpose, String algorithm, byte[] key, long now) {
        h.createUpdate("INSERT INTO vault_public_key (purpose, algorithm, public_key, created) VALUES (:p, :a, :k, :c)")
                .bind("p", purpose).bind("a", algorithm).bind("k", key).bind("c", now).execute();
    }

    /**
     * Derives the key-encryption key from {@code password} and returns the header wrapping
     * {@code dataKey}. Does not clear {@code password}.
     */
    VaultHeader wrap(char[] password, KdfParams params, byte[] dataKey, long created, long updated) {
        return wrap(password, params, dataKey, created, updated, null);
    }

    /** As {@link #wrap(char[], KdfParams, byte[], long, long)}, copying the new KEK into {@code kekOut} if given. */
    VaultHeader wrap(char[] password, KdfParams params, byte[] dataKey, long created, long updated,
            byte @Nullable [] kekOut) {
        byte[] salt = Crypto.randomBytes(random, Kdf.SALT_BYTES);
        byte[] aad = VaultHeader.keyAad(VaultHeader.FORMAT_VERSION, tenant, params.algorithm().id(), params.encoded(), salt);
        byte[][] keys = passwordKeys(params, password, salt);
        try {
            if (kekOut != null) {
                System.arraycopy(keys[0], 0, kekOut, 0, Crypto.KEY_BYTES);
            }
            byte[] nonce = Crypto.randomBytes(random, Crypto.NONCE_BYTES);
            byte[] wrapped = Crypto.seal(keys[0], nonce, aad, dataKey);
            byte[] check = Crypto.hmacSha256(keys[1], aad);
            return VaultHeader.sealed(tenant, params, salt, nonce, wrapped, check, created, updated);
        } finally {
            Crypto.wipe(keys);
        }
    }

    /** {KEK, key-check key} from the password; the intermediate KDF output is wiped. */
    private static byte[][] passwordKeys(KdfParams params, char[] password, byte[] salt) {
        byte[] pw = SecretBytes.utf8(password);
        byte @Nullable [] master = null;
        try {
            master = Kdf.derive(params, pw, salt);
            return new byte[][] {Crypto.hkdf(master, KEK_INFO, Crypto.KEY_BYTES), Crypto.hkdf(master, CHECK_INFO, Crypto.KEY_BYTES)};
        } finally {
            Crypto.wipe(pw, master);
        }
    }

    /**
     * Unlocks the vault. Clears {@code password}.
     *
     * @throws VaultException exit 7 for a wrong password; exit 3 if the header is corrupt or the
     *     wrapped data key was modified (the header is left untouched); exit 2 if there is no vault
     */
    public UnlockedVault unlock(char[] password) {
        return unlock(password, readHeaderOrClear(password), null);
    }

    private VaultHeader readHeaderOrClear(char[] password) {
        try {
            return readHeader("vault.unlock");
        } catch (RuntimeException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
    }

    /** Unlocks with the password; copies the KEK into {@code kekOut} if given. Clears {@code password}. */
    private UnlockedVault unlock(char[] password, VaultHeader header, byte @Nullable [] kekOut) {
        try {
            KdfParams params = KdfParams.decode(header.kdf, header.kdfParams);
            byte[][] keys = passwordKeys(params, password, header.salt);
            byte @Nullable [] dataKey = null;
            try {
                byte[] check = Crypto.hmacSha256(keys[1], header.keyAad());
                if (!MessageDigest.isEqual(check, header.keyCheck)) {
                    throw failed(VaultException.auth("wrong password for the vault of tenant '" + tenant + "'; nothing was "
                            + "changed. Check AIRLOCK_PASSWORD_FILE, AIRLOCK_PASSWORD_COMMAND or AIRLOCK_PASSWORD"),
                            "vault.unlock", vaultTarget(), "wrong-password");
                }
                try {
                    dataKey = Crypto.open(keys[0], header.wrapNonce, header.keyAad(), header.wrappedKey);
                } catch (GeneralSecurityException e) {
                    throw failed(VaultException.integrity("the wrapped data key in the vault header of tenant '" + tenant
                            + "' was modified (the password is right but the key does not authenticate); the header was "
                            + "left untouched: restore the tenant database from a backup"), "vault.unlock", vaultTarget(), "integrity");
                }
                if (dataKey.length != Crypto.KEY_BYTES) {
                    throw failed(VaultException.integrity("the data key in the vault header of tenant '" + tenant
                            + "' has the wrong length; restore the tenant database from a backup"), "vault.unlock", vaultTarget(),
                            "integrity");
                }
                UnlockedVault session = new UnlockedVault(this, SecretBytes.copyOf(dataKey));
                try {
                    audit.append(event("vault.unlock", vaultTarget()).detail("kdf", params.toString()).build());
                } catch (RuntimeException e) {
                    session.close();
                    throw e;
                }
                if (kekOut != null) {
                    System.arraycopy(keys[0], 0, kekOut, 0, Crypto.KEY_BYTES);
                }
                return session;
            } finally {
                Crypto.wipe(keys);
                Crypto.wipe(dataKey);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    // ---- the OS keychain as an unlock source (docs/vault.md, "OS keychain") ---------------------

    /** The {@code meta} key that records that this tenant unlocks from the OS keychain. */
    static final String KEYCHAIN_META = "vault.keychain";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Vault.class);

    /** Whether this tenant opted in to unlocking from the OS keychain. No keychain is asked. */
    public boolean keychainEnabled() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM meta WHERE key = :k").bind("k", KEYCHAIN_META)
                .mapTo(Integer.class).one()) > 0;
    }

    /**
     * Unlocks with the key-encryption key kept in {@code keychain}, without the password or the
     * KDF, if this tenant enabled it. Empty, so that the caller falls back to the password, when it
     * is not enabled, the keychain is off or unavailable, there is no entry for the current header
     * (after a password change), or the entry does not unwrap the data key; only the last case is
     * audited ({@code vault.unlock} failure, reason {@code keychain-stale}). A success is audited as
     * {@code vault.unlock} with {@code source: keychain}.
     *
     * @throws VaultException exit 3 if the header is corrupt (as the password path would)
     */
    public Optional<UnlockedVault> unlockFromKeychain(Keychain keychain) {
        if (!keychainEnabled()) {
            return Optional.empty();
        }
        VaultHeader header = readHeader("vault.unlock");
        Optional<SecretBytes> kek = keychain.lookup(tenant, headerId(header));
        if (kek.isEmpty()) {
            return Optional.empty();
        }
        byte @Nullable [] dataKey = null;
        byte[] raw = new byte[0];
        try (SecretBytes k = kek.get()) {
            raw = k.toByteArray(SecretAccess.INSECURE_ACCESS);
            dataKey = Crypto.open(raw, header.wrapNonce, header.keyAad(), header.wrappedKey);
            if (dataKey.length != Crypto.KEY_BYTES) {
                return Optional.empty();
            }
            UnlockedVault session = new UnlockedVault(this, SecretBytes.copyOf(dataKey));
            try {
                audit.append(event("vault.unlock", vaultTarget()).detail("source", "keychain")
                        .detail("keychain", keychain.backendName()).build());
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            return Optional.of(session);
        } catch (GeneralSecurityException e) {
            LOG.debug("the keychain entry of tenant {} does not unwrap its data key; using the password instead", tenant);
            // Audited only: the password path that follows decides what the user sees.
            failed(VaultException.auth("stale keychain entry"), "vault.unlock", vaultTarget(), "keychain-stale");
            return Optional.empty();
        } finally {
            Crypto.wipe(raw);
            Crypto.wipe(dataKey);
        }
    }

    /**
     * Unlocks with {@code password} and stores the key-encryption key in {@code keychain}, so that
     * later unlocks of this tenant in this home can skip the password. Audited as
     * {@code vault.keychain.enable} (with the keychain's name, never the key), in the same
     * transaction as recording the choice. Clears {@code password}.
     *
     * @return the vault, unlocked
     * @throws VaultException exit 2 if keychain use is turned off; exit 1 if the keychain is
     *     unavailable or refuses the entry (checked before the password is used); exit 7 for a
     *     wrong password
     */
    public UnlockedVault enableKeychain(char[] password, Keychain keychain) {
        VaultHeader header;
        try {
            keychain.requireAvailable();
            header = readHeader("vault.keychain.enable");
        } catch (RuntimeException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
        byte[] kek = new byte[Crypto.KEY_BYTES];
        UnlockedVault session = unlock(password, header, kek);
        try (SecretBytes key = SecretBytes.copyOf(kek)) {
            try {
                keychain.store(tenant, headerId(header), key);
            } catch (VaultException e) {
                throw failed(e, "vault.keychain.enable", vaultTarget(), "keychain-store-failed");
            }
            audit.appendWith(event("vault.keychain.enable", vaultTarget()).detail("keychain", keychain.backendName()).build(),
                    h -> h.execute("INSERT INTO meta(key, value) VALUES (?, 'on') ON CONFLICT(key) DO UPDATE SET value = "
                            + "excluded.value", KEYCHAIN_META));
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        } finally {
            Crypto.wipe(kek);
        }
    }

    /**
     * Stops unlocking this tenant from the keychain and removes its entry there. Needs no password.
     * Audited as {@code vault.keychain.disable} with whether the entry was removed, in the same
     * transaction as forgetting the choice; the choice is forgotten even if the keychain cannot be
     * reached, so no later unlock asks it.
     *
     * @return empty if no entry is left in the keychain, else why it could not be removed
     */
    public Optional<String> disableKeychain(Keychain keychain) {
        return disableKeychain(keychain, null);
    }

    private Optional<String> disableKeychain(Keychain keychain, @Nullable String why) {
        Optional<String> problem = keychain.remove(tenant);
        AuditEvent.Builder e = event("vault.keychain.disable", vaultTarget()).detail("keychain", keychain.backendName())
                .detail("entry_removed", problem.isEmpty());
        if (why != null) {
            e.detail("reason", why);
        }
        problem.ifPresent(p -> e.detail("problem", p));
        audit.appendWith(e.build(), h -> h.execute("DELETE FROM meta WHERE key = ?", KEYCHAIN_META));
        return problem;
    }

    /**
     * After a password change: stores the new KEK for the new header, or, if the keychain cannot
     * take it, turns keychain unlock off for this tenant (audited) so that no stale entry is asked.
     */
    void refreshKeychain(Keychain keychain, VaultHeader header, byte[] kek) {
        if (!keychainEnabled()) {
            return;
        }
        try (SecretBytes key = SecretBytes.copyOf(kek)) {
            keychain.store(tenant, headerId(header), key);
            audit.append(event("vault.keychain.refresh", vaultTarget()).detail("keychain", keychain.backendName()).build());
        } catch (VaultException e) {
            LOG.debug("keychain entry of tenant {} not refreshed after a password change: {}", tenant, e.getMessage());
            disableKeychain(keychain, "password changed; the keychain could not take the new key");
        }
    }

    /**
     * Names the header a keychain entry belongs to: a hash of everything the KEK depends on, so a
     * password change (new salt) makes the old entry a miss. Not secret.
     */
    static String headerId(VaultHeader header) {
        byte[] digest = Crypto.sha256(new Crypto.Fields("airlock keychain header id v1").bytes(header.keyAad()).toByteArray());
        return Crypto.hex(Arrays.copyOf(digest, 16));
    }

    /**
     * Reads and checks the header; a corrupt one is reported (and audited under {@code action})
     * and never rewritten.
     */
    VaultHeader readHeader(String action) {
        Optional<VaultHeader> loaded;
        try {
            loaded = jdbi.withHandle(VaultHeader::load);
        } catch (RuntimeException e) {
            throw failed(new VaultException(dev.airlock.home.ExitCode.INTEGRITY, "the vault header of tenant '" + tenant
                    + "' cannot be read; it was left untouched: restore the tenant database from a backup", e), action,
                    vaultTarget(), "corrupt-header");
        }
        VaultHeader header = loaded.orElseThrow(() -> VaultException.usage("tenant '" + tenant
                + "' has no vault yet; run 'airlock init' first"));
        String problem = null;
        if (header.formatVersion != VaultHeader.FORMAT_VERSION) {
            problem = "has format version " + header.formatVersion + ", which this Airlock does not read (it reads "
                    + VaultHeader.FORMAT_VERSION + ")";
        } else if (!header.digestMatches()) {
            problem = "is corrupt (its digest does not match its contents)";
        } else if (!header.tenant.equals(tenant)) {
            problem = "belongs to another tenant ('" + header.tenant + "')";
        } else if (header.salt.length != Kdf.SALT_BYTES || header.wrapNonce.length != Crypto.NONCE_BYTES
                || header.keyCheck.length != 32) {
            problem = "is malformed (field lengths)";
        } else {
            try {
                KdfParams.decode(header.kdf, header.kdfParams);
            } catch (IllegalArgumentException e) {
                problem = "has invalid key derivation parameters";
            }
        }
        if (problem != null) {
            throw failed(VaultException.integrity("the vault header of tenant '" + tenant + "' " + problem
                    + "; it was left untouched: restore the tenant database from a backup"), action, vaultTarget(), "corrupt-header");
        }
        return header;
    }

    /** The KDF parameters in the header, readable without the password. */
    public KdfParams kdfParams() {
        VaultHeader header = readHeader("vault.inspect");
        return KdfParams.decode(header.kdf, header.kdfParams);
    }

    /** Names, versions and times of every entry, sorted by name. Never values; no unlock needed. */
    public List<VaultEntry> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, version, created, updated FROM vault_entry ORDER BY name")
                .map((rs, ctx) -> new VaultEntry(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), Names.isReserved(rs.getString(1))))
                .list());
    }

    /** The tenant's public keys and fingerprints, readable without the password. */
    public PublicIdentity publicIdentity() {
        return PublicIdentity.load(jdbi, tenant);
    }

    AuditEvent.Builder event(String action, String target) {
        return AuditEvent.builder(action).actor(actor).target(target).detail("tenant", tenant);
    }

    String vaultTarget() {
        return "vault:" + tenant;
    }

    /** Audits a failure and returns {@code e} to throw; an audit failure is attached, not thrown. */
    VaultException failed(VaultException e, String action, String target, String reason) {
        try {
            audit.append(event(action, target).outcome("failure").detail("reason", reason).build());
        } catch (RuntimeException auditFailure) {
            e.addSuppressed(auditFailure);
        }
        return e;
    }

    /** Builds a {@link Vault}; configuration is frozen by {@link #build()}. */
    public static final class Builder {
        private @Nullable String tenant;
        private @Nullable Jdbi jdbi;
        private @Nullable AuditLog audit;
        private Clock clock = Clock.systemUTC();
        private @Nullable SecureRandom random;
        private String actor = "user";

        private Builder() {}

        /** The tenant name; bound into every ciphertext's associated data. */
        public Builder tenant(String tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The tenant database, migrated with {@code db/migration} (V2 creates the vault tables). */
        public Builder jdbi(Jdbi jdbi) {
            this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
            return this;
        }

        /** The tenant's audit log; vault mutations commit in its transactions. */
        public Builder audit(AuditLog audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Source of salts, nonces and keys; defaults to a strong {@link SecureRandom}. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The audit actor, e.g. {@code user} or {@code user:alice}. */
        public Builder actor(String actor) {
            this.actor = Objects.requireNonNull(actor, "actor");
            return this;
        }

        public Vault build() {
            if (tenant == null || tenant.isEmpty() || jdbi == null || audit == null) {
                throw new IllegalStateException("a vault needs a tenant, a Jdbi and an audit log");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new Vault(this);
        }
    }
}
