package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tamper class the verifier must detect, as data (src/test/resources/audit/tamper/cases.txt):
 * one real log per case, attacked with SQL or file edits the way someone holding the files would,
 * then verified. The expected break kind and row are in the file.
 */
class TamperVectorsTest {
    @TempDir
    Path tmp;

    record Case(String name, String op, String arg, String kind, long seq) {}

    @TestFactory
    Stream<DynamicTest> verify_detectsEveryTamperClass() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private void run(Case c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(c.name().replaceAll("\\W+", "-")));
        AuditFixture f = new AuditFixture(dir);
        Path older = dir.resolve("older.db");
        try (AuditLog log = f.open(4)) {
            for (int i = 1; i <= 18; i++) {
                log.append(AuditFixture.event(i));
                if (i == 12) {
                    // A consistent older copy, as a backup tool would take it (WAL checkpointed).
                    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + f.dbFile); Statement st = conn.createStatement()) {
                        st.execute("VACUUM INTO '" + older + "'");
                    }
                }
            }
        }
        assertThat(f.verify().intact()).as("log before the attack").isTrue();
        attack(c, f, older);
        VerifyReport r = f.verify();
        if (c.kind().equals("intact")) {
            assertThat(r.intact()).as(r.toString()).isTrue();
            return;
        }
        assertThat(r.firstBreak()).as("verify must fail for: " + c.name()).isPresent();
        VerifyReport.Break b = r.firstBreak().orElseThrow();
        assertThat(b.kind()).as(b.message()).isEqualTo(c.kind());
        assertThat(b.seq()).as(b.message()).isEqualTo(c.seq());
        assertThat(b.message()).doesNotContain("\n");
    }

    private static void attack(Case c, AuditFixture f, Path older) throws Exception {
        switch (c.op()) {
            case "none" -> { }
            case "sql" -> withDb(f, conn -> conn.createStatement().execute(c.arg()));
            case "edit-and-rehash" -> withDb(f, conn -> {
                long seq = Long.parseLong(c.arg());
                conn.createStatement().execute("UPDATE audit SET details = '{\"i\":999}' WHERE seq = " + seq);
                rehash(conn, seq, seq, false);
            });
            case "insert-forged" -> withDb(f, conn -> {
                long after = Long.parseLong(c.arg());
                Statement st = conn.createStatement();
                st.execute("PRAGMA foreign_keys = OFF");
                // Make room: renumber the rows above (highest first), then forge a row that chains to `after`.
                st.execute("UPDATE audit SET seq = -seq WHERE seq > " + after);
                st.execute("UPDATE audit SET seq = -seq + 1 WHERE seq < 0");
                String prev = hashOf(conn, after);
                String details = "{\"forged\":true}";
                String hash = new AuditChain().hash(after + 1, 1L, "user", "forged.action", "x", "success", details, prev);
                try (PreparedStatement ps = conn.prepareStatement("INSERT INTO audit VALUES (?, 1, 'user', 'forged.action',"
                        + " 'x', 'success', ?, ?, ?)")) {
                    ps.setLong(1, after + 1);
                    ps.setString(2, details);
                    ps.setString(3, prev);
                    ps.setString(4, hash);
                    ps.executeUpdate();
                }
                // The next row still carries the old prev_hash; the attacker re-links it too.
                st.execute("UPDATE audit SET prev_hash = '" + hash + "' WHERE seq = " + (after + 2));
            });
            case "swap" -> withDb(f, conn -> {
                long a = Long.parseLong(c.arg());
                Statement st = conn.createStatement();
                st.execute("UPDATE audit SET seq = -1 WHERE seq = " + a);
                st.execute("UPDATE audit SET seq = " + a + " WHERE seq = " + (a + 1));
                st.execute("UPDATE audit SET seq = " + (a + 1) + " WHERE seq = -1");
            });
            case "restore-older" -> {
                Files.deleteIfExists(Path.of(f.dbFile + "-wal"));
                Files.deleteIfExists(Path.of(f.dbFile + "-shm"));
                Files.copy(older, f.dbFile, StandardCopyOption.REPLACE_EXISTING);
            }
            case "recompute" -> withDb(f, conn -> {
                long from = Long.parseLong(c.arg());
                conn.createStatement().execute("UPDATE audit SET details = '{\"i\":0}' WHERE seq = " + from);
                rehash(conn, from, Long.MAX_VALUE, false);
            });
            case "recompute-all" -> withDb(f, conn -> {
                long from = Long.parseLong(c.arg());
                conn.createStatement().execute("UPDATE audit SET details = '{\"i\":0}' WHERE seq = " + from);
                rehash(conn, from, Long.MAX_VALUE, true);
            });
            case "file-delete" -> Files.delete(f.checkpoints);
            case "file-truncate" -> Files.write(f.checkpoints, new byte[0]);
            case "file-drop-line" -> {
                List<String> lines = new ArrayList<>(Files.readAllLines(f.checkpoints));
                lines.remove(Integer.parseInt(c.arg()) - 1);
                Files.write(f.checkpoints, lines);
            }
            case "file-edit-hash" -> {
                List<String> lines = new ArrayList<>(Files.readAllLines(f.checkpoints));
                int i = Integer.parseInt(c.arg()) - 1;
                String line = lines.get(i);
                int at = line.indexOf("\"hash\":\"") + 8;
                char flipped = line.charAt(at) == '0' ? '1' : '0';
                lines.set(i, line.substring(0, at) + flipped + line.substring(at + 1));
                Files.write(f.checkpoints, lines);
            }
            case "file-replace" -> {
                String[] parts = c.arg().split("->", 2);
                String text = Files.readString(f.checkpoints);
                Files.writeString(f.checkpoints, text.replace(parts[0], parts[1]));
            }
            case "file-append" -> Files.writeString(f.checkpoints, c.arg() + "\n", java.nio.file.StandardOpenOption.APPEND);
            default -> throw new IllegalArgumentException("unknown operation " + c.op());
        }
    }

    interface SqlAction {
        void run(Connection conn) throws SQLException;
    }

    private static void withDb(AuditFixture f, SqlAction action) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + f.dbFile)) {
            Statement st = conn.createStatement();
            for (String t : List.of("audit_append_only_update", "audit_append_only_delete",
                    "audit_checkpoint_append_only_update", "audit_checkpoint_append_only_delete")) {
                st.execute("DROP TRIGGER IF EXISTS " + t);
            }
            action.run(conn);
        }
    }

    private static String hashOf(Connection conn, long seq) throws SQLException {
        try (ResultSet rs = conn.createStatement().executeQuery("SELECT hash FROM audit WHERE seq = " + seq)) {
            return rs.next() ? rs.getString(1) : AuditChain.genesis("");
        }
    }

    /** Recomputes hashes of rows from..to the way an attacker rewriting the chain would. */
    private static void rehash(Connection conn, long from, long to, boolean alsoDbCheckpoints) throws SQLException {
        AuditChain chain = new AuditChain();
        String prev = from == 1 ? null : hashOf(conn, from - 1);
        List<long[]> seqs = new ArrayList<>();
        try (ResultSet rs = conn.createStatement().executeQuery("SELECT seq FROM audit WHERE seq >= " + from
                + " AND seq <= " + to + " ORDER BY seq")) {
            while (rs.next()) {
                seqs.add(new long[] {rs.getLong(1)});
            }
        }
        for (long[] s : seqs) {
            try (ResultSet rs = conn.createStatement().executeQuery("SELECT seq, time, actor, action, target, outcome,"
                    + " details, prev_hash FROM audit WHERE seq = " + s[0])) {
                rs.next();
                String p = prev == null ? rs.getString(8) : prev;
                String h = chain.hash(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), p);
                conn.createStatement().execute("UPDATE audit SET prev_hash = '" + p + "', hash = '" + h + "' WHERE seq = " + s[0]);
                if (alsoDbCheckpoints) {
                    conn.createStatement().execute("UPDATE audit_checkpoint SET hash = '" + h + "' WHERE seq = " + s[0]);
                }
                prev = h;
            }
        }
    }

    private static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = TamperVectorsTest.class.getResourceAsStream("/audit/tamper/cases.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\\|", -1);
                out.add(new Case(p[0].strip(), p[1].strip(), p[2].strip(), p[3].strip(), Long.parseLong(p[4].strip())));
            }
        }
        return out;
    }
}
