package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static dev.airlock.vault.TestTenant.reveal;
import static dev.airlock.vault.TestTenant.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering with the stored vault (vault/tamper-cases.txt): every case fails with the expected exit
 * code, nothing is rewritten or deleted by the failed operation, and putting the original bytes back
 * makes everything readable again, so nothing is lost.
 */
class TamperTest {
    @TempDir
    Path root;

    record Case(String description, String mutation, String operation, int exit, String fragment) {}

    static List<Case> cases() throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TamperTest.class.getResourceAsStream("/vault/tamper-cases.txt"), StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
                String[] f = Arrays.stream(l.split("\\|")).map(String::strip).toArray(String[]::new);
                return new Case(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4]);
            }).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> tampering_failsWithTheExpectedExitCodeAndLosesNothing() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.description(), () -> run(c)));
    }

    private void run(Case c) throws IOException {
        Path dir = Files.createTempDirectory(root, "case");
        TestTenant t = new TestTenant(dir, "acme");
        try (UnlockedVault v = t.init("pw")) {
            v.set("VICTIM", secret("victim-value"));
            v.set("OTHER", secret("other-value"));
        }
        Snapshot original = Snapshot.of(t);
        t.jdbi.useHandle(h -> mutate(h, c.mutation()));
        Snapshot tampered = Snapshot.of(t);
        assertThat(tampered).as("the mutation changed something").isNotEqualTo(original);

        Throwable failure = catchThrowable(() -> operate(t, c.operation()));

        assertThat(failure).as(c.description()).isInstanceOf(VaultException.class);
        assertThat(((VaultException) failure).exitCode().code()).isEqualTo(c.exit());
        assertThat(failure.getMessage()).contains(c.fragment()).doesNotContain("victim-value").doesNotContain("other-value");
        assertThat(Snapshot.of(t)).as("the failed operation left the tampered data as it was").isEqualTo(tampered);
        assertThat(t.audit.events().getLast().outcome()).isIn("failure", "success");

        if (c.mutation().startsWith("entry.") && !c.mutation().equals("entry.identity-swap")) {
            try (UnlockedVault v = t.vault.unlock(password("pw"))) {
                assertThat(reveal(v.get("OTHER"))).as("the other secret is unaffected").isEqualTo("other-value");
            }
        }
        original.restore(t);
        try (UnlockedVault v = t.vault.unlock(password("pw"))) {
            assertThat(reveal(v.get("VICTIM"))).isEqualTo("victim-value");
            assertThat(Identity.verify(v.identity().publicIdentity().signingKey(), new byte[] {1}, v.identity().sign(new byte[] {1})))
                    .isTrue();
        }
    }

    private static void operate(TestTenant t, String operation) {
        switch (operation) {
            case "unlock" -> t.vault.unlock(password("pw")).close();
            case "get" -> {
                try (UnlockedVault v = t.vault.unlock(password("pw"))) {
                    v.get("VICTIM");
                }
            }
            case "identity" -> {
                try (UnlockedVault v = t.vault.unlock(password("pw"))) {
                    v.identity();
                }
            }
            default -> throw new IllegalArgumentException(operation);
        }
    }

    private static void mutate(Handle h, String mutation) {
        boolean redoDigest = mutation.endsWith("+digest");
        String m = redoDigest ? mutation.substring(0, mutation.length() - "+digest".length()) : mutation;
        switch (m) {
            case "entry.nonce.flip" -> updateBlob(h, "vault_entry", "nonce", "name = 'VICTIM'", b -> flip(b, 0));
            case "entry.nonce.truncate" -> updateBlob(h, "vault_entry", "nonce", "name = 'VICTIM'", b -> Arrays.copyOf(b, 11));
            case "entry.ciphertext.flip-first" -> updateBlob(h, "vault_entry", "ciphertext", "name = 'VICTIM'", b -> flip(b, 0));
            case "entry.ciphertext.flip-last" -> updateBlob(h, "vault_entry", "ciphertext", "name = 'VICTIM'", b -> flip(b, b.length - 1));
            case "entry.move" -> h.execute("UPDATE vault_entry SET nonce = (SELECT nonce FROM vault_entry WHERE name = 'OTHER'), "
                    + "ciphertext = (SELECT ciphertext FROM vault_entry WHERE name = 'OTHER') WHERE name = 'VICTIM'");
            case "entry.version.bump" -> h.execute("UPDATE vault_entry SET version = version + 1 WHERE name = 'VICTIM'");
            case "entry.identity-swap" -> h.execute("UPDATE vault_entry SET nonce = (SELECT nonce FROM vault_entry WHERE name = "
                    + "'airlock.identity.x25519'), ciphertext = (SELECT ciphertext FROM vault_entry WHERE name = "
                    + "'airlock.identity.x25519') WHERE name = 'airlock.identity.ed25519'");
            case "public_key.signing.flip" -> updateBlob(h, "vault_public_key", "public_key", "purpose = 'signing'", b -> flip(b, 0));
            default -> {
                if (m.startsWith("header.") && m.contains("=")) {
                    String column = m.substring("header.".length(), m.indexOf('='));
                    h.createUpdate("UPDATE vault_header SET " + column + " = :v").bind("v", m.substring(m.indexOf('=') + 1)).execute();
                } else if (m.startsWith("header.") && m.endsWith(".flip")) {
                    updateBlob(h, "vault_header", m.substring("header.".length(), m.length() - ".flip".length()), "id = 1", b -> flip(b, 0));
                } else if (m.startsWith("header.") && m.endsWith(".truncate")) {
                    updateBlob(h, "vault_header", m.substring("header.".length(), m.length() - ".truncate".length()), "id = 1",
                            b -> Arrays.copyOf(b, b.length - 1));
                } else {
                    throw new IllegalArgumentException(m);
                }
            }
        }
        if (redoDigest) {
            VaultHeader x = VaultHeader.load(h).orElseThrow();
            byte[] digest = new VaultHeader(x.formatVersion, x.tenant, x.kdf, x.kdfParams, x.salt, x.wrapNonce, x.wrappedKey,
                    x.keyCheck, new byte[0], x.created, x.updated).computeDigest();
            h.createUpdate("UPDATE vault_header SET digest = :d").bind("d", digest).execute();
        }
    }

    private static byte[] flip(byte[] b, int index) {
        byte[] copy = b.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    private static void updateBlob(Handle h, String table, String column, String where, java.util.function.UnaryOperator<byte[]> f) {
        byte[] current = h.createQuery("SELECT " + column + " FROM " + table + " WHERE " + where).mapTo(byte[].class).one();
        h.createUpdate("UPDATE " + table + " SET " + column + " = :v WHERE " + where).bind("v", f.apply(current)).execute();
    }

    /** Every vault row, byte for byte. */
    record Snapshot(List<Map<String, Object>> header, List<Map<String, Object>> entries, List<Map<String, Object>> publicKeys) {
        static Snapshot of(TestTenant t) {
            return t.jdbi.withHandle(h -> new Snapshot(rows(h, "SELECT * FROM vault_header"),
                    rows(h, "SELECT * FROM vault_entry ORDER BY name"), rows(h, "SELECT * FROM vault_public_key ORDER BY purpose")));
        }

        private static List<Map<String, Object>> rows(Handle h, String sql) {
            return h.createQuery(sql).mapToMap().list().stream().map(row -> {
                Map<String, Object> copy = new java.util.TreeMap<>();
                row.forEach((k, v) -> copy.put(k, v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v));
                return copy;
            }).toList();
        }

        void restore(TestTenant t) {
            t.jdbi.useTransaction(h -> {
                h.execute("DELETE FROM vault_header");
                h.execute("DELETE FROM vault_entry");
                h.execute("DELETE FROM vault_public_key");
                insert(h, "vault_header", header);
                insert(h, "vault_entry", entries);
                insert(h, "vault_public_key", publicKeys);
            });
        }

        private static void insert(Handle h, String table, List<Map<String, Object>> rows) {
            for (Map<String, Object> row : rows) {
                List<String> cols = List.copyOf(row.keySet());
                var update = h.createUpdate("INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES ("
                        + String.join(", ", cols.stream().map(c -> ":" + c).toList()) + ")");
                for (String col : cols) {
                    Object v = row.get(col);
                    boolean blob = List.of("salt", "wrap_nonce", "wrapped_key", "key_check", "digest", "nonce", "ciphertext", "public_key")
                            .contains(col);
                    update.bind(col, blob ? java.util.HexFormat.of().parseHex((String) v) : v);
                }
                update.execute();
            }
        }
    }
}
