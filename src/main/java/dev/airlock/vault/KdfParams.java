package dev.airlock.vault;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Parameters of the password-based key derivation, stored in the vault header in PHC string style
 * ({@code m=65536,t=3,p=4}, {@code ln=17,r=8,p=1}).
 *
 * <p>Creating parameters below the OWASP Password Storage Cheat Sheet minimums is refused with
 * exit 2: Argon2id needs at least 19 MiB and 2 passes, scrypt at least N=2^17 and r=8. Parameters
 * above the ceilings are refused too, so a hostile header cannot make an unlock exhaust memory.
 */
public final class KdfParams {
    /** The key derivation functions a vault can use. */
    public enum Algorithm {
        /** Argon2id, RFC 9106, version 0x13. */
        ARGON2ID("argon2id"),
        /** scrypt, RFC 7914. */
        SCRYPT("scrypt");

        private final String id;

        Algorithm(String id) {
            this.id = id;
        }

        /** The identifier stored in the header. */
        public String id() {
            return id;
        }

        static Algorithm fromId(String id) {
            for (Algorithm a : values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown key derivation function");
        }
    }

    /** OWASP minimum for Argon2id: 19 MiB. */
    public static final int ARGON2_MIN_MEMORY_KIB = 19 * 1024;
    /** OWASP minimum for Argon2id at that memory: 2 passes. */
    public static final int ARGON2_MIN_ITERATIONS = 2;
    /** OWASP minimum for scrypt: N = 2^17. */
    public static final int SCRYPT_MIN_LOG2_N = 17;
    /** OWASP minimum for scrypt: r = 8. */
    public static final int SCRYPT_MIN_R = 8;

    static final int ARGON2_MAX_MEMORY_KIB = 1024 * 1024;
    static final int ARGON2_MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;
    static final int SCRYPT_MAX_LOG2_N = 20;
    static final int SCRYPT_MAX_R = 32;
    /** scrypt uses 128·r·N bytes; keep it within the same ceiling as Argon2id. */
    static final long MAX_MEMORY_BYTES = 1024L * 1024 * 1024;

    private final Algorithm algorithm;
    private final int cost;
    private final int blockOrIterations;
    private final int parallelism;

    private KdfParams(Algorithm algorithm, int cost, int blockOrIterations, int parallelism) {
        this.algorithm = algorithm;
        this.cost = cost;
        this.blockOrIterations = blockOrIterations;
        this.parallelism = parallelism;
    }

    /** The default: Argon2id, 64 MiB, 3 passes, 4 lanes (RFC 9106 section 4, second recommendation). */
    public static KdfParams defaults() {
        return argon2id(64 * 1024, 3, 4);
    }

    /** The scrypt alternative with OWASP's parameters: N=2^17, r=8, p=1. */
    public static KdfParams scryptDefaults() {
        return scrypt(17, 8, 1);
    }

    /**
     * Argon2id parameters.
     *
     * @throws VaultException (exit 2) below 19 MiB or 2 passes, or above the ceilings
     */
    public static KdfParams argon2id(int memoryKib, int iterations, int parallelism) {
        KdfParams p = new KdfParams(Algorithm.ARGON2ID, memoryKib, iterations, parallelism);
        String problem = p.problem();
        if (problem != null) {
            throw VaultException.usage(problem);
        }
        return p;
    }

    /**
     * scrypt parameters with N = 2^{@code log2N}.
     *
     * @throws VaultException (exit 2) below N=2^17 or r=8, or above the ceilings
     */
    public static KdfParams scrypt(int log2N, int r, int parallelism) {
        KdfParams p = new KdfParams(Algorithm.SCRYPT, log2N, r, parallelism);
        String problem = p.problem();
        if (problem != null) {
            throw VaultException.usage(problem);
        }
        return p;
    }

    /**
     * Reads parameters back from a header.
     *
     * @throws IllegalArgumentException if they are malformed, below the floor or above the ceiling
     */
    static KdfParams decode(String algorithmId, String encoded) {
        Algorithm algorithm = Algorithm.fromId(algorithmId);
        Map<String, Integer> fields = new LinkedHashMap<>();
        for (String part : encoded.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || fields.put(part.substring(0, eq), parseInt(part.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("malformed parameters");
            }
        }
        KdfParams p = switch (algorithm) {
            case ARGON2ID -> new KdfParams(algorithm, field(fields, "m"), field(fields, "t"), field(fields, "p"));
            case SCRYPT -> new KdfParams(algorithm, field(fields, "ln"), field(fields, "r"), field(fields, "p"));
        };
        if (fields.size() != 3 || !p.encoded().equals(encoded) || p.problem() != null) {
            throw new IllegalArgumentException("parameters out of range");
        }
        return p;
    }

    private static int field(Map<String, Integer> fields, String key) {
        Integer v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing parameter");
        }
        return v;
    }

    private static int parseInt(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("malformed parameter");
        }
        return Integer.parseInt(s);
    }

    private String problem() {
        return switch (algorithm) {
            case ARGON2ID -> {
                if (cost < ARGON2_MIN_MEMORY_KIB || blockOrIterations < ARGON2_MIN_ITERATIONS) {
                    yield "Argon2id parameters " + encoded() + " are below the OWASP minimum of m=" + ARGON2_MIN_MEMORY_KIB
                            + " KiB (19 MiB), t=" + ARGON2_MIN_ITERATIONS + "; use at least those, or the defaults";
                }
                if (cost > ARGON2_MAX_MEMORY_KIB || blockOrIterations > ARGON2_MAX_ITERATIONS
                        || parallelism < 1 || parallelism > MAX_PARALLELISM) {
                    yield "Argon2id parameters " + encoded() + " are outside the supported range (m <= "
                            + ARGON2_MAX_MEMORY_KIB + " KiB, t <= " + ARGON2_MAX_ITERATIONS + ", 1 <= p <= " + MAX_PARALLELISM + ")";
                }
                yield null;
            }
            case SCRYPT -> {
                if (cost < SCRYPT_MIN_LOG2_N || blockOrIterations < SCRYPT_MIN_R) {
                    yield "scrypt parameters " + encoded() + " are below the OWASP minimum of N=2^" + SCRYPT_MIN_LOG2_N
                            + ", r=" + SCRYPT_MIN_R + "; use at least those";
                }
                if (cost > SCRYPT_MAX_LOG2_N || blockOrIterations > SCRYPT_MAX_R || parallelism < 1
                        || parallelism > MAX_PARALLELISM || 128L * blockOrIterations * (1L << cost) > MAX_MEMORY_BYTES) {
                    yield "scrypt parameters " + encoded() + " are outside the supported range (N <= 2^" + SCRYPT_MAX_LOG2_N
                            + ", r <= " + SCRYPT_MAX_R + ", 1 <= p <= " + MAX_PARALLELISM + ", memory <= 1 GiB)";
                }
                yield null;
            }
        };
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** Argon2id memory in KiB (m). */
    public int memoryKib() {
        requireAlgorithm(Algorithm.ARGON2ID);
        return cost;
    }

    /** Argon2id passes (t). */
    public int iterations() {
        requireAlgorithm(Algorithm.ARGON2ID);
        return blockOrIterations;
    }

    /** scrypt cost as log2(N). */
    public int log2N() {
        requireAlgorithm(Algorithm.SCRYPT);
        return cost;
    }

    /** scrypt block size (r). */
    public int blockSize() {
        requireAlgorithm(Algorithm.SCRYPT);
        return blockOrIterations;
    }

    /** Argon2id lanes or scrypt parallelism (p). */
    public int parallelism() {
        return parallelism;
    }

    /** The PHC-style parameter string stored in the header. */
    public String encoded() {
        return switch (algorithm) {
            case ARGON2ID -> "m=" + cost + ",t=" + blockOrIterations + ",p=" + parallelism;
            case SCRYPT -> "ln=" + cost + ",r=" + blockOrIterations + ",p=" + parallelism;
        };
    }

    private void requireAlgorithm(Algorithm expected) {
        if (algorithm != expected) {
            throw new IllegalStateException("not " + expected.id() + " parameters");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KdfParams k && k.algorithm == algorithm && k.cost == cost
                && k.blockOrIterations == blockOrIterations && k.parallelism == parallelism;
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, cost, blockOrIterations, parallelism);
    }

    @Override
    public String toString() {
        return algorithm.id() + "(" + encoded().toLowerCase(Locale.ROOT) + ")";
    }
}
