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
 */
public record ExecRequest(String actor, String agent, String line, PathContext context, ApprovalMode mode) {
    public ExecRequest {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(agent);
        Objects.requireNonNull(line);
        Objects.requireNonNull(context);
        Objects.requireNonNull(mode);
    }
}
