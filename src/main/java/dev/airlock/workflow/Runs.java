package dev.airlock.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantDb;
import dev.airlock.vault.ContentCipher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runs of one tenant: list and show (metadata without unlocking; outputs with a cipher), and the
 * human side of approval gates. A decision is stored with its audit row in one transaction; the
 * waiting runner, in whatever process, reads it from the database.
 */
public final class Runs {
    private final RunStore store;

    private Runs(RunStore store) {
        this.store = store;
    }

    public static Runs create(TenantDb db, AuditLog audit, Clock clock) {
        return new Runs(new RunStore(db, audit, clock));
    }

    /** One run as lists show it. Times are UTC. */
    public record RunSummary(String id, String name, String state, @Nullable String reason, @Nullable Integer exitCode,
            String mode, String workspace, String costUsd, @Nullable String costCapUsd, Instant created, Instant updated,
            @Nullable Instant finished) {}

    /** One node of a run; {@code output} only when shown with a cipher. */
    public record NodeInfo(String id, String type, String state, int attempts, @Nullable Integer exitStatus,
            @Nullable String error, @Nullable String output, @Nullable Long inputTokens, @Nullable Long outputTokens,
            @Nullable String costUsd, @Nullable Instant started, @Nullable Instant finished) {}

    /** One approval: what it covers (redacted lines) and how it was decided. */
    public record ApprovalInfo(String gate, List<RunListener.GatedCommand> commands, Instant requested, Instant deadline,
            @Nullable String decision, @Nullable String approver, @Nullable String reason, @Nullable Instant decided) {}

    public record RunDetail(RunSummary run, List<NodeInfo> nodes, List<ApprovalInfo> approvals) {}

    /** Every run of the tenant, oldest first. */
    public List<RunSummary> list() {
        return store.runs().stream().map(Runs::summary).toList();
    }

    /**
     * One run with its nodes and approvals. With {@code cipher} the outputs are opened; without, they
     * are left out.
     *
     * @throws WorkflowException exit 2 when there is no such run
     */
    public RunDetail show(String runId, @Nullable ContentCipher cipher) {
        RunStore.RunRow row = find(runId);
        List<NodeInfo> nodes = new ArrayList<>();
        for (RunStore.NodeRow n : store.nodes(runId)) {
            String output = cipher == null || n.output() == null ? null
                    : cipher.open("workflow_node", "output", runId + "/" + n.nodeId(), n.output());
            nodes.add(new NodeInfo(n.nodeId(), n.type(), n.state(), n.attempts(), n.exitStatus(), n.error(), output, n.inputTokens(),
                    n.outputTokens(), n.costUsd(), n.started() == null ? null : RunStore.instant(n.started()),
                    n.finished() == null ? null : RunStore.instant(n.finished())));
        }
        List<ApprovalInfo> approvals = store.approvals(runId).stream().map(a -> new ApprovalInfo(a.gateId(), commands(a.commands()),
                RunStore.instant(a.requested()), RunStore.instant(a.deadline()), a.decision(), a.approver(), a.reason(),
                a.decided() == null ? null : RunStore.instant(a.decided()))).toList();
        return new RunDetail(summary(row), nodes, approvals);
    }

    /**
     * Approves the pending gate {@code gateId} of {@code runId} as {@code approver}.
     *
     * @throws WorkflowException exit 2 for an unknown run or gate, a gate not waiting, or one already
     *     decided; exit 5 ({@code approval_timeout}) when its deadline has passed, which is recorded
     */
    public ApprovalInfo approve(String runId, String gateId, String approver) {
        return decide(runId, gateId, "granted", approver, null);
    }

    /** Denies the pending gate; the run fails at that gate with exit 5. Same refusals as {@link #approve}. */
    public ApprovalInfo deny(String runId, String gateId, String approver, @Nullable String reason) {
        return decide(runId, gateId, "denied", approver, reason);
    }

    private ApprovalInfo decide(String runId, String gateId, String decision, String approver, @Nullable String reason) {
        RunStore.RunRow run = find(runId);
        if (run.finished() != null) {
            throw WorkflowException.invalid("run " + runId + " has already " + run.state() + "; there is nothing to decide");
        }
        RunStore.ApprovalRow row = store.approval(runId, gateId).orElseThrow(() -> {
            boolean isGate = store.nodes(runId).stream().anyMatch(n -> n.nodeId().equals(gateId) && n.type().equals("approval_gate"));
            return WorkflowException.invalid(isGate ? "gate '" + gateId + "' of run " + runId + " has not asked for an approval yet"
                    : "run " + runId + " has no approval gate '" + gateId + "'; see 'airlock runs show " + runId + "'");
        });
        if (row.decision() != null) {
            throw already(runId, gateId, row);
        }
        String verb = decision.equals("granted") ? "grant" : "deny";
        String actor = approver.replaceAll("[^\\x21-\\x7e]", "_");
        if (store.now() >= row.deadline()) {
            try {
                store.decide(runId, gateId, "timed_out", "timeout", null, Runner.event("workflow.approval.timeout", runId)
                        .target("run:" + runId + "/node:" + gateId).outcome("timed_out").detail("gate", gateId)
                        .detail("deadline", RunStore.instant(row.deadline()).toString()).detail("late_" + verb, actor).build());
            } catch (RunStore.AlreadyDecided e) {
                // recorded already by the runner
            }
            throw new WorkflowException(ExitCode.APPROVAL_REQUIRED, "approval_timeout", "the approval of gate '" + gateId + "' of run "
                    + runId + " timed out at " + RunStore.instant(row.deadline()) + "; nothing was approved");
        }
        try {
            store.decide(runId, gateId, decision, actor, reason, Runner.event("workflow.approval." + verb, runId).actor(actor)
                    .target("run:" + runId + "/node:" + gateId).outcome(decision).detail("gate", gateId).detail("approver", actor)
                    .detail("reason", reason).detail("commands", commandsJson(row.commands())).build());
        } catch (RunStore.AlreadyDecided e) {
            throw e.row == null ? WorkflowException.invalid("gate '" + gateId + "' was decided meanwhile") : already(runId, gateId, e.row);
        }
        RunStore.ApprovalRow now = store.approval(runId, gateId).orElseThrow();
        return new ApprovalInfo(gateId, commands(now.commands()), RunStore.instant(now.requested()), RunStore.instant(now.deadline()),
                now.decision(), now.approver(), now.reason(), now.decided() == null ? null : RunStore.instant(now.decided()));
    }

    private static WorkflowException already(String runId, String gateId, RunStore.ApprovalRow row) {
        String what = switch (String.valueOf(row.decision())) {
            case "granted" -> "already approved by " + row.approver();
            case "denied" -> "already denied by " + row.approver();
            default -> "already timed out";
        };
        return WorkflowException.invalid("gate '" + gateId + "' of run " + runId + " was " + what);
    }

    private RunStore.RunRow find(String runId) {
        return store.run(runId).orElseThrow(() -> WorkflowException.invalid("there is no run '" + runId
                + "' in this tenant; see 'airlock runs list'"));
    }

    private static RunSummary summary(RunStore.RunRow r) {
        return new RunSummary(r.id(), r.name(), r.state(), r.reason(), r.exitCode(), r.mode(), r.workspace(), r.costUsd(),
                r.costCapUsd(), RunStore.instant(r.created()), RunStore.instant(r.updated()),
                r.finished() == null ? null : RunStore.instant(r.finished()));
    }

    static List<Map<String, Object>> commandsJson(String json) {
        try {
            return RunStore.JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
        } catch (JsonProcessingException e) {
            throw new WorkflowException(ExitCode.INTEGRITY, "corrupt_run", "stored approval data is not readable JSON");
        }
    }

    static List<RunListener.GatedCommand> commands(String json) {
        return commandsJson(json).stream().map(m -> new RunListener.GatedCommand(String.valueOf(m.get("node")),
                String.valueOf(m.get("line")), Boolean.TRUE.equals(m.get("destructive")))).toList();
    }
}
