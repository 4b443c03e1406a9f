package dev.airlock.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a request happens: the workspace roots, the current directory, the user's home and the
 * Airlock home. Every path is absolute and already resolved through symlinks and {@code ..}, so that
 * comparisons ("is this inside the workspace?") cannot be fooled by a link or a detour.
 */
public final class PathContext {
    private final List<Path> workspaceRoots;
    private final Path cwd;
    private final Path home;
    private final Path airlockHome;

    private PathContext(List<Path> workspaceRoots, Path cwd, Path home, Path airlockHome) {
        this.workspaceRoots = workspaceRoots;
        this.cwd = cwd;
        this.home = home;
        this.airlockHome = airlockHome;
    }

    /** One workspace root, which is also the current directory. */
    public static PathContext create(Path workspace, Path home, Path airlockHome) {
        return create(List.of(workspace), workspace, home, airlockHome);
    }

    /** Several workspace roots and a current directory (which may lie outside them). */
    public static PathContext create(List<Path> workspaceRoots, Path cwd, Path home, Path airlockHome) {
        if (workspaceRoots.isEmpty()) {
            throw new PolicyException("A path context needs at least one workspace root.");
        }
        List<Path> roots = workspaceRoots.stream().map(PathResolver::real).toList();
        return new PathContext(roots, PathResolver.real(cwd), PathResolver.real(home),
                PathResolver.real(airlockHome));
    }

    /** The same context with another current directory. */
    public PathContext withCwd(Path newCwd) {
        return new PathContext(workspaceRoots, PathResolver.real(cwd.resolve(newCwd)), home, airlockHome);
    }

    public List<Path> workspaceRoots() {
        return workspaceRoots;
    }

    public Path cwd() {
        return cwd;
    }

    public Path home() {
        return home;
    }

    public Path airlockHome() {
        return airlockHome;
    }

    /** Resolves a path as a shell would (relative to {@link #cwd()}) and then through symlinks. */
    public Path resolve(Path path) {
        return PathResolver.real(cwd.resolve(path));
    }

    /** Whether a resolved path lies inside (or is) one of the workspace roots. */
    public boolean inWorkspace(Path resolved) {
        for (Path root : workspaceRoots) {
            if (resolved.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathContext p && p.workspaceRoots.equals(workspaceRoots) && p.cwd.equals(cwd)
                && p.home.equals(home) && p.airlockHome.equals(airlockHome);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workspaceRoots, cwd, home, airlockHome);
    }

    @Override
    public String toString() {
        return "PathContext[workspace=" + workspaceRoots + ", cwd=" + cwd + "]";
    }
}
