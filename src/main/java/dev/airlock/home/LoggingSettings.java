package dev.airlock.home;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code logging:} section of the user config.
 *
 * @param level the minimum level written to {@code logs/airlock.log}
 */
public record LoggingSettings(@JsonProperty("level") Level level) {
    /** Log levels, from most to least verbose. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR, OFF }

    public LoggingSettings {
        if (level == null) {
            level = Level.INFO;
        }
    }
}
