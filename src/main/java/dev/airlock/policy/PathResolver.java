package dev.airlock.policy;

import java.io.IOException;
import java.nio.file.Path;

/** Resolves paths the way the kernel will when the command runs. */
final class PathResolver {
    private PathResolver() {
    }

    /**
     * The real path of {@code path}: the longest prefix that exists is resolved with
     * {@link Path#toRealPath}, which follows symlinks, and the rest is normalised lexically. Resolving
     * only a normalised path would be wrong: {@code link/..} is the parent of the link's target, not
     * the directory holding the link.
     */
    static Path real(Path path) {
        Path abs = path.toAbsolutePath();
        Path root = abs.getRoot();
        int n = abs.getNameCount();
        for (int i = n; i > 0; i--) {
            Path prefix = root == null ? abs.subpath(0, i) : root.resolve(abs.subpath(0, i));
            try {
                Path realPrefix = prefix.toRealPath();
                return i == n ? realPrefix : realPrefix.resolve(abs.subpath(i, n)).normalize();
            } catch (IOException | SecurityException e) {
                // this prefix does not exist (or cannot be read): try a shorter one
            }
        }
        return abs.normalize();
    }
}
