package dev.airlock.workflow;

import dev.airlock.agent.Containment;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.Approver;
import dev.airlock.gate.ExecOutcome;
import dev.airlock.gate.ExecRequest;
import dev.airlock.gate.Gate;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.llm.LlmException;
import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelMessage;
import dev.airlock.llm.ModelRef;
import dev.airlock.llm.ModelReply;
import dev.airlock.llm.ModelRequest;
import dev.airlock.llm.Price;
import dev.airlock.llm.TokenEstimate;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One run in this process. The scheduler (the calling thread) owns the node states; workers only
 * report results through a queue, so no node state is shared between threads except the outputs
 * and approvals a worker reads after the scheduler published them (happens-before through the
 * executor's submit).
 */
final class Execution {
    static final String PENDING = "pending";
    static final String RUNNING = "running";
    static final String WAITING = "waiting";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String SKIPPED = "skipped";

    private final Runner r;
    private final String id;
    private final Workflow w;
    private final Graph g;
    private final Map<String, String> inputs;
    private final String[] status;
    private final int[] attempts;
    private final String[] outputs;
    /** Per gate index: node id → exact line approved, and who approved. */
    private final Map<Integer, Map<String, String>> approvedLines = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, String> approvers = new java.util.concurrent.ConcurrentHashMap<>();
    private final int[] remaining;
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Object costLock = new Object();
    private BigDecimal spent = BigDecimal.ZERO;
    private BigDecimal reserved = BigDecimal.ZERO;
    private final ThreadLocal<@Nullable String> approvedLine = new ThreadLocal<>();
    private final Object terminalLock = new Object();
    private final Gate gate;
    private final long startedNanos = System.nanoTime();
    private boolean stopLaunching;
    private boolean parked;
    private @Nullable String failReason;
    private int exitCode;

    /** What a worker reports: the node's final state in this process. */
    private record Done(int node, String state, int exitCode, @Nullable String reason, boolean stopRun) {}

    /** One attempt's result. */
    private record Attempt(boolean ok, @Nullable String output, @Nullable Integer exitStatus, @Nullable String error,
            int exitCode, String reason, boolean retryable, boolean stopRun, @Nullable Long inTokens, @Nullable Long outTokens,
            @Nullable BigDecimal cost) {
        static Attempt success(String output, @Nullable Integer exitStatus, @Nullable Long in, @Nullable Long out,
                @Nullable BigDecimal cost) {
            return new Attempt(true, output, exitStatus, null, 0, "", false, false, in, out, cost);
        }

        static Attempt failure(String error, int exitCode, String reason, boolean retryable) {
            return new Attempt(false, null, null, error, exitCode, reason, retryable, false, null, null, null);
        }
    }

    Execution(Runner r, String id, Workflow w, Map<String, String> inputs) {
        this.r = r;
        this.id = id;
        this.w = w;
        this.g = new Graph(w);
        this.inputs = inputs;
        int n = g.size();
        status = new String[n];
        java.util.Arrays.fill(status, PENDING);
        attempts = new int[n];
        outputs = new String[n];
        remaining = new int[n];
        Approver composite = (line, decision, sandboxed) -> {
            String approved = approvedLine.get();
            if (approved != null && approved.equals(line)) {
                return true; // shown to and approved by a human (or --yes) at the workflow gate
            }
            if (r.mode != ApprovalMode.INTERACTIVE) {
                return false;
            }
            synchronized (terminalLock) {
                return r.terminal.approve(line, decision, sandboxed);
            }
        };
        this.gate = r.gateFactory.apply(composite);
    }

    RunResult start() {
        String definition = RunStore.json(WorkflowLoader.toTree(w));
        long now = r.store.now();
        r.store.createRun(new RunStore.RunRow(id, w.name(), RUNNING, null, null, Runner.modeName(r.mode),
                r.context.workspaceRoots().get(0).toString(), r.cipher.seal("workflow_run", "definition", id, definition),
                r.cipher.seal("workflow_run", "inputs", id, RunStore.json(inputs)),
                w.costCapUsd() == null ? null : w.costCapUsd().toPlainString(), "0", ProcessHandle.current().pid(), now, now,
                null), w.nodes(), Runner.event("workflow.run.start", id)
                .detail("name", w.name()).detail("nodes", w.nodes().size()).detail("mode", Runner.modeName(r.mode))
                .detail("workspace", r.context.workspaceRoots().get(0).toString())
                .detail("cost_cap_usd", w.costCapUsd() == null ? null : w.costCapUsd().toPlainString()).build());
        r.listener.runStarted(id, w, false);
        return loop();
    }

    static RunResult resume(Runner r, String runId) {
        RunStore.RunRow row = r.store.run(runId).orElseThrow(() -> WorkflowException.invalid(
                "there is no run '" + runId + "' in this tenant; see 'airlock runs list'"));
        if (row.finished() != null) {
            throw WorkflowException.invalid("run " + runId + " has already " + row.state() + "; nothing to resume");
        }
        if (!r.context.workspaceRoots().get(0).toString().equals(row.workspace())) {
            throw WorkflowException.invalid("run " + runId + " ran in workspace " + row.workspace()
                    + "; resume it from there (or with --workspace " + row.workspace() + ")");
        }
        Workflow w = WorkflowLoader.parse(r.cipher.open("workflow_run", "definition", runId, row.definition()), "run " + runId);
        // The policy may have changed since the run started: the rules are applied as they are now.
        r.validator.validate(w);
        Map<String, String> inputs = RunStore.stringMap(r.cipher.open("workflow_run", "inputs", runId, row.inputs()));
        r.store.claim(runId, ProcessHandle.current().pid(), Runner.event("workflow.run.resume", runId)
                .detail("mode", Runner.modeName(r.mode)).build());
        Execution e = new Execution(r, runId, w, inputs);
        e.restore();
        r.listener.runStarted(runId, w, true);
        return e.loop();
    }

    /** Loads node states, outputs and approvals; settles nodes that were running when their process died. */
    private void restore() {
        // What was spent is the sum of the nodes' recorded costs: each is written with its node's end.
        spent = BigDecimal.ZERO;
        for (RunStore.NodeRow n : r.store.nodes(id)) {
            if (n.costUsd() != null) {
                spent = spent.add(new BigDecimal(n.costUsd()));
            }
            Integer i = g.index.get(n.nodeId());
            if (i == null) {
                continue;
            }
            status[i] = n.state();
            attempts[i] = n.attempts();
            if (n.output() != null) {
                outputs[i] = r.cipher.open("workflow_node", "output", id + "/" + n.nodeId(), n.output());
            }
        }
        for (RunStore.ApprovalRow a : r.store.approvals(id)) {
            Integer i = g.index.get(a.gateId());
            if (i != null && "granted".equals(a.decision())) {
                approvedLines.put(i, RunStore.stringMap(r.cipher.open("workflow_approval", "exact", id + "/" + a.gateId(), a.exact())));
                approvers.put(i, Objects.requireNonNull(a.approver()));
            }
        }
        for (int i = 0; i < g.size(); i++) {
            if (!status[i].equals(RUNNING)) {
                continue;
            }
            Node n = g.node(i);
            boolean retry = attempts[i] <= n.retries() && !r.validator.isDestructive(n);
            if (retry) {
                status[i] = PENDING;
                r.store.nodeReset(id, n.id(), Runner.event("workflow.node.end", id).target(target(n)).outcome("interrupted")
                        .detail("node", n.id()).detail("attempt", attempts[i]).detail("then", "retry").build());
            } else {
                status[i] = FAILED;
                r.store.nodeEnd(id, n.id(), FAILED, null, "interrupted: its process ended while it was running", null, null, null,
                        null, null, Runner.event("workflow.node.end", id).target(target(n)).outcome("interrupted")
                                .detail("node", n.id()).detail("attempt", attempts[i]).detail("then", "fail").build());
                noteFailure("interrupted", ExitCode.RUNTIME.code());
            }
        }
    }

    private String target(Node n) {
        return "run:" + id + "/node:" + n.id();
    }

    private static boolean terminal(String s) {
        return s.equals(SUCCEEDED) || s.equals(FAILED) || s.equals(SKIPPED);
    }

    private RunResult loop() {
        ExecutorService pool = Executors.newCachedThreadPool(daemon("airlock-run-" + id));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("airlock-timeout-" + id));
        Deque<Integer> ready = new ArrayDeque<>();
        Deque<Integer> work = new ArrayDeque<>();
        int working = 0;
        int gates = 0;
        try {
            for (int i = 0; i < g.size(); i++) {
                for (int p : g.parents[i]) {
                    if (!terminal(status[p])) {
                        remaining[i]++;
                    }
                }
                if (!terminal(status[i]) && remaining[i] == 0) {
                    ready.add(i);
                }
            }
            while (true) {
                if (stopLaunching && !parked) {
                    ready.addAll(work); // the run failed: what was waiting for a slot is skipped
                    work.clear();
                }
                while (!ready.isEmpty()) {
                    int i = ready.poll();
                    String skip = skipReason(i);
                    if (skip != null) {
                        finish(i, SKIPPED, null, skip, null, null, null, null, ready);
                    } else if (stopLaunching) {
                        // left pending: a parked run continues here on resume
                    } else if (g.node(i) instanceof Node.ApprovalGate) {
                        gates++;
                        status[i] = WAITING;
                        int gi = i;
                        pool.execute(() -> report(gi, () -> gateNode(gi)));
                    } else {
                        work.add(i);
                    }
                }
                while (!stopLaunching && working < r.parallelism && !work.isEmpty()) {
                    int i = work.poll();
                    working++;
                    status[i] = RUNNING;
                    pool.execute(() -> report(i, () -> workNode(i, timer)));
                }
                if (working == 0 && gates == 0) {
                    break;
                }
                Done d = done.take();
                if (g.node(d.node()) instanceof Node.ApprovalGate) {
                    gates--;
                } else {
                    working--;
                }
                if (d.state().equals(WAITING)) {
                    // parked (non-interactive): the gate keeps waiting in the database
                    status[d.node()] = WAITING;
                    parked = true;
                    stopLaunching = true;
                    continue;
                }
                if (d.stopRun()) {
                    stopLaunching = true;
                }
                if (d.state().equals(FAILED)) {
                    noteFailure(d.reason() == null ? "node_failed" : d.reason(), d.exitCode());
                }
                status[d.node()] = d.state();
                release(d.node(), ready);
            }
            return end();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowException(ExitCode.RUNTIME, "interrupted", "run " + id + " was interrupted; continue it with"
                    + " 'airlock run --resume " + id + "'");
        } finally {
            pool.shutdownNow();
            timer.shutdownNow();
        }
    }

    private void noteFailure(String reason, int code) {
        if (reason.equals("cost_cap_exceeded")) {
            failReason = reason;
            exitCode = ExitCode.COST_CAP.code();
        } else if (failReason == null) {
            failReason = reason;
            exitCode = code == 0 ? ExitCode.RUNTIME.code() : code;
        }
    }

    /** Marks {@code i} terminal in memory and the database, then frees its children. */
    private void finish(int i, String state, @Nullable Integer exitStatus, @Nullable String error, @Nullable String output,
            @Nullable Long in, @Nullable Long out, @Nullable BigDecimal cost, Deque<Integer> ready) {
        Node n = g.node(i);
        status[i] = state;
        r.store.nodeEnd(id, n.id(), state, exitStatus, error, output == null ? null : sealOutput(n, output), in, out, cost, null,
                Runner.event("workflow.node.end", id).target(target(n)).outcome(state).detail("node", n.id())
                        .detail("type", n.type()).detail("reason", error).build());
        r.listener.nodeFinished(id, n.id(), state, error);
        release(i, ready);
    }

    private void release(int i, Deque<Integer> ready) {
        for (int c : g.children.get(i)) {
            if (--remaining[c] == 0 && !terminal(status[c])) {
                ready.add(c);
            }
        }
    }

    private @Nullable String skipReason(int i) {
        for (int p : g.parents[i]) {
            if (!status[p].equals(SUCCEEDED)) {
                return "because '" + g.node(p).id() + "' " + status[p];
            }
        }
        Node n = g.node(i);
        if (n.when() != null) {
            Condition c = Condition.parse(n.when(), n.id(), new ArrayList<>());
            if (c != null && !c.test(this::rawValue)) {
                return "when " + n.when() + " is false";
            }
        }
        if (stopLaunching && !parked) {
            return "the run stopped (" + failReason + ")";
        }
        return null;
    }

    private RunResult end() {
        Map<String, String> nodes = new LinkedHashMap<>();
        for (int i = 0; i < g.size(); i++) {
            nodes.put(g.node(i).id(), status[i]);
        }
        String state = parked && failReason == null ? "parked" : failReason != null ? FAILED : SUCCEEDED;
        String reason = state.equals("parked") ? "approval_required" : failReason;
        int code = state.equals("parked") ? ExitCode.APPROVAL_REQUIRED.code() : state.equals(SUCCEEDED) ? 0 : exitCode;
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        BigDecimal cost;
        synchronized (costLock) {
            cost = spent;
        }
        if (state.equals(FAILED)) {
            // Nothing more will run: what never started is recorded as skipped, not left pending.
            for (int i = 0; i < g.size(); i++) {
                if (!terminal(status[i])) {
                    Node n = g.node(i);
                    status[i] = SKIPPED;
                    nodes.put(n.id(), SKIPPED);
                    String why = "the run failed (" + failReason + ")";
                    r.store.nodeEnd(id, n.id(), SKIPPED, null, why, null, null, null, null, null, Runner.event("workflow.node.end", id)
                            .target(target(n)).outcome(SKIPPED).detail("node", n.id()).detail("reason", why).build());
                }
            }
        }
        Map<String, Long> counts = new java.util.TreeMap<>();
        nodes.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        r.store.setRunState(id, state, reason, code, cost, !state.equals("parked"), Runner.event("workflow.run.end", id)
                .outcome(state).detail("reason", reason).detail("exit_code", code).detail("cost_usd", cost.toPlainString())
                .detail("duration_ms", took.toMillis()).detail("nodes", new LinkedHashMap<>(counts)).build());
        return new RunResult(id, state, reason, code, nodes, cost, took);
    }

    private void report(int i, java.util.function.Supplier<Done> task) {
        Done d;
        try {
            d = task.get();
        } catch (RuntimeException | Error e) {
            // A failure to record or to reach a service: the node fails, the run ends, nothing is lost.
            String msg = e instanceof AirlockException ? e.getMessage() : String.valueOf(e);
            int code = e instanceof AirlockException ae ? ae.exitCode().code() : ExitCode.RUNTIME.code();
            try {
                Node n = g.node(i);
                r.store.nodeEnd(id, n.id(), FAILED, null, redact(oneLine(msg)), null, null, null, null, null,
                        Runner.event("workflow.node.end", id).target(target(n)).outcome("error").detail("node", n.id())
                                .detail("reason", redact(oneLine(msg))).build());
                r.listener.nodeFinished(id, n.id(), FAILED, redact(oneLine(msg)));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            d = new Done(i, FAILED, code, "error", true);
        }
        done.add(d);
    }

    // ---- values ----

    private String rawValue(Template.Ref ref) {
        return switch (ref) {
            case Template.InputRef in -> inputs.getOrDefault(in.name(), "");
            case Template.OutputRef out -> {
                String o = outputs[g.indexOf(out.node())];
                yield o == null ? "" : o;
            }
        };
    }

    private boolean available(Template.Ref ref) {
        return !(ref instanceof Template.OutputRef out) || status[g.indexOf(out.node())].equals(SUCCEEDED);
    }

    private String shellLine(Node.Shell s) {
        return Template.parse(s.command()).render(ref -> Template.shellQuote(rawValue(ref)));
    }

    private String redact(String s) {
        return r.redactor.redact(s);
    }

    private byte[] sealOutput(Node n, String output) {
        return r.cipher.seal("workflow_node", "output", id + "/" + n.id(), output);
    }

    private static String oneLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    // ---- shell and llm nodes ----

    private Done workNode(int i, ScheduledExecutorService timer) {
        Node n = g.node(i);
        Attempt a = null;
        int maxAttempts = n.retries() + 1;
        while (attempts[i] < maxAttempts || a == null) {
            attempts[i]++;
            r.store.nodeStart(id, n.id(), RUNNING, Runner.event("workflow.node.start", id).target(target(n)).detail("node", n.id())
                    .detail("type", n.type()).detail("attempt", attempts[i]).build());
            r.listener.nodeStarted(id, n.id(), attempts[i]);
            a = switch (n) {
                case Node.Shell s -> shell(i, s, timer);
                case Node.Llm l -> llm(i, l, timer);
                case Node.ApprovalGate gate -> throw new IllegalStateException("a gate is not work");
            };
            if (a.ok() || !a.retryable()) {
                break;
            }
            if (attempts[i] < maxAttempts) {
                Attempt failed = a;
                r.store.nodeEnd(id, n.id(), RUNNING, failed.exitStatus(), failed.error(), null, null, null, null, null,
                        Runner.event("workflow.node.end", id).target(target(n)).outcome("retry").detail("node", n.id())
                                .detail("attempt", attempts[i]).detail("reason", failed.error()).build());
                r.listener.nodeFinished(id, n.id(), "retrying", failed.error());
            }
        }
        String state = a.ok() ? SUCCEEDED : FAILED;
        if (a.ok()) {
            outputs[i] = a.output();
        }
        BigDecimal runCost = null;
        if (a.cost() != null) {
            synchronized (costLock) {
                runCost = spent;
            }
        }
        r.store.nodeEnd(id, n.id(), state, a.exitStatus(), a.error(), a.output() == null ? null : sealOutput(n, a.output()),
                a.inTokens(), a.outTokens(), a.cost(), runCost,
                Runner.event("workflow.node.end", id).target(target(n)).outcome(a.ok() ? SUCCEEDED : a.reason())
                        .detail("node", n.id()).detail("type", n.type()).detail("attempts", attempts[i])
                        .detail("exit_status", a.exitStatus()).detail("reason", a.error())
                        .detail("cost_usd", a.cost() == null ? null : a.cost().toPlainString()).build());
        r.listener.nodeFinished(id, n.id(), state, a.error());
        return new Done(i, state, a.exitCode(), a.ok() ? null : a.reason(), a.stopRun());
    }

    /** Who approved {@code line} for node {@code i} through one of its direct gates, if anyone did. */
    private @Nullable String approverOf(int i, String line) {
        for (int p : g.parents[i]) {
            Map<String, String> lines = approvedLines.get(p);
            if (lines != null && line.equals(lines.get(g.node(i).id()))) {
                return approvers.get(p);
            }
        }
        return null;
    }

    private Attempt shell(int i, Node.Shell s, ScheduledExecutorService timer) {
        String line = shellLine(s);
        // The rendered line is judged again: a value can make a harmless-looking template destructive.
        boolean destructive = Boolean.TRUE.equals(s.destructive()) || !r.validator.destructiveCommands(line).isEmpty();
        String approver = approverOf(i, line);
        if (destructive && approver == null) {
            return Attempt.failure("destructive and no recorded approval of a direct gate covers the line it would run ("
                    + redact(line) + "); nothing ran", ExitCode.APPROVAL_REQUIRED.code(), "approval_missing", false);
        }
        ApprovalMode mode = approver == null ? r.mode : approver.equals("--yes") ? ApprovalMode.YES : ApprovalMode.INTERACTIVE;
        ExecOutcome outcome;
        AtomicBoolean fired = new AtomicBoolean();
        Thread self = Thread.currentThread();
        ScheduledFuture<?> killer = s.timeout() == null ? null : timer.schedule(() -> {
            fired.set(true);
            self.interrupt();
        }, s.timeout().toMillis(), TimeUnit.MILLISECONDS);
        approvedLine.set(approver == null ? null : line);
        try {
            outcome = gate.exec(new ExecRequest("workflow:" + id, "workflow", line, r.context, mode),
                    OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        } catch (RuntimeException e) {
            if (fired.get()) {
                return Attempt.failure("timed out after " + WorkflowLoader.format(s.timeout()), ExitCode.RUNTIME.code(),
                        "timeout", true);
            }
            return Attempt.failure(redact(oneLine(e.getMessage())), e instanceof AirlockException ae ? ae.exitCode().code()
                    : ExitCode.RUNTIME.code(), "error", true);
        } finally {
            approvedLine.remove();
            if (killer != null) {
                killer.cancel(false);
            }
            Thread.interrupted();
        }
        return switch (outcome) {
            case ExecOutcome.Refused ref -> Attempt.failure(redact(oneLine(ref.why())), ref.exitCode(),
                    ref.code() == ExitCode.DENIED ? "denied" : "approval_required", false);
            case ExecOutcome.Ran ran -> {
                if (ran.timedOut()) {
                    yield new Attempt(false, null, ran.exitStatus(), "stopped at the sandbox time limit", ExitCode.RUNTIME.code(),
                            "timeout", true, false, null, null, null);
                }
                if (ran.exitStatus() != 0) {
                    String err = oneLine(ran.stderr());
                    yield new Attempt(false, null, ran.exitStatus(), "exit status " + ran.exitStatus() + (err.isEmpty() ? "" : ": " + err),
                            ExitCode.RUNTIME.code(), "node_failed", true, false, null, null, null);
                }
                yield Attempt.success(ran.stdout().replaceAll("[\\r\\n]+$", ""), ran.exitStatus(), null, null, null);
            }
        };
    }

    private Attempt llm(int i, Node.Llm l, ScheduledExecutorService timer) {
        if (Boolean.TRUE.equals(l.destructive()) && !approvedNode(i)) {
            return Attempt.failure("destructive and no recorded approval of a direct gate covers it; nothing was sent",
                    ExitCode.APPROVAL_REQUIRED.code(), "approval_missing", false);
        }
        ModelRef ref;
        String system = null;
        if (l.agent() != null) {
            Optional<AgentResolver.Agent> agent = r.agents.agent(l.agent());
            if (agent.isEmpty()) {
                return Attempt.failure("no agent '" + l.agent() + "' is configured", ExitCode.USAGE.code(), "unknown_agent", false);
            }
            ref = agent.get().model();
            system = agent.get().systemPrompt();
        } else {
            ref = ModelRef.parse(Objects.requireNonNull(l.model()));
        }
        ModelClient client;
        try {
            client = r.models.client(ref);
        } catch (LlmException e) {
            return Attempt.failure(redact(oneLine(e.getMessage())), e.exitCode().code(), "model_unavailable", false);
        }
        Optional<Price> price = r.models.price(ref);
        // Earlier outputs (commands', models') are untrusted data: wrapped and defused before a model sees them.
        String prompt = redact(Template.parse(l.prompt()).render(t -> t instanceof Template.OutputRef out
                ? Containment.wrap("workflow:" + out.node(), "done", rawValue(t)) : rawValue(t)));
        List<ModelMessage> messages = new ArrayList<>();
        messages.add(new ModelMessage.System(system == null ? Containment.RULES : system + "\n\n" + Containment.RULES));
        messages.add(new ModelMessage.User(prompt));
        ModelRequest request = new ModelRequest(ref.model(), messages, List.of(), l.maxTokens());
        BigDecimal worst = null;
        if (w.costCapUsd() != null) {
            if (price.isEmpty()) {
                return Attempt.failure("no price is known for " + ref + ", so the cost cap cannot be kept; add its price under"
                        + " models: in the config (nothing was sent)", ExitCode.USAGE.code(), "price_unknown", false);
            }
            worst = price.get().cost(TokenEstimate.upperBound(request), l.maxTokens());
            synchronized (costLock) {
                BigDecimal projected = spent.add(reserved).add(worst);
                if (projected.compareTo(w.costCapUsd()) > 0) {
                    String msg = "cost_cap_exceeded: the worst case of this call ($" + worst.toPlainString() + ") on top of $"
                            + spent.add(reserved).toPlainString() + " would exceed the cap of $" + w.costCapUsd().toPlainString()
                            + "; nothing was sent";
                    r.store.audit.append(Runner.event("workflow.cost_cap.hit", id).target(target(l)).outcome("refused")
                            .detail("node", l.id()).detail("model", ref.toString()).detail("worst_case_usd", worst.toPlainString())
                            .detail("spent_usd", spent.toPlainString()).detail("reserved_usd", reserved.toPlainString())
                            .detail("cap_usd", w.costCapUsd().toPlainString()).build());
                    return new Attempt(false, null, null, msg, ExitCode.COST_CAP.code(), "cost_cap_exceeded", false, true,
                            null, null, null);
                }
                reserved = reserved.add(worst);
            }
            // Durable before the request leaves: if this process dies mid-call, a resume counts the
            // worst case as spent, since the provider may have charged for it.
            r.store.reserve(id, l.id(), worst, Runner.event("workflow.model.request", id).target(target(l)).outcome("sending")
                    .detail("node", l.id()).detail("model", ref.toString()).detail("worst_case_usd", worst.toPlainString())
                    .detail("cap_usd", w.costCapUsd().toPlainString()).build());
        }
        AtomicBoolean fired = new AtomicBoolean();
        Thread self = Thread.currentThread();
        ScheduledFuture<?> killer = l.timeout() == null ? null : timer.schedule(() -> {
            fired.set(true);
            self.interrupt();
        }, l.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ModelReply reply;
        try {
            reply = client.chat(request, text -> { });
        } catch (LlmException e) {
            boolean retryable = switch (e.kind()) {
                case TIMEOUT, PROVIDER, MALFORMED, CANCELLED -> true;
                default -> false;
            };
            String why = fired.get() ? "timed out after " + WorkflowLoader.format(Objects.requireNonNull(l.timeout()))
                    : redact(oneLine(e.getMessage()));
            return Attempt.failure(why, e.exitCode().code(), fired.get() ? "timeout" : "model_error", retryable);
        } finally {
            if (killer != null) {
                killer.cancel(false);
            }
            Thread.interrupted();
            if (worst != null) {
                synchronized (costLock) {
                    reserved = reserved.subtract(worst);
                }
            }
        }
        BigDecimal cost = price.map(p -> p.cost(reply.usage())).orElse(null);
        if (cost != null) {
            synchronized (costLock) {
                spent = spent.add(cost);
            }
        }
        return Attempt.success(redact(reply.text()), null, reply.usage().inputTokens(), reply.usage().outputTokens(), cost);
    }

    private boolean approvedNode(int i) {
        for (int p : g.parents[i]) {
            Map<String, String> lines = approvedLines.get(p);
            if (lines != null && lines.containsKey(g.node(i).id())) {
                return true;
            }
        }
        return false;
    }

    // ---- gates ----

    private Done gateNode(int i) {
        Node.ApprovalGate gateNode = (Node.ApprovalGate) g.node(i);
        String gid = gateNode.id();
        String rowId = id + "/" + gid;
        Optional<RunStore.ApprovalRow> existing = r.store.approval(id, gid);
        String message;
        List<RunListener.GatedCommand> shown = new ArrayList<>();
        if (existing.isEmpty()) {
            message = redact(Template.parse(gateNode.message()).render(this::rawValue));
            Map<String, String> exact = new LinkedHashMap<>();
            for (int c : g.children.get(i)) {
                Node child = g.node(c);
                if (child instanceof Node.Shell s && Template.parse(s.command()).refs().stream().allMatch(this::available)) {
                    String line = shellLine(s);
                    exact.put(s.id(), line);
                    shown.add(new RunListener.GatedCommand(s.id(), redact(line), Boolean.TRUE.equals(s.destructive())
                            || !r.validator.destructiveCommands(line).isEmpty()));
                } else if (child instanceof Node.Llm l && Boolean.TRUE.equals(l.destructive())) {
                    exact.put(l.id(), "llm:" + l.id());
                    shown.add(new RunListener.GatedCommand(l.id(), "model call " + (l.model() != null ? l.model() : "agent " + l.agent()), true));
                }
            }
            long now = r.store.now();
            long deadline = now + w.approvalTimeout().toMillis();
            List<Map<String, Object>> display = shown.stream().map(gc -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", gc.node());
                m.put("line", gc.line());
                m.put("destructive", gc.destructive());
                return m;
            }).toList();
            r.store.requestApproval(id, gid, r.cipher.seal("workflow_approval", "message", rowId, message), RunStore.json(display),
                    r.cipher.seal("workflow_approval", "exact", rowId, RunStore.json(exact)), now, deadline,
                    Runner.event("workflow.approval.request", id).target(target(gateNode)).outcome("pending").detail("gate", gid)
                            .detail("commands", display).detail("deadline", RunStore.instant(deadline).toString())
                            .detail("mode", Runner.modeName(r.mode)).build());
            existing = r.store.approval(id, gid);
        } else {
            message = r.cipher.open("workflow_approval", "message", rowId, existing.get().message());
            shown.addAll(Runs.commands(existing.get().commands()));
        }
        RunStore.ApprovalRow row = existing.orElseThrow();
        if (row.decision() == null && r.mode == ApprovalMode.YES) {
            try {
                r.store.decide(id, gid, "granted", "--yes", null, Runner.event("workflow.approval.grant", id).actor("--yes")
                        .target(target(gateNode)).outcome("granted").detail("gate", gid).detail("approver", "--yes")
                        .detail("commands", Runs.commandsJson(row.commands())).build());
            } catch (RunStore.AlreadyDecided e) {
                // decided meanwhile by someone else: their answer stands
            }
            row = r.store.approval(id, gid).orElseThrow();
        }
        if (row.decision() == null) {
            r.listener.approvalPending(id, gid, message, shown, RunStore.instant(row.deadline()));
            if (r.mode == ApprovalMode.NON_INTERACTIVE) {
                return new Done(i, WAITING, ExitCode.APPROVAL_REQUIRED.code(), "approval_required", false);
            }
            row = waitForDecision(gateNode, row);
        }
        return switch (Objects.requireNonNull(row.decision())) {
            case "granted" -> {
                approvedLines.put(i, RunStore.stringMap(r.cipher.open("workflow_approval", "exact", rowId, row.exact())));
                approvers.put(i, Objects.requireNonNull(row.approver()));
                r.store.nodeEnd(id, gid, SUCCEEDED, null, null, null, null, null, null, null, Runner.event("workflow.node.end", id)
                        .target(target(gateNode)).outcome(SUCCEEDED).detail("node", gid).detail("type", "approval_gate")
                        .detail("approver", row.approver()).build());
                r.listener.nodeFinished(id, gid, SUCCEEDED, "approved by " + row.approver());
                yield new Done(i, SUCCEEDED, 0, null, false);
            }
            default -> {
                String reason = row.decision().equals("denied") ? "approval_denied" : "approval_timeout";
                String detail = row.decision().equals("denied")
                        ? "denied by " + row.approver() + (row.reason() == null ? "" : ": " + row.reason())
                        : "approval_timeout: nobody answered within " + WorkflowLoader.format(w.approvalTimeout());
                r.store.nodeEnd(id, gid, FAILED, null, redact(detail), null, null, null, null, null, Runner.event("workflow.node.end", id)
                        .target(target(gateNode)).outcome(reason).detail("node", gid).detail("type", "approval_gate").build());
                r.listener.nodeFinished(id, gid, FAILED, redact(detail));
                yield new Done(i, FAILED, ExitCode.APPROVAL_REQUIRED.code(), reason, false);
            }
        };
    }

    private RunStore.ApprovalRow waitForDecision(Node.ApprovalGate gateNode, RunStore.ApprovalRow row) {
        String gid = gateNode.id();
        while (true) {
            RunStore.ApprovalRow now = r.store.approval(id, gid).orElseThrow();
            if (now.decision() != null) {
                return now;
            }
            if (r.store.now() >= now.deadline()) {
                try {
                    r.store.decide(id, gid, "timed_out", "timeout", null, Runner.event("workflow.approval.timeout", id)
                            .target(target(gateNode)).outcome("timed_out").detail("gate", gid)
                            .detail("deadline", RunStore.instant(now.deadline()).toString()).build());
                } catch (RunStore.AlreadyDecided e) {
                    // someone answered in the same instant; their answer is read next
                }
                continue;
            }
            try {
                Thread.sleep(r.pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkflowException(ExitCode.RUNTIME, "interrupted", "stopped while waiting for gate '" + gid + "'");
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }

}
