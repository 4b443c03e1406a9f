package dev.airlock.audit;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code audit:} section of the user config.
 *
 * @param checkpointEveryRows    write a checkpoint after this many rows (1–1,000,000; default 1,000)
 * @param checkpointEveryMinutes and at least this often while rows arrive (1–1,440; default 10)
 */
public record AuditSettings(
        @JsonProperty("checkpoint_every_rows") Integer checkpointEveryRows,
        @JsonProperty("checkpoint_every_minutes") Integer checkpointEveryMinutes) {
    public AuditSettings {
        if (checkpointEveryRows == null) {
            checkpointEveryRows = 1_000;
        }
        if (checkpointEveryMinutes == null) {
            checkpointEveryMinutes = 10;
        }
        if (checkpointEveryRows < 1 || checkpointEveryRows > 1_000_000) {
            throw new IllegalArgumentException("checkpoint_every_rows must be between 1 and 1000000");
        }
        if (checkpointEveryMinutes < 1 || checkpointEveryMinutes > 1_440) {
            throw new IllegalArgumentException("checkpoint_every_minutes must be between 1 and 1440");
        }
    }
}
