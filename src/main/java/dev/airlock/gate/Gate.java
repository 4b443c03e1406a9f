package dev.airlock.gate;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandClass;
import dev.airlock.policy.CommandDecision;
import dev.airlock.policy.Decision;
import dev.airlock.policy.MatchedRule;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.policy.RateLimiter;
import dev.airlock.redact.Redactor;
import dev.airlock.sandbox.Command;
import dev.airlock.sandbox.ExecResult;
import dev.airlock.sandbox.OutputChannel;
import dev.airlock.sandbox.OutputSink;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.sandbox.SandboxSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides, asks, runs, redacts and records one command line. Thread-safe if its parts are.
 *
 * <p>Order of events, each step fail-closed:
 * <ol>
 *   <li>the policy decides ({@code allow | ask | deny}); without an isolating sandbox nothing is
 *       allowed outright, it is asked;</li>
 *   <li>a deny is recorded and refused (exit 4); an ask is approved by the human, by {@code --yes},
 *       or refused and recorded (exit 5);</li>
 *   <li>the {@code gate.exec} row — line, verdict, rules, approver, sandbox — is made durable; if it
 *       cannot be, the command does not start;</li>
 *   <li>the command runs in the sandbox; every byte it prints passes the redactor before the caller's
 *       streams or the returned text see it;</li>
 *   <li>a {@code gate.exec.finish} row records exit status, duration and sizes.</li>
 * </ol>
 */
public final class Gate {
    private final PolicyEngine engine;
    private final @Nullable Sandbox sandbox;
    private final String sandboxState;
    private final AuditLog audit;
    private final Approver approver;
    private final Redactor redactor;
    private final GateSettings settings;
    private final Map<String, String> parentEnvironment;
    private final List<Path> hidden;
    private final @Nullable RateLimiter rateLimiter;

    private Gate(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.sandbox = b.sandbox;
        this.sandboxState = b.sandboxState;
        this.audit = Objects.requireNonNull(b.audit, "audit");
        this.approver = Objects.requireNonNull(b.approver, "approver");
        this.redactor = Objects.requireNonNull(b.redactor, "redactor");
        this.settings = b.settings;
        this.parentEnvironment = Map.copyOf(b.parentEnvironment);
        this.hidden = List.copyOf(b.hidden);
        this.rateLimiter = b.rateLimiter;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What {@link #exec} would decide about {@code line} before asking anyone: the policy, tightened
     * for a workspace in a protected place and for a missing sandbox. Nothing is run or recorded.
     */
    public Decision check(String line, String agent, dev.airlock.policy.PathContext context) {
        return effective(engine.checkCommand(line, agent, context), context, protectedPaths(context),
                sandbox != null && sandbox.isolating(), sandboxState);
    }

    /**
     * Takes {@code request} through the whole gate. Output is streamed, redacted, to {@code out} and
     * {@code err} while the command runs.
     */
    public ExecOutcome exec(ExecRequest request, OutputStream out, OutputStream err) {
        boolean isolating = sandbox != null && sandbox.isolating();
        Decision decision = limit(check(request.line(), request.agent(), request.context()), request.limits());
        if (rateLimiter != null && !(decision instanceof Decision.Deny)) {
            // check() takes the token itself; taking another here would halve every limit.
            Decision limited = rateLimiter.check(request.agent(), "shell");
            if (limited instanceof Decision.Deny d) {
                decision = d;
            }
        }
        boolean network = needsNetwork(decision);
        if (network && isolating && !(decision instanceof Decision.Deny) && sandbox.networkUnavailable().isPresent()) {
            // Never the host's network instead: without the bridge to the proxy there is no network at all.
            record(request, decision, "sandbox", "refused");
            return new ExecOutcome.Refused(decision, ExitCode.RUNTIME, sandbox.networkUnavailable().get());
        }
        String approverName;
        switch (decision) {
            case Decision.Deny d -> {
                record(request, d, "policy", "denied");
                return new ExecOutcome.Refused(d, ExitCode.DENIED,
                        redactor.redact("denied by policy: " + String.join("; ", reasonsFor(d, dev.airlock.policy.Verdict.DENY))));
            }
            case Decision.Ask a -> {
                approverName = switch (request.mode()) {
                    case YES -> "--yes";
                    case NON_INTERACTIVE -> null;
                    case INTERACTIVE -> ask(request, a, isolating) ? "user" : null;
                };
                if (approverName == null) {
                    String who = request.mode() == ApprovalMode.NON_INTERACTIVE ? "refusal" : "user-declined";
                    record(request, a, who, "refused");
                    return new ExecOutcome.Refused(a, ExitCode.APPROVAL_REQUIRED, redactor.redact("approval required but not given: "
                            + String.join("; ", reasonsFor(a, dev.airlock.policy.Verdict.ASK))
                            + (request.mode() == ApprovalMode.NON_INTERACTIVE ? " (non-interactive; use --yes to approve)" : "")));
                }
            }
            case Decision.Allow a -> approverName = "policy";
        }
        // The record of the decision is durable before anything starts: no record, no action.
        record(request, decision, approverName, "approved");
        Sandbox runner = sandbox != null ? sandbox : Sandbox.unsandboxed();
        // A line that may use the network gets the gate's egress proxy as its only way out, for this
        // exec only; every connection through it is decided and recorded on its own, so a network
        // command grants nothing to its neighbours.
        EgressProxy proxy;
        try {
            proxy = network && isolating ? EgressProxy.builder(
                    EgressRule.of(engine, request.agent(), namedHosts(decision), engine.egress().allowedPorts()), audit, redactor)
                    .actor(request.actor(), request.agent()).start() : null;
        } catch (RuntimeException e) {
            try {
                audit.append(AuditEvent.builder("gate.exec.finish").actor(request.actor()).target("command").outcome("error")
                        .detail("error", redactor.redact(String.valueOf(e.getMessage()))).build());
            } catch (RuntimeException auditFailure) {
                e.addSuppressed(auditFailure);
            }
            throw e;
        }
        try {
            return run(request, decision, approverName, runner, proxy, out, err);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    private ExecOutcome run(ExecRequest request, Decision decision, String approverName, Sandbox runner,
            @Nullable EgressProxy proxy, OutputStream out, OutputStream err) {
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        OutputStream redOut = redactor.wrap(new Tee(out, capturedOut));
        OutputStream redErr = redactor.wrap(new Tee(err, capturedErr));
        OutputSink sink = (OutputChannel channel, byte[] chunk) -> {
            try {
                (channel == OutputChannel.STDOUT ? redOut : redErr).write(chunk);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        ExecResult result;
        try {
            // Inside the try: a workspace that cannot be searched for files to mask is an error on
            // the record, like a sandbox that cannot start.
            SandboxSpec spec = sandboxSpec(request.context())
                    .egressProxy(proxy == null ? null : proxy.directory())
                    .timeLimit(Duration.ofSeconds(settings.timeLimitSeconds()))
                    .outputLimit(settings.outputLimitBytes())
                    .build();
            result = runner.run(spec, shellIn(request.context(), request.line()), sink);
        } catch (RuntimeException e) {
            // Approved and recorded, then it could not start or was cut off: that is on the record too.
            try {
                audit.append(AuditEvent.builder("gate.exec.finish").actor(request.actor()).target("command").outcome("error")
                        .detail("error", redactor.redact(String.valueOf(e.getMessage()))).build());
            } catch (RuntimeException auditFailure) {
                e.addSuppressed(auditFailure);
            }
            throw e;
        } finally {
            closeQuietly(redOut);
            closeQuietly(redErr);
        }
        audit.append(AuditEvent.builder("gate.exec.finish").actor(request.actor()).target("command")
                .outcome(result.timedOut() ? "timed-out" : result.succeeded() ? "success" : "failure")
                .detail("exit_status", result.exitStatus())
                .detail("duration_ms", result.duration().toMillis())
                .detail("stdout_bytes", result.stdout().length)
                .detail("stderr_bytes", result.stderr().length)
                .detail("truncated", result.truncated())
                .detail("timed_out", result.timedOut())
                .build());
        return new ExecOutcome.Ran(decision, approverName, result.exitStatus(),
                capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8),
                result.timedOut(), result.truncated(), result.duration());
    }

    /** Whether any command of the line may use the network (the analyzer classed it so). */
    private static boolean needsNetwork(Decision decision) {
        return decision.commands().stream().anyMatch(c -> c.command().is(CommandClass.NETWORK));
    }

    /**
     * The hosts that the line's network commands name: whoever approved the line saw them, so the
     * proxy may let a host the policy would ask about through when the line names it (and only then).
     */
    private static java.util.Set<String> namedHosts(Decision decision) {
        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (CommandDecision c : decision.commands()) {
            if (c.command().is(CommandClass.NETWORK) && c.verdict() != dev.airlock.policy.Verdict.DENY) {
                hosts.addAll(c.command().hosts());
            }
        }
        return hosts;
    }

    /**
     * The sandbox of a command in {@code context}: the caller's hidden paths, and what the policy
     * says no command may read in each workspace root (masked) or must not change there (the ignore
     * files that say what is masked, nested git directories), so that an approved interpreter is held
     * to the same path rules as the analyzer.
     */
    private SandboxSpec.Builder sandboxSpec(dev.airlock.policy.PathContext context) {
        Path workspace = context.workspaceRoots().get(0);
        SandboxSpec.Builder b = SandboxSpec.builder(workspace)
                .parentEnvironment(parentEnvironment)
                .hide(hidden.stream().filter(p -> !workspace.startsWith(p)).toList());
        if (sandbox == null || !sandbox.isolating()) {
            return b;
        }
        dev.airlock.policy.PathScope scope = engine.pathScope(context);
        b.hide(scope.neverReadableLiterals().stream()
                .filter(p -> !real(workspace).startsWith(real(p)) && !real(p).startsWith(real(workspace))).toList());
        for (Path root : context.workspaceRoots()) {
            dev.airlock.policy.PathScope.SandboxView view = scope.neverReadableIn(root);
            b.hide(view.hidden());
            if (root.equals(workspace)) {
                b.keepReadOnly(view.readOnly());
                view.repositories().forEach(b::gitDirectory);
            }
        }
        return b;
    }

    /** The work an {@link ActionRequest} stands for; returns the text the requester gets back. */
    @FunctionalInterface
    public interface Action {
        String run() throws Exception;
    }

    /**
     * Takes an action other than a command line through the gate: the requester's limits and the
     * rate limit tighten the policy's decision; a deny is refused, an ask approved or refused; the
     * {@code gate.action} row is durable before {@code action} runs; what it returns is redacted; a
     * {@code gate.action.finish} row records the result's size or the error.
     */
    public ActionOutcome perform(ActionRequest request, Action action) {
        Decision decision = limit(request.decision(), new ExecRequest.Limits(false, request.limits().askAlways(), request.limits().askReason()));
        if (rateLimiter != null && !(decision instanceof Decision.Deny)) {
            if (rateLimiter.check(request.agent(), request.tool()) instanceof Decision.Deny d) {
                decision = d;
            }
        }
        String approverName;
        switch (decision) {
            case Decision.Deny d -> {
                recordAction(request, d, "policy", "denied");
                return new ActionOutcome.Refused(d, ExitCode.DENIED, redactor.redact(request.tool() + " denied by policy: "
                        + String.join("; ", d.reasons())));
            }
            case Decision.Ask a -> {
                approverName = switch (request.mode()) {
                    case YES -> "--yes";
                    case NON_INTERACTIVE -> null;
                    case INTERACTIVE -> askAction(request, a) ? "user" : null;
                };
                if (approverName == null) {
                    String who = request.mode() == ApprovalMode.NON_INTERACTIVE ? "refusal" : "user-declined";
                    recordAction(request, a, who, "refused");
                    return new ActionOutcome.Refused(a, ExitCode.APPROVAL_REQUIRED, redactor.redact(request.tool()
                            + " needs an approval that was not given: " + String.join("; ", a.reasons())
                            + (request.mode() == ApprovalMode.NON_INTERACTIVE ? " (non-interactive)" : "")));
                }
            }
            case Decision.Allow a -> approverName = "policy";
        }
        recordAction(request, decision, approverName, "approved");
        String result;
        try {
            result = redactor.redact(action.run());
        } catch (Exception e) {
            String error = redactor.redact(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            audit.append(AuditEvent.builder("gate.action.finish").actor(request.actor()).target(redactor.redact(request.target()))
                    .outcome("failure").detail("tool", request.tool()).detail("error", error).build());
            return new ActionOutcome.Failed(decision, approverName, error);
        }
        audit.append(AuditEvent.builder("gate.action.finish").actor(request.actor()).target(redactor.redact(request.target()))
                .outcome("success").detail("tool", request.tool())
                .detail("result_bytes", result.getBytes(StandardCharsets.UTF_8).length).build());
        return new ActionOutcome.Done(decision, approverName, result);
    }

    private boolean askAction(ActionRequest request, Decision.Ask a) {
        try {
            return approver.approve(request.display(), a, false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void recordAction(ActionRequest request, Decision d, String approver, String outcome) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tool", request.tool());
        details.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
        details.put("approver", approver);
        details.put("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT));
        details.put("agent", request.agent());
        details.put("reasons", d.reasons().stream().map(redactor::redact).toList());
        details.put("rules", d.rules().stream().map(MatchedRule::id).distinct().toList());
        request.details().forEach((k, v) -> details.put(k, v instanceof String str ? redactor.redact(str) : v));
        audit.append(AuditEvent.builder("gate.action").actor(request.actor()).target(redactor.redact(request.target()))
                .outcome(outcome).details(details).build());
    }

    /**
     * {@code bash -c line} in the context's current directory. The policy judged every relative path
     * against that directory; run from the workspace root instead, {@code cat ../x} from a
     * sub-folder would read a file outside the workspace that the policy took for one inside.
     */
    static Command shellIn(dev.airlock.policy.PathContext context, String line) {
        Path root = context.workspaceRoots().get(0);
        if (context.cwd().equals(root)) {
            return Command.shell(line);
        }
        String quoted = "'" + context.cwd().toString().replace("'", "'\\''") + "'";
        return Command.shell("cd -- " + quoted + " || exit 126\n" + line);
    }

    /**
     * What the gate makes of the policy's decision before any approval: a workspace inside a
     * protected path (the Airlock home, a hidden credential folder), or at or above the user's home
     * folder, is denied, and without an
     * isolating sandbox nothing is allowed outright. {@code airlock policy check} shows this too, so
     * that its exit code is the one exec would give.
     */
    private static Decision effective(Decision policy, dev.airlock.policy.PathContext context, List<Path> protectedPaths,
            boolean isolating, String sandboxState) {
        Decision decision = policy;
        Path workspace = context.workspaceRoots().get(0);
        for (Path p : protectedPaths) {
            if (real(workspace).startsWith(real(p))) {
                // The workspace is bound writable and a hidden path around it cannot be masked: an
                // opaque command (python -c …) approved with --yes could rewrite the audit log or keys.
                List<String> reasons = new ArrayList<>(decision.reasons());
                reasons.add("the workspace " + workspace + " is inside " + p
                        + ", which commands may never see or change; run from a project folder instead");
                decision = new Decision.Deny(reasons, decision.rules(), decision.commands());
                break;
            }
        }
        if (!(decision instanceof Decision.Deny) && real(context.home()).startsWith(real(workspace))) {
            // The workspace is the sandbox's writable folder: at or above the home folder it would make
            // ~/.bashrc, ~/.ssh and every other dotfile writable by any command approved with --yes.
            List<String> reasons = new ArrayList<>(decision.reasons());
            reasons.add("the workspace " + workspace + " contains your home folder " + context.home()
                    + ", so every dotfile would be writable; run from a project folder (or pass --workspace DIR)");
            decision = new Decision.Deny(reasons, decision.rules(), decision.commands());
        }
        if (!isolating && decision instanceof Decision.Allow a) {
            List<String> reasons = new ArrayList<>(a.reasons());
            reasons.add("the sandbox is " + sandboxState + ", so every command needs an approval");
            decision = new Decision.Ask(reasons, a.rules(), a.commands());
        }
        return decision;
    }

    /**
     * Tightens {@code decision} by the requester's limits: a read-only requester is denied every
     * command not classified read-only; asking always (security mode, a permission {@code ask}) turns an
     * allow into an ask, with the requester's own reason — never a claim about a mode that is off.
     */
    static Decision limit(Decision decision, ExecRequest.Limits limits) {
        Decision d = decision;
        if (limits.readOnly() && !(d instanceof Decision.Deny)) {
            List<String> offending = d.commands().stream()
                    .filter(c -> !c.command().classes().equals(java.util.Set.of(CommandClass.READ_ONLY)))
                    .map(c -> c.command().name() + " (" + c.command().classes().stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT))
                            .sorted().collect(java.util.stream.Collectors.joining(", ")) + ")")
                    .toList();
            if (!offending.isEmpty() || d.commands().isEmpty()) {
                List<String> reasons = new ArrayList<>(d.reasons());
                reasons.add("this agent is read-only and may run only read-only commands, not "
                        + (offending.isEmpty() ? "this line" : String.join(", ", offending)));
                d = new Decision.Deny(reasons, d.rules(), d.commands());
            }
        }
        if (limits.askAlways() && d instanceof Decision.Allow a) {
            List<String> reasons = new ArrayList<>(a.reasons());
            reasons.add(limits.askReason());
            d = new Decision.Ask(reasons, a.rules(), a.commands());
        }
        return d;
    }

    /** The approver's answer; an approver that fails cannot have approved. */
    private boolean ask(ExecRequest request, Decision.Ask a, boolean isolating) {
        try {
            return approver.approve(request.line(), a, isolating);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The Airlock home and every hidden path: never a workspace, nor above one. */
    private List<Path> protectedPaths(dev.airlock.policy.PathContext context) {
        List<Path> all = new ArrayList<>(hidden);
        all.add(context.airlockHome());
        return all;
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    private void record(ExecRequest request, Decision d, String approver, String outcome) {
        // The line and the reasons quoting it are the caller's text and may hold a credential; they are
        // redacted here, not left to whatever filter the audit log happens to be configured with.
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("line", redactor.redact(request.line()));
        details.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
        details.put("approver", approver);
        details.put("mode", request.mode().name().toLowerCase(java.util.Locale.ROOT));
        details.put("agent", request.agent());
        details.put("sandbox", sandbox != null && sandbox.isolating() ? "bubblewrap" : sandboxState);
        details.put("reasons", d.reasons().stream().map(redactor::redact).toList());
        details.put("rules", d.rules().stream().map(MatchedRule::id).distinct().toList());
        List<Map<String, Object>> commands = new ArrayList<>();
        for (CommandDecision c : d.commands()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", redactor.redact(c.command().name()));
            m.put("classes", new TreeSet<>(c.command().classes().stream().map(Enum::name).toList()));
            m.put("verdict", c.verdict().name().toLowerCase(java.util.Locale.ROOT));
            commands.add(m);
        }
        details.put("commands", commands);
        details.put("workspace", redactor.redact(request.context().workspaceRoots().get(0).toString()));
        audit.append(AuditEvent.builder("gate.exec").actor(request.actor()).target("command").outcome(outcome)
                .details(details).build());
    }

    /**
     * The reasons behind a refusal: what the sub-commands with that verdict, and the line as a whole,
     * were refused for — not why their allowed neighbours were fine.
     */
    static List<String> reasonsFor(Decision d, dev.airlock.policy.Verdict verdict) {
        List<String> others = d.commands().stream().filter(c -> c.verdict() != verdict)
                .flatMap(c -> c.reasons().stream()).toList();
        List<String> kept = d.reasons().stream().filter(r -> others.stream().noneMatch(o -> !o.isEmpty() && r.contains(o))).toList();
        return kept.isEmpty() ? d.reasons() : kept;
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // the user's stream went away; the captured copy and the audit row still hold
        }
    }

    /** Writes to the caller's stream and keeps a copy; the caller's stream is flushed, not closed. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            a.flush();
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }

        @Override
        public void close() throws IOException {
            a.flush();
        }
    }

    /** Builds a {@link Gate}. */
    public static final class Builder {
        private @Nullable PolicyEngine engine;
        private @Nullable Sandbox sandbox;
        private String sandboxState = "unavailable";
        private @Nullable AuditLog audit;
        private @Nullable Approver approver;
        private @Nullable Redactor redactor;
        private GateSettings settings = new GateSettings(null, null, null, null);
        private Map<String, String> parentEnvironment = Map.of();
        private List<Path> hidden = List.of();
        private @Nullable RateLimiter rateLimiter;

        private Builder() {}

        public Builder engine(PolicyEngine engine) {
            this.engine = engine;
            return this;
        }

        /** The sandbox to run in; {@code state} says why there is none ("off", "unavailable: …"). */
        public Builder sandbox(@Nullable Sandbox sandbox, String state) {
            this.sandbox = sandbox;
            this.sandboxState = state;
            return this;
        }

        public Builder audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        public Builder approver(Approver approver) {
            this.approver = approver;
            return this;
        }

        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        public Builder settings(GateSettings settings) {
            this.settings = settings;
            return this;
        }

        /** The environment commands may inherit from (the sandbox keeps only its allow-list). */
        public Builder parentEnvironment(Map<String, String> env) {
            this.parentEnvironment = env;
            return this;
        }

        /** Paths commands must not see (the Airlock home, ~/.ssh, cloud credentials…). */
        public Builder hidden(List<Path> paths) {
            this.hidden = paths;
            return this;
        }

        public Builder rateLimiter(RateLimiter limiter) {
            this.rateLimiter = limiter;
            return this;
        }

        public Gate build() {
            return new Gate(this);
        }
    }
}
