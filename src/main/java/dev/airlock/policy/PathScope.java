package dev.airlock.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.jspecify.annotations.Nullable;

/**
 * Which files may be read and written. The same checks apply to a file tool
 * ({@link #checkRead(Path)}) and to every file a shell command names ({@link PolicyEngine}).
 *
 * <p>Order of the checks: a never-readable path (keys, {@code .env*}, cloud credentials, the Airlock
 * home, anything {@code .gitignore}/{@code .dockerignore} exclude) is denied; for writes, a
 * never-writable path (shell start-up files, {@code .git/hooks}, {@code ~/.ssh}, Airlock's own
 * configuration) is denied; inside a workspace root or an extra root is allowed; anything else is
 * asked. Paths are resolved through symlinks and {@code ..} first, so a link inside the workspace
 * that points at {@code ~/.ssh} is {@code ~/.ssh}.
 */
public final class PathScope {
    private static final MatchedRule BUILTIN_READ = Builtin.NEVER_READABLE;
    private static final MatchedRule BUILTIN_WRITE = Builtin.NEVER_WRITABLE;
    private static final MatchedRule IGNORED = Builtin.IGNORED_FILE;
    private static final MatchedRule OUTSIDE = Builtin.OUTSIDE_WORKSPACE;

    /** One check's outcome; {@code rule} is null for an allow. */
    record Check(Verdict verdict, String reason, @Nullable MatchedRule rule) {
        /** The reason, naming the rule that decided it. */
        String message() {
            return rule == null ? reason : Builtin.cite(reason, rule);
        }
    }

    private record CachedIgnore(FileTime modified, IgnoreNode node) {
    }

    private final PathContext ctx;
    private final List<PathGlob> neverReadable;
    private final List<PathGlob> neverWritable;
    private final List<Path> readRoots;
    private final List<Path> writeRoots;
    private final boolean respectIgnoreFiles;
    private final ConcurrentHashMap<Path, CachedIgnore> ignoreCache = new ConcurrentHashMap<>();
    private final java.util.Set<Path> masked = ConcurrentHashMap.newKeySet();

    private PathScope(PathContext ctx, PathRules rules) {
        this.ctx = ctx;
        this.neverReadable = rules.neverReadable() == null ? List.of()
                : rules.neverReadable().stream().map(PathGlob::compile).toList();
        this.neverWritable = rules.neverWritable() == null ? List.of()
                : rules.neverWritable().stream().map(PathGlob::compile).toList();
        this.readRoots = roots(ctx, rules.readRoots());
        this.writeRoots = roots(ctx, rules.writeRoots());
        this.respectIgnoreFiles = rules.respectIgnoreFiles() == null || rules.respectIgnoreFiles();
    }

    private static List<Path> roots(PathContext ctx, @Nullable List<String> dirs) {
        List<Path> out = new ArrayList<>(ctx.workspaceRoots());
        for (String d : PathRules.orEmpty(dirs)) {
            String expanded = d.equals("~") || d.startsWith("~/") ? ctx.home() + d.substring(1) : d;
            out.add(PathResolver.real(ctx.cwd().resolve(expanded)));
        }
        return out;
    }

    /** Path scope with the shipped default path rules. */
    public static PathScope create(PathContext ctx) {
        return new PathScope(ctx, PolicyConfig.defaults().pathRules());
    }

    /** Path scope with the defaults and {@code extra} (lists are added to the defaults). */
    public static PathScope create(PathContext ctx, PathRules extra) {
        return new PathScope(ctx, PolicyConfig.defaults().pathRules().merge(extra));
    }

    /** Path scope with exactly these rules, without the defaults. */
    static PathScope createExactly(PathContext ctx, PathRules rules) {
        return new PathScope(ctx, rules);
    }

    public PathContext context() {
        return ctx;
    }

    /** Whether a file tool may read {@code path} (relative paths are relative to the context's cwd). */
    public Decision checkRead(Path path) {
        return toDecision(read(ctx.resolve(path)));
    }

    /** Whether a file tool may write {@code path}. */
    public Decision checkWrite(Path path) {
        return toDecision(write(ctx.resolve(path)));
    }

    private static Decision toDecision(Check c) {
        return Decision.of(c.verdict(), List.of(c.message()), c.rule() == null ? List.of() : List.of(c.rule()),
                List.of());
    }

    /** {@code p} must be resolved already. */
    Check read(Path p) {
        Check never = neverRead(p, respectIgnoreFiles);
        if (never != null) {
            return never;
        }
        if (isHarmlessDevice(p) || under(p, readRoots)) {
            return new Check(Verdict.ALLOW, "reading " + p + " is inside the read scope", null);
        }
        return new Check(Verdict.ASK, "reads " + p + ", outside the workspace", OUTSIDE);
    }

    /** Files checked below a directory before giving up and asking. */
    static final int MAX_TREE_ENTRIES = 5000;

    /**
     * A read of {@code p} and of everything below it ({@code grep -r}, {@code cp -r}, {@code tar c}):
     * denied if a never-readable file lies below. Ignore files are not applied below the named
     * directory (build output would make every recursive search fail); never-readable names are.
     */
    Check readTree(Path p) {
        Check top = read(p);
        if (top.verdict() == Verdict.DENY || !Files.isDirectory(p)) {
            return top;
        }
        int[] count = {0};
        Path[] found = {null};
        try {
            Files.walkFileTree(p, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 16,
                    new java.nio.file.SimpleFileVisitor<>() {
                        @Override
                        public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                                java.nio.file.attribute.BasicFileAttributes attrs) {
                            if (!dir.equals(p) && dir.getFileName() != null
                                    && dir.getFileName().toString().equals(".git")) {
                                return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                            }
                            return visit(dir);
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFile(Path file,
                                java.nio.file.attribute.BasicFileAttributes attrs) {
                            return visit(file);
                        }

                        @Override
                        public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }

                        private java.nio.file.FileVisitResult visit(Path entry) {
                            if (++count[0] > MAX_TREE_ENTRIES) {
                                return java.nio.file.FileVisitResult.TERMINATE;
                            }
                            // the walk does not follow links, and neither do grep -r, cp -r or tar:
                            // the entry itself is what they read
                            if (neverRead(entry, false) != null) {
                                found[0] = entry;
                                return java.nio.file.FileVisitResult.TERMINATE;
                            }
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            return new Check(Verdict.ASK, "reads " + p + " recursively, and it cannot be listed to check",
                    OUTSIDE);
        }
        if (found[0] != null) {
            return new Check(Verdict.DENY, "reads everything below " + p + ", which includes " + found[0]
                    + " (never readable); name the files to read, or exclude it", BUILTIN_READ);
        }
        if (count[0] > MAX_TREE_ENTRIES) {
            return new Check(top.verdict().max(Verdict.ASK), "reads everything below " + p + ", more than "
                    + MAX_TREE_ENTRIES + " files, too many to check for secrets", OUTSIDE);
        }
        return top;
    }

    /**
     * Everything below {@code root} (a workspace root, resolved) that a command must not read, for the
     * sandbox to mask: never-readable paths at any depth and, when ignore files are respected, ignored
     * files and ignored folders other than build output and dependencies. Bounded and fail-closed;
     * what is searched and what is not is described in {@code SecretWalk}. Links are not followed.
     */
    public SandboxView neverReadableIn(Path root) {
        Path r = PathResolver.real(root);
        SandboxView found = new SecretWalk(this, ctx.workspaceRoots(), respectIgnoreFiles).walk(r);
        // Once masked, masked for as long as this scope lives: a command that edits an ignore file
        // (or renames a folder) must not uncover a secret for the next command of the session.
        java.util.LinkedHashSet<Path> hidden = new java.util.LinkedHashSet<>(found.hidden());
        for (Path p : masked) {
            if (p.startsWith(r) && hidden.size() < SecretWalk.MAX_MASKS
                    && (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                hidden.add(p);
            }
        }
        if (masked.size() < 4 * SecretWalk.MAX_MASKS) {
            masked.addAll(found.hidden());
        }
        return new SandboxView(List.copyOf(hidden), found.readOnly(), found.repositories());
    }

    /**
     * The existing paths that the never-readable list names literally ({@code ~/.ssh}, {@code ~/.aws},
     * an absolute path the user added), for the sandbox to mask wherever they are; patterns with
     * wildcards are matched inside the workspace by {@link #neverReadableIn} instead.
     */
    public List<Path> neverReadableLiterals() {
        List<Path> out = new ArrayList<>();
        for (PathGlob g : neverReadable) {
            Path p = g.literalPath(ctx.home());
            if (p != null && p.getParent() != null && Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * What the sandbox of a command in one workspace root must change: entries to mask, files to keep
     * read-only (the ignore files that decide what is masked) and nested git directories (their code
     * execution points are kept read-only too). Paths are absolute and resolved.
     */
    public record SandboxView(List<Path> hidden, List<Path> readOnly, List<Path> repositories) {
        public SandboxView {
            hidden = List.copyOf(hidden);
            readOnly = List.copyOf(readOnly);
            repositories = List.copyOf(repositories);
        }
    }

    Check write(Path p) {
        // ignore files do not protect against writes: build output is ignored and must stay writable
        Check never = neverRead(p, false);
        if (never != null) {
            return new Check(Verdict.DENY, "writes " + p + ": " + never.reason()
                    + "; a path that is never read is never written either", never.rule());
        }
        String system = systemFile(p);
        if (system != null) {
            return new Check(Verdict.DENY, "writes " + p + ", " + system, Builtin.SYSTEM_WRITE);
        }
        for (PathGlob g : neverWritable) {
            if (g.matches(p, ctx.home())) {
                return new Check(Verdict.DENY, "writes " + p + ", which is never writable (" + g
                        + "): start-up files, git hooks, ssh and Airlock configuration stay untouched", BUILTIN_WRITE);
            }
        }
        if (isHarmlessDevice(p) || under(p, writeRoots)) {
            return new Check(Verdict.ALLOW, "writing " + p + " is inside the write scope", null);
        }
        return new Check(Verdict.ASK, "writes " + p + ", outside the workspace", OUTSIDE);
    }

    @Nullable Check neverRead(Path p, boolean checkIgnoreFiles) {
        if (p.startsWith(ctx.airlockHome())) {
            return new Check(Verdict.DENY, p + " is in the Airlock home, which is never readable by tools",
                    BUILTIN_READ);
        }
        for (PathGlob g : neverReadable) {
            if (g.matches(p, ctx.home())) {
                return new Check(Verdict.DENY, p + " is never readable (" + g
                        + "): it holds secrets such as keys or credentials", BUILTIN_READ);
            }
        }
        if (checkIgnoreFiles) {
            String by = ignoredBy(p);
            if (by != null) {
                return new Check(Verdict.DENY, p + " is excluded by " + by
                        + " and so never readable (ignored files often hold secrets or generated data)", IGNORED);
            }
        }
        return null;
    }

    /**
     * What a write to {@code p} would change, when it is the running kernel, the boot loader or a raw
     * disk: such writes are denied whatever the configuration says.
     */
    static @Nullable String systemFile(Path p) {
        String s = p.toString();
        if (s.startsWith("/proc/")) {
            String rest = s.substring(6);
            int slash = rest.indexOf('/');
            String tail = slash >= 0 ? rest.substring(slash + 1) : "";
            if (tail.startsWith("fd/") || rest.startsWith("self/fd/") || rest.startsWith("thread-self/fd/")) {
                return null; // a descriptor of the process itself, as /dev/stdout
            }
            return s.startsWith("/proc/sys") ? "a kernel setting (/proc/sys, /proc/sysrq-trigger)"
                    : "a file of the kernel's process table (/proc)";
        }
        if (s.equals("/sys") || s.startsWith("/sys/")) {
            return "a kernel or device setting (/sys)";
        }
        if (s.equals("/boot") || s.startsWith("/boot/")) {
            return "the boot loader or kernel image (/boot)";
        }
        if (s.startsWith("/dev/") && s.matches("/dev/(sd|hd|vd|xvd|nvme|mmcblk|loop|dm-|md|sr)[^/]*|/dev/mapper/.*"
                + "|/dev/disk/.*|/dev/(mem|kmem|port)")) {
            return "a raw disk or memory device";
        }
        return null;
    }

    /** {@link #neverRead} without ignore files, for a walk that has found none of p's parents never readable. */
    boolean neverReadSelf(Path p) {
        if (p.equals(ctx.airlockHome())) {
            return true;
        }
        Path fileName = p.getFileName();
        String name = fileName == null ? "" : fileName.toString();
        for (PathGlob g : neverReadable) {
            if (g.matchesSelf(p, name, ctx.home())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHarmlessDevice(Path p) {
        String s = p.toString();
        return s.equals("/dev/null") || s.equals("/dev/stdout") || s.equals("/dev/stderr") || s.equals("/dev/stdin")
                || s.equals("/dev/tty") || s.equals("/dev/zero") || s.equals("/dev/urandom") || s.equals("/dev/random");
    }

    private static boolean under(Path p, List<Path> roots) {
        for (Path r : roots) {
            if (p.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ignore file that excludes {@code p}, if any: for each directory from the workspace root down
     * to {@code p}, the deepest {@code .gitignore} with a matching pattern decides, as in git; the root's
     * {@code .git/info/exclude} and {@code .dockerignore} count as root-level ignore files.
     */
    private @Nullable String ignoredBy(Path p) {
        for (Path root : ctx.workspaceRoots()) {
            if (!p.startsWith(root) || p.equals(root)) {
                continue;
            }
            Path rel = root.relativize(p);
            if (rel.getName(0).toString().equals(".git")) {
                return null; // git never applies ignore rules to its own directory
            }
            int n = rel.getNameCount();
            for (int k = 1; k <= n; k++) {
                Path entry = root.resolve(rel.subpath(0, k));
                boolean dir = k < n || Files.isDirectory(entry);
                String by = decide(root, entry, dir);
                if (by != null) {
                    return by;
                }
            }
        }
        return null;
    }

    private @Nullable String decide(Path root, Path entry, boolean dir) {
        for (Path d = entry.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
            String rel = d.relativize(entry).toString().replace('\\', '/');
            Boolean r = check(d.resolve(".gitignore"), rel, dir);
            if (r != null) {
                return r ? root.relativize(d.resolve(".gitignore")).toString() : null;
            }
            if (d.equals(root)) {
                Boolean ex = check(root.resolve(".git/info/exclude"), rel, dir);
                if (ex != null) {
                    return ex ? ".git/info/exclude" : null;
                }
                Boolean dk = check(root.resolve(".dockerignore"), rel, dir);
                if (dk != null) {
                    return dk ? ".dockerignore" : null;
                }
            }
        }
        return null;
    }

    private @Nullable Boolean check(Path ignoreFile, String rel, boolean dir) {
        IgnoreNode node = node(ignoreFile);
        return node == null ? null : node.checkIgnored(rel, dir);
    }

    private @Nullable IgnoreNode node(Path ignoreFile) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(ignoreFile);
        } catch (IOException e) {
            ignoreCache.remove(ignoreFile);
            return null;
        }
        CachedIgnore cached = ignoreCache.get(ignoreFile);
        if (cached != null && cached.modified().equals(modified)) {
            return cached.node();
        }
        IgnoreNode node = new IgnoreNode();
        try (InputStream in = Files.newInputStream(ignoreFile)) {
            node.parse(ignoreFile.toString(), in);
        } catch (IOException e) {
            return null;
        }
        ignoreCache.put(ignoreFile, new CachedIgnore(modified, node));
        return node;
    }
}
