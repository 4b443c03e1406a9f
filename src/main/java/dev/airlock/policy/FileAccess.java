package dev.airlock.policy;

import java.nio.file.Path;

/**
 * A file a command reads or writes, as written ({@code operand}) and resolved ({@code path}, real and
 * absolute). Path scope and path rules are checked against {@code path}; {@code recursive} says that
 * everything below a directory is read too ({@code grep -r}, {@code cp -r}, {@code tar c}).
 */
public record FileAccess(Mode mode, String operand, Path path, boolean recursive) {
    /** Read or write; a file that is both read and written appears twice. */
    public enum Mode {
        READ,
        WRITE
    }
}
