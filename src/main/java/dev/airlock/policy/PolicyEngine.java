package dev.airlock.policy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides allow, ask or deny for shell lines, file accesses and URLs. Immutable once created and safe
 * for concurrent use.
 *
 * <p>For a shell line, every simple command is judged on its own and the strictest verdict wins:
 * <ol>
 *   <li>Rules (defaults, global, then the agent's): any matching deny denies, any matching ask asks,
 *       and a command no allow rule matches is asked about.</li>
 *   <li>Every file the command reads or writes goes through {@link PathScope}.</li>
 *   <li>Every host it names goes through {@link EgressPolicy}; a host the egress policy denies denies
 *       the command.</li>
 *   <li>A destructive command, or one the analysis cannot see into, is asked about even if a rule
 *       allows it: nothing destructive happens without a human.</li>
 *   <li>In allow-listed-only mode, ask becomes deny.</li>
 * </ol>
 */
public final class PolicyEngine {
    private static final int MAX_CACHED_SCOPES = 64;

    private static final MatchedRule NO_ALLOW = Builtin.NO_ALLOW_RULE;
    private static final MatchedRule DESTRUCTIVE = Builtin.DESTRUCTIVE;
    private static final MatchedRule OPAQUE = Builtin.OPAQUE;
    private static final MatchedRule ALLOWLIST_ONLY = Builtin.ALLOWLIST_ONLY;

    private final CommandAnalyzer analyzer;
    private final List<CompiledRule> globalRules;
    private final Map<String, List<CompiledRule>> agentRules;
    private final Map<String, Mode> agentModes;
    private final Mode mode;
    private final PathRules pathRules;
    private final EgressPolicy egress;
    private final ConcurrentHashMap<PathContext, PathScope> scopes = new ConcurrentHashMap<>();

    private PolicyEngine(CommandAnalyzer analyzer, PolicyConfig config) {
        this.analyzer = analyzer;
        List<CompiledRule> global = new ArrayList<>();
        PathRules paths = PathRules.EMPTY;
        if (config.usesDefaults()) {
            PolicyConfig d = PolicyConfig.defaults();
            global.addAll(RuleCompiler.compileSet(d.ruleSet(), "defaults", "defaults"));
            paths = d.pathRules();
        }
        RuleCompiler.Compiled own = RuleCompiler.compile(config, "global");
        global.addAll(own.global());
        this.globalRules = List.copyOf(global);
        this.agentRules = Map.copyOf(own.agents());
        Map<String, Mode> modes = new java.util.HashMap<>();
        config.agentPolicies().forEach((n, a) -> modes.put(n, a.mode() == null ? Mode.ASK : a.mode()));
        this.agentModes = Map.copyOf(modes);
        this.mode = config.effectiveMode();
        this.pathRules = paths.merge(config.pathRules());
        this.egress = config.egress() == null ? EgressPolicy.unconfigured() : EgressPolicy.create(config.egress());
    }

    /** Compiles the configuration (plus the shipped defaults unless it says {@code include_defaults: false}). */
    public static PolicyEngine create(PolicyConfig config, CommandAnalyzer analyzer) {
        return new PolicyEngine(analyzer, config);
    }

    public CommandAnalyzer analyzer() {
        return analyzer;
    }

    public EgressPolicy egress() {
        return egress;
    }

    /** The path scope for a context, with the configured path rules. */
    public PathScope pathScope(PathContext ctx) {
        PathScope s = scopes.get(ctx);
        if (s == null) {
            if (scopes.size() >= MAX_CACHED_SCOPES) {
                scopes.clear();
            }
            s = scopes.computeIfAbsent(ctx, c -> PathScope.createExactly(c, pathRules));
        }
        return s;
    }

    /** Decides a shell line for no particular agent. */
    public Decision checkCommand(String line, PathContext ctx) {
        return checkCommand(analyzer.analyze(line, ctx), "", ctx);
    }

    /** Decides a shell line for {@code agent} (its rules and mode apply besides the global ones). */
    public Decision checkCommand(String line, String agent, PathContext ctx) {
        return checkCommand(analyzer.analyze(line, ctx), agent, ctx);
    }

    /** Decides an analysis already made (the workflow runner analyses once and reuses it). */
    public Decision checkCommand(CommandAnalysis analysis, String agent, PathContext ctx) {
        List<CompiledRule> rules = rulesFor(agent);
        boolean allowlistOnly = modeFor(agent) == Mode.ALLOWLIST_ONLY;
        PathScope scope = pathScope(ctx);
        List<CommandDecision> parts = new ArrayList<>();
        Verdict worst = Verdict.ALLOW;
        for (SimpleCommand c : analysis.commands()) {
            CommandDecision d = decide(c, rules, scope, ctx, allowlistOnly);
            parts.add(d);
            worst = worst.max(d.verdict());
        }
        if (parts.isEmpty()) {
            return new Decision.Allow(List.of("the line runs no command"), List.of(), List.of());
        }
        Set<String> reasons = new LinkedHashSet<>();
        Set<MatchedRule> matched = new LinkedHashSet<>();
        for (CommandDecision d : parts) {
            matched.addAll(d.rules());
            if (d.verdict() == worst) {
                for (String r : d.reasons()) {
                    reasons.add(d.command().name() + ": " + r);
                }
            }
        }
        return Decision.of(worst, List.copyOf(reasons), List.copyOf(matched), parts);
    }

    /** Whether a file tool run for {@code agent} may read {@code path}. */
    public Decision checkRead(Path path, String agent, PathContext ctx) {
        return checkFile(FileAccess.Mode.READ, path, agent, ctx);
    }

    /** Whether a file tool run for {@code agent} may write {@code path}. */
    public Decision checkWrite(Path path, String agent, PathContext ctx) {
        return checkFile(FileAccess.Mode.WRITE, path, agent, ctx);
    }

    private Decision checkFile(FileAccess.Mode mode, Path path, String agent, PathContext ctx) {
        Path p = ctx.resolve(path);
        PathScope.Check check = mode == FileAccess.Mode.READ ? pathScope(ctx).read(p) : pathScope(ctx).write(p);
        Verdict v = check.verdict();
        List<String> reasons = new ArrayList<>(List.of(check.message()));
        List<MatchedRule> matched = new ArrayList<>();
        if (check.rule() != null) {
            matched.add(check.rule());
        }
        for (CompiledRule r : rulesFor(agent)) {
            if (r.matchesFile(mode, p, ctx.home())) {
                matched.add(r.ref);
                if (r.ref.action() != Verdict.ALLOW) {
                    v = v.max(r.ref.action());
                    reasons.add(reasonOf(r));
                }
            }
        }
        return finish(v, reasons, matched, modeFor(agent) == Mode.ALLOWLIST_ONLY);
    }

    /** Whether {@code agent} may reach {@code uri}: the egress policy, then rules with only domains. */
    public Decision checkUrl(URI uri, String agent) {
        Decision e = egress.check(uri);
        Verdict v = e.verdict();
        List<String> reasons = new ArrayList<>(e.verdict() == Verdict.ALLOW ? e.reasons() : cited(e));
        List<MatchedRule> matched = new ArrayList<>(e.rules());
        String host = uri.getHost();
        if (host != null) {
            for (CompiledRule r : rulesFor(agent)) {
                if (r.isDomainOnly() && r.hostMatches(host)) {
                    matched.add(r.ref);
                    if (r.ref.action() != Verdict.ALLOW) {
                        v = v.max(r.ref.action());
                        reasons.add(reasonOf(r));
                    }
                }
            }
        }
        return finish(v, reasons, matched, modeFor(agent) == Mode.ALLOWLIST_ONLY);
    }

    /** The egress decision's reasons, each naming the egress rule that decided it. */
    private static List<String> cited(Decision e) {
        String ids = e.rules().stream().map(MatchedRule::id).distinct().reduce((x, y) -> x + ", " + y).orElse("");
        return e.reasons().stream().map(r -> ids.isEmpty() || r.contains("(rule ") ? r : r + " (rule " + ids + ")")
                .toList();
    }

    private static Decision finish(Verdict v, List<String> reasons, List<MatchedRule> matched, boolean allowlistOnly) {
        if (v == Verdict.ASK && allowlistOnly) {
            reasons.add(Builtin.cite("allow-listed only mode: what would be asked is denied", ALLOWLIST_ONLY));
            matched.add(ALLOWLIST_ONLY);
            v = Verdict.DENY;
        }
        return Decision.of(v, reasons, matched, List.of());
    }

    private List<CompiledRule> rulesFor(String agent) {
        List<CompiledRule> a = agentRules.get(agent);
        if (a == null || a.isEmpty()) {
            return globalRules;
        }
        List<CompiledRule> all = new ArrayList<>(globalRules);
        all.addAll(a);
        return all;
    }

    private Mode modeFor(String agent) {
        Mode a = agentModes.get(agent);
        return mode == Mode.ALLOWLIST_ONLY || a == Mode.ALLOWLIST_ONLY ? Mode.ALLOWLIST_ONLY : Mode.ASK;
    }

    private static String reasonOf(CompiledRule r) {
        String verb = switch (r.ref.action()) {
            case DENY -> "denied";
            case ASK -> "needs approval";
            case ALLOW -> "allowed";
        };
        return r.rule.reason() != null ? r.rule.reason() + " (rule " + r.ref.id() + ")"
                : verb + " by rule " + r.ref.id();
    }

    private CommandDecision decide(SimpleCommand c, List<CompiledRule> rules, PathScope scope, PathContext ctx,
            boolean allowlistOnly) {
        Reasons why = new Reasons();
        List<MatchedRule> matched = new ArrayList<>();
        boolean allowed = false;
        for (CompiledRule r : rules) {
            if (!r.matches(c, ctx.home())) {
                continue;
            }
            matched.add(r.ref);
            if (r.ref.action() == Verdict.ALLOW) {
                allowed = true;
            } else {
                why.add(r.ref.action(), reasonOf(r));
            }
        }
        boolean redirectOnly = c.has(SimpleCommand.REDIRECT_ONLY) && c.classes().equals(Set.of(CommandClass.READ_ONLY));
        if (!allowed && !redirectOnly) {
            why.add(Verdict.ASK, Builtin.cite("no rule allows " + describe(c), NO_ALLOW));
            matched.add(NO_ALLOW);
        }
        for (MatchedRule d : c.denials()) {
            why.add(Verdict.DENY, Builtin.cite(d.reason() == null ? "denied" : d.reason(), d));
            if (!matched.contains(d)) {
                matched.add(d);
            }
        }
        for (FileAccess a : c.accesses()) {
            PathScope.Check check = a.mode() == FileAccess.Mode.WRITE ? scope.write(a.path())
                    : a.recursive() ? scope.readTree(a.path()) : scope.read(a.path());
            if (check.verdict() != Verdict.ALLOW) {
                why.add(check.verdict(), check.message());
                if (check.rule() != null && !matched.contains(check.rule())) {
                    matched.add(check.rule());
                }
            }
        }
        for (String host : c.hosts()) {
            Decision e = egress.checkHost(host);
            if (e instanceof Decision.Deny) {
                cited(e).forEach(r -> why.add(Verdict.DENY, r));
                matched.addAll(e.rules());
            }
        }
        if (c.is(CommandClass.DESTRUCTIVE)) {
            // at least a question, whatever the rules say: nothing destructive runs without a human
            why.add(Verdict.ASK, Builtin.cite("destructive: " + String.join("; ", c.notes()), DESTRUCTIVE));
            matched.add(DESTRUCTIVE);
        }
        if (c.has(SimpleCommand.OPAQUE)) {
            why.add(Verdict.ASK, Builtin.cite("the analysis cannot see what runs: " + String.join("; ", c.notes()),
                    OPAQUE));
            matched.add(OPAQUE);
        }
        Verdict v = why.worst;
        if (v == Verdict.ASK && allowlistOnly) {
            v = Verdict.DENY;
            why.add(Verdict.DENY, Builtin.cite("allow-listed only mode: what would be asked is denied",
                    ALLOWLIST_ONLY));
            matched.add(ALLOWLIST_ONLY);
        }
        List<String> reasons = why.at(v);
        if (v == Verdict.ALLOW) {
            for (MatchedRule m : matched) {
                if (m.action() == Verdict.ALLOW) {
                    reasons.add(m.reason() != null ? m.reason() : "allowed by rule " + m.id());
                    break;
                }
            }
            if (reasons.isEmpty()) {
                reasons.add("only reads or writes inside the workspace");
            }
        }
        return new CommandDecision(c, v, reasons, List.copyOf(new LinkedHashSet<>(matched)));
    }

    /** Reasons by verdict: a decision shows the reasons for its own verdict, not the milder ones. */
    private static final class Reasons {
        private final List<Verdict> levels = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();
        Verdict worst = Verdict.ALLOW;

        void add(Verdict v, String text) {
            levels.add(v);
            texts.add(text);
            worst = worst.max(v);
        }

        List<String> at(Verdict v) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                if (levels.get(i) == v || (v == Verdict.DENY && texts.get(i).startsWith("destructive: "))) {
                    out.add(texts.get(i));
                }
            }
            return out;
        }
    }

    private static String describe(SimpleCommand c) {
        String s = String.join(" ", c.argv());
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return "`" + s + "` (" + c.classes().stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT))
                .sorted().reduce((a, b) -> a + ", " + b).orElse("") + ")";
    }
}
