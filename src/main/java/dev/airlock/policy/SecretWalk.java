package dev.airlock.policy;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.jspecify.annotations.Nullable;

/**
 * Finds what a sandboxed command must not see below a workspace root, for {@link PathScope#neverReadableIn}.
 *
 * <p>What is returned, and why:
 * <ul>
 *   <li>every entry whose path is never readable (the {@code .env} family, key files, credential
 *       stores, the Airlock home), at any depth, also inside ignored build output, where a build may
 *       have copied a {@code .env};</li>
 *   <li>with {@code respect_ignore_files}, every ignored file, and every ignored directory except
 *       build output and dependency folders ({@link #REGENERATED}): those must stay usable by the
 *       builds and tests the sandbox exists to run;</li>
 *   <li>fail-closed bounds: past {@link #MAX_ENTRIES} entries the directories not yet visited are
 *       returned whole; past {@link #MAX_MASKS} results, results are merged into their parent
 *       directories until they fit.</li>
 * </ul>
 * Not searched: git's own directories ({@code .git}, whose names are git's and which git must read)
 * and the insides of dependency folders ({@link #DEPENDENCIES}: third-party code, often huge, whose
 * test fixtures ship {@code *.pem} files by the thousand). Links are not followed; a link that
 * matches is returned (the sandbox masks its target) unless it points into a workspace root, whose
 * entries are judged by their own names, or at a directory that holds the workspace.
 */
final class SecretWalk {
    /** Entries visited before the rest is masked unvisited. */
    static final int MAX_ENTRIES = 200_000;
    /** Masks handed to the sandbox at most; each is one mount. */
    static final int MAX_MASKS = 2_000;
    /**
     * Ignore files kept read-only at most (the shallowest, found first); past that, a secret that a
     * new rule un-ignores stays masked for the session all the same (see {@link PathScope}).
     */
    static final int MAX_READ_ONLY = 256;
    /** Deeper than this, a directory is returned whole. */
    static final int MAX_DEPTH = 64;

    /** Ignored folders that builds regenerate or fill with downloads; they stay visible. */
    static final Set<String> REGENERATED = Set.of("target", "build", "out", "dist", "bin", "obj", "_build",
            "coverage", "htmlcov", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".gradle",
            ".next", ".nuxt", ".svelte-kit", ".angular", ".turbo", ".parcel-cache", "node_modules", ".venv",
            "venv", "vendor", ".tox", ".nox", ".eggs", "Pods", "DerivedData", ".stack-work", "deps",
            ".dart_tool", "zig-cache", ".zig-cache", "cmake-build-debug", "cmake-build-release");
    /** Regenerated folders that hold third-party code: visible and not searched. */
    static final Set<String> DEPENDENCIES = Set.of("node_modules", ".venv", "venv", "vendor", ".tox", ".nox",
            "Pods", "deps", ".gradle", ".dart_tool");

    private final PathScope scope;
    private final List<Path> roots;
    private final boolean ignoreFiles;

    SecretWalk(PathScope scope, List<Path> roots, boolean ignoreFiles) {
        this.scope = scope;
        this.roots = roots;
        this.ignoreFiles = ignoreFiles;
    }

    PathScope.SandboxView walk(Path root) {
        Set<Path> found = new LinkedHashSet<>();
        List<Path> ignoreFileList = new ArrayList<>();
        List<Path> repositories = new ArrayList<>();
        int[] count = {0};
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                    new SimpleFileVisitor<>() {
                        /** The ignored build or dependency folder being walked, if any. */
                        private @Nullable Path regenerated;

                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (dir.equals(root)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (++count[0] > MAX_ENTRIES) {
                                found.add(dir);
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            String name = dir.getFileName().toString();
                            if (name.equals(".git")) {
                                if (!dir.getParent().equals(root)) {
                                    repositories.add(dir);
                                }
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            boolean inside = regenerated != null && dir.startsWith(regenerated);
                            if (never(root, dir)) {
                                found.add(dir);
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (!inside && ignoreFiles && ignored(root, dir, true)) {
                                if (!REGENERATED.contains(name)) {
                                    found.add(dir);
                                    return FileVisitResult.SKIP_SUBTREE;
                                }
                                regenerated = dir;
                                return DEPENDENCIES.contains(name) ? FileVisitResult.SKIP_SUBTREE
                                        : FileVisitResult.CONTINUE;
                            }
                            if (inside && DEPENDENCIES.contains(name)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                            if (dir.equals(regenerated)) {
                                regenerated = null;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (++count[0] > MAX_ENTRIES) {
                                found.add(file.getParent());
                                return FileVisitResult.SKIP_SIBLINGS;
                            }
                            if (attrs.isDirectory()) {
                                found.add(file); // at MAX_DEPTH: not searched, so masked whole
                                return FileVisitResult.CONTINUE;
                            }
                            boolean inside = regenerated != null && file.startsWith(regenerated);
                            String name = file.getFileName().toString();
                            if (!inside && attrs.isRegularFile() && ignoreFileList.size() < MAX_READ_ONLY
                                    && (name.equals(".gitignore") || file.equals(root.resolve(".dockerignore")))) {
                                ignoreFileList.add(file);
                            }
                            if (name.equals(".git") && !file.getParent().equals(root)) {
                                repositories.add(file); // a submodule's or worktree's link to its git directory
                            }
                            if ((never(root, file) || (ignoreFiles && !inside && ignored(root, file, false)))
                                    && !pointsIntoRoots(file, attrs)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            // An entry that cannot be listed or read here cannot be read by the command
                            // either (same user); when it is a directory, masking it costs nothing.
                            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && !file.equals(root)) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new PolicyException("Cannot list the workspace " + root + " to find the files commands may not"
                    + " read (" + e.getClass().getSimpleName() + "); check its permissions.");
        }
        return new PathScope.SandboxView(fit(root, new ArrayList<>(found)), ignoreFileList, repositories);
    }

    /**
     * Whether {@code entry} is never readable. The walk skips what it masks, so every folder between
     * the root and the entry has been found readable already: only the entry itself needs a look,
     * except at the top, where the whole path is checked once (the root's own parents).
     */
    private boolean never(Path root, Path entry) {
        return entry.getParent().equals(root) ? scope.neverRead(entry, false) != null : scope.neverReadSelf(entry);
    }

    /** Each folder's parsed {@code .gitignore} (or none), read once per walk. */
    private final java.util.Map<Path, java.util.Optional<IgnoreNode>> nodes = new java.util.HashMap<>();

    /**
     * Whether git ignores {@code entry}, as {@link PathScope} decides it for a read: the deepest
     * {@code .gitignore} with a matching rule decides, then the root's {@code .git/info/exclude}, then
     * its {@code .dockerignore}. The walk reaches only entries whose folders are not ignored, so the
     * folders above need no check of their own. Each ignore file is read once per walk, not once per
     * entry.
     */
    private boolean ignored(Path root, Path entry, boolean dir) {
        for (Path d = entry.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
            if (!d.equals(root) && !hasIgnoreFile(d)) {
                continue;
            }
            String rel = d.relativize(entry).toString();
            Boolean r = check(d.resolve(".gitignore"), rel, dir);
            if (r != null) {
                return r;
            }
            if (d.equals(root)) {
                r = check(root.resolve(".git/info/exclude"), rel, dir);
                if (r == null) {
                    r = check(root.resolve(".dockerignore"), rel, dir);
                }
                return r != null && r;
            }
        }
        return false;
    }

    private final java.util.Map<Path, Boolean> hasIgnore = new java.util.HashMap<>();

    private boolean hasIgnoreFile(Path dir) {
        return hasIgnore.computeIfAbsent(dir, d -> Files.isRegularFile(d.resolve(".gitignore")));
    }

    private @Nullable Boolean check(Path ignoreFile, String rel, boolean dir) {
        IgnoreNode node = nodes.computeIfAbsent(ignoreFile, f -> {
            if (!Files.isRegularFile(f)) {
                return java.util.Optional.empty();
            }
            IgnoreNode n = new IgnoreNode();
            try (java.io.InputStream in = Files.newInputStream(f)) {
                n.parse(f.toString(), in);
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(n);
        }).orElse(null);
        return node == null ? null : node.checkIgnored(rel, dir);
    }

    /**
     * A link whose target lies in a workspace root, or holds one: the target is judged by its own
     * path when the walk reaches it, and masking a directory that holds the workspace would hide it.
     */
    private boolean pointsIntoRoots(Path file, BasicFileAttributes attrs) {
        if (!attrs.isSymbolicLink()) {
            return false;
        }
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            return true; // dangling: nothing to read, nothing to mask
        }
        for (Path r : roots) {
            if (target.startsWith(r) || r.startsWith(target)) {
                return true;
            }
        }
        return false;
    }

    /** Merges masks into their parents (never above {@code root}) until at most {@link #MAX_MASKS}. */
    static List<Path> fit(Path root, List<Path> masks) {
        List<Path> out = masks;
        while (out.size() > MAX_MASKS) {
            int deepest = out.stream().mapToInt(Path::getNameCount).max().orElse(0);
            Set<Path> merged = new LinkedHashSet<>();
            for (Path p : out) {
                Path parent = p.getParent();
                merged.add(p.getNameCount() == deepest && parent != null && !parent.equals(root) ? parent : p);
            }
            List<Path> next = new ArrayList<>();
            for (Path p : merged) {
                if (merged.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q))) {
                    next.add(p);
                }
            }
            if (next.size() == out.size()) {
                break; // all at the top level: the sandbox still masks each one
            }
            out = next;
        }
        return List.copyOf(out);
    }
}
