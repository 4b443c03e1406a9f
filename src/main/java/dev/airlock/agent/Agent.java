package dev.airlock.agent;

import dev.airlock.llm.ModelRef;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An agent ready to serve: defaults filled, project narrowings applied, tools resolved.
 *
 * @param name        as chosen with {@code --agent}
 * @param model       the model it talks to (none: the user has not chosen one yet)
 * @param systemPrompt the prompt the user and project wrote (containment rules are added by the loop)
 * @param tools       the tools offered to the model; a tool not here does not exist for it
 * @param readOnly    only read tools and read-only commands
 * @param permissions per tool: at least as strict as every definition it came from
 * @param rateLimits  token buckets per tool
 * @param costLimitUsd the most one session may spend, if limited
 * @param maxTokens   output tokens per model request
 * @param maxSteps    model requests per user turn
 * @param maxToolCallsPerTurn tool calls per user turn; calls past it are refused (and audited)
 * @param platforms   where it may serve
 * @param securityMode ask before every tool call, mask paths and names, scan responses
 * @param sources     the files it was defined and narrowed in, for {@code airlock agents show}
 */
public record Agent(String name, Optional<ModelRef> model, String systemPrompt, Set<String> tools, boolean readOnly,
        Map<String, AgentDefinition.Permission> permissions, List<AgentDefinition.RateLimit> rateLimits,
        Optional<BigDecimal> costLimitUsd, int maxTokens, int maxSteps, int maxToolCallsPerTurn, Set<String> platforms,
        boolean securityMode, List<String> sources) {
    /** Tool calls one turn may make unless the agent says otherwise. */
    public static final int DEFAULT_MAX_TOOL_CALLS_PER_TURN = 100;

    /** An agent with the default per-turn tool call limit. */
    public Agent(String name, Optional<ModelRef> model, String systemPrompt, Set<String> tools, boolean readOnly,
            Map<String, AgentDefinition.Permission> permissions, List<AgentDefinition.RateLimit> rateLimits,
            Optional<BigDecimal> costLimitUsd, int maxTokens, int maxSteps, Set<String> platforms, boolean securityMode,
            List<String> sources) {
        this(name, model, systemPrompt, tools, readOnly, permissions, rateLimits, costLimitUsd, maxTokens, maxSteps,
                DEFAULT_MAX_TOOL_CALLS_PER_TURN, platforms, securityMode, sources);
    }

    public Agent {
        if (maxToolCallsPerTurn < 1) {
            throw new IllegalArgumentException("max_tool_calls_per_turn must be positive");
        }
        tools = Set.copyOf(tools);
        permissions = Map.copyOf(permissions);
        rateLimits = List.copyOf(rateLimits);
        platforms = Set.copyOf(platforms);
        sources = List.copyOf(sources);
    }

    /** The model, or a usage error saying where to set one. */
    public ModelRef requireModel() {
        return model.orElseThrow(() -> dev.airlock.home.AirlockException.usage("agent '" + name
                + "' has no model; set agents.model (e.g. ollama/llama3.2 or openai/gpt-4o-mini) in your config, or pass --model"));
    }

    /**
     * The permission for {@code tool}: as configured, else {@code ask} for the tools that change files
     * (the user sees the diff first) and {@code allow} (the policy decides) for the rest.
     */
    public AgentDefinition.Permission permission(String tool) {
        return permissions.getOrDefault(tool, Tools.WRITING.contains(tool) ? AgentDefinition.Permission.ASK : AgentDefinition.Permission.ALLOW);
    }
}
