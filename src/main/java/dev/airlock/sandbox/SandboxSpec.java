package dev.airlock.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything one run is allowed to touch and how long it may take. Built by a validating
 * {@link Builder}; once built it is frozen (immutable) and may be shared between threads.
 *
 * <p>Guarantees of a built spec: the workspace is an existing directory given by its real path and is
 * not {@code /}; the environment holds only allow-listed names inherited from Airlock's environment
 * ({@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TERM}, {@code TZ}, {@code USER}…) plus
 * explicit variables whose names neither look like secrets nor change which code runs; the workspace
 * and the read-only binds are not inside a hidden path; every limit is positive.
 */
public final class SandboxSpec {
    /** Default time limit: long enough for a test suite, short enough to stop a runaway loop. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(10);
    /** Longest time limit; a longer job belongs to the scheduler, not to one blocking call. */
    public static final Duration MAX_TIME_LIMIT = Duration.ofDays(1);
    /** Default output limit across stdout and stderr. */
    public static final long DEFAULT_OUTPUT_LIMIT = 16L * 1024 * 1024;
    /** Output is held in memory; beyond this a command should write to a file in the workspace. */
    public static final long MAX_OUTPUT_LIMIT = 512L * 1024 * 1024;
    /** Default time between SIGTERM and SIGKILL when a command is stopped. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofMillis(500);

    private final Path workspace;
    private final List<Path> readOnlyBinds;
    private final List<Path> hiddenPaths;
    private final @Nullable Path egressProxy;
    private final List<Path> keptReadOnly;
    private final List<Path> gitDirectories;
    private final Map<String, String> environment;
    private final Duration timeLimit;
    private final long outputLimit;
    private final Duration killGrace;
    private final byte[] stdin;

    private SandboxSpec(Builder b, Path workspace, List<Path> readOnlyBinds, List<Path> hiddenPaths,
            Map<String, String> environment) {
        this.workspace = workspace;
        this.readOnlyBinds = readOnlyBinds;
        this.hiddenPaths = hiddenPaths;
        this.egressProxy = b.egressProxy;
        this.keptReadOnly = List.copyOf(b.keptReadOnly);
        this.gitDirectories = List.copyOf(b.gitDirectories);
        this.environment = environment;
        this.timeLimit = b.timeLimit;
        this.outputLimit = b.outputLimit;
        this.killGrace = b.killGrace;
        this.stdin = b.stdin.clone();
    }

    /** A builder for a run in {@code workspace}, which must be an existing directory. */
    public static Builder builder(Path workspace) {
        return new Builder(workspace);
    }

    /** The writable directory, as a real path; the command starts here. */
    public Path workspace() {
        return workspace;
    }

    /** Extra paths bound read-only, as real paths (useful under the private {@code /tmp}). */
    public List<Path> readOnlyBinds() {
        return readOnlyBinds;
    }

    /** Absolute, normalised paths masked so the command cannot read them. */
    public List<Path> hiddenPaths() {
        return hiddenPaths;
    }

    /**
     * The folder holding the gate's egress proxy socket ({@code egress.sock}), when the command may
     * use the network: it then gets a network namespace of its own whose only way out is that proxy.
     * Empty: no network at all. The host's network is never shared.
     */
    public Optional<Path> egressProxy() {
        return Optional.ofNullable(egressProxy);
    }

    /**
     * Absolute, normalised paths (in the workspace) bound read-only over themselves when they exist at
     * run time, after the workspace.
     */
    public List<Path> keptReadOnly() {
        return keptReadOnly;
    }

    /**
     * The {@code .git} entries (folders, or files that link to one) whose code-execution points are
     * kept read-only; the workspace's own {@code .git} is always the first.
     */
    public List<Path> gitDirectories() {
        return gitDirectories;
    }

    /** The complete environment of the command, sorted by name. */
    public Map<String, String> environment() {
        return environment;
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    /** Bytes of stdout and stderr together that are captured before the command is killed. */
    public long outputLimit() {
        return outputLimit;
    }

    public Duration killGrace() {
        return killGrace;
    }

    /** A copy of the bytes written to the command's stdin (then closed). */
    public byte[] stdin() {
        return stdin.clone();
    }

    int stdinLength() {
        return stdin.length;
    }

    byte[] stdinShared() {
        return stdin;
    }

    /** Prints the shape of the spec, never environment values or stdin. */
    @Override
    public String toString() {
        return "SandboxSpec[workspace=" + workspace + ", readOnlyBinds=" + readOnlyBinds + ", hidden="
                + hiddenPaths + ", keptReadOnly=" + keptReadOnly + ", git=" + gitDirectories
                + ", egressProxy=" + (egressProxy != null) + ", environment=" + environment.keySet()
                + ", timeLimit=" + timeLimit + ", outputLimit=" + outputLimit + ", stdin=" + stdin.length
                + " bytes]";
    }

    /** Collects and validates a {@link SandboxSpec}; {@link #build()} throws on anything unsafe. */
    public static final class Builder {
        private final Path workspace;
        private final List<Path> readOnlyBinds = new ArrayList<>();
        private final List<Path> hiddenPaths = new ArrayList<>();
        private final List<Path> keptReadOnly = new ArrayList<>();
        private final List<Path> gitDirectories = new ArrayList<>();
        private final Map<String, String> variables = new LinkedHashMap<>();
        private Map<String, String> parentEnvironment = System.getenv();
        private @Nullable Path egressProxy;
        private Duration timeLimit = DEFAULT_TIME_LIMIT;
        private long outputLimit = DEFAULT_OUTPUT_LIMIT;
        private Duration killGrace = DEFAULT_KILL_GRACE;
        private byte[] stdin = new byte[0];

        private Builder(Path workspace) {
            this.workspace = workspace;
        }

        /** Binds {@code path} read-only at the same place; it must exist. */
        public Builder readOnlyBind(Path path) {
            readOnlyBinds.add(path);
            return this;
        }

        /**
         * Masks {@code path}: a directory becomes an empty read-only directory, anything else reads as
         * empty ({@code /dev/null}). A path that does not exist is not masked (there is nothing to read
         * and masking it would create it); its real path is what gets masked when it is a symlink.
         */
        public Builder hide(Path path) {
            hiddenPaths.add(path);
            return this;
        }

        /** {@link #hide(Path)} for each. */
        public Builder hide(List<Path> paths) {
            paths.forEach(this::hide);
            return this;
        }

        /**
         * Gives the command a network whose only way out is the egress proxy listening on
         * {@code directory/egress.sock} (a private folder made by the caller). Off by default: no
         * network at all.
         */
        public Builder egressProxy(@Nullable Path directory) {
            this.egressProxy = directory;
            return this;
        }

        /**
         * Keeps {@code path}, a file or folder inside the workspace, read-only: it is bound over itself
         * when it exists at run time and left alone when it does not. For files whose content decides
         * what else is protected (the ignore files that name the masked secrets).
         */
        public Builder keepReadOnly(Path path) {
            keptReadOnly.add(path.toAbsolutePath().normalize());
            return this;
        }

        /** {@link #keepReadOnly(Path)} for each. */
        public Builder keepReadOnly(List<Path> paths) {
            paths.forEach(this::keepReadOnly);
            return this;
        }

        /**
         * A further {@code .git} (a nested repository's folder, or a submodule's link file) whose code
         * execution points — hooks, config, info, modules, worktrees, the link file itself — are kept
         * read-only. The workspace's own {@code .git} needs no call: it is always protected.
         */
        public Builder gitDirectory(Path dotGit) {
            gitDirectories.add(dotGit.toAbsolutePath().normalize());
            return this;
        }

        /**
         * The environment the allow-listed variables are taken from; by default Airlock's own. Only
         * allow-listed names are ever read from it.
         */
        public Builder parentEnvironment(Map<String, String> parent) {
            this.parentEnvironment = Map.copyOf(parent);
            return this;
        }

        /**
         * An extra variable for the command. Refused when the name looks like it holds a secret (KEY,
         * TOKEN, SECRET, PASSWORD, CREDENTIAL, AUTH…) or changes which code runs (PATH, BASH_ENV,
         * LD_*…). The value is not checked and must not be a secret.
         */
        public Builder variable(String name, String value) {
            EnvironmentRules.checkExplicit(name, value);
            variables.put(name, value);
            return this;
        }

        public Builder timeLimit(Duration limit) {
            if (limit.isNegative() || limit.isZero() || limit.compareTo(MAX_TIME_LIMIT) > 0) {
                throw SandboxException.invalid("The time limit must be positive and at most " + MAX_TIME_LIMIT
                        + "; got " + limit + ".");
            }
            this.timeLimit = limit;
            return this;
        }

        public Builder outputLimit(long bytes) {
            if (bytes <= 0 || bytes > MAX_OUTPUT_LIMIT) {
                throw SandboxException.invalid("The output limit must be between 1 and " + MAX_OUTPUT_LIMIT
                        + " bytes; got " + bytes + ".");
            }
            this.outputLimit = bytes;
            return this;
        }

        public Builder killGrace(Duration grace) {
            if (grace.isNegative() || grace.compareTo(Duration.ofSeconds(30)) > 0) {
                throw SandboxException.invalid("The kill grace must be between 0 and 30 s; got " + grace + ".");
            }
            this.killGrace = grace;
            return this;
        }

        /** Bytes written to the command's stdin, which is then closed; empty by default. */
        public Builder stdin(byte[] content) {
            this.stdin = content.clone();
            return this;
        }

        public SandboxSpec build() {
            Path ws = realDirectory(workspace, "workspace");
            if (ws.getParent() == null) {
                throw SandboxException.invalid("The workspace may not be the root directory '/': that would make"
                        + " the whole file system writable. Pick a project directory.");
            }
            List<Path> hidden = new ArrayList<>();
            for (Path p : hiddenPaths) {
                Path abs = p.toAbsolutePath().normalize();
                if (abs.getParent() == null) {
                    throw SandboxException.invalid("'/' cannot be hidden; list the directories to hide instead.");
                }
                hidden.add(abs);
            }
            List<Path> binds = new ArrayList<>();
            for (Path p : readOnlyBinds) {
                binds.add(real(p, "read-only bind"));
            }
            for (Path h : hidden) {
                Path hiddenReal = realIfExists(h).orElse(h);
                requireOutside(ws, h, hiddenReal, "workspace");
                for (Path bind : binds) {
                    requireOutside(bind, h, hiddenReal, "read-only bind");
                }
            }
            if (egressProxy != null) {
                egressProxy = realDirectory(egressProxy, "egress proxy folder");
            }
            gitDirectories.removeIf(g -> !g.startsWith(ws) || g.equals(ws.resolve(".git")));
            gitDirectories.add(0, ws.resolve(".git"));
            for (Path p : keptReadOnly) {
                if (!p.startsWith(ws) || p.equals(ws)) {
                    throw SandboxException.invalid("Only paths inside the workspace " + ws + " can be kept read-only"
                            + " this way; got " + p + ". Use readOnlyBind for paths outside it.");
                }
            }
            Map<String, String> env = EnvironmentRules.inherit(parentEnvironment);
            env.putAll(variables);
            return new SandboxSpec(this, ws, List.copyOf(binds), List.copyOf(hidden),
                    Collections.unmodifiableMap(env));
        }

        private static void requireOutside(Path candidate, Path hidden, Path hiddenReal, String what) {
            if (candidate.startsWith(hidden) || candidate.startsWith(hiddenReal)) {
                throw SandboxException.invalid("The " + what + " " + candidate + " is inside the hidden path "
                        + hidden + "; choose a " + what + " outside it or stop hiding it.");
            }
        }

        private static Path realDirectory(Path p, String what) {
            Path real = real(p, what);
            if (!Files.isDirectory(real)) {
                throw SandboxException.invalid("The " + what + " " + p + " is not a directory.");
            }
            return real;
        }

        private static Path real(Path p, String what) {
            try {
                return p.toAbsolutePath().toRealPath();
            } catch (IOException e) {
                throw SandboxException.invalid("The " + what + " " + p + " does not exist or cannot be resolved ("
                        + e.getClass().getSimpleName() + "); create it or fix the path.");
            }
        }
    }

    /** The real path of {@code p}, or empty when it does not exist (a dangling symlink included). */
    static Optional<Path> realIfExists(Path p) {
        if (!Files.exists(p) && !Files.isSymbolicLink(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }
}
