package dev.airlock.cli;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One invocation: the picocli tree, the streams, the environment and the session it opens. The single
 * place where failures become messages and exit codes.
 */
final class Cli implements AutoCloseable {
    final PrintWriter out;
    final PrintWriter err;
    final Map<String, String> env;
    final InputStream in;
    private final RootCommand root;
    private final CommandLine commandLine;

    Cli(PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.in = in;
        this.root = new RootCommand(this);
        this.commandLine = new CommandLine(root)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(this::onUsageError)
                .setExecutionExceptionHandler((ex, cl, parsed) -> onFailure(ex));
    }

    int execute(String... args) {
        return commandLine.execute(args);
    }

    RootCommand root() {
        return root;
    }

    private int onUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        err.println("airlock: " + oneLine(ex.getMessage()));
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCode.USAGE.code();
    }

    private int onFailure(Exception ex) {
        if (ex instanceof AirlockException ae) {
            err.println("airlock: " + root.session().scrub(ae.getMessage()));
            debugTrace(ex);
            return ae.exitCode().code();
        }
        if (ex instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            err.println("airlock: " + root.session().scrub(oneLine(iae.getMessage())));
            debugTrace(ex);
            return ExitCode.USAGE.code();
        }
        err.println("airlock: unexpected error: " + root.session().scrub(oneLine(String.valueOf(ex)))
                + (root.debug ? "" : " (run again with --debug for details)"));
        debugTrace(ex);
        return ExitCode.RUNTIME.code();
    }

    private void debugTrace(Exception ex) {
        if (root.debug) {
            StringWriter sw = new StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            err.print(root.session().scrub(sw.toString()));
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    @Override
    public void close() {
        root.session().close();
    }
}
