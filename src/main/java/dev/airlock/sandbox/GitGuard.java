package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The places in a git directory from which git runs code or takes the settings that name code to
 * run: {@code hooks/}, {@code config} and {@code config.worktree} (core.hooksPath, core.fsmonitor,
 * core.sshCommand, aliases, filter and diff drivers…), {@code info/} (attributes that select those
 * drivers), {@code commondir} (which would move all of them), {@code worktrees/} (each linked
 * worktree's {@code commondir} and config), and the same inside every {@code modules/*} (submodules,
 * nested). Objects, refs, the index and logs stay writable, so {@code git add} and {@code git commit}
 * work. A {@code .git} that is a file (a worktree or submodule checkout) is kept read-only itself:
 * rewritten, it could point git at a directory of the command's making.
 */
final class GitGuard {
    private GitGuard() {}

    /** Nested {@code modules/} below this depth are kept read-only whole. */
    private static final int MAX_MODULE_DEPTH = 8;

    /** One read-only point: {@code create} when it does not exist and git would create it. */
    record Point(Path path, boolean create) {
    }

    /**
     * Files that git reads when they exist but that a mount cannot hold in place while absent (a
     * folder in their place makes git stop): {@code commondir} moves the config and hooks elsewhere,
     * {@code config.worktree} adds config. Those missing before a run are removed after it when the
     * command created them.
     */
    private static final List<String> PLANTABLE = List.of("commondir", "config.worktree");

    static List<Path> plantable(List<Path> dotGits) {
        List<Path> out = new ArrayList<>();
        for (Path g : dotGits) {
            if (!Files.isDirectory(g, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (String f : PLANTABLE) {
                Path p = g.resolve(f);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Removes those of {@code absent} that exist now (a file, a link or a whole folder). */
    static List<Path> removePlanted(List<Path> absent) {
        List<Path> removed = new ArrayList<>();
        for (Path p : absent) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (var walk = Files.walk(p)) {
                        for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(q);
                        }
                    }
                } else {
                    Files.deleteIfExists(p);
                }
                removed.add(p);
            } catch (IOException e) {
                throw SandboxException.invalid("The command created " + p + ", which would make git read its"
                        + " settings from elsewhere, and it could not be removed (" + e.getClass().getSimpleName()
                        + "); delete it before running git in this repository.");
            }
        }
        return removed;
    }

    /**
     * A temporary exclude file for the workspace's repository: its own {@code info/exclude} followed
     * by one anchored pattern per masked path in the workspace (outside {@code .git}). Empty when the
     * workspace has no git directory or nothing in it is masked. The caller deletes the file.
     */
    static Optional<Path> excludeFile(Path workspace, List<Path> hidden) {
        Path dotGit = workspace.resolve(".git");
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        StringBuilder patterns = new StringBuilder();
        for (Path h : hidden) {
            String rel = workspace.relativize(h).toString();
            if (!h.startsWith(workspace) || h.startsWith(dotGit) || rel.isEmpty() || rel.indexOf('\n') >= 0
                    || rel.indexOf('\r') >= 0) {
                continue;
            }
            patterns.append('/').append(escape(rel)).append('\n');
        }
        if (patterns.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path own = dotGit.resolve("info/exclude");
            String existing = Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS) ? Files.readString(own) : "";
            Path file = Files.createTempFile("airlock-exclude", ".txt");
            Files.writeString(file, existing + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
                    + "# masked by the Airlock sandbox: git passes over them as over ignored files\n" + patterns);
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            throw SandboxException.invalid("Cannot prepare git's exclude file for the sandbox ("
                    + e.getClass().getSimpleName() + "); check the temporary folder and " + dotGit + ".");
        }
    }

    /** A literal path as a gitignore pattern: wildcards, escapes and trailing spaces escaped. */
    static String escape(String rel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rel.length(); i++) {
            char c = rel.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || (c == ' ' && i == rel.length() - 1)) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file of patterns, no secret in it
        }
    }

    static List<Point> points(Path dotGit) {
        List<Point> out = new ArrayList<>();
        if (Files.isSymbolicLink(dotGit) || Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            out.add(new Point(dotGit, false));
            return out;
        }
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        gitDirectory(dotGit, out, 0);
        return out;
    }

    private static void gitDirectory(Path dir, List<Point> out, int depth) {
        // hooks and info are created when missing (an empty read-only folder) so that none can be
        // planted; git itself creates them at init, so their presence changes nothing for git.
        out.add(new Point(dir.resolve("hooks"), true));
        out.add(new Point(dir.resolve("info"), true));
        for (String f : List.of("config", "config.worktree", "commondir", "worktrees")) {
            out.add(new Point(dir.resolve(f), false));
        }
        Path modules = dir.resolve("modules");
        if (!Files.isDirectory(modules, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (depth >= MAX_MODULE_DEPTH) {
            out.add(new Point(modules, false));
            return;
        }
        modules(modules, out, depth);
    }

    /** Submodule git directories are {@code modules/NAME}, where NAME may itself contain slashes. */
    private static void modules(Path dir, List<Point> out, int depth) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path child : ds) {
                if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (Files.exists(child.resolve("HEAD"), LinkOption.NOFOLLOW_LINKS)) {
                    gitDirectory(child, out, depth + 1);
                } else if (depth < MAX_MODULE_DEPTH) {
                    modules(child, out, depth + 1);
                } else {
                    out.add(new Point(child, false));
                }
            }
        } catch (IOException e) {
            out.add(new Point(dir, false)); // cannot be listed: keep all of it read-only
        }
    }
}
