package dev.airlock.gate;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code sandbox:} section of the user config.
 *
 * @param enabled            run commands under bubblewrap (default true). Turning it off is the
 *                           user's explicit choice, recorded in every exec's audit row.
 * @param timeLimitSeconds   wall-clock limit per command (default 600)
 * @param outputLimitBytes   captured output limit per command (default 16 MiB)
 */
public record GateSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("time_limit_seconds") Integer timeLimitSeconds,
        @JsonProperty("output_limit_bytes") Long outputLimitBytes) {
    public GateSettings {
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
