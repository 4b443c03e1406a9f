package dev.airlock.workflow;

import dev.airlock.llm.ModelRef;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Resolves the {@code agent:} of an llm node; wired by the CLI, so agents can plug in later. */
@FunctionalInterface
public interface AgentResolver {
    /** The agent called {@code name}, or empty when there is none. */
    Optional<Agent> agent(String name);

    /** What an llm node needs from an agent: its model and its system prompt. */
    record Agent(String name, ModelRef model, @Nullable String systemPrompt) {}

    /** No agents: an llm node naming one fails with a configuration error. */
    static AgentResolver none() {
        return name -> Optional.empty();
    }
}
