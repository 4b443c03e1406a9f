package dev.airlock.cli;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.policy.PathContext;
import dev.airlock.store.TenantName;
import dev.airlock.vault.ContentCipher;
import dev.airlock.workflow.AgentResolver;
import dev.airlock.workflow.ModelAccess;
import dev.airlock.workflow.RunListener;
import dev.airlock.workflow.Runner;
import dev.airlock.workflow.Runs;
import dev.airlock.workflow.Workflow;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the workflow verbs share: the runner assembled from the session's parts (content cipher,
 * model providers, agents), and the progress lines on stderr. Kept out of
 * {@link Session} so that the session stays what every command uses.
 */
final class WorkflowWiring {
    private WorkflowWiring() {}

    /**
     * A runner for this command and what it opened: the content cipher ({@code security.encryption})
     * and, on the first llm node, the model providers. Closing wipes their keys.
     */
    static final class Wired implements AutoCloseable {
        final Runner runner;
        private final ContentCipher cipher;
        private final ModelsOnDemand models;

        private Wired(Runner runner, ContentCipher cipher, ModelsOnDemand models) {
            this.runner = runner;
            this.cipher = cipher;
            this.models = models;
        }

        @Override
        public void close() {
            models.close();
            cipher.close();
        }
    }

    static Wired runner(RootCommand root, PathContext context, ApprovalMode mode) {
        Session s = root.session();
        TenantName t = s.tenantName();
        if (s.hasIdentity(t)) {
            // Exact scrubbing of every vault value needs them in memory; the unlock and load are audited.
            s.unlock(t).loadAllForRedaction();
        }
        ContentCipher cipher = s.contentCipher(t);
        ModelsOnDemand models = new ModelsOnDemand(s);
        Runner runner = Runner.builder()
                .db(s.db())
                .audit(s.audit())
                .cipher(cipher)
                .gate(s::gate)
                .analyzer(s.policy().analyzer())
                .context(context)
                .redactor(s.redactor())
                .models(models)
                .agents(name -> agent(s, context, name))
                .mode(mode)
                .terminal(new TerminalApprover(root.cli, s))
                .listener(new Progress(root.cli.err, s))
                .clock(s.clock())
                .build();
        return new Wired(runner, cipher, models);
    }

    /** The agent {@code name} of the agents configuration, as an llm node uses it (its model and prompt). */
    private static java.util.Optional<AgentResolver.Agent> agent(Session s, PathContext context, String name) {
        dev.airlock.agent.Agent a = s.agents(context).all().get(name);
        return a == null ? java.util.Optional.empty()
                : java.util.Optional.of(new AgentResolver.Agent(a.name(), a.requireModel(), a.systemPrompt()));
    }

    /**
     * The configured providers and price table, opened on the first llm node (a shell-only workflow
     * never reads the models section or resolves a key). Requests go through the egress gate as
     * agent {@code workflow}.
     */
    static final class ModelsOnDemand implements ModelAccess, AutoCloseable {
        private final Session s;
        private dev.airlock.llm.@Nullable Providers providers;

        ModelsOnDemand(Session s) {
            this.s = s;
        }

        private synchronized dev.airlock.llm.Providers providers() {
            if (providers == null) {
                providers = s.providers(dev.airlock.gate.EgressGate.create(s.policy(), s.lazyAudit(s.tenantName())));
            }
            return providers;
        }

        @Override
        public dev.airlock.llm.ModelClient client(dev.airlock.llm.ModelRef ref) {
            return providers().client(ref.provider(), "workflow", "workflow");
        }

        @Override
        public java.util.Optional<dev.airlock.llm.Price> price(dev.airlock.llm.ModelRef ref) {
            dev.airlock.llm.Providers p = providers();
            return p.pricing().price(ref, p.isLocal(ref.provider()));
        }

        @Override
        public synchronized void close() {
            if (providers != null) {
                providers.close();
            }
        }
    }

    static Runs runs(Session s) {
        return Runs.create(s.db(), s.audit(), s.clock());
    }

    /** Who decides from this terminal: {@code user:$USER}. */
    static String approver(Session s) {
        String user = s.env().getOrDefault("USER", "").replaceAll("[^A-Za-z0-9._@-]", "");
        return user.isEmpty() ? "user" : "user:" + user;
    }

    static String money(@Nullable BigDecimal d) {
        return d == null ? "-" : "$" + d.setScale(Math.max(2, Math.min(6, d.stripTrailingZeros().scale())), RoundingMode.HALF_UP).toPlainString();
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + "ms" : ms < 120_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0)
                : (ms / 60_000) + "m" + (ms / 1000 % 60) + "s";
    }

    /** One line per event on stderr; the commands behind a gate exactly as they will run. */
    static final class Progress implements RunListener {
        private final PrintWriter err;
        private final Session s;

        Progress(PrintWriter err, Session s) {
            this.err = err;
            this.s = s;
        }

        private String show(String text) {
            return TerminalApprover.visible(s.scrub(text)).replace("\n", "\\n");
        }

        @Override
        public synchronized void runStarted(String runId, Workflow w, boolean resumed) {
            err.println("airlock: run " + runId + (resumed ? " resumed: " : " started: ") + show(w.name()) + " (" + w.nodes().size()
                    + " nodes)");
            err.flush();
        }

        @Override
        public synchronized void nodeStarted(String runId, String nodeId, int attempt) {
            err.println("  started   " + nodeId + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
            err.flush();
        }

        @Override
        public synchronized void nodeFinished(String runId, String nodeId, String state, @Nullable String detail) {
            err.println("  " + String.format("%-9s", state) + " " + nodeId
                    + (detail == null ? "" : ": " + show(detail)));
            err.flush();
        }

        @Override
        public synchronized void approvalPending(String runId, String gateId, String message, List<GatedCommand> commands,
                Instant deadline) {
            err.println("airlock: run " + runId + " is waiting at gate '" + gateId + "': " + show(message));
            if (commands.isEmpty()) {
                err.println("  (no command line is known yet behind this gate)");
            }
            for (GatedCommand c : commands) {
                err.println("  " + (c.destructive() ? "DESTRUCTIVE " : "") + c.node() + ": " + show(c.line()));
            }
            err.println("  approve: airlock approve " + runId + " " + gateId + "    deny: airlock deny " + runId + " " + gateId
                    + " --reason TEXT    (times out at " + deadline + ")");
            err.flush();
        }
    }

    /** The closing summary: nodes by state, outcome, cost, duration. */
    static void summary(PrintWriter err, dev.airlock.workflow.RunResult r) {
        Map<String, Integer> counts = new TreeMap<>();
        r.nodes().values().forEach(v -> counts.merge(v, 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
        String outcome = switch (r.state()) {
            case "succeeded" -> "succeeded";
            case "parked" -> "parked at an approval gate (exit 5); approve it, then 'airlock run --resume " + r.runId() + "'";
            default -> "failed (" + r.reason() + ", exit " + r.exitCode() + ")";
        };
        err.println("airlock: run " + r.runId() + " " + outcome + "; nodes: " + r.nodes().size() + " (" + sb + "); cost "
                + money(r.costUsd()) + "; took " + duration(r.duration()));
        err.flush();
    }
}
