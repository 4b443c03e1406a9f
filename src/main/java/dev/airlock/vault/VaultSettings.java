package dev.airlock.vault;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code vault:} section of the user config: key derivation for new vaults and password
 * changes. Values below OWASP's minimum (Argon2id 19 MiB / t=2; scrypt N=2^17, r=8) are refused
 * when the parameters are built.
 *
 * @param kdf         {@code argon2id} (default) or {@code scrypt}
 * @param memoryKib   Argon2id memory in KiB (default 65536 = 64 MiB)
 * @param iterations  Argon2id passes (default 3)
 * @param parallelism Argon2id lanes or scrypt p (default 4 for Argon2id, 1 for scrypt)
 * @param keychain    whether the OS keychain may be used as an unlock source at all (default
 *                    true; a tenant still has to opt in with {@code airlock secrets keychain enable})
 */
public record VaultSettings(
        @JsonProperty("kdf") String kdf,
        @JsonProperty("memory_kib") Integer memoryKib,
        @JsonProperty("iterations") Integer iterations,
        @JsonProperty("parallelism") Integer parallelism,
        @JsonProperty("keychain") Boolean keychain) {
    public VaultSettings {
        if (keychain == null) {
            keychain = true;
        }
        if (kdf == null) {
            kdf = "argon2id";
        }
        if (!kdf.equals("argon2id") && !kdf.equals("scrypt")) {
            throw new IllegalArgumentException("kdf must be argon2id or scrypt");
        }
    }

    /** The parameters for a new vault or password; exit 2 if below the minimum. */
    public KdfParams params() {
        if (kdf.equals("scrypt")) {
            KdfParams d = KdfParams.scryptDefaults();
            return KdfParams.scrypt(d.log2N(), d.blockSize(), parallelism == null ? d.parallelism() : parallelism);
        }
        KdfParams d = KdfParams.defaults();
        return KdfParams.argon2id(memoryKib == null ? d.memoryKib() : memoryKib,
                iterations == null ? d.iterations() : iterations, parallelism == null ? d.parallelism() : parallelism);
    }
}
