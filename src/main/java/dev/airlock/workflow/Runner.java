package dev.airlock.workflow;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.Approver;
import dev.airlock.gate.Gate;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PathContext;
import dev.airlock.redact.Redactor;
import dev.airlock.store.TenantDb;
import dev.airlock.vault.ContentCipher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs workflows: validates, then executes nodes in dependency order with independent ones in
 * parallel, parks at approval gates, enforces the cost cap, and stores every state change with its
 * audit row. One runner serves one tenant and one workspace; it is thread-safe and may run several
 * workflows, each on the calling thread plus a bounded pool.
 *
 * <p>Invariants (tests in {@code dev.airlock.workflow}): a workflow that fails {@link Validator} never
 * starts; every shell node goes through {@link Gate#exec}; a destructive node runs only when an
 * approval of one of its direct gates, recorded in the audit log, covers exactly its rendered line;
 * no model request is sent whose worst-case cost would exceed the cap.
 */
public final class Runner {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    final RunStore store;
    final ContentCipher cipher;
    final Function<Approver, Gate> gateFactory;
    final Validator validator;
    final PathContext context;
    final Redactor redactor;
    final ModelAccess models;
    final AgentResolver agents;
    final ApprovalMode mode;
    final Approver terminal;
    final RunListener listener;
    final int parallelism;
    final Duration pollInterval;
    final Clock clock;

    private Runner(Builder b) {
        this.store = new RunStore(Objects.requireNonNull(b.db, "db"), Objects.requireNonNull(b.audit, "audit"), b.clock);
        this.cipher = Objects.requireNonNull(b.cipher, "cipher");
        this.gateFactory = Objects.requireNonNull(b.gateFactory, "gate");
        this.context = Objects.requireNonNull(b.context, "context");
        this.validator = Validator.create(Objects.requireNonNull(b.analyzer, "analyzer"), context);
        this.redactor = Objects.requireNonNull(b.redactor, "redactor");
        this.models = b.models;
        this.agents = b.agents;
        this.mode = b.mode;
        this.terminal = b.terminal;
        this.listener = b.listener;
        this.parallelism = b.parallelism;
        this.pollInterval = b.pollInterval;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The validator this runner applies (same analyzer and workspace). */
    public Validator validator() {
        return validator;
    }

    /**
     * Validates {@code workflow}, resolves its inputs and runs it to the end, or until it parks at a
     * gate in non-interactive mode.
     *
     * @param inputs values given with {@code --input}; undeclared names and missing required inputs
     *               are refused (exit 2) before anything is stored
     * @throws WorkflowException exit 2 when the workflow or the inputs are invalid; nothing ran
     */
    public RunResult start(Workflow workflow, Map<String, String> inputs) {
        validator.validate(workflow);
        Map<String, String> resolved = resolveInputs(workflow, inputs);
        String id = newRunId();
        return new Execution(this, id, workflow, resolved).start();
    }

    /**
     * Continues a run that is parked or whose process died (docs/workflows.md, Resume).
     *
     * @throws WorkflowException exit 2 for an unknown or finished run, or one a live process owns
     */
    public RunResult resume(String runId) {
        return Execution.resume(this, runId);
    }

    static Map<String, String> resolveInputs(Workflow w, Map<String, String> given) {
        for (String k : given.keySet()) {
            if (!w.inputs().containsKey(k)) {
                throw WorkflowException.invalid("workflow '" + w.name() + "' has no input '" + k + "'"
                        + (w.inputs().isEmpty() ? "; it takes none" : "; inputs: " + String.join(", ", w.inputs().keySet())));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Workflow.Input in : w.inputs().values()) {
            String v = given.containsKey(in.name()) ? given.get(in.name()) : in.defaultValue();
            if (v == null) {
                throw WorkflowException.invalid("workflow '" + w.name() + "' needs input '" + in.name() + "'"
                        + (in.description() == null ? "" : " (" + in.description() + ")") + "; pass --input " + in.name() + "=VALUE");
            }
            out.put(in.name(), v);
        }
        return out;
    }

    static String newRunId() {
        StringBuilder sb = new StringBuilder("r");
        for (int i = 0; i < 10; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static String modeName(ApprovalMode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    static AuditEvent.Builder event(String action, String runId) {
        return AuditEvent.builder(action).actor("workflow:" + runId).target("run:" + runId);
    }

    /** Builds a {@link Runner}; db, audit, cipher, gate, analyzer, context and redactor are required. */
    public static final class Builder {
        private @Nullable TenantDb db;
        private @Nullable AuditLog audit;
        private @Nullable ContentCipher cipher;
        private @Nullable Function<Approver, Gate> gateFactory;
        private @Nullable CommandAnalyzer analyzer;
        private @Nullable PathContext context;
        private @Nullable Redactor redactor;
        private ModelAccess models = ModelAccess.none();
        private AgentResolver agents = AgentResolver.none();
        private ApprovalMode mode = ApprovalMode.INTERACTIVE;
        private Approver terminal = (line, decision, sandboxed) -> false;
        private RunListener listener = RunListener.NONE;
        private int parallelism = 4;
        private Duration pollInterval = Duration.ofMillis(200);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The tenant database holding runs (and the audit log's database). */
        public Builder db(TenantDb db) {
            this.db = db;
            return this;
        }

        public Builder audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        /** Seals the workflow text, inputs, outputs and gate messages at rest. */
        public Builder cipher(ContentCipher cipher) {
            this.cipher = cipher;
            return this;
        }

        /**
         * Builds the gate shell nodes run through, given the approver the runner composes (approvals
         * of workflow gates first, then the terminal for interactive runs).
         */
        public Builder gate(Function<Approver, Gate> factory) {
            this.gateFactory = factory;
            return this;
        }

        public Builder analyzer(CommandAnalyzer analyzer) {
            this.analyzer = analyzer;
            return this;
        }

        /** The workspace shell nodes run in and paths are judged against. */
        public Builder context(PathContext context) {
            this.context = context;
            return this;
        }

        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        public Builder models(ModelAccess models) {
            this.models = models;
            return this;
        }

        public Builder agents(AgentResolver agents) {
            this.agents = agents;
            return this;
        }

        /** How asks and gates are answered: interactive, {@code --yes}, or {@code --non-interactive}. */
        public Builder mode(ApprovalMode mode) {
            this.mode = mode;
            return this;
        }

        /** Who answers the gate's asks for shell nodes that no workflow approval covers (interactive mode). */
        public Builder terminal(Approver terminal) {
            this.terminal = terminal;
            return this;
        }

        public Builder listener(RunListener listener) {
            this.listener = listener;
            return this;
        }

        /** How many shell and llm nodes run at once (default 4); waiting gates do not count. */
        public Builder parallelism(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("parallelism must be between 1 and 64");
            }
            this.parallelism = n;
            return this;
        }

        /** How often a waiting gate looks for a decision made by another process (default 200 ms). */
        public Builder pollInterval(Duration d) {
            this.pollInterval = d;
            return this;
        }

        /** The clock of approval deadlines and stored times. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Runner build() {
            return new Runner(this);
        }
    }
}
