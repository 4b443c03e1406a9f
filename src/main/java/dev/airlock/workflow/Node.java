package dev.airlock.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link Workflow}. Every kind shares the common fields; {@code destructive} is what
 * the file declared ({@code null}: not said), which can only add to what the policy engine finds.
 */
public sealed interface Node permits Node.Shell, Node.Llm, Node.ApprovalGate {
    /** Unique in its workflow: letters, digits, {@code _} and {@code -}, at most 64. */
    String id();

    /** The ids of the nodes that must succeed before this one starts. */
    List<String> dependsOn();

    /** What the file declared; {@code null} when it said nothing. */
    @Nullable Boolean destructive();

    /** How long one attempt may take; {@code null}: the sandbox's limit (shell) or none (llm). */
    @Nullable Duration timeout();

    /** How many times a failed attempt is tried again (0–10). */
    int retries();

    /** A condition on inputs and earlier outputs; the node is skipped when it is false. */
    @Nullable String when();

    /** The name used in files: {@code shell}, {@code llm}, {@code approval_gate}. */
    String type();

    /** A command line run through the gate (policy, approval, sandbox, redaction, audit). */
    record Shell(String id, List<String> dependsOn, @Nullable Boolean destructive, @Nullable Duration timeout, int retries,
            @Nullable String when, String command) implements Node {
        public Shell {
            Objects.requireNonNull(id);
            dependsOn = List.copyOf(dependsOn);
            Objects.requireNonNull(command);
        }

        @Override
        public String type() {
            return "shell";
        }
    }

    /**
     * A model call: {@code model} is {@code provider/model}; {@code agent}, when given, names an
     * agent whose model and system prompt are used instead.
     */
    record Llm(String id, List<String> dependsOn, @Nullable Boolean destructive, @Nullable Duration timeout, int retries,
            @Nullable String when, @Nullable String model, @Nullable String agent, String prompt, int maxTokens) implements Node {
        public Llm {
            Objects.requireNonNull(id);
            dependsOn = List.copyOf(dependsOn);
            Objects.requireNonNull(prompt);
        }

        @Override
        public String type() {
            return "llm";
        }
    }

    /** Parks the run until a human approves or denies, or the workflow's approval timeout passes. */
    record ApprovalGate(String id, List<String> dependsOn, @Nullable Duration timeout, int retries, @Nullable String when,
            String message) implements Node {
        public ApprovalGate {
            Objects.requireNonNull(id);
            dependsOn = List.copyOf(dependsOn);
            Objects.requireNonNull(message);
        }

        @Override
        public @Nullable Boolean destructive() {
            return null;
        }

        @Override
        public String type() {
            return "approval_gate";
        }
    }
}
