package dev.airlock.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A {@link Rule} with its patterns compiled, its action and where it came from. */
final class CompiledRule {
    final Rule rule;
    final MatchedRule ref;
    private final @Nullable Glob command;
    private final List<Glob> args;
    private final List<Glob> argsAny;
    private final List<Glob> argsNone;
    private final List<PathGlob> paths;
    private final Rule.Access access;
    private final List<Glob> domains;
    private final Set<CommandClass> classes;
    private final @Nullable Set<CommandClass> onlyClasses;
    private final List<Glob> pipedFrom;
    private final List<Glob> wrappers;
    private final List<String> traits;

    CompiledRule(Rule rule, String id, Verdict action, String scope) {
        this.rule = rule;
        this.ref = new MatchedRule(rule.id() != null ? rule.id() : id, action, rule.reason(), scope);
        this.command = rule.command() == null ? null : Glob.compile(rule.command(), false);
        this.args = globs(rule.args());
        this.argsAny = globs(rule.argsAny());
        this.argsNone = globs(rule.argsNone());
        this.paths = rule.paths() == null ? List.of() : rule.paths().stream().map(PathGlob::compile).toList();
        this.access = rule.access() == null ? Rule.Access.ANY : rule.access();
        this.domains = rule.domains() == null ? List.of()
                : rule.domains().stream().map(d -> Glob.compile(d.toLowerCase(java.util.Locale.ROOT), false)).toList();
        this.classes = rule.classes() == null ? Set.of() : Set.copyOf(rule.classes());
        this.onlyClasses = rule.onlyClasses() == null ? null : Set.copyOf(rule.onlyClasses());
        this.pipedFrom = globs(rule.pipedFrom());
        this.wrappers = globs(rule.wrappers());
        this.traits = rule.traits() == null ? List.of() : List.copyOf(rule.traits());
        if (command == null && args.isEmpty() && argsAny.isEmpty() && argsNone.isEmpty() && paths.isEmpty()
                && domains.isEmpty() && classes.isEmpty() && onlyClasses == null && pipedFrom.isEmpty()
                && wrappers.isEmpty() && traits.isEmpty()) {
            throw new PolicyException("rule " + ref.id() + " has no condition, so it would match everything. "
                    + "Give it a command, args, paths, domains, classes or traits.");
        }
    }

    private static List<Glob> globs(@Nullable List<String> patterns) {
        return patterns == null ? List.of() : patterns.stream().map(p -> Glob.compile(p, false)).toList();
    }

    /** Whether the rule has conditions only about paths (it then also applies to file tools). */
    boolean isPathOnly() {
        return !paths.isEmpty() && command == null && args.isEmpty() && argsAny.isEmpty() && argsNone.isEmpty()
                && domains.isEmpty() && classes.isEmpty() && onlyClasses == null && pipedFrom.isEmpty()
                && wrappers.isEmpty() && traits.isEmpty();
    }

    boolean isDomainOnly() {
        return !domains.isEmpty() && command == null && args.isEmpty() && argsAny.isEmpty() && argsNone.isEmpty()
                && paths.isEmpty() && classes.isEmpty() && onlyClasses == null && pipedFrom.isEmpty()
                && wrappers.isEmpty() && traits.isEmpty();
    }

    boolean matches(SimpleCommand c, Path home) {
        if (command != null && !command.matches(c.name())) {
            return false;
        }
        List<String> a = c.args();
        if (args.size() > a.size()) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            if (!args.get(i).matches(a.get(i))) {
                return false;
            }
        }
        if (!argsAny.isEmpty() && a.stream().noneMatch(x -> anyMatch(argsAny, x))) {
            return false;
        }
        if (!argsNone.isEmpty() && a.stream().anyMatch(x -> anyMatch(argsNone, x))) {
            return false;
        }
        if (!paths.isEmpty() && c.accesses().stream().noneMatch(acc -> accessMatches(acc.mode())
                && pathMatches(acc.path(), home))) {
            return false;
        }
        if (!domains.isEmpty() && c.hosts().stream().noneMatch(this::hostMatches)) {
            return false;
        }
        if (!c.classes().containsAll(classes)) {
            return false;
        }
        if (onlyClasses != null && !onlyClasses.containsAll(c.classes())) {
            return false;
        }
        if (!pipedFrom.isEmpty() && c.pipedFrom().stream().noneMatch(x -> anyMatch(pipedFrom, x))) {
            return false;
        }
        if (!wrappers.isEmpty() && c.wrappers().stream().noneMatch(x -> anyMatch(wrappers, x))) {
            return false;
        }
        return traits.isEmpty() || traits.stream().anyMatch(c::has);
    }

    private boolean accessMatches(FileAccess.Mode mode) {
        return access == Rule.Access.ANY || (access == Rule.Access.READ) == (mode == FileAccess.Mode.READ);
    }

    boolean pathMatches(Path path, Path home) {
        for (PathGlob g : paths) {
            if (g.matches(path, home)) {
                return true;
            }
        }
        return false;
    }

    boolean matchesFile(FileAccess.Mode mode, Path path, Path home) {
        return isPathOnly() && accessMatches(mode) && pathMatches(path, home);
    }

    boolean hostMatches(String host) {
        return anyMatch(domains, host.toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean anyMatch(List<Glob> globs, String s) {
        for (Glob g : globs) {
            if (g.matches(s)) {
                return true;
            }
        }
        return false;
    }
}
