package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md invariant: after any scenario no secret value appears in any file or in the output, not
 * raw, not base64, not hex, not URL-encoded. Unique markers go through every vault operation; then
 * every byte of the database, its WAL and shared-memory files, the captured stdout/stderr, every
 * audit event and every exception message is scanned.
 */
class LeakTest {
    @TempDir
    Path dir;

    private final Map<String, byte[]> markers = new LinkedHashMap<>();
    private final StringBuilder text = new StringBuilder();

    private String marker(String label) {
        byte[] r = new byte[12];
        new SecureRandom().nextBytes(r);
        // Characters that URL encoding and base64 treat differently, so each encoding is distinct.
        String m = "mk" + HexFormat.of().formatHex(r) + " +/&=?" + label;
        markers.put(label, m.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    @Test
    void noSecretValuePasswordOrKeyReachesTheDiskOrTheOutputInAnyEncoding() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        List<Path> scannedWhileOpen;
        try {
            scannedWhileOpen = scenario();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        text.append(captured.toString(StandardCharsets.UTF_8));

        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                scan(f.getFileName().toString() + " (after close)", Files.readAllBytes(f), hits);
            }
        }
        assertThat(scannedWhileOpen).as("the WAL was scanned while it held the recent pages")
                .anyMatch(p -> p.getFileName().toString().endsWith("-wal"));
        scan("captured output, audit events and messages", text.toString().getBytes(StandardCharsets.UTF_8), hits);
        assertThat(markers).hasSizeGreaterThanOrEqualTo(8);
        assertThat(hits).isEmpty();
    }

    /** Runs every vault operation; returns the files it scanned before closing. */
    private List<Path> scenario() throws IOException {
        TestTenant t = new TestTenant(dir, "acme");
        // SQLite deletes the WAL when its last connection closes; hold one open so the WAL keeps the
        // recent pages and is scanned as it is during normal operation.
        try (org.jdbi.v3.core.Handle keepWalAlive = t.jdbi.open()) {
            keepWalAlive.execute("SELECT 1");
            List<Path> scanned = scenario(t.vault, t.jdbi);
            text.append(t.audit.events().stream().map(e -> e.actor() + e.action() + e.target() + e.outcome() + e.details()).toList());
            return scanned;
        }
    }

    private List<Path> scenario(Vault vault, org.jdbi.v3.core.Jdbi jdbi) throws IOException {
        record T(Vault vault, org.jdbi.v3.core.Jdbi jdbi) {}
        T t = new T(vault, jdbi);
        String pw = marker("password");
        String newPw = marker("new-password");
        String[] values = {marker("value-0"), marker("value-1"), marker("value-2")};
        String content = marker("field-content");

        try (UnlockedVault v = t.vault.initialize(pw.toCharArray(), TestTenant.MIN_KDF)) {
            for (int i = 0; i < values.length; i++) {
                v.set("SECRET_" + i, TestTenant.secret(values[i]));
            }
            v.set("SECRET_0", TestTenant.secret(values[0])); // a second version
            for (int i = 0; i < values.length; i++) {
                try (SecretBytes s = v.get("SECRET_" + i)) {
                    text.append(s).append('\n');
                }
            }
            text.append(v.list()).append('\n');
            v.loadAllForRedaction();
            v.forEachUnlockedValue(s -> text.append(s));
            // The identity private keys are secrets too.
            addBinaryMarker("ed25519-seed", v.decryptInternal(Names.SIGNING_KEY));
            addBinaryMarker("x25519-key", v.decryptInternal(Names.AGREEMENT_KEY));
            text.append(v.identity()).append(HexFormat.of().formatHex(v.identity().sign(new byte[] {1}))).append('\n');
            try (SecretBytes fieldKey = v.exportFieldKey(); FieldCipher fc = v.fieldCipher()) {
                addBinaryMarker("field-key", fieldKey.toByteArray(SecretAccess.INSECURE_ACCESS));
                byte[] envelope = fc.encryptText("message", "content", "1", content);
                t.jdbi.useHandle(h -> {
                    h.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, content BLOB)");
                    h.createUpdate("INSERT INTO message (id, content) VALUES (1, :c)").bind("c", envelope).execute();
                });
                text.append(fc).append('\n');
            }
            v.remove("SECRET_2");
            v.changePassword(newPw.toCharArray(), TestTenant.MIN_KDF);
        }
        // Failures: a wrong password (the old one) and a tampered entry; their messages are output too.
        recordFailure(() -> t.vault.unlock(pw.toCharArray()));
        t.jdbi.useHandle(h -> h.execute("UPDATE vault_entry SET ciphertext = ciphertext || x'00' WHERE name = 'SECRET_1'"));
        try (UnlockedVault v = t.vault.unlock(newPw.toCharArray())) {
            recordFailure(() -> v.get("SECRET_1"));
            SecretResolver resolver = SecretResolver.create(() -> v);
            try (SecretBytes s = resolver.resolve("secret:SECRET_0")) {
                text.append(s);
            }
        }
        List<Map<String, Object>> auditRows = t.jdbi.withHandle(h -> h.createQuery(
                "SELECT * FROM " + (tableExists(h, "test_audit") ? "test_audit" : "audit")).mapToMap().list());
        text.append(auditRows);
        List<Path> open;
        try (Stream<Path> files = Files.walk(dir)) {
            open = files.filter(Files::isRegularFile).toList();
        }
        List<String> hits = new ArrayList<>();
        for (Path f : open) {
            scan(f.getFileName() + " (while open)", Files.readAllBytes(f), hits);
        }
        text.append(hits.isEmpty() ? "" : "HITS WHILE OPEN " + hits);
        assertThat(hits).isEmpty();
        return open;
    }

    private static boolean tableExists(org.jdbi.v3.core.Handle h, String table) {
        return h.createQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n").bind("n", table)
                .mapTo(Integer.class).one() > 0;
    }

    @Test
    void onTheRealStore_noSecretReachesTheDatabaseWalCheckpointsOrAnyAuditExport() throws Exception {
        Path checkpoints = dir.resolve("audit.checkpoints");
        dev.airlock.audit.AuditLogs.createCheckpointFile(checkpoints);
        dev.airlock.store.TenantDb db = dev.airlock.store.TenantDb.open(dev.airlock.store.TenantName.of("acme"),
                dir.resolve("airlock.db"), true);
        String logId = java.util.UUID.randomUUID().toString();
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", logId));
        List<Path> scannedWhileOpen;
        try (dev.airlock.audit.AuditLog audit = dev.airlock.audit.AuditLogs.open(db, checkpoints,
                dev.airlock.audit.AuditOptions.builder().checkpointEveryRows(5).build());
                org.jdbi.v3.core.Handle keepWalAlive = db.jdbi().open()) {
            keepWalAlive.execute("SELECT 1");
            scannedWhileOpen = scenario(Vault.builder().tenant("acme").jdbi(db.jdbi()).audit(audit).build(), db.jdbi());
        }
        for (dev.airlock.audit.ExportFormat format : dev.airlock.audit.ExportFormat.values()) {
            Path out = dir.resolve("export." + format.cliName());
            try (java.io.Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                List<dev.airlock.audit.AuditRecord> rows = new ArrayList<>();
                dev.airlock.audit.AuditReader.of(db).forEach(1, 0, rows::add);
                dev.airlock.audit.AuditExporter.create(format, new dev.airlock.audit.ExportContext("acme", logId, "host", "test"))
                        .write(rows.iterator(), w);
            }
            assertThat(Files.size(out)).as(format.cliName()).isPositive();
        }
        db.close();
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                scan(f.getFileName().toString(), Files.readAllBytes(f), hits);
            }
        }
        assertThat(scannedWhileOpen).anyMatch(p -> p.getFileName().toString().endsWith("-wal"));
        assertThat(Files.size(checkpoints)).as("checkpoints were written").isPositive();
        scan("messages", text.toString().getBytes(StandardCharsets.UTF_8), hits);
        assertThat(hits).isEmpty();
    }

    private void recordFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            text.append(e).append('\n');
            for (Throwable s : e.getSuppressed()) {
                text.append(s).append('\n');
            }
        }
    }

    private void addBinaryMarker(String label, byte[] value) {
        markers.put(label, value);
    }

    private void scan(String where, byte[] haystack, List<String> hits) {
        markers.forEach((label, m) -> encodings(m).forEach((encoding, needle) -> {
            if (indexOf(haystack, needle) >= 0) {
                hits.add(label + " as " + encoding + " in " + where);
            }
        }));
    }

    /** Raw, hex (both cases), base64 (standard and URL-safe, every alignment), URL-encoded. */
    static Map<String, byte[]> encodings(byte[] m) {
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("raw", m);
        e.put("hex", HexFormat.of().formatHex(m).getBytes(StandardCharsets.US_ASCII));
        e.put("HEX", HexFormat.of().withUpperCase().formatHex(m).getBytes(StandardCharsets.US_ASCII));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[m.length + shift];
            System.arraycopy(m, 0, shifted, shift, m.length);
            // Keep only the characters that depend on the marker alone.
            for (Map.Entry<String, Base64.Encoder> enc : Map.of("base64", Base64.getEncoder(), "base64url",
                    Base64.getUrlEncoder()).entrySet()) {
                String s = enc.getValue().encodeToString(shifted);
                e.put(enc.getKey() + "+" + shift, s.substring(shift == 0 ? 0 : 4, s.length() - 4).getBytes(StandardCharsets.US_ASCII));
            }
        }
        String asText = new String(m, StandardCharsets.UTF_8);
        e.put("url", URLEncoder.encode(asText, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
        e.put("url%20", URLEncoder.encode(asText, StandardCharsets.UTF_8).replace("+", "%20").getBytes(StandardCharsets.US_ASCII));
        return e;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theScannerFindsAMarkerInEveryEncoding() {
        byte[] m = "mk0123456789abcdef +/&=?probe".getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> e : encodings(m).entrySet()) {
            String encodedInContext = "prefix " + new String(e.getValue(), StandardCharsets.ISO_8859_1) + " suffix";
            assertThat(indexOf(encodedInContext.getBytes(StandardCharsets.ISO_8859_1), e.getValue())).as(e.getKey()).isPositive();
        }
        // A marker embedded in a larger base64 blob at any offset is found.
        for (int shift = 0; shift < 3; shift++) {
            byte[] blob = new byte[m.length + 10];
            System.arraycopy(m, 0, blob, shift + 3, m.length);
            byte[] encoded = Base64.getEncoder().encode(blob);
            boolean found = encodings(m).entrySet().stream().filter(x -> x.getKey().startsWith("base64+"))
                    .anyMatch(x -> indexOf(encoded, x.getValue()) >= 0);
            assertThat(found).as("shift " + shift).isTrue();
        }
    }
}
