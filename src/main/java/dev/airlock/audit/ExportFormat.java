package dev.airlock.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The formats {@code airlock audit export --format} writes. Each constant carries the name the CLI
 * accepts; the exact layouts are in {@code docs/audit-export.md}.
 */
public enum ExportFormat {
    /** The native row, one JSON object per line. */
    JSONL("jsonl"),
    /** Splunk HTTP Event Collector event envelopes, one per line. */
    SPLUNK_HEC("splunk-hec"),
    /** Datadog Logs API v2 intake arrays of at most 1,000 logs, one array per line. */
    DATADOG("datadog"),
    /** Sumo Logic HTTP source NDJSON, one object per line. */
    SUMO("sumo"),
    /** OCSF 1.1 API Activity (class 6003) events, one per line. */
    OCSF("ocsf"),
    /** ArcSight Common Event Format, one event per line. */
    CEF("cef");

    private final String cliName;

    ExportFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line, e.g. {@code splunk-hec}. */
    public String cliName() {
        return cliName;
    }

    /**
     * Finds the format named {@code name} on the command line (case-insensitive, surrounding blanks
     * ignored).
     *
     * @throws IllegalArgumentException naming the valid formats when {@code name} is none of them
     */
    public static ExportFormat parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (ExportFormat f : values()) {
            if (f.cliName.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown export format '" + name + "'; valid formats: "
                + Arrays.stream(values()).map(ExportFormat::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
