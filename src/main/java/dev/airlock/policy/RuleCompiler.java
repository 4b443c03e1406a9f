package dev.airlock.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compiles the rules of a configuration, in the order deny, ask, allow, scope by scope. */
final class RuleCompiler {
    record Compiled(List<CompiledRule> global, Map<String, List<CompiledRule>> agents) {
    }

    private RuleCompiler() {
    }

    static Compiled compile(PolicyConfig config, String scope) {
        List<CompiledRule> global = compileSet(config.ruleSet(), scope, scope);
        Map<String, List<CompiledRule>> agents = new LinkedHashMap<>();
        config.agentPolicies().forEach((name, ap) -> agents.put(name,
                compileSet(ap.rules() == null ? RuleSet.EMPTY : ap.rules(), "agent:" + name, "agent:" + name)));
        return new Compiled(global, agents);
    }

    static List<CompiledRule> compileSet(RuleSet set, String idPrefix, String scope) {
        List<CompiledRule> out = new ArrayList<>();
        add(out, set.denyRules(), idPrefix + ".deny", Verdict.DENY, scope);
        add(out, set.askRules(), idPrefix + ".ask", Verdict.ASK, scope);
        add(out, set.allowRules(), idPrefix + ".allow", Verdict.ALLOW, scope);
        return out;
    }

    private static void add(List<CompiledRule> out, List<Rule> rules, String prefix, Verdict v, String scope) {
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r == null) {
                throw new PolicyException(prefix + "[" + i + "] is empty; remove it or give it conditions.");
            }
            out.add(new CompiledRule(r, prefix + "[" + i + "]", v, scope));
        }
    }
}
