package dev.airlock.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantDb;
import dev.airlock.vault.ContentCipher;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The workflow tables of one tenant. Every change commits in the same transaction as its audit row
 * ({@link AuditLog#appendWith}); a change whose row cannot be written does not happen.
 */
final class RunStore {
    static final ObjectMapper JSON = new ObjectMapper();

    final TenantDb db;
    final AuditLog audit;
    final Clock clock;

    RunStore(TenantDb db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    long now() {
        return clock.millis();
    }

    record RunRow(String id, String name, String state, @Nullable String reason, @Nullable Integer exitCode, String mode,
            String workspace, byte[] definition, byte[] inputs, @Nullable String costCapUsd, String costUsd,
            @Nullable Long ownerPid, long created, long updated, @Nullable Long finished) {}

    record NodeRow(String nodeId, int ordinal, String type, String state, int attempts, @Nullable Integer exitStatus,
            @Nullable String error, byte @Nullable [] output, @Nullable Long inputTokens, @Nullable Long outputTokens,
            @Nullable String costUsd, @Nullable Long started, @Nullable Long finished) {}

    record ApprovalRow(String gateId, byte[] message, String commands, byte[] exact, long requested, long deadline,
            @Nullable String decision, @Nullable String approver, @Nullable String reason, @Nullable Long decided) {}

    /** The already-decided answer when a decision lost a race; thrown inside the transaction to roll it back. */
    static final class AlreadyDecided extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final @Nullable ApprovalRow row;

        AlreadyDecided(@Nullable ApprovalRow row) {
            super("already decided", null, false, false);
            this.row = row;
        }
    }

    <T> T write(AuditEvent event, AuditLog.StateChange<T> change) {
        try {
            return audit.appendWith(event, change);
        } catch (AlreadyDecided e) {
            throw e;
        } catch (RuntimeException e) {
            if (e instanceof dev.airlock.home.AirlockException) {
                throw e;
            }
            throw db.classify("writing workflow state", e);
        }
    }

    void createRun(RunRow r, List<Node> nodes, AuditEvent event) {
        write(event, h -> {
            h.createUpdate("INSERT INTO workflow_run(id, name, state, mode, workspace, definition, inputs, cost_cap_usd, cost_usd,"
                    + " owner_pid, created, updated) VALUES (:id, :name, :state, :mode, :ws, :def, :in, :cap, '0', :pid, :t, :t)")
                    .bind("id", r.id()).bind("name", r.name()).bind("state", r.state()).bind("mode", r.mode())
                    .bind("ws", r.workspace()).bind("def", r.definition()).bind("in", r.inputs()).bind("cap", r.costCapUsd())
                    .bind("pid", r.ownerPid()).bind("t", r.created()).execute();
            var batch = h.prepareBatch("INSERT INTO workflow_node(run_id, node_id, ordinal, type, state) VALUES (?, ?, ?, ?, 'pending')");
            for (int i = 0; i < nodes.size(); i++) {
                batch.add(r.id(), nodes.get(i).id(), i, nodes.get(i).type());
            }
            batch.execute();
            return null;
        });
    }

    Optional<RunRow> run(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM workflow_run WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new RunRow(rs.getString("id"), rs.getString("name"), rs.getString("state"),
                        rs.getString("reason"), (Integer) rs.getObject("exit_code"), rs.getString("mode"),
                        rs.getString("workspace"), rs.getBytes("definition"), rs.getBytes("inputs"), rs.getString("cost_cap_usd"),
                        rs.getString("cost_usd"), longOrNull(rs.getObject("owner_pid")), rs.getLong("created"), rs.getLong("updated"),
                        longOrNull(rs.getObject("finished"))))
                .findOne());
    }

    List<RunRow> runs() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM workflow_run ORDER BY created, id").mapTo(String.class).list())
                .stream().map(id -> run(id).orElseThrow()).toList();
    }

    List<NodeRow> nodes(String runId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM workflow_node WHERE run_id = :id ORDER BY ordinal")
                .bind("id", runId)
                .map((rs, ctx) -> new NodeRow(rs.getString("node_id"), rs.getInt("ordinal"), rs.getString("type"), rs.getString("state"),
                        rs.getInt("attempts"), (Integer) rs.getObject("exit_status"), rs.getString("error"), rs.getBytes("output"),
                        longOrNull(rs.getObject("input_tokens")), longOrNull(rs.getObject("output_tokens")), rs.getString("cost_usd"),
                        longOrNull(rs.getObject("started")), longOrNull(rs.getObject("finished"))))
                .list());
    }

    List<ApprovalRow> approvals(String runId) {
        return db.jdbi().withHandle(h -> approvals(h, runId, null));
    }

    Optional<ApprovalRow> approval(String runId, String gateId) {
        return db.jdbi().withHandle(h -> approvals(h, runId, gateId)).stream().findFirst();
    }

    private static List<ApprovalRow> approvals(Handle h, String runId, @Nullable String gateId) {
        return h.createQuery("SELECT * FROM workflow_approval WHERE run_id = :id" + (gateId == null ? "" : " AND gate_id = :g")
                        + " ORDER BY requested, gate_id")
                .bind("id", runId).bind("g", gateId)
                .map((rs, ctx) -> new ApprovalRow(rs.getString("gate_id"), rs.getBytes("message"), rs.getString("commands"),
                        rs.getBytes("exact"), rs.getLong("requested"), rs.getLong("deadline"), rs.getString("decision"),
                        rs.getString("approver"), rs.getString("reason"), longOrNull(rs.getObject("decided"))))
                .list();
    }

    void nodeStart(String runId, String nodeId, String state, AuditEvent event) {
        write(event, h -> h.createUpdate("UPDATE workflow_node SET state = :s, attempts = attempts + 1, started = :t, error = NULL"
                + " WHERE run_id = :r AND node_id = :n").bind("s", state).bind("t", now()).bind("r", runId).bind("n", nodeId).execute());
    }

    /** Ends a node; {@code cost}, when given, is added to the run's total in the same transaction. */
    void nodeEnd(String runId, String nodeId, String state, @Nullable Integer exitStatus, @Nullable String error,
            byte @Nullable [] output, @Nullable Long inTokens, @Nullable Long outTokens, @Nullable BigDecimal cost,
            @Nullable BigDecimal runCost, AuditEvent event) {
        write(event, h -> {
            h.createUpdate("UPDATE workflow_node SET state = :s, exit_status = :x, error = :e, output = :o, input_tokens = :it,"
                            + " output_tokens = :ot, cost_usd = :c, finished = :t WHERE run_id = :r AND node_id = :n")
                    .bind("s", state).bind("x", exitStatus).bind("e", error).bind("o", output).bind("it", inTokens)
                    .bind("ot", outTokens).bind("c", cost == null ? null : cost.toPlainString()).bind("t", now())
                    .bind("r", runId).bind("n", nodeId).execute();
            if (runCost != null) {
                h.createUpdate("UPDATE workflow_run SET cost_usd = :c, updated = :t WHERE id = :r")
                        .bind("c", runCost.toPlainString()).bind("t", now()).bind("r", runId).execute();
            }
            return null;
        });
    }

    /** Records an llm node's worst-case cost as its cost until the actual one replaces it. */
    void reserve(String runId, String nodeId, BigDecimal worst, AuditEvent event) {
        write(event, h -> h.createUpdate("UPDATE workflow_node SET cost_usd = :c WHERE run_id = :r AND node_id = :n")
                .bind("c", worst.toPlainString()).bind("r", runId).bind("n", nodeId).execute());
    }

    /** A node put back to pending (resume of an interrupted node that may be retried). */
    void nodeReset(String runId, String nodeId, AuditEvent event) {
        write(event, h -> h.createUpdate("UPDATE workflow_node SET state = 'pending' WHERE run_id = :r AND node_id = :n")
                .bind("r", runId).bind("n", nodeId).execute());
    }

    void requestApproval(String runId, String gateId, byte[] message, String commands, byte[] exact, long requested,
            long deadline, AuditEvent event) {
        write(event, h -> {
            h.createUpdate("INSERT INTO workflow_approval(run_id, gate_id, message, commands, exact, requested, deadline)"
                            + " VALUES (:r, :g, :m, :c, :x, :t, :d)")
                    .bind("r", runId).bind("g", gateId).bind("m", message).bind("c", commands).bind("x", exact)
                    .bind("t", requested).bind("d", deadline).execute();
            h.createUpdate("UPDATE workflow_node SET state = 'waiting' WHERE run_id = :r AND node_id = :g")
                    .bind("r", runId).bind("g", gateId).execute();
            return null;
        });
    }

    /**
     * Records a decision if none was made yet. A grant or denial after the deadline is refused; the
     * caller records the timeout instead.
     *
     * @throws AlreadyDecided when the approval was decided before (by someone else); nothing is written
     */
    void decide(String runId, String gateId, String decision, String approver, @Nullable String reason, AuditEvent event) {
        long t = now();
        write(event, h -> {
            int n = h.createUpdate("UPDATE workflow_approval SET decision = :d, approver = :a, reason = :why, decided = :t"
                            + " WHERE run_id = :r AND gate_id = :g AND decision IS NULL"
                            + (decision.equals("timed_out") ? "" : " AND deadline > :t"))
                    .bind("d", decision).bind("a", approver).bind("why", reason).bind("t", t).bind("r", runId).bind("g", gateId)
                    .execute();
            if (n != 1) {
                throw new AlreadyDecided(approvals(h, runId, gateId).stream().findFirst().orElse(null));
            }
            h.createUpdate("UPDATE workflow_run SET updated = :t WHERE id = :r").bind("t", t).bind("r", runId).execute();
            return null;
        });
    }

    /** Ends (or parks) a run in this process: the owner is cleared and the total cost written. */
    void setRunState(String runId, String state, @Nullable String reason, @Nullable Integer exitCode, BigDecimal cost,
            boolean finished, AuditEvent event) {
        write(event, h -> h.createUpdate("UPDATE workflow_run SET state = :s, reason = :why, exit_code = :x, owner_pid = NULL,"
                        + " cost_usd = :c, updated = :t, finished = :f WHERE id = :r")
                .bind("s", state).bind("why", reason).bind("x", exitCode).bind("c", cost.toPlainString()).bind("t", now())
                .bind("f", finished ? (Long) now() : null).bind("r", runId).execute());
    }

    /**
     * Claims a run for this process: only when no live process owns it. The claim and its audit row
     * commit together.
     */
    void claim(String runId, long pid, AuditEvent event) {
        write(event, h -> {
            Long owner = h.createQuery("SELECT owner_pid FROM workflow_run WHERE id = :r").bind("r", runId)
                    .mapTo(Long.class).findOne().orElse(null);
            if (owner != null && owner != pid && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                throw new WorkflowException(ExitCode.USAGE, "run_busy", "run " + runId + " is being run by process " + owner
                        + "; wait for it, or stop that process first");
            }
            h.createUpdate("UPDATE workflow_run SET owner_pid = :pid, state = 'running', reason = NULL, updated = :t WHERE id = :r")
                    .bind("pid", pid).bind("t", now()).bind("r", runId).execute();
            return null;
        });
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> stringMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new WorkflowException(ExitCode.INTEGRITY, "corrupt_run", "stored run data is not readable JSON: "
                    + e.getOriginalMessage());
        }
    }

    static byte[] seal(ContentCipher cipher, String table, String column, String rowId, String text) {
        return cipher.seal(table, column, rowId, text);
    }

    static Instant instant(long ms) {
        return Instant.ofEpochMilli(ms);
    }

    private static @Nullable Long longOrNull(@Nullable Object o) {
        return o == null ? null : ((Number) o).longValue();
    }
}
