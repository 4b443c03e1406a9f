package dev.airlock.workflow;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a run, for a terminal or a dashboard. Called from the runner's threads, possibly
 * concurrently; implementations synchronise themselves and must not block.
 */
public interface RunListener {
    default void runStarted(String runId, Workflow workflow, boolean resumed) {}

    default void nodeStarted(String runId, String nodeId, int attempt) {}

    /** {@code state}: succeeded, failed, skipped; {@code detail}: one line (an error, why skipped). */
    default void nodeFinished(String runId, String nodeId, String state, @Nullable String detail) {}

    /** A gate is waiting for a human; {@code commands} are the exact lines its approval covers. */
    default void approvalPending(String runId, String gateId, String message, List<GatedCommand> commands, Instant deadline) {}

    /** One command line behind a gate, as it will run (redacted for display). */
    record GatedCommand(String node, String line, boolean destructive) {}

    RunListener NONE = new RunListener() {};
}
