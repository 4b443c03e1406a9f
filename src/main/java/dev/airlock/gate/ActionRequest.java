package dev.airlock.gate;

import dev.airlock.policy.Decision;
import java.util.Map;
import java.util.Objects;

/**
 * An action other than a command line that someone wants done through the gate: a file read or
 * write by a tool, a network fetch. The caller asks the policy for {@code decision} (the check that
 * fits the action: {@code checkRead}, {@code checkWrite}, {@code checkUrl}); the gate then applies the
 * same approval, limits, redaction and audit as for commands.
 *
 * @param actor    who asks ({@code agent:NAME})
 * @param agent    whose rules and rate limits apply
 * @param tool     the tool's name ({@code read_file}, {@code write_file}, {@code http_get}…)
 * @param target   what it touches, for the audit row ({@code file:src/Main.java}, {@code url:https://…})
 * @param display  what the approver is shown (for a write: the diff)
 * @param details  extra audit details (sizes, hashes; never content)
 * @param decision the policy's decision for this action
 * @param mode     how asks are resolved
 * @param limits   narrowings of the requester (security mode asks always)
 */
public record ActionRequest(String actor, String agent, String tool, String target, String display,
        Map<String, Object> details, Decision decision, ApprovalMode mode, ExecRequest.Limits limits) {
    public ActionRequest {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(agent);
        Objects.requireNonNull(tool);
        Objects.requireNonNull(target);
        Objects.requireNonNull(display);
        details = Map.copyOf(details);
        Objects.requireNonNull(decision);
        Objects.requireNonNull(mode);
        Objects.requireNonNull(limits);
    }
}
