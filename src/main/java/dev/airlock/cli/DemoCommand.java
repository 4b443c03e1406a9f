package dev.airlock.cli;

import dev.airlock.home.PrivateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Shows Airlock's promises at work on a throwaway home: every step is a real {@code airlock}
 * command run in this process, printed as a transcript. Grows with every capability.
 */
@Command(name = "demo", description = "Run a guided tour on a throwaway home: audit log, verify, tamper detection.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--keep", description = "Keep the throwaway home afterwards and print where it is.")
    boolean keep;

    private PrintWriter out;
    private Path home;
    private int step;

    @Override
    public Integer call() throws Exception {
        out = root.cli.out;
        home = Files.createTempDirectory("airlock-demo-");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path config = home.resolve("config.yaml");
        try {
            banner();
            section("A home with one SQLite database per tenant");
            must(run("init"), 0);
            must(run("tenant", "create", "ops"), 0);
            must(run("tenant", "create", "scratch"), 0);
            must(run("tenant", "delete", "scratch"), 5);
            must(run("tenant", "delete", "scratch", "--yes"), 0);
            must(run("tenant", "list"), 0);

            section("Bad input is refused with one line and the contract's exit code");
            must(run("tenant", "create", "../etc"), 2);
            Files.writeString(config, "audit:\n  checkpoint_every_rows: lots\n");
            must(run("--tenant", "ops", "audit", "tail"), 2);
            Files.writeString(config, "audit:\n  checkpoint_every_rows: 5\n");
            note("(config fixed: checkpoints every 5 rows; the change itself is audited)");

            section("Every action is a row in a hash-chained, checkpointed audit log");
            Path export = home.resolve("ops-audit.hec.json");
            must(run("--tenant", "ops", "audit", "export", "--format", "splunk-hec", "--out", export.toString()), 0);
            must(run("--tenant", "ops", "audit", "export", "--format", "ocsf", "--since", "2", "--out",
                    home.resolve("ops-audit.ocsf.json").toString()), 0);
            must(run("--tenant", "ops", "audit", "tail", "-n", "8"), 0);
            must(run("--tenant", "ops", "audit", "verify"), 0);
            must(run("audit", "tail", "-n", "3"), 0);

            section("Tampering is caught: each attack on a copy of the home");
            tamper("an attacker edits a row", "UPDATE audit SET details = '{\"log_id\":\"forged\"}' WHERE seq = 1");
            tamper("an attacker deletes a row in the middle", "DELETE FROM audit WHERE seq = 3");
            tamper("an attacker removes the newest rows", "DELETE FROM audit WHERE seq > 2");
            tamperFile("an attacker deletes the checkpoint file");

            section("Done");
            out.println("The original home still verifies; every copy above was caught and named.");
            must(run("--tenant", "ops", "audit", "verify"), 0);
            if (keep) {
                out.println("Demo home kept at " + home + " (try: airlock --home " + home + " --tenant ops audit tail).");
            }
            return 0;
        } finally {
            if (!keep) {
                deleteTree(home);
            }
        }
    }

    private void banner() {
        out.println("Airlock demo: a tour of what exists so far, on a throwaway home.");
        out.println("Each '$ airlock …' line below is a real command run against " + home + ".");
    }

    private void section(String title) {
        out.println();
        out.println("== " + (++step) + ". " + title);
    }

    private void note(String s) {
        out.println("   " + s);
    }

    private int run(String... args) {
        return runIn(home, args);
    }

    private int runIn(Path h, String... args) {
        out.println("$ airlock " + String.join(" ", args));
        out.flush();
        List<String> full = new ArrayList<>(List.of("--home", h.resolve("home").toString()));
        full.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(root.cli.env);
        env.put("AIRLOCK_CONFIG", h.resolve("config.yaml").toString());
        // Both streams of the inner command go to stdout, so the transcript keeps its order.
        int code = Main.run(out, out, env, java.io.InputStream.nullInputStream(), full.toArray(String[]::new));
        out.println("   [exit " + code + "]");
        return code;
    }

    private static void must(int got, int expected) {
        if (got != expected) {
            throw new IllegalStateException("demo step exited " + got + " where " + expected + " was expected");
        }
    }

    private void tamper(String what, String sql) throws IOException, SQLException {
        Path copy = copyHome();
        Path db = copy.resolve("home/tenants/ops/airlock.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            // An attacker with the file simply drops the append-only triggers.
            st.execute("DROP TRIGGER audit_append_only_update");
            st.execute("DROP TRIGGER audit_append_only_delete");
            st.execute(sql);
        }
        out.println();
        note(what + ":  " + sql);
        must(runIn(copy, "--tenant", "ops", "audit", "verify"), 3);
        deleteTree(copy);
    }

    private void tamperFile(String what) throws IOException {
        Path copy = copyHome();
        Files.delete(copy.resolve("home/tenants/ops/audit.checkpoints"));
        out.println();
        note(what + ":  rm tenants/ops/audit.checkpoints");
        must(runIn(copy, "--tenant", "ops", "audit", "verify"), 3);
        deleteTree(copy);
    }

    private Path copyHome() throws IOException {
        Path copy = Files.createTempDirectory(home.getParent(), "airlock-demo-copy-");
        PrivateFiles.createDirectories(copy);
        Path src = home;
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path dst = copy.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return copy;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
