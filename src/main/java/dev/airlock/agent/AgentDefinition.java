package dev.airlock.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An agent as a config file writes it: in the user config under {@code agents.definitions.NAME}, or
 * as a project file {@code .airlock/agents/NAME.yaml}. Every field is optional; {@link AgentCatalog}
 * fills defaults and applies the narrowing rules.
 *
 * @param name         only in project files: the agent this file narrows (default: the file name)
 * @param extendsAgent only in project files: a new agent narrowed from this user agent
 * @param model        {@code PROVIDER/MODEL}
 * @param systemPrompt what the agent is for; a project file's prompt is appended to the user's
 * @param tools        the tools it may call (default: all)
 * @param readOnly     one line for a read-only agent: read tools only, read-only commands only
 * @param permissions  per tool: {@code allow} (the policy decides), {@code ask} (always ask), {@code deny}
 * @param rateLimits   token buckets per tool
 * @param costLimitUsd the most a session may spend on this agent's model requests
 * @param maxTokens    output tokens per model request
 * @param maxSteps     model requests per user turn (the tool loop's bound)
 * @param maxToolCallsPerTurn tool calls per user turn (default 100); calls past it are refused and audited
 * @param platforms    where the agent may serve ({@code cli})
 * @param securityMode ask before every tool call, mask paths and names, scan responses
 */
public record AgentDefinition(
        @JsonProperty("name") @Nullable String name,
        @JsonProperty("extends") @Nullable String extendsAgent,
        @JsonProperty("model") @Nullable String model,
        @JsonProperty("system_prompt") @Nullable String systemPrompt,
        @JsonProperty("tools") @Nullable List<String> tools,
        @JsonProperty("read_only") @Nullable Boolean readOnly,
        @JsonProperty("permissions") @Nullable Map<String, Permission> permissions,
        @JsonProperty("rate_limits") @Nullable List<RateLimit> rateLimits,
        @JsonProperty("cost_limit_usd") @Nullable BigDecimal costLimitUsd,
        @JsonProperty("max_tokens") @Nullable Integer maxTokens,
        @JsonProperty("max_steps") @Nullable Integer maxSteps,
        @JsonProperty("max_tool_calls_per_turn") @Nullable Integer maxToolCallsPerTurn,
        @JsonProperty("platforms") @Nullable List<String> platforms,
        @JsonProperty("security_mode") @Nullable Boolean securityMode) {

    /** How far a tool may go for this agent; never further than the policy allows. */
    public enum Permission {
        @JsonProperty("allow") ALLOW,
        @JsonProperty("ask") ASK,
        @JsonProperty("deny") DENY
    }

    /** A token bucket for one tool of this agent. */
    public record RateLimit(
            @JsonProperty("tool") String tool,
            @JsonProperty("capacity") int capacity,
            @JsonProperty("period_seconds") int periodSeconds) {
        public RateLimit {
            if (tool == null || tool.isBlank()) {
                throw new IllegalArgumentException("a rate limit needs a tool");
            }
            if (capacity < 1 || periodSeconds < 1) {
                throw new IllegalArgumentException("a rate limit needs a positive capacity and period_seconds");
            }
        }
    }

    public AgentDefinition {
        if (costLimitUsd != null && costLimitUsd.signum() < 0) {
            throw new IllegalArgumentException("cost_limit_usd cannot be negative");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be positive");
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new IllegalArgumentException("max_steps must be positive");
        }
        if (maxToolCallsPerTurn != null && maxToolCallsPerTurn < 1) {
            throw new IllegalArgumentException("max_tool_calls_per_turn must be positive");
        }
    }
}
