package dev.airlock.policy;

import java.util.List;

/**
 * What the policy says about a request. Callers switch over it exhaustively:
 *
 * <pre>{@code
 * switch (engine.checkCommand(line, agent, ctx)) {
 *     case Decision.Allow a -> run();
 *     case Decision.Ask a -> askHuman(a.reasons());
 *     case Decision.Deny d -> refuse(d.reasons());   // exit 4; never overridden by a flag
 * }
 * }</pre>
 *
 * <p>{@code reasons} are written for the user and for the model (so it can choose a safer way);
 * {@code rules} are the rules that matched; {@code commands} holds the verdict per simple command of a
 * shell line (empty for file and network checks).
 */
public sealed interface Decision permits Decision.Allow, Decision.Ask, Decision.Deny {
    List<String> reasons();

    List<MatchedRule> rules();

    List<CommandDecision> commands();

    Verdict verdict();

    record Allow(List<String> reasons, List<MatchedRule> rules, List<CommandDecision> commands)
            implements Decision {
        public Allow {
            reasons = List.copyOf(reasons);
            rules = List.copyOf(rules);
            commands = List.copyOf(commands);
        }

        @Override
        public Verdict verdict() {
            return Verdict.ALLOW;
        }
    }

    record Ask(List<String> reasons, List<MatchedRule> rules, List<CommandDecision> commands)
            implements Decision {
        public Ask {
            reasons = List.copyOf(reasons);
            rules = List.copyOf(rules);
            commands = List.copyOf(commands);
        }

        @Override
        public Verdict verdict() {
            return Verdict.ASK;
        }
    }

    record Deny(List<String> reasons, List<MatchedRule> rules, List<CommandDecision> commands)
            implements Decision {
        public Deny {
            reasons = List.copyOf(reasons);
            rules = List.copyOf(rules);
            commands = List.copyOf(commands);
        }

        @Override
        public Verdict verdict() {
            return Verdict.DENY;
        }
    }

    static Decision of(Verdict verdict, List<String> reasons, List<MatchedRule> rules,
            List<CommandDecision> commands) {
        return switch (verdict) {
            case ALLOW -> new Allow(reasons, rules, commands);
            case ASK -> new Ask(reasons, rules, commands);
            case DENY -> new Deny(reasons, rules, commands);
        };
    }
}
