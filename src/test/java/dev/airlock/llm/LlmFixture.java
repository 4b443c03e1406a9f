package dev.airlock.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.gate.EgressGate;
import dev.airlock.home.Config;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import dev.airlock.vault.SecretBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Providers with their real parts: a tenant database, its audit log, the policy engine and the
 * egress gate. Keys come from an in-memory stand-in for the vault that counts how often it is asked.
 */
final class LlmFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final TenantDb db;
    final AuditLog audit;
    final CommandAnalyzer analyzer = CommandAnalyzer.create();
    final PolicyEngine engine;
    final EgressGate gate;
    final Map<String, String> secrets = new ConcurrentHashMap<>();
    final Map<String, String> env = new ConcurrentHashMap<>();
    final AtomicInteger keyLookups = new AtomicInteger();

    record Row(String action, String outcome, String target, JsonNode details) {}

    /** {@code egressYaml}: the lines under {@code policy.egress}, indented two spaces. */
    LlmFixture(Path dir, String egressYaml) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            db = TenantDb.open(TenantName.of("t"), dir.resolve("airlock.db"), true);
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
            AuditLogs.createCheckpointFile(dir.resolve("audit.checkpoints"));
            audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine = PolicyEngine.create(PolicyConfig.parse("egress:\n" + egressYaml, "test"), analyzer);
        gate = EgressGate.create(engine, audit);
    }

    KeySource keys() {
        KeySource vault = reference -> {
            keyLookups.incrementAndGet();
            String name = reference.substring("secret:".length());
            String v = secrets.get(name);
            if (v == null) {
                throw new dev.airlock.home.AirlockException(dev.airlock.home.ExitCode.USAGE,
                        "tenant 't' has no secret named '" + name + "'; see 'airlock secrets list'");
            }
            return SecretBytes.copyOf(v.getBytes(StandardCharsets.UTF_8));
        };
        return KeySource.of(vault, env);
    }

    /** Providers over the {@code models:} section written as {@code modelsYaml} (lines under models:). */
    Providers providers(String modelsYaml) {
        return Providers.create(settings(modelsYaml), keys(), gate, engine.egress());
    }

    /** The section parsed exactly as the CLI parses it. */
    ModelSettings settings(String modelsYaml) {
        return settings(dir, modelsYaml);
    }

    /** {@code modelsYaml} (the lines under models:) written to a file in {@code dir} and loaded by the config loader. */
    static ModelSettings settings(Path dir, String modelsYaml) {
        try {
            Path file = Files.createTempFile(dir, "config", ".yaml");
            Files.writeString(file, "models:\n" + modelsYaml);
            return Config.load(file, Config.Schema.create().section("models", ModelSettings.class))
                    .section("models", ModelSettings.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A provider entry for {@code s} under models.providers, named {@code name}, with an optional key reference. */
    static String provider(String name, FakeModelServer s, String apiKey) {
        return "    " + name + ": {type: " + s.protocol().name().toLowerCase(java.util.Locale.ROOT) + ", base_url: '" + s.baseUrl() + "'"
                + (apiKey == null ? "" : ", api_key: '" + apiKey + "'") + "}\n";
    }

    /** A provider entry for {@code s} reached as the remote host {@code host} through the egress proxy. */
    static String remoteProvider(String name, FakeModelServer s, String host, String apiKey) {
        String base = s.baseUrl().replace(s.origin(), "http://" + host);
        return "    " + name + ": {type: " + s.protocol().name().toLowerCase(java.util.Locale.ROOT) + ", base_url: '" + base + "'"
                + (apiKey == null ? "" : ", api_key: '" + apiKey + "'") + "}\n";
    }

    static ModelRequest ask(String model, String text) {
        return new ModelRequest(model, List.of(new ModelMessage.User(text)), List.of(), 256);
    }

    static final ToolSpec SHELL = new ToolSpec("shell", "Runs a shell command in the workspace.", Map.of(
            "type", "object",
            "properties", Map.of("command", Map.of("type", "string", "description", "the command line")),
            "required", List.of("command")));

    List<Row> rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT action, outcome, target, details FROM audit ORDER BY seq")
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4)))).list());
    }

    List<Row> rows(String action) {
        return rows().stream().filter(r -> r.action().equals(action)).toList();
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
