package dev.airlock.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended (or parked) in this process.
 *
 * @param runId    the run's id, for {@code runs show}, {@code approve} and {@code --resume}
 * @param state    {@code succeeded}, {@code failed} or {@code parked}
 * @param reason   why it failed or parked ({@code node_failed}, {@code cost_cap_exceeded}…), null on success
 * @param exitCode the CLI exit code (docs/workflows.md)
 * @param nodes    node id → final state in this process
 * @param costUsd  model spending of the whole run so far
 * @param duration wall-clock time in this process
 */
public record RunResult(String runId, String state, @Nullable String reason, int exitCode, Map<String, String> nodes,
        BigDecimal costUsd, Duration duration) {
    public RunResult {
        nodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodes));
    }
}
