package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Rules and mode for one agent, applied together with the global ones. An agent's mode can only make
 * the global mode stricter: {@code allowlist_only} anywhere wins. */
public record AgentPolicy(
        @JsonProperty("mode") @Nullable Mode mode,
        @JsonProperty("rules") @Nullable RuleSet rules) {
}
