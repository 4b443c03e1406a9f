package dev.airlock.gate;

import dev.airlock.policy.PathContext;
import java.util.Objects;

/**
 * A command line someone wants to run.
 *
 * @param actor   who asks: {@code user}, {@code agent:NAME}…
 * @param agent   whose rules apply ({@code cli} for the terminal user)
 * @param line    the command line, analysed as bash
 * @param context the workspace and homes the paths are judged against; the workspace is the
 *                sandbox's only writable folder
 * @param mode    how asks are resolved
 * @param limits  what this requester may do at most, on top of the policy (a read-only agent, security mode)
 */
public record ExecRequest(String actor, String agent, String line, PathContext context, ApprovalMode mode, Limits limits) {
    /**
     * Narrowings a requester carries into the gate. They only ever tighten a decision.
     *
     * @param readOnly  only commands classified read-only may run; anything else is denied
     * @param askAlways every command is asked about, even one the policy allows
     * @param askReason why it is asked, as the approver and the model are told (security mode, or an
     *                  agent's permission {@code ask} for the tool); empty when nothing is asked
     */
    public record Limits(boolean readOnly, boolean askAlways, String askReason) {
        public static final Limits NONE = new Limits(false, false, "");

        public Limits {
            Objects.requireNonNull(askReason);
            if (askAlways && askReason.isBlank()) {
                askReason = "the requester asks before every call";
            }
        }

        public Limits(boolean readOnly, boolean askAlways) {
            this(readOnly, askAlways, "");
        }
    }

    public ExecRequest(String actor, String agent, String line, PathContext context, ApprovalMode mode) {
        this(actor, agent, line, context, mode, Limits.NONE);
    }

    public ExecRequest {
        Objects.requireNonNull(limits);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(agent);
        Objects.requireNonNull(line);
        Objects.requireNonNull(context);
        Objects.requireNonNull(mode);
    }
}
