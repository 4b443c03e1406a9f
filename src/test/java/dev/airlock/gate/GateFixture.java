package dev.airlock.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.Decision;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.redact.KnownSecrets;
import dev.airlock.redact.RedactionConfig;
import dev.airlock.redact.Redactor;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A gate with its real parts: the shipped policy, bubblewrap, an audit log over a real tenant
 * database, the redactor, and a scripted approver that counts how often it is asked. Folders live
 * below {@code target/}, not /tmp, which the sandbox replaces.
 */
final class GateFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path workspace;
    final Path outside;
    final Path airlockHome;
    final Path userHome;
    final TenantDb db;
    final AuditLog audit;
    final KnownSecrets known = KnownSecrets.create();
    final Redactor redactor = Redactor.create(RedactionConfig.defaults(), known);
    final AtomicInteger asked = new AtomicInteger();
    volatile boolean answer = true;
    final CommandAnalyzer analyzer = CommandAnalyzer.create();
    final PolicyEngine engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);

    record Row(String action, String outcome, JsonNode details) {}

    GateFixture() {
        this(UnaryOperator.identity());
    }

    GateFixture(UnaryOperator<AuditLog> wrapAudit) {
        try {
            Path base = Files.createDirectories(Path.of("target", "gate-it").toAbsolutePath());
            root = Files.createTempDirectory(base, "gate").toRealPath();
            workspace = Files.createDirectories(root.resolve("workspace"));
            outside = Files.createDirectories(root.resolve("outside"));
            Files.writeString(outside.resolve("keep.txt"), "keep");
            airlockHome = Files.createDirectories(root.resolve("airlock"));
            Files.createDirectories(airlockHome.resolve("tenants/default"));
            Files.writeString(airlockHome.resolve("secret.txt"), "airlock-home-content");
            userHome = Files.createDirectories(root.resolve("user"));
            Path tenant = Files.createDirectories(root.resolve("tenant"));
            db = TenantDb.open(TenantName.of("t"), tenant.resolve("airlock.db"), true);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
            AuditLogs.createCheckpointFile(tenant.resolve("audit.checkpoints"));
            audit = wrapAudit.apply(AuditLogs.open(db, tenant.resolve("audit.checkpoints"), AuditOptions.builder().build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PathContext context() {
        return PathContext.create(workspace, userHome, airlockHome);
    }

    Approver approver() {
        return (String line, Decision.Ask decision, boolean sandboxed) -> {
            asked.incrementAndGet();
            return answer;
        };
    }

    Gate gate() {
        return gate(Sandbox.bubblewrap(), "bubblewrap");
    }

    Gate gate(Sandbox sandbox, String state) {
        return Gate.builder().engine(engine).sandbox(sandbox, state).audit(audit).approver(approver()).redactor(redactor)
                .parentEnvironment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", userHome.toString(),
                        "AIRLOCK_PASSWORD", "gate-fixture-password-1", "MY_SERVICE_TOKEN", "gate-fixture-token-2"))
                .hidden(List.of(airlockHome))
                .build();
    }

    ExecOutcome exec(Gate gate, String line, ApprovalMode mode) {
        return exec(gate, line, mode, new ByteArrayOutputStream(), new ByteArrayOutputStream());
    }

    ExecOutcome exec(Gate gate, String line, ApprovalMode mode, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return gate.exec(new ExecRequest("user", "cli", line, context(), mode), out, err);
    }

    List<Row> rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT action, outcome, details FROM audit ORDER BY seq")
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), parse(rs.getString(3)))).list());
    }

    /** The gate.exec rows for exactly {@code line}. */
    List<Row> execRows(String line) {
        return rows().stream().filter(r -> r.action().equals("gate.exec") && r.details().path("line").asText().equals(line)).toList();
    }

    String rawAuditText() {
        List<String> all = db.jdbi().withHandle(h -> h.createQuery("SELECT actor || action || target || outcome || details FROM audit")
                .mapTo(String.class).list());
        return String.join("\n", all);
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        audit.close();
        analyzer.close();
        db.close();
    }
}
