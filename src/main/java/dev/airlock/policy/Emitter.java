package dev.airlock.policy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Builds one {@link SimpleCommand}: collects classes, file accesses, hosts and notes. */
final class Emitter {
    /** More glob matches than this and the operand is treated as unknowable. */
    private static final int MAX_GLOB_MATCHES = 512;
    // compiled once: String.matches would compile them again on every call
    private static final Pattern DOTS = Pattern.compile("\\.+/?|\\./\\.+/?");
    private static final Pattern FD_DUP = Pattern.compile("[0-9]+-?|-");
    private static final Pattern PROC_SELF = Pattern.compile("/+proc/+(?:self|thread-self|[0-9]+)/+(cwd|root)(/.*)?");

    private static final Set<String> HARMLESS_DEVICES = Set.of("/dev/null", "/dev/stdout", "/dev/stderr",
            "/dev/stdin", "/dev/tty", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/full");

    final PathContext ctx;
    final @Nullable Path cwd;
    final Walker.Carry carry;
    final String name;
    final List<String> argv;
    final String source;
    private final EnumSet<CommandClass> classes = EnumSet.noneOf(CommandClass.class);
    private final List<FileAccess> accesses = new ArrayList<>();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<String> traits = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Redirection> redirections = new ArrayList<>();
    private final List<MatchedRule> denials = new ArrayList<>();

    Emitter(PathContext ctx, @Nullable Path cwd, Walker.Carry carry, String name, List<String> argv,
            String source) {
        this.ctx = ctx;
        this.cwd = cwd;
        this.carry = carry;
        this.name = name;
        this.argv = argv;
        this.source = source;
        traits.addAll(carry.traits());
        if (carry.privileged()) {
            classes.add(CommandClass.PRIVILEGED);
            notes.add("runs with raised privileges (" + String.join(" ", carry.wrappers()) + ")");
        }
        if (carry.remoteHost() != null) {
            classes.add(CommandClass.NETWORK);
            hosts.add(carry.remoteHost());
            notes.add("runs on " + carry.remoteHost());
        }
    }

    static SimpleCommand opaqueCommand(String source, String why, Walker.Carry carry) {
        return new SimpleCommand("(unknown)", List.of(source), List.of(), EnumSet.of(CommandClass.UNKNOWN),
                List.of(), List.of(), carry.wrappers(), carry.pipedFrom(),
                union(carry.traits(), SimpleCommand.OPAQUE), List.of(why), source, List.of());
    }

    /** A command that a built-in rule denies outright (a line too complex to analyse, a git key in the
     * environment that runs a program). */
    static SimpleCommand deniedCommand(String source, MatchedRule rule, String why, Walker.Carry carry) {
        return new SimpleCommand("(denied)", List.of(source), List.of(), EnumSet.of(CommandClass.UNKNOWN),
                List.of(), List.of(), carry.wrappers(), carry.pipedFrom(),
                union(carry.traits(), SimpleCommand.OPAQUE), List.of(why), source,
                List.of(new MatchedRule(rule.id(), Verdict.DENY, why, rule.scope())));
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.add(b);
        return s;
    }

    Emitter cls(CommandClass c) {
        classes.add(c);
        return this;
    }

    Emitter note(String n) {
        if (!notes.contains(n)) {
            notes.add(n);
        }
        return this;
    }

    Emitter trait(String t) {
        traits.add(t);
        return this;
    }

    Emitter destructive(String why) {
        classes.add(CommandClass.DESTRUCTIVE);
        note(why);
        return this;
    }

    Emitter unknown(String why) {
        classes.add(CommandClass.UNKNOWN);
        note(why);
        return this;
    }

    /** The analysis cannot see what happens; this always leads at least to a question. */
    Emitter opaque(String why) {
        classes.add(CommandClass.UNKNOWN);
        traits.add(SimpleCommand.OPAQUE);
        note(why);
        return this;
    }

    /** A built-in rule denies the command, whatever the configured rules say. */
    Emitter deny(MatchedRule rule, String why) {
        note(why);
        MatchedRule m = new MatchedRule(rule.id(), Verdict.DENY, why, rule.scope());
        if (!denials.contains(m)) {
            denials.add(m);
        }
        return this;
    }

    boolean denied() {
        return !denials.isEmpty();
    }

    Emitter network(String why) {
        classes.add(CommandClass.NETWORK);
        note(why);
        return this;
    }

    Emitter host(String h) {
        if (!h.isEmpty()) {
            hosts.add(h.toLowerCase(java.util.Locale.ROOT));
        }
        return this;
    }

    boolean hasClass(CommandClass c) {
        return classes.contains(c);
    }

    /** Resolves an operand to real paths (expanding globs); empty when it cannot be known. */
    List<Path> paths(Word w) {
        return paths(w, true);
    }

    /**
     * {@code followLast}: whether a symlink in the last component is followed. rm, mv and ln act on the
     * link itself, so deleting a link into ~/.ssh deletes the link, not the keys.
     */
    List<Path> paths(Word w, boolean followLast) {
        try {
            return resolvePaths(w, followLast);
        } catch (java.nio.file.InvalidPathException e) {
            opaque("operand " + w.text() + " is not a path the analysis can resolve");
            return List.of();
        }
    }

    private List<Path> resolvePaths(Word w, boolean followLast) {
        if (!w.literal()) {
            opaque("operand " + w.text() + " is not literal");
            return List.of();
        }
        if (carry.remoteHost() != null) {
            return List.of();
        }
        String s = w.text();
        if (s.isEmpty()) {
            return List.of();
        }
        // /proc/self/cwd is the command's directory, /proc/self/root its root: not the analyser's
        java.util.regex.Matcher proc = PROC_SELF.matcher(s);
        if (proc.matches()) {
            String rest = proc.group(2) == null ? "" : proc.group(2);
            if (proc.group(1).equals("cwd")) {
                if (cwd == null) {
                    opaque("relative path " + s + " after a directory change the analysis cannot follow");
                    return List.of();
                }
                s = cwd + rest;
            } else {
                s = rest.isEmpty() ? "/" : rest;
            }
        }
        Path base;
        if (s.startsWith("/")) {
            base = Path.of("/");
        } else if (cwd == null) {
            opaque("relative path " + s + " after a directory change the analysis cannot follow");
            return List.of();
        } else {
            base = cwd;
        }
        if (!w.glob()) {
            return List.of(resolve(base.resolve(s), followLast));
        }
        List<Path> matches = glob(base, s, followLast);
        if (matches == null) {
            opaque("glob " + s + " matches too many files to check");
            return List.of();
        }
        return matches.isEmpty() ? List.of(resolve(base.resolve(s), followLast)) : matches;
    }

    private static Path resolve(Path p, boolean followLast) {
        Path fn = p.normalize().getFileName();
        if (followLast || fn == null || p.getParent() == null) {
            return PathResolver.real(p);
        }
        String name = p.getFileName().toString();
        if (name.equals(".") || name.equals("..")) {
            return PathResolver.real(p);
        }
        return PathResolver.real(p.getParent()).resolve(name);
    }

    /** Expands a glob as bash does (hidden files only when the segment starts with a dot). */
    private static @Nullable List<Path> glob(Path base, String pattern, boolean followLast) {
        List<Path> current = new ArrayList<>(List.of(base));
        for (String seg : pattern.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            List<Path> next = new ArrayList<>();
            boolean isGlob = seg.indexOf('*') >= 0 || seg.indexOf('?') >= 0 || seg.indexOf('[') >= 0;
            for (Path dir : current) {
                if (!isGlob) {
                    next.add(dir.resolve(seg));
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                PathMatcher m;
                try {
                    m = FileSystems.getDefault().getPathMatcher("glob:" + seg.replace("\\", "\\\\"));
                } catch (IllegalArgumentException e) {
                    return null;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path p : ds) {
                        Path fn = p.getFileName();
                        if (fn == null || (fn.toString().startsWith(".") && !seg.startsWith("."))) {
                            continue;
                        }
                        if (m.matches(fn)) {
                            next.add(p);
                            if (next.size() > MAX_GLOB_MATCHES) {
                                return null;
                            }
                        }
                    }
                } catch (IOException e) {
                    // unreadable directory: the shell would match nothing there either
                }
            }
            current = next;
            if (current.isEmpty()) {
                return List.of();
            }
        }
        return current.stream().map(p -> resolve(p, followLast)).toList();
    }

    void read(Word w) {
        // under find -exec, an operand made from {} stands for every file below the start point
        boolean below = carry.traits().contains(SimpleCommand.FIND_EXEC);
        for (Path p : paths(w)) {
            accesses.add(new FileAccess(FileAccess.Mode.READ, w.text(), p, below));
        }
    }

    /** Reads the operand and, if it is a directory, everything below it. */
    void readTree(Word w) {
        for (Path p : paths(w)) {
            accesses.add(new FileAccess(FileAccess.Mode.READ, w.text(), p, true));
        }
    }

    /** A write; {@code overwrite} marks it destructive when it replaces an existing file outside. */
    void write(Word w, boolean overwrite) {
        if (carry.remoteHost() != null) {
            classes.add(CommandClass.WRITE_OUTSIDE);
            return;
        }
        for (Path p : paths(w)) {
            writePath(w.text(), p, overwrite);
        }
    }

    void writePath(String operand, Path p, boolean overwrite) {
        String ps = p.toString();
        if (HARMLESS_DEVICES.contains(ps) || ps.startsWith("/dev/fd/") || ps.startsWith("/proc/self/fd/")) {
            return;
        }
        accesses.add(new FileAccess(FileAccess.Mode.WRITE, operand, p, false));
        if (ps.startsWith("/dev/")) {
            destructive("writes to the device " + ps);
            classes.add(CommandClass.WRITE_OUTSIDE);
        } else if (ctx.inWorkspace(p)) {
            classes.add(CommandClass.WRITE_WORKSPACE);
        } else {
            classes.add(CommandClass.WRITE_OUTSIDE);
            if (overwrite && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                destructive("overwrites " + ps + ", an existing file outside the workspace");
            }
        }
    }

    /** A deletion of the operand (rm, shred, find -delete): destructive when outside or recursive. */
    void delete(Word w, boolean recursive) {
        delete(w, recursive, false);
    }

    /** {@code below}: only what lies below the operand is deleted (find -delete), not the operand. */
    void delete(Word w, boolean recursive, boolean below) {
        if (!w.literal()) {
            destructive("deletes " + w.text() + ", which the analysis cannot resolve");
        }
        if (carry.remoteHost() != null) {
            classes.add(CommandClass.WRITE_OUTSIDE);
            destructive("deletes files on " + carry.remoteHost());
        }
        for (Path p : paths(w, false)) {
            writePath(w.text(), p, false);
            if (!ctx.inWorkspace(p)) {
                destructive("deletes " + p + " outside the workspace");
            } else if (ctx.workspaceRoots().contains(p) && !below && !DOTS.matcher(w.text()).matches()) {
                // rm refuses "." itself, but ../ws or an absolute path removes the whole workspace
                classes.add(CommandClass.WRITE_OUTSIDE);
                destructive("deletes the workspace root " + p);
            }
        }
        if (recursive) {
            destructive("deletes recursively");
        }
    }

    void redirects(List<Walker.Redir> redirs) {
        for (Walker.Redir r : redirs) {
            String op = r.operator();
            Word target = r.target();
            if (r.hereText() != null || op.startsWith("<<")) {
                redirections.add(new Redirection(op, null, Redirection.Kind.DESCRIPTOR));
                continue;
            }
            if (target == null) {
                continue;
            }
            String t = target.text();
            if ((op.equals(">&") || op.equals("<&")) && (FD_DUP.matcher(t).matches())) {
                redirections.add(new Redirection(op, t, Redirection.Kind.DESCRIPTOR));
                continue;
            }
            if (!target.literal()) {
                redirections.add(new Redirection(op, null, op.contains(">") ? Redirection.Kind.WRITE
                        : Redirection.Kind.READ));
                opaque("redirection target " + t + " is not literal");
                continue;
            }
            if (t.startsWith("/dev/tcp/") || t.startsWith("/dev/udp/")) {
                redirections.add(new Redirection(op, t, Redirection.Kind.NETWORK));
                String[] parts = t.split("/");
                network("opens a network connection through " + t);
                if (parts.length > 3) {
                    host(parts[3]);
                }
                continue;
            }
            boolean writes = op.contains(">");
            boolean reads = op.contains("<");
            if (writes) {
                redirections.add(new Redirection(op, t, Redirection.Kind.WRITE));
                boolean truncates = !op.contains(">>");
                write(target, truncates);
            }
            if (reads) {
                redirections.add(new Redirection(op, t, Redirection.Kind.READ));
                read(target);
            }
        }
    }

    /** Environment variables whose value changes what later commands execute. */
    static boolean isDangerousVariable(String name) {
        return switch (name) {
            case "PATH", "BASH_ENV", "ENV", "IFS", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "PS4", "EDITOR",
                 "VISUAL", "PAGER", "GIT_PAGER", "MANPAGER", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF",
                 "GIT_EXEC_PATH", "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG", "GIT_CONFIG_GLOBAL",
                 "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_ASKPASS", "SSH_ASKPASS", "PYTHONPATH",
                 "PYTHONSTARTUP", "PYTHONHOME", "NODE_OPTIONS", "NODE_PATH", "PERL5OPT", "PERL5LIB",
                 "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
                 "LESSOPEN", "LESSCLOSE", "HOME", "XDG_CONFIG_HOME", "ZDOTDIR" -> true;
            default -> name.startsWith("LD_") || name.startsWith("DYLD_") || name.startsWith("GIT_CONFIG_")
                    || name.startsWith("BASH_FUNC_");
        };
    }

    SimpleCommand build() {
        if (classes.isEmpty()) {
            classes.add(CommandClass.READ_ONLY);
        }
        if (classes.size() > 1) {
            classes.remove(CommandClass.READ_ONLY);
        }
        return new SimpleCommand(name, argv, redirections, classes, accesses, List.copyOf(hosts),
                carry.wrappers(), carry.pipedFrom(), traits, notes, source, denials);
    }
}
