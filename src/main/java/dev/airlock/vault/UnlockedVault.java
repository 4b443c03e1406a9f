package dev.airlock.vault;

import dev.airlock.home.ExitCode;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * An unlocked vault session: it holds the tenant data key in memory until {@link #close()}.
 * Thread-safe.
 *
 * <p>Guarantees: values are AES-256-GCM encrypted under a key derived from the data key, with a
 * fresh random nonce per write and associated data binding tenant, name and version; every
 * mutation commits in the same transaction as its audit row; every reveal is audited after the
 * value was authenticated and before it is returned; no method puts a value into a message.
 *
 * <p>The values this session has seen (set, revealed, or loaded with
 * {@link #loadAllForRedaction()}) are the "known secrets" the redaction engine scrubs exactly: see
 * {@link #forEachUnlockedValue} and {@link #addUnlockedValueListener}.
 */
public final class UnlockedVault implements AutoCloseable {
    static final String ENTRY_INFO = "airlock vault entry v1";
    static final String FIELD_INFO = "airlock field v1";
    /** Large enough for certificates and service-account files, small enough to refuse a mistake. */
    static final int MAX_VALUE_BYTES = 1024 * 1024;

    final Vault vault;
    private final SecretBytes dataKey;
    private final SecretBytes entryKey;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<SecretBytes> known = new ArrayList<>();
    private final List<Consumer<SecretBytes>> listeners = new CopyOnWriteArrayList<>();
    private @Nullable Identity identity;
    private boolean closed;

    UnlockedVault(Vault vault, SecretBytes dataKey) {
        this.vault = vault;
        this.dataKey = dataKey;
        byte[] raw = dataKey.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            this.entryKey = SecretBytes.adopt(Crypto.hkdf(raw, ENTRY_INFO, Crypto.KEY_BYTES));
        } finally {
            Crypto.wipe(raw);
        }
    }

    public String tenant() {
        return vault.tenant;
    }

    /**
     * Stores {@code value} under {@code name}, replacing any previous value and incrementing the
     * version. Audited as {@code vault.secret.set} in the same transaction.
     *
     * @throws VaultException exit 2 for an invalid or reserved name or an empty value
     */
    public void set(String name, SecretBytes value) {
        Names.checkUser(name);
        byte[] plain = value.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            if (plain.length == 0 || plain.length > MAX_VALUE_BYTES) {
                throw VaultException.usage("the value for secret '" + name + "' must be between 1 byte and 1 MiB");
            }
            read(() -> vault.audit.appendWith(vault.event("vault.secret.set", secretTarget(name)).build(), h -> {
                writeEntry(h, name, plain);
                return null;
            }));
            remember(value);
        } finally {
            Crypto.wipe(plain);
        }
    }

    /**
     * Decrypts the current value of {@code name}. Audited as {@code vault.secret.get} (success or
     * failure); the value is returned only once its audit row is durable.
     *
     * @return a secret the caller owns and should {@link SecretBytes#destroy() destroy}
     * @throws VaultException exit 2 if there is no such secret, exit 3 if its ciphertext, nonce,
     *     tag or version was modified or it was moved from another entry (the row is left as is)
     */
    public SecretBytes get(String name) {
        Names.checkUser(name);
        return read(() -> {
            Optional<StoredEntry> row = load(name);
            if (row.isEmpty()) {
                throw vault.failed(VaultException.usage("tenant '" + vault.tenant + "' has no secret named '" + name
                        + "'; see 'airlock secrets list'"), "vault.secret.get", secretTarget(name), "not-found");
            }
            byte[] plain = decrypt(row.get(), true);
            SecretBytes value = SecretBytes.adopt(plain);
            try {
                vault.audit.append(vault.event("vault.secret.get", secretTarget(name)).detail("version", row.get().version).build());
            } catch (RuntimeException e) {
                value.destroy();
                throw e;
            }
            remember(value);
            return value;
        });
    }

    /** Names, versions and times of every entry. Never values. */
    public List<VaultEntry> list() {
        return vault.list();
    }

    /**
     * Deletes {@code name}. Audited as {@code vault.secret.remove} in the same transaction.
     *
     * @throws VaultException exit 2 if there is no such secret (nothing is written)
     */
    public void remove(String name) {
        Names.checkUser(name);
        read(() -> vault.audit.appendWith(vault.event("vault.secret.remove", secretTarget(name)).build(), h -> {
            if (h.createUpdate("DELETE FROM vault_entry WHERE name = :n").bind("n", name).execute() != 1) {
                throw VaultException.usage("tenant '" + vault.tenant + "' has no secret named '" + name
                        + "'; see 'airlock secrets list'");
            }
            return null;
        }));
    }

    /**
     * Wraps the data key under {@code newPassword} with a fresh salt and {@code params}. Values are
     * not re-encrypted: they depend on the data key, which does not change. Audited as
     * {@code vault.password.change} in the same transaction. Clears {@code newPassword}.
     *
     * @throws VaultException exit 2 for an empty password; exit 1 if another process changed the
     *     header meanwhile (nothing is written: unlock again and retry)
     */
    public void changePassword(char[] newPassword, KdfParams params) {
        changePassword(newPassword, params, Keychain.off("not consulted for this password change"));
    }

    /**
     * As {@link #changePassword(char[], KdfParams)}; if the tenant unlocks from the OS keychain,
     * its entry is then replaced by the new key-encryption key ({@code vault.keychain.refresh}), or,
     * when {@code keychain} cannot take it, keychain unlock is turned off for the tenant
     * ({@code vault.keychain.disable}), so that the old entry is never asked again.
     */
    public void changePassword(char[] newPassword, KdfParams params, Keychain keychain) {
        byte[] kek = new byte[Crypto.KEY_BYTES];
        try {
            if (newPassword.length == 0) {
                throw VaultException.usage("the new vault password is empty; choose a non-empty password");
            }
            VaultHeader written = read(() -> {
                VaultHeader previous = vault.readHeader("vault.password.change");
                byte[] key = dataKey.toByteArray(SecretAccess.INSECURE_ACCESS);
                VaultHeader next;
                try {
                    next = vault.wrap(newPassword, params, key, previous.created, vault.clock.millis(), kek);
                } finally {
                    Crypto.wipe(key);
                }
                vault.audit.appendWith(vault.event("vault.password.change", vault.vaultTarget())
                        .detail("kdf", params.toString()).build(), h -> {
                    if (!next.replace(h, previous)) {
                        throw new VaultException(ExitCode.RUNTIME, "the vault header of tenant '" + vault.tenant
                                + "' changed while the password was being changed; nothing was written: try again");
                    }
                    return null;
                });
                return next;
            });
            vault.refreshKeychain(keychain, written, kek);
        } finally {
            Crypto.wipe(kek);
            Arrays.fill(newPassword, '\0');
        }
    }

    /**
     * Decrypts every user secret into the known-secrets set so the redactor can scrub values this
     * process never revealed (one pasted into a tool's output, say). Audited once, with the names.
     *
     * @return how many values were loaded
     * @throws VaultException exit 3 if any entry fails to authenticate
     */
    public int loadAllForRedaction() {
        return read(() -> {
            List<String> names = new ArrayList<>();
            List<SecretBytes> values = new ArrayList<>();
            try {
                for (VaultEntry entry : vault.list()) {
                    if (entry.internal()) {
                        continue;
                    }
                    StoredEntry row = load(entry.name()).orElse(null);
                    if (row != null) {
                        values.add(SecretBytes.adopt(decrypt(row, true)));
                        names.add(entry.name());
                    }
                }
                vault.audit.append(vault.event("vault.secret.load_for_redaction", vault.vaultTarget())
                        .detail("names", names).build());
                values.forEach(this::remember);
                return values.size();
            } finally {
                values.forEach(SecretBytes::destroy);
            }
        });
    }

    /**
     * Passes each value this session holds in memory to {@code consumer}, as a copy the consumer
     * owns. For the redaction engine: it must scrub exactly these.
     */
    public void forEachUnlockedValue(Consumer<SecretBytes> consumer) {
        List<SecretBytes> copies = new ArrayList<>();
        read(() -> {
            synchronized (known) {
                known.forEach(v -> copies.add(v.copy()));
            }
            return null;
        });
        copies.forEach(consumer);
    }

    /**
     * Calls {@code listener} with a copy of every value this session already holds, then with a copy
     * of every value that becomes known later (set, revealed or loaded), so a redactor stays current
     * without polling. Registration and replay are atomic: no value is missed in between. The
     * listener owns the copies it receives.
     */
    public void addUnlockedValueListener(Consumer<SecretBytes> listener) {
        Objects.requireNonNull(listener, "listener");
        List<SecretBytes> replay = new ArrayList<>();
        read(() -> {
            synchronized (known) {
                listeners.add(listener);
                known.forEach(v -> replay.add(v.copy()));
            }
            return null;
        });
        replay.forEach(listener);
    }

    /**
     * The tenant identity with its private keys decrypted. The keys stay in this session and are
     * wiped by {@link #close()}.
     *
     * @throws VaultException exit 3 if a private key or the public key table was modified
     */
    public Identity identity() {
        return read(() -> {
            synchronized (this) {
                if (identity == null) {
                    identity = Identity.load(this);
                }
                return identity;
            }
        });
    }

    /**
     * A field cipher keyed by HKDF-SHA256(data key, "airlock field v1"). The cipher holds its own
     * copy of the key and outlives this session until closed.
     */
    public FieldCipher fieldCipher() {
        return read(() -> {
            byte[] raw = dataKey.toByteArray(SecretAccess.INSECURE_ACCESS);
            try {
                return FieldCipher.withKey(SecretBytes.adopt(Crypto.hkdf(raw, FIELD_INFO, Crypto.KEY_BYTES)));
            } finally {
                Crypto.wipe(raw);
            }
        });
    }

    /**
     * The field key for unattended use: put its base64 in {@code AIRLOCK_ENC_KEY} (or the configured
     * variable) so services can read encrypted content without the vault password. It cannot decrypt
     * vault entries. Audited as {@code vault.field_key.export}.
     */
    public SecretBytes exportFieldKey() {
        return read(() -> {
            byte[] raw = dataKey.toByteArray(SecretAccess.INSECURE_ACCESS);
            SecretBytes key;
            try {
                key = SecretBytes.adopt(Crypto.hkdf(raw, FIELD_INFO, Crypto.KEY_BYTES));
            } finally {
                Crypto.wipe(raw);
            }
            try {
                vault.audit.append(vault.event("vault.field_key.export", vault.vaultTarget()).build());
            } catch (RuntimeException e) {
                key.destroy();
                throw e;
            }
            remember(key);
            return key;
        });
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Wipes the data key, derived keys, identity private keys and known values. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            dataKey.destroy();
            entryKey.destroy();
            synchronized (this) {
                if (identity != null) {
                    identity.destroy();
                }
            }
            synchronized (known) {
                known.forEach(SecretBytes::destroy);
                known.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- internals -------------------------------------------------------------------------

    interface Action<T> {
        T run();
    }

    /** Runs {@code action} while the session is open; close waits for running actions. */
    <T> T read(Action<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw VaultException.auth("the vault of tenant '" + vault.tenant + "' is locked (this session was closed); "
                        + "unlock it again");
            }
            return action.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Encrypts {@code plain} as the next version of {@code name}; runs inside the caller's transaction. */
    void writeEntry(Handle h, String name, byte[] plain) {
        Optional<Integer> current = h.createQuery("SELECT version FROM vault_entry WHERE name = :n").bind("n", name)
                .mapTo(Integer.class).findOne();
        int version = current.map(v -> v + 1).orElse(1);
        byte[] nonce = Crypto.randomBytes(vault.random, Crypto.NONCE_BYTES);
        byte[] key = entryKey.toByteArray(SecretAccess.INSECURE_ACCESS);
        byte[] sealed;
        try {
            sealed = Crypto.seal(key, nonce, entryAad(vault.tenant, name, version), plain);
        } finally {
            Crypto.wipe(key);
        }
        long now = vault.clock.millis();
        h.createUpdate("INSERT INTO vault_entry (name, version, nonce, ciphertext, created, updated) "
                        + "VALUES (:n, :v, :nonce, :ct, :now, :now) ON CONFLICT (name) DO UPDATE SET version = excluded.version, "
                        + "nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated = excluded.updated")
                .bind("n", name).bind("v", version).bind("nonce", nonce).bind("ct", sealed).bind("now", now)
                .execute();
    }

    /** Associated data of an entry: a ciphertext only opens under the tenant, name and version it was written for. */
    static byte[] entryAad(String tenant, String name, int version) {
        return new Crypto.Fields(ENTRY_INFO).u32(VaultHeader.FORMAT_VERSION).text(tenant).text(name).u64(version).toByteArray();
    }

    record StoredEntry(String name, int version, byte[] nonce, byte[] ciphertext) {}

    Optional<StoredEntry> load(String name) {
        return vault.jdbi.withHandle(h -> h.createQuery("SELECT name, version, nonce, ciphertext FROM vault_entry WHERE name = :n")
                .bind("n", name)
                .map((rs, ctx) -> new StoredEntry(rs.getString(1), rs.getInt(2), orEmpty(rs.getBytes(3)), orEmpty(rs.getBytes(4))))
                .findOne());
    }

    private static byte[] orEmpty(byte @Nullable [] b) {
        return b == null ? new byte[0] : b;
    }

    /** Authenticates and decrypts; on failure throws exit 3 (audited if {@code audited}). */
    byte[] decrypt(StoredEntry row, boolean audited) {
        byte[] key = entryKey.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            return Crypto.open(key, row.nonce(), entryAad(vault.tenant, row.name(), row.version()), row.ciphertext());
        } catch (GeneralSecurityException e) {
            VaultException failure = VaultException.integrity("secret '" + row.name() + "' of tenant '" + vault.tenant
                    + "' failed its integrity check: its ciphertext, nonce, tag or version was modified, or it was copied "
                    + "from another entry. It was left as is; restore it from a backup or set it again");
            throw audited ? vault.failed(failure, "vault.secret.get", secretTarget(row.name()), "integrity") : failure;
        } finally {
            Crypto.wipe(key);
        }
    }

    /** Decrypts one of Airlock's own entries (identity keys) without auditing a reveal. */
    byte[] decryptInternal(String name) {
        StoredEntry row = load(name).orElseThrow(() -> VaultException.integrity("the vault of tenant '" + vault.tenant
                + "' lacks its identity key '" + name + "'; restore the tenant database from a backup"));
        return decrypt(row, false);
    }

    private void remember(SecretBytes value) {
        List<SecretBytes> deliveries = new ArrayList<>();
        List<Consumer<SecretBytes>> notify;
        synchronized (known) {
            for (SecretBytes k : known) {
                if (k.equalsSecret(value)) {
                    return;
                }
            }
            SecretBytes copy = value.copy();
            known.add(copy);
            // Snapshot under the lock: a listener registered later gets this value from its replay.
            notify = List.copyOf(listeners);
            notify.forEach(l -> deliveries.add(copy.copy()));
        }
        for (int i = 0; i < notify.size(); i++) {
            notify.get(i).accept(deliveries.get(i));
        }
    }

    private static String secretTarget(String name) {
        return "secret:" + name;
    }
}
