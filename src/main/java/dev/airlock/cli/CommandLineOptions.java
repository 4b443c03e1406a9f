package dev.airlock.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code exec} and {@code policy check} share: whose rules apply, where the workspace is, and
 * the command line itself. Both must judge a line the same way, so they read it the same way.
 */
final class CommandLineOptions {
    @Option(names = "--agent", paramLabel = "NAME", defaultValue = "cli", description = "Whose rules apply (default: ${DEFAULT-VALUE}).")
    String agent = "cli";

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "The workspace: the only writable folder, and what paths are judged against (default: the current folder).")
    @Nullable Path workspace;

    @Parameters(arity = "1..*", paramLabel = "LINE", description = "The command line (quote it, after --).")
    List<String> line = new ArrayList<>();

    /** The command line as one string; a blank one is a usage error. */
    String text() {
        String text = String.join(" ", line);
        if (text.isBlank()) {
            throw dev.airlock.home.AirlockException.usage("the command line is empty");
        }
        return text;
    }
}
