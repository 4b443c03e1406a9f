package dev.airlock.vault;

import dev.airlock.home.ExitCode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating system's keychain as an optional unlock source. It holds one thing per home and
 * tenant: the vault's key-encryption key (the KDF output that wraps the data key), never the
 * password and never the data key. With it an unlock skips the password and the KDF.
 *
 * <p>Guarantees: the key crosses to the keychain tool only through a pipe (stdin or stdout), never a
 * process argument; it is held in {@link SecretBytes} and wiped after use; no message, log line or
 * exception carries it. Every call is bounded by {@link KeychainProcess#TIMEOUT_SECONDS}: a keychain
 * that is absent, locked or hangs is reported as unavailable, never waited on.
 *
 * <p>Backends: the freedesktop.org Secret Service through {@code secret-tool} (Linux and other
 * Unix desktops), the macOS login keychain through {@code security} (untested: written against its
 * documentation). Windows Credential Manager is reported as unavailable. Which tenants use the
 * keychain is recorded by {@link Vault#enableKeychain}; this class only stores and fetches.
 */
public final class Keychain {
    /** Set to anything but {@code 0} or {@code false} to keep Airlock away from the keychain. */
    public static final String DISABLE_ENV = "AIRLOCK_NO_KEYCHAIN";
    private static final Logger LOG = LoggerFactory.getLogger(Keychain.class);

    /** Whether the keychain can be used here. */
    public enum State {
        /** The keychain answered. */
        AVAILABLE,
        /** There is none here, or it does not answer (the detail says why). */
        UNAVAILABLE,
        /** The user turned keychain use off ({@code AIRLOCK_NO_KEYCHAIN}, {@code vault.keychain: false}). */
        OFF
    }

    /**
     * What {@link #status()} found.
     *
     * @param state   available, unavailable or turned off
     * @param backend the keychain's name, e.g. "Secret Service (secret-tool)", or "none"
     * @param detail  "available", or the reason it is unavailable or off
     */
    public record Status(State state, String backend, String detail) {
        public boolean available() {
            return state == State.AVAILABLE;
        }
    }

    private final @Nullable KeychainBackend backend;
    private final String home;
    private final @Nullable Status fixed;
    private volatile @Nullable Status probed;

    private Keychain(@Nullable KeychainBackend backend, String home, @Nullable Status fixed) {
        this.backend = backend;
        this.home = home;
        this.fixed = fixed;
    }

    /**
     * The keychain of this operating system for the Airlock home {@code home}, or one that is off
     * when {@value #DISABLE_ENV} is set in {@code env}. Nothing is run until it is used.
     */
    public static Keychain detect(Map<String, String> env, String home) {
        return detect(env, home, System.getProperty("os.name", ""));
    }

    static Keychain detect(Map<String, String> env, String home, String osName) {
        Objects.requireNonNull(home, "home");
        String off = env.get(DISABLE_ENV);
        if (off != null && !off.isBlank() && !off.strip().equals("0") && !off.strip().equalsIgnoreCase("false")) {
            return off("turned off by " + DISABLE_ENV + "; unset it to use the keychain");
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return new Keychain(null, home, new Status(State.UNAVAILABLE, "Windows Credential Manager",
                    "not supported on Windows yet (Windows has no built-in command that reads a stored credential back, "
                            + "and Airlock ships no native binding); the vault password sources apply"));
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return new Keychain(new MacKeychainBackend(env), home, null);
        }
        return new Keychain(new SecretServiceBackend(env), home, null);
    }

    /**
     * A keychain that is turned off, for {@code reason}: a phrase that completes "the OS keychain
     * is …" and says how to turn it back on.
     */
    public static Keychain off(String reason) {
        return new Keychain(null, "", new Status(State.OFF, "none", reason));
    }

    /** Whether the keychain answers here; asked once per instance. */
    public Status status() {
        if (fixed != null) {
            return fixed;
        }
        Status s = probed;
        if (s == null) {
            KeychainBackend b = Objects.requireNonNull(backend);
            Optional<String> reason = b.unavailableReason();
            s = reason.map(r -> new Status(State.UNAVAILABLE, b.name(), r)).orElseGet(() -> new Status(State.AVAILABLE,
                    b.name(), "available"));
            probed = s;
        }
        return s;
    }

    /** The keychain's name for audit details and messages. */
    public String backendName() {
        return fixed != null ? fixed.backend() : Objects.requireNonNull(backend).name();
    }

    /**
     * The key-encryption key stored for {@code tenant} and the header {@code headerId}, or empty when
     * there is none, it is malformed, or the keychain is off or unavailable (logged at debug level
     * with the reason, never the key).
     */
    Optional<SecretBytes> lookup(String tenant, String headerId) {
        if (!status().available()) {
            LOG.debug("keychain not used for tenant {}: {}", tenant, status().detail());
            return Optional.empty();
        }
        byte @Nullable [] text = null;
        try {
            Optional<byte[]> found = Objects.requireNonNull(backend)
                    .lookup(new KeychainBackend.KeychainEntry(home, tenant, headerId));
            if (found.isEmpty()) {
                LOG.debug("no keychain entry for tenant {} and its current vault header", tenant);
                return Optional.empty();
            }
            text = found.get();
            byte @Nullable [] key = Crypto.fromHexAscii(text, Crypto.KEY_BYTES);
            if (key == null) {
                LOG.debug("the keychain entry for tenant {} is malformed; ignored", tenant);
                return Optional.empty();
            }
            return Optional.of(SecretBytes.adopt(key));
        } catch (KeychainProcess.Failure e) {
            LOG.debug("keychain lookup for tenant {} failed: {}", tenant, e.getMessage());
            return Optional.empty();
        } finally {
            Crypto.wipe(text);
        }
    }

    /**
     * Stores {@code kek} for {@code tenant} under {@code headerId}, replacing any earlier entry of
     * this home and tenant, then reads it back to be sure it is there.
     *
     * @throws VaultException exit 2 if keychain use is off; exit 1 if the keychain is unavailable
     *     or refused the entry
     */
    void store(String tenant, String headerId, SecretBytes kek) {
        requireAvailable();
        KeychainBackend.KeychainEntry entry = new KeychainBackend.KeychainEntry(home, tenant, headerId);
        byte[] raw = kek.toByteArray(SecretAccess.INSECURE_ACCESS);
        byte[] text = Crypto.hexAscii(raw);
        Crypto.wipe(raw);
        try {
            Objects.requireNonNull(backend).store(entry, "Airlock vault key-encryption key, tenant " + tenant, text);
            Optional<SecretBytes> back = lookup(tenant, headerId);
            boolean same = back.map(b -> {
                try (b) {
                    return b.equalsSecret(kek);
                }
            }).orElse(false);
            if (!same) {
                throw new KeychainProcess.Failure("the entry could not be read back after storing it");
            }
        } catch (KeychainProcess.Failure e) {
            throw new VaultException(ExitCode.RUNTIME, "the " + backendName() + " did not store the vault key of tenant '"
                    + tenant + "': " + e.getMessage() + "; keychain unlock stays off");
        } finally {
            Crypto.wipe(text);
        }
    }

    /**
     * Removes every entry of this home and {@code tenant}.
     *
     * @return empty when nothing is left, else why the entry could not be removed
     */
    Optional<String> remove(String tenant) {
        if (!status().available()) {
            return Optional.of("the keychain was not reached: " + status().detail());
        }
        try {
            Objects.requireNonNull(backend).remove(home, tenant);
            return Optional.empty();
        } catch (KeychainProcess.Failure e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Throws the error to show when the keychain cannot be written: off (exit 2) or unavailable (exit 1). */
    void requireAvailable() {
        Status s = status();
        switch (s.state()) {
            case AVAILABLE -> {
                return;
            }
            case OFF -> throw VaultException.usage("the OS keychain is " + s.detail());
            case UNAVAILABLE -> throw new VaultException(ExitCode.RUNTIME, "the OS keychain is unavailable here: "
                    + s.detail());
        }
    }

    @Override
    public String toString() {
        return "Keychain[" + backendName() + "]";
    }
}
