package dev.airlock.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.Gate;
import dev.airlock.gate.EgressGate;
import dev.airlock.home.Config;
import dev.airlock.llm.KeySource;
import dev.airlock.llm.ModelSettings;
import dev.airlock.llm.Providers;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelRef;
import dev.airlock.llm.Price;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
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
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runner on real parts: the shipped policy, bubblewrap, a real tenant database and audit log, the
 * redactor, a real {@link FieldCipher} behind {@link ContentCipher}, and the real model providers
 * talking to a fake OpenAI-compatible server on loopback. Folders live below
 * {@code target/}, not /tmp, which the sandbox replaces.
 */
final class WorkflowFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final Path workspace;
    final Path airlockHome;
    final Path userHome;
    final TenantDb db;
    final AuditLog audit;
    final Redactor redactor = Redactor.create(RedactionConfig.defaults(), KnownSecrets.create());
    final CommandAnalyzer analyzer = CommandAnalyzer.create();
    final PolicyEngine engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
    final ContentCipher cipher;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final FakeModels models;

    record Row(long seq, String actor, String action, String target, String outcome, JsonNode details) {}

    WorkflowFixture() {
        try {
            Path base = Files.createDirectories(Path.of("target", "workflow-it").toAbsolutePath());
            root = Files.createTempDirectory(base, "run").toRealPath();
            workspace = Files.createDirectories(root.resolve("workspace"));
            airlockHome = Files.createDirectories(root.resolve("airlock"));
            userHome = Files.createDirectories(root.resolve("user"));
            Path tenant = Files.createDirectories(root.resolve("tenant"));
            db = TenantDb.open(TenantName.of("t"), tenant.resolve("airlock.db"), true);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", java.util.UUID.randomUUID().toString()));
            AuditLogs.createCheckpointFile(tenant.resolve("audit.checkpoints"));
            audit = AuditLogs.open(db, tenant.resolve("audit.checkpoints"), AuditOptions.builder().build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = ContentCipher.encrypted(FieldCipher.fromEnvironment(Map.of("K", Base64.getEncoder().encodeToString(key)), "K"));
        models = new FakeModels();
    }

    PathContext context() {
        return PathContext.create(workspace, userHome, airlockHome);
    }

    Gate gate(dev.airlock.gate.Approver approver) {
        return Gate.builder().engine(engine).sandbox(Sandbox.bubblewrap(), "bubblewrap").audit(audit).approver(approver)
                .redactor(redactor)
                .parentEnvironment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", userHome.toString()))
                .hidden(List.of(airlockHome)).build();
    }

    Runner.Builder runner(ApprovalMode mode) {
        return Runner.builder().db(db).audit(audit).cipher(cipher).gate(this::gate).analyzer(analyzer).context(context())
                .redactor(redactor).mode(mode).clock(clock).pollInterval(Duration.ofMillis(20)).models(models.access());
    }

    Runs runs() {
        return Runs.create(db, audit, clock);
    }

    RunResult run(String yaml, ApprovalMode mode) {
        return runner(mode).build().start(WorkflowLoader.parse(yaml, "test"), Map.of());
    }

    Map<String, String> outputs(String runId) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Runs.NodeInfo n : runs().show(runId, cipher).nodes()) {
            out.put(n.id(), n.output());
        }
        return out;
    }

    List<Row> rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT seq, actor, action, target, outcome, details FROM audit ORDER BY seq")
                .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        parse(rs.getString(6)))).list());
    }

    List<Row> rows(String action) {
        return rows().stream().filter(r -> r.action().equals(action)).toList();
    }

    /** The gate.exec rows whose line is exactly {@code line} and that were approved (the command started). */
    List<Row> executed(String line) {
        return rows("gate.exec").stream().filter(r -> r.details().path("line").asText().equals(line) && r.outcome().equals("approved"))
                .toList();
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
        models.close();
        audit.close();
        analyzer.close();
        cipher.close();
        db.close();
    }

    /** A clock the test moves; approval deadlines are read from it. */
    static final class MutableClock extends Clock {
        private final AtomicLong millis;

        MutableClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    }

    /**
     * Model access over the real providers to a fake OpenAI-compatible server on loopback: provider
     * {@code test}; {@code test/unpriced} has no price, every other model costs $1 / $2 per million
     * input / output tokens (the server is on this machine, so the price table would call it free;
     * the test gives it the price a remote provider would have).
     */
    final class FakeModels implements AutoCloseable {
        final FakeModelServer server = FakeModelServer.openAi();
        private final Providers providers;

        FakeModels() {
            String yaml = "providers:\n  test: {type: openai, base_url: '" + server.baseUrl() + "'}\ntimeout_seconds: 5\n";
            ModelSettings settings = Config.parseDocument("models.yaml", yaml.getBytes(StandardCharsets.UTF_8), ModelSettings.class);
            providers = Providers.create(settings, KeySource.none(), EgressGate.create(engine, audit), engine.egress());
        }

        ModelAccess access() {
            return new ModelAccess() {
                @Override
                public ModelClient client(ModelRef ref) {
                    return providers.client(ref.provider(), "workflow", "workflow");
                }

                @Override
                public Optional<Price> price(ModelRef ref) {
                    return ref.model().equals("unpriced") ? Optional.empty()
                            : Optional.of(new Price(BigDecimal.ONE, BigDecimal.valueOf(2)));
                }
            };
        }

        @Override
        public void close() {
            providers.close();
            server.close();
        }
    }
}
