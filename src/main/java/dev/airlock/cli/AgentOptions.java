package dev.airlock.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Which agent and model, in which workspace: what {@code chat}, {@code ask} and {@code plan} share. */
final class AgentOptions {
    @Option(names = "--agent", paramLabel = "NAME", description = "The agent (default: agents.default in the config).")
    @Nullable String agent;

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL", description = "Use this model instead of the agent's.")
    @Nullable String model;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The project folder (default: the current folder).")
    @Nullable Path workspace;
}
