package dev.airlock.gate;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code sandbox:} section of the user config.
 *
 * @param enabled            run commands under bubblewrap (default true). Turning it off is the
 *                           user's explicit choice, recorded in every exec's audit row.
 * @param timeLimitSeconds   wall-clock limit per command (default 600)
 * @param outputLimitBytes   captured output limit per command (default 16 MiB)
 * @param rateLimits         token buckets per agent and tool
 */
public record GateSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("time_limit_seconds") Integer timeLimitSeconds,
        @JsonProperty("output_limit_bytes") Long outputLimitBytes,
        @JsonProperty("rate_limits") java.util.List<RateLimitSetting> rateLimits) {

    /**
     * A token bucket for one agent ({@code *}: every agent) and tool ({@code shell} for commands).
     * Buckets live in the process that runs the agent (a chat session, the server), so a limit spans
     * that process's calls.
     */
    public record RateLimitSetting(
            @JsonProperty("agent") String agent,
            @JsonProperty("tool") String tool,
            @JsonProperty("capacity") int capacity,
            @JsonProperty("period_seconds") int periodSeconds) {
        public RateLimitSetting {
            if (agent == null || agent.isBlank() || tool == null || tool.isBlank()) {
                throw new IllegalArgumentException("a rate limit needs an agent (or *) and a tool");
            }
            if (capacity < 1 || periodSeconds < 1) {
                throw new IllegalArgumentException("a rate limit needs a positive capacity and period_seconds");
            }
        }
    }

    /** The configured limits as a limiter on {@code clock}; unlimited where nothing is configured. */
    public dev.airlock.policy.@org.jspecify.annotations.Nullable RateLimiter rateLimiter(java.time.Clock clock) {
        if (rateLimits.isEmpty()) {
            return null;
        }
        dev.airlock.policy.RateLimiter l = dev.airlock.policy.RateLimiter.create(clock,
                new dev.airlock.policy.RateLimiter.Limit(Integer.MAX_VALUE, java.time.Duration.ofSeconds(1)));
        for (RateLimitSetting r : rateLimits) {
            l = l.withLimit(r.agent(), r.tool(), new dev.airlock.policy.RateLimiter.Limit(r.capacity(),
                    java.time.Duration.ofSeconds(r.periodSeconds())));
        }
        return l;
    }

    public GateSettings {
        if (rateLimits == null) {
            rateLimits = java.util.List.of();
        }
        rateLimits = java.util.List.copyOf(rateLimits);
        if (enabled == null) {
            enabled = true;
        }
        if (timeLimitSeconds == null) {
            timeLimitSeconds = 600;
        }
        if (outputLimitBytes == null) {
            outputLimitBytes = 16L * 1024 * 1024;
        }
        if (timeLimitSeconds < 1 || timeLimitSeconds > 86_400) {
            throw new IllegalArgumentException("time_limit_seconds must be between 1 and 86400");
        }
        if (outputLimitBytes < 1024 || outputLimitBytes > 512L * 1024 * 1024) {
            throw new IllegalArgumentException("output_limit_bytes must be between 1024 and 536870912");
        }
    }
}
