package dev.airlock.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.Approver;
import dev.airlock.gate.EgressGate;
import dev.airlock.gate.Gate;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.Decision;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.policy.RateLimiter;
import dev.airlock.redact.KnownSecrets;
import dev.airlock.redact.RedactionConfig;
import dev.airlock.redact.Redactor;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import dev.airlock.vault.ContentCipher;
import dev.airlock.vault.FieldCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The agent layer over real parts: a tenant database and audit log, the shipped policy, bubblewrap,
 * the redactor, a field cipher, and a scripted approver that records what it was shown. Folders live
 * below {@code target/}, not /tmp, which the sandbox replaces.
 */
final class AgentFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path workspace;
    final Path airlockHome;
    final Path userHome;
    final TenantDb db;
    final AuditLog audit;
    final KnownSecrets known = KnownSecrets.create();
    final Redactor redactor = Redactor.create(RedactionConfig.defaults(), known);
    final CommandAnalyzer analyzer = CommandAnalyzer.create();
    final PolicyEngine engine;
    final List<String> shown = new CopyOnWriteArrayList<>();
    volatile boolean answer = true;
    /** Runs while the approver is being asked (to change the world between the diff and the write). */
    volatile Runnable whileAsking = () -> { };
    final FieldCipher fieldCipher;
    final ContentCipher cipher;

    record Row(String action, String actor, String target, String outcome, JsonNode details) {}

    AgentFixture() {
        this(PolicyConfig.EMPTY);
    }

    AgentFixture(PolicyConfig policy) {
        try {
            Path base = Files.createDirectories(Path.of("target", "agent-it").toAbsolutePath());
            root = Files.createTempDirectory(base, "agent").toRealPath();
            workspace = Files.createDirectories(root.resolve("workspace"));
            airlockHome = Files.createDirectories(root.resolve("airlock"));
            userHome = Files.createDirectories(root.resolve("user"));
            Path tenant = Files.createDirectories(root.resolve("tenant"));
            db = TenantDb.open(TenantName.of("t"), tenant.resolve("airlock.db"), true);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
            AuditLogs.createCheckpointFile(tenant.resolve("audit.checkpoints"));
            audit = AuditLogs.open(db, tenant.resolve("audit.checkpoints"), AuditOptions.builder().build());
            engine = PolicyEngine.create(policy, analyzer);
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            fieldCipher = FieldCipher.fromEnvironment(Map.of("K", Base64.getEncoder().encodeToString(key)), "K");
            cipher = ContentCipher.encrypted(fieldCipher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An agent over every tool (or the read tools), with the given permissions, cost limit and security mode. */
    static Agent agent(String name, boolean readOnly, Map<String, AgentDefinition.Permission> perms,
            java.math.@Nullable BigDecimal costLimit, boolean securityMode) {
        java.util.Set<String> tools = readOnly ? java.util.Set.of("read_file", "list_files", "search_files", "shell", "http_get") : Tools.ALL;
        return new Agent(name, java.util.Optional.of(new dev.airlock.llm.ModelRef("fake", "fake-model")), "You help.", tools, readOnly,
                perms, List.of(), java.util.Optional.ofNullable(costLimit), 512, 8, java.util.Set.of("cli"), securityMode, List.of("test"));
    }

    PathContext context() {
        return PathContext.create(workspace, userHome, airlockHome);
    }

    Approver approver() {
        return (String line, Decision.Ask decision, boolean sandboxed) -> {
            shown.add(line);
            whileAsking.run();
            return answer;
        };
    }

    Gate gate(@Nullable RateLimiter limiter) {
        Gate.Builder b = Gate.builder().engine(engine).sandbox(Sandbox.bubblewrap(), "bubblewrap").audit(audit).approver(approver())
                .redactor(redactor)
                .parentEnvironment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", userHome.toString()))
                .hidden(List.of(airlockHome));
        if (limiter != null) {
            b.rateLimiter(limiter);
        }
        return b.build();
    }

    Tools tools(ApprovalMode mode) {
        return tools(mode, null, null);
    }

    Tools tools(ApprovalMode mode, @Nullable RateLimiter limiter, @Nullable EgressGate egress) {
        return new Tools(gate(limiter), engine, egress, context(), mode);
    }

    SessionStore store() {
        return new SessionStore(db.jdbi(), () -> cipher, audit, Clock.systemUTC());
    }

    Path write(String name, String content) {
        try {
            Path p = workspace.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Row> rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT action, actor, target, outcome, details FROM audit ORDER BY seq")
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), parse(rs.getString(5)))).list());
    }

    List<Row> rows(String action) {
        return new ArrayList<>(rows().stream().filter(r -> r.action().equals(action)).toList());
    }

    /** Every byte of every file under the fixture's tenant folder (database, WAL, checkpoints). */
    byte[] tenantBytes() {
        try (var s = Files.walk(root.resolve("tenant"))) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                all.write(Files.readAllBytes(p));
            }
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        fieldCipher.close();
        db.close();
    }
}
