package dev.airlock.policy;

import java.util.List;

/** The verdict for one simple command of a line, with why. */
public record CommandDecision(SimpleCommand command, Verdict verdict, List<String> reasons,
        List<MatchedRule> rules) {
    public CommandDecision {
        reasons = List.copyOf(reasons);
        rules = List.copyOf(rules);
    }
}
