/**
 * Agents, their tools, the tool loop, sessions and output containment.
 *
 * <p>Guarantees: every tool call goes through the kernel's gate (policy, approval, execution,
 * redaction, audit) — there is no other way for a model to act; every tool result reaches the model
 * wrapped as untrusted data with look-alike tags neutralised; every request to a model is redacted
 * before it leaves; a model's text can never approve, widen a scope or change a rule, because none of
 * those are reachable from here; session content is sealed at rest through the vault's
 * {@code ContentCipher}; a project's agent files may only narrow the agents the user configured.
 */
@NullMarked
package dev.airlock.agent;

import org.jspecify.annotations.NullMarked;
