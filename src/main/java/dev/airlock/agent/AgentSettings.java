package dev.airlock.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code agents:} section of the user config.
 *
 * <pre>
 * agents:
 *   default: coder              # the agent chat and ask use without --agent (default: "default")
 *   model: openai/gpt-4o-mini   # the model of agents that name none
 *   security_mode: false        # true: security mode for every agent
 *   definitions:
 *     coder: {system_prompt: "...", cost_limit_usd: 2.00}
 *     reviewer: {read_only: true}
 * </pre>
 */
public record AgentSettings(
        @JsonProperty("default") @Nullable String defaultAgent,
        @JsonProperty("model") @Nullable String model,
        @JsonProperty("security_mode") @Nullable Boolean securityMode,
        @JsonProperty("definitions") @Nullable Map<String, AgentDefinition> definitions) {

    public AgentSettings {
        if (defaultAgent == null) {
            defaultAgent = "default";
        }
        if (securityMode == null) {
            securityMode = false;
        }
        definitions = definitions == null ? Map.of() : Map.copyOf(definitions);
    }
}
