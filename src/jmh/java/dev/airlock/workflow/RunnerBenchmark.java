package dev.airlock.workflow;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.Approver;
import dev.airlock.gate.ExecOutcome;
import dev.airlock.gate.ExecRequest;
import dev.airlock.gate.Gate;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Runner overhead per node: a 1,000-node DAG of {@code true} shell nodes (10 layers of 100, each
 * node depending on two nodes of the layer before), against the same graph walked by a plain
 * topological loop that sends the same lines through the same gate, in the same JMH run.
 *
 * <p>The nodes are {@code true} with the sandbox off ({@link Sandbox#unsandboxed()}, approved by
 * {@code --yes} as the gate asks for everything without a sandbox): there is no no-op node kind, and
 * a shell node that does nothing is the cheapest node that still takes the real path (policy, audit
 * rows, process). Both sides pay the gate and the process; the difference is the runner's own work:
 * validation, scheduling, sealing and storing node states, and its audit rows (run start/end, node
 * start/end) — all durable SQLite commits.
 *
 * <p>Run from the project root:
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test \
 *   &amp;&amp; java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      org.openjdk.jmh.Main RunnerBenchmark -f 1 -wi 1 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RunnerBenchmark {
    @Param({"1000"})
    public int nodes;

    private Path root;
    private TenantDb db;
    private AuditLog audit;
    private CommandAnalyzer analyzer;
    private PolicyEngine engine;
    private Redactor redactor;
    private ContentCipher cipher;
    private PathContext context;
    private Workflow workflow;
    private Graph graph;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
        root = Files.createTempDirectory(base, "runner").toRealPath();
        Path ws = Files.createDirectories(root.resolve("workspace"));
        Path tenant = Files.createDirectories(root.resolve("tenant"));
        db = TenantDb.open(TenantName.of("bench"), tenant.resolve("airlock.db"), true);
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', 'bench')"));
        AuditLogs.createCheckpointFile(tenant.resolve("audit.checkpoints"));
        audit = AuditLogs.open(db, tenant.resolve("audit.checkpoints"), AuditOptions.builder().build());
        analyzer = CommandAnalyzer.create();
        engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
        redactor = Redactor.create(RedactionConfig.defaults(), KnownSecrets.create());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        cipher = ContentCipher.encrypted(FieldCipher.fromEnvironment(Map.of("K", Base64.getEncoder().encodeToString(key)), "K"));
        context = PathContext.create(ws, Files.createDirectories(root.resolve("user")), root.resolve("airlock"));
        Random random = new Random(7);
        List<Node> list = new ArrayList<>();
        int width = Math.max(1, nodes / 10);
        for (int i = 0; i < nodes; i++) {
            List<String> deps = new ArrayList<>();
            int layerStart = (i / width) * width;
            if (layerStart > 0) {
                int a = layerStart - width + random.nextInt(width);
                int b = layerStart - width + random.nextInt(width);
                deps.add("n" + a);
                if (b != a) {
                    deps.add("n" + b);
                }
            }
            list.add(new Node.Shell("n" + i, deps, null, null, 0, null, "true"));
        }
        workflow = new Workflow("bench", null, Workflow.DEFAULT_APPROVAL_TIMEOUT, Map.of(), list);
        graph = new Graph(workflow);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        audit.close();
        analyzer.close();
        cipher.close();
        db.close();
    }

    private Gate gate(Approver approver) {
        return Gate.builder().engine(engine).sandbox(null, "off (benchmark)").audit(audit).approver(approver).redactor(redactor)
                .parentEnvironment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"))).build();
    }

    private RunResult runner(int parallelism) {
        RunResult r = Runner.builder().db(db).audit(audit).cipher(cipher).gate(this::gate).analyzer(analyzer).context(context)
                .redactor(redactor).mode(ApprovalMode.YES).parallelism(parallelism).build().start(workflow, Map.of());
        if (r.exitCode() != 0) {
            throw new IllegalStateException("benchmark run failed: " + r);
        }
        return r;
    }

    /** The baseline: the same lines, in topological order, through the same gate; nothing else. */
    @Benchmark
    public int plainTopologicalLoop() {
        Gate gate = gate((line, decision, sandboxed) -> false);
        int ok = 0;
        for (int i : graph.topologicalOrder()) {
            ExecOutcome o = gate.exec(new ExecRequest("bench", "workflow", ((Node.Shell) graph.node(i)).command(), context,
                    ApprovalMode.YES), OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
            if (o.exitCode() == 0) {
                ok++;
            }
        }
        if (ok != nodes) {
            throw new IllegalStateException("baseline failed");
        }
        return ok;
    }

    /** The runner, one node at a time: the same work as the loop plus the runner's own. */
    @Benchmark
    public RunResult runnerSequential() {
        return runner(1);
    }

    /** The runner with its default pool of 4: what a user gets. */
    @Benchmark
    public RunResult runnerParallel4() {
        return runner(4);
    }
}
