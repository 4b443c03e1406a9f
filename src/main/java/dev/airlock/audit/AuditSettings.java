package dev.airlock.audit;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code audit:} section of the user config.
 *
 * @param checkpointEveryRows    write a checkpoint after this many rows (1–1,000,000; default 1,000)
 * @param checkpointEveryMinutes and at least this often while rows arrive (1–1,440; default 10)
 * @param witness                where each checkpoint line is also appended: absolute file paths
 *                               (ideally on another disk) and/or {@code syslog}; one value or a list
 */
public record AuditSettings(
        @JsonProperty("checkpoint_every_rows") Integer checkpointEveryRows,
        @JsonProperty("checkpoint_every_minutes") Integer checkpointEveryMinutes,
        @JsonProperty("witness") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> witness) {
    /** The word that names the local syslog as a witness. */
    public static final String SYSLOG = "syslog";

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
        witness = witness == null ? List.of() : List.copyOf(witness);
        for (String w : witness) {
            if (w == null || !(w.equals(SYSLOG) || Path.of(w).isAbsolute())) {
                throw new IllegalArgumentException("witness entries must be 'syslog' or an absolute file path, got '" + w + "'");
            }
        }
    }

    /** The defaults. */
    public static AuditSettings defaults() {
        return new AuditSettings(null, null, null);
    }
}
