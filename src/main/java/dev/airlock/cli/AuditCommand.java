package dev.airlock.cli;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditExporter;
import dev.airlock.audit.AuditReader;
import dev.airlock.audit.AuditRecord;
import dev.airlock.audit.AuditSettings;
import dev.airlock.audit.AuditVerifier;
import dev.airlock.audit.ExportContext;
import dev.airlock.audit.ExportFormat;
import dev.airlock.audit.VerifyOptions;
import dev.airlock.audit.VerifyReport;
import dev.airlock.home.AirlockException;
import dev.airlock.home.AirlockHome;
import dev.airlock.home.ExitCode;
import dev.airlock.home.PrivateFiles;
import dev.airlock.store.TenantDb;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "audit", description = "Verify, read and export the tenant's tamper-evident audit log.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Tail.class, AuditCommand.Show.class, AuditCommand.Export.class,
            AuditCommand.Seal.class})
final class AuditCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: audit needs a subcommand: verify, tail, show, export or seal. Try 'airlock audit --help'.");
        return ExitCode.USAGE.code();
    }

    @Command(name = "verify", description = "Check the hash chain, the checkpoints and their signatures. Exit 3 and the first break if not intact.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = "--witness", paramLabel = "FILE",
                description = "Also check the log against a witness file (audit.witness): every checkpoint it saw must match the chain. Repeatable.")
        List<Path> witnesses = new java.util.ArrayList<>();

        @Option(names = "--fingerprint", paramLabel = "FP",
                description = "Pin the tenant's signing key: fail unless its fingerprint (as 'airlock identity show' prints it) is FP.")
        @Nullable String fingerprint;

        @Override
        public Integer call() {
            VerifyOptions.Builder b = VerifyOptions.builder();
            if (fingerprint != null) {
                try {
                    b.fingerprint(fingerprint);
                } catch (IllegalArgumentException e) {
                    throw AirlockException.usage("--fingerprint: " + e.getMessage());
                }
            }
            witnesses.forEach(w -> b.witness(w.toAbsolutePath()));
            Session s = parent.root.session();
            VerifyReport r = AuditVerifier.verify(s.db(), s.tenants().checkpointFile(s.tenantName()), options(s, b));
            print(parent.root, r);
            return r.intact() ? 0 : ExitCode.INTEGRITY.code();
        }
    }

    /** The cadence the log was written under (from the config) and this session's clock. */
    static VerifyOptions options(Session s, VerifyOptions.Builder b) {
        return b.settings(s.config().section("audit", AuditSettings.class)).clock(s.clock()).build();
    }

    static void print(RootCommand root, VerifyReport r) {
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tenant", r.tenant());
            m.put("intact", r.intact());
            m.put("rows", r.rows());
            m.put("head", r.head());
            m.put("checkpoints", r.checkpoints());
            m.put("signed_checkpoints", r.signed());
            r.firstBreak().ifPresent(b -> m.put("break", Map.of("seq", b.seq(), "kind", b.kind(), "message", b.message())));
            m.put("notes", r.notes());
            m.put("millis", r.millis());
            root.cli.out.println(Json.write(m));
            return;
        }
        if (r.intact()) {
            root.cli.out.println("audit log of tenant '" + r.tenant() + "' intact: " + r.rows() + " rows, " + r.checkpoints()
                    + " checkpoints (" + r.signed() + " signed), head " + TenantCommand.abbreviate(r.head()));
            r.notes().forEach(n -> root.cli.err.println("note: " + n));
        } else {
            VerifyReport.Break b = r.firstBreak().orElseThrow();
            root.cli.out.println("audit log of tenant '" + r.tenant() + "' BROKEN [" + b.kind() + "]: " + b.message());
        }
    }

    @Command(name = "seal", description = "Unlock the vault and write a signed checkpoint covering every row so far.")
    static final class Seal implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.unlock(s.tenantName()); // its own audit row; the closing checkpoint is signed and covers it
            s.release(s.tenantName());
            VerifyReport r = AuditVerifier.verify(s.db(), s.tenants().checkpointFile(s.tenantName()),
                    options(s, VerifyOptions.builder()));
            print(parent.root, r);
            return r.intact() ? 0 : ExitCode.INTEGRITY.code();
        }
    }

    @Command(name = "tail", description = "Show the newest audit rows.")
    static final class Tail implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "How many rows (default ${DEFAULT-VALUE}).")
        int n;

        @Override
        public Integer call() {
            if (n < 1 || n > 1_000_000) {
                throw AirlockException.usage("-n must be between 1 and 1000000, got " + n);
            }
            Session s = parent.root.session();
            List<AuditRecord> rows = AuditReader.of(s.db()).tail(n);
            rows.forEach(r -> printRow(parent.root, s, r));
            return 0;
        }
    }

    @Command(name = "show", description = "Show one audit row in full.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Parameters(paramLabel = "SEQ", description = "Row number.")
        long seq;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            AuditRecord r = AuditReader.of(s.db()).show(seq).orElseThrow(() -> AirlockException.usage("no audit row "
                    + seq + " in tenant '" + s.tenantName() + "'; see 'airlock audit tail' for the newest rows"));
            if (parent.root.json) {
                printRow(parent.root, s, r);
            } else {
                PrintTo out = new PrintTo(parent.root);
                out.line("seq:       " + r.seq());
                out.line("time:      " + Instant.ofEpochMilli(r.time()));
                out.line("actor:     " + s.scrub(r.actor()));
                out.line("action:    " + r.action());
                out.line("target:    " + s.scrub(r.target()));
                out.line("outcome:   " + r.outcome());
                out.line("details:   " + s.scrub(r.details()));
                out.line("prev_hash: " + r.prevHash());
                out.line("hash:      " + r.hash());
            }
            return 0;
        }
    }

    record PrintTo(RootCommand root) {
        void line(String s) {
            root.cli.out.println(s);
        }
    }

    static void printRow(RootCommand root, Session s, AuditRecord r) {
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", r.seq());
            m.put("time", r.time());
            m.put("actor", r.actor());
            m.put("action", r.action());
            m.put("target", s.scrub(r.target()));
            m.put("outcome", r.outcome());
            try {
                m.put("details", Json.MAPPER.readTree(s.scrub(r.details())));
            } catch (IOException e) {
                m.put("details", s.scrub(r.details()));
            }
            m.put("prev_hash", r.prevHash());
            m.put("hash", r.hash());
            root.cli.out.println(Json.write(m));
        } else {
            root.cli.out.printf("%6d  %s  %-8s %-18s %-24s %-8s %s%n", r.seq(), Instant.ofEpochMilli(r.time()),
                    r.actor(), r.action(), s.scrub(r.target()), r.outcome(), s.scrub(r.details()));
        }
    }

    @Command(name = "export", description = "Export the audit log for a SIEM: jsonl, splunk-hec, datadog, sumo, ocsf or cef.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        AuditCommand parent;

        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "jsonl, splunk-hec, datadog, sumo, ocsf or cef.")
        String format;

        @Option(names = "--since", paramLabel = "SEQ|TIME",
                description = "Only rows from this row number, or from this time (ISO-8601 instant or YYYY-MM-DD, UTC).")
        @Nullable String since;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (created 0600) instead of stdout.")
        @Nullable Path out;

        @Override
        public Integer call() throws IOException {
            ExportFormat fmt = ExportFormat.parse(format);
            long fromSeq = 1;
            long fromTime = Long.MIN_VALUE;
            if (since != null) {
                if (since.matches("\\d{1,18}")) {
                    fromSeq = Long.parseLong(since);
                } else {
                    fromTime = parseTime(since);
                }
            }
            Session s = parent.root.session();
            TenantDb db = s.db();
            AuditReader reader = AuditReader.of(db);
            ExportContext ctx = new ExportContext(s.tenantName().value(), reader.logId(), hostName(), VersionCommand.version());
            Path target = out == null ? null : out.toAbsolutePath();
            if (target != null) {
                refuseOwnFiles(target, s.initializedHome());
            }
            Path dir = target == null ? s.initializedHome().root() : target.getParent();
            // Exported to a private temp file first: the export only "happens" once its audit row is durable.
            Path tmp;
            try {
                tmp = Files.createTempFile(dir, ".airlock-export-", ".tmp",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (IOException e) {
                throw AirlockHome.unwritable(dir, e);
            }
            try {
                final long from = fromSeq;
                final long fromT = fromTime;
                long count;
                try (Writer w = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                    count = reader.withRows(from, fromT, rows -> {
                        ScrubbingWriter sw = new ScrubbingWriter(w, s);
                        long c = AuditExporter.create(fmt, ctx).write(rows, sw);
                        sw.close();
                        return c;
                    });
                }
                s.audit().append(AuditEvent.builder("audit.export").target("audit:" + s.tenantName())
                        .detail("format", fmt.cliName()).detail("rows", count).detail("from_seq", from)
                        .detail("destination", target == null ? "stdout" : target.toString()).build());
                if (target == null) {
                    try (var in = Files.newBufferedReader(tmp, StandardCharsets.UTF_8)) {
                        in.transferTo(parent.root.cli.out);
                    }
                    parent.root.cli.out.flush();
                } else {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    PrivateFiles.restrict(target);
                    parent.root.cli.err.println("Exported " + count + " audit rows as " + fmt.cliName() + " to " + target + ".");
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return 0;
        }

        /**
         * An export replaces its target; it must never replace Airlock's own state (a tenant database,
         * its checkpoints, the log, the marker) or a folder.
         */
        static void refuseOwnFiles(Path target, AirlockHome home) {
            Path parent = target.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                return; // reported as unwritable when the temp file cannot be created
            }
            Path real;
            Path homeReal;
            try {
                // The move replaces a symbolic link itself, never what it points to, so only the folder is resolved.
                real = parent.toRealPath().resolve(target.getFileName());
                homeReal = home.root().toRealPath();
            } catch (IOException e) {
                throw AirlockHome.unwritable(target, e);
            }
            if (Files.isDirectory(real, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw AirlockException.usage("--out " + target + " is a folder; name the file to write, e.g. "
                        + target.resolve("audit.export"));
            }
            for (Path own : List.of(home.tenantsDir().getFileName(), home.logsDir().getFileName(), Path.of("airlock.home"))) {
                if (real.startsWith(homeReal.resolve(own))) {
                    throw AirlockException.usage("--out " + target + " would overwrite Airlock's own files in "
                            + homeReal.resolve(own) + "; write the export outside them");
                }
            }
        }

        static long parseTime(String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw AirlockException.usage("--since takes a row number, an ISO-8601 instant (2026-11-22T10:00:00Z)"
                            + " or a date (2026-11-22), got '" + s + "'");
                }
            }
        }

        static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    /** Passes exported text through the session's redaction filter, line by line. */
    static final class ScrubbingWriter extends Writer {
        private final Writer out;
        private final Session session;
        private final StringBuilder line = new StringBuilder();

        ScrubbingWriter(Writer out, Session session) {
            this.out = out;
            this.session = session;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                line.append(cbuf[i]);
                if (cbuf[i] == '\n') {
                    out.write(session.scrub(line.toString()));
                    line.setLength(0);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!line.isEmpty()) {
                out.write(session.scrub(line.toString()));
                line.setLength(0);
            }
            out.flush();
        }
    }
}
