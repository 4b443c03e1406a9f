package dev.airlock.policy;

import org.jspecify.annotations.Nullable;

/**
 * A redirection of a simple command, such as {@code > out.txt}, {@code 2>&1} or
 * {@code <>/dev/tcp/host/80}. {@code target} is null when it is not a literal (a variable, a command
 * substitution).
 */
public record Redirection(String operator, @Nullable String target, Kind kind) {
    public enum Kind {
        /** Reads the named file. */
        READ,
        /** Writes (creates, truncates or appends to) the named file. */
        WRITE,
        /** Opens a network connection through {@code /dev/tcp} or {@code /dev/udp}. */
        NETWORK,
        /** Duplicates or closes a file descriptor, or feeds a here-document; touches no file. */
        DESCRIPTOR
    }
}
