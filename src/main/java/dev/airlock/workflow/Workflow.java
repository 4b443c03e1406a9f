package dev.airlock.workflow;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed workflow: well-formed, not yet validated (see {@link Validator}). Immutable.
 *
 * @param name            what the workflow is called (shown in lists and audit rows)
 * @param costCapUsd      the most its model calls may cost, or {@code null} for no cap
 * @param approvalTimeout how long a gate waits for a human (default 24h)
 * @param inputs          the inputs by name, in file order
 * @param nodes           the nodes, in file order
 */
public record Workflow(String name, @Nullable BigDecimal costCapUsd, Duration approvalTimeout, Map<String, Input> inputs,
        List<Node> nodes) {
    /** The default {@code approval_timeout}. */
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);

    public Workflow {
        Objects.requireNonNull(name);
        Objects.requireNonNull(approvalTimeout);
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        nodes = List.copyOf(nodes);
    }

    /** An input the caller may give with {@code --input name=value}; without a default it is required. */
    public record Input(String name, @Nullable String description, @Nullable String defaultValue) {
        public Input {
            Objects.requireNonNull(name);
        }
    }

    /** The node called {@code id}. */
    public Optional<Node> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The same workflow with other nodes. */
    public Workflow withNodes(List<Node> newNodes) {
        return new Workflow(name, costCapUsd, approvalTimeout, inputs, newNodes);
    }
}
