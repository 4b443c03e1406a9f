package dev.airlock.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on a PATH the way a shell would, minus the entries that would be unsafe. */
final class Executables {
    private Executables() {}

    /**
     * The first regular, executable file called {@code name} in an absolute entry of {@code path},
     * as a real path. Relative and empty entries are skipped: they mean the current directory, and a
     * {@code bwrap} planted in a workspace must never be mistaken for the sandbox.
     */
    static Optional<Path> find(String name, String path) {
        for (String entry : path.split(File.pathSeparator, -1)) {
            if (!entry.startsWith("/")) {
                continue;
            }
            Path candidate = Path.of(entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                Optional<Path> real = SandboxSpec.realIfExists(candidate);
                if (real.isPresent()) {
                    return real;
                }
            }
        }
        return Optional.empty();
    }

    static String systemPath() {
        String path = System.getenv("PATH");
        return path == null ? "" : path;
    }
}
