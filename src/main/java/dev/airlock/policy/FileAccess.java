package dev.airlock.policy;

import java.nio.file.Path;

/**
 * A file a command reads or writes, as written ({@code operand}) and resolved ({@code path}, real and
 * absolute). Path scope and path rules are checked against {@code path}.
 */
public record FileAccess(Mode mode, String operand, Path path) {
    /** Read or write; a file that is both read and written appears twice. */
    public enum Mode {
        READ,
        WRITE
    }
}
