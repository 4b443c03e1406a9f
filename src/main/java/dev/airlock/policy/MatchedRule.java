package dev.airlock.policy;

import org.jspecify.annotations.Nullable;

/**
 * A rule that contributed to a decision.
 *
 * @param id the rule's id, or a generated one such as {@code global.deny[3]}
 * @param action what the rule says
 * @param reason the rule's reason, shown to the user and to the model
 * @param scope where the rule comes from: {@code defaults}, {@code global}, {@code agent:NAME} or
 *     {@code builtin} (path scope, egress, analysis)
 */
public record MatchedRule(String id, Verdict action, @Nullable String reason, String scope) {
}
