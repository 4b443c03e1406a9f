package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The allow, ask and deny lists of one scope (the defaults, the global config, or an agent). */
public record RuleSet(
        @JsonProperty("allow") @Nullable List<Rule> allow,
        @JsonProperty("ask") @Nullable List<Rule> ask,
        @JsonProperty("deny") @Nullable List<Rule> deny) {

    public static final RuleSet EMPTY = new RuleSet(List.of(), List.of(), List.of());

    public List<Rule> allowRules() {
        return allow == null ? List.of() : allow;
    }

    public List<Rule> askRules() {
        return ask == null ? List.of() : ask;
    }

    public List<Rule> denyRules() {
        return deny == null ? List.of() : deny;
    }
}
