package dev.airlock.sandbox;

import java.util.List;

/**
 * What to run: either a shell line, run as {@code bash -c LINE}, or an argv run directly.
 *
 * <p>The line or argv is passed to the process as arguments, so it is visible to every user of the
 * machine in {@code /proc/PID/cmdline}. Never put a secret value in a command; pass it through
 * {@link SandboxSpec.Builder#variable(String, String)} only if it is not a secret either (secret-looking
 * names are refused there).
 */
public final class Command {
    private final List<String> argv;
    private final boolean shell;

    private Command(List<String> argv, boolean shell) {
        this.argv = argv;
        this.shell = shell;
    }

    /** {@code bash -c line}; {@code bash} is found on the sandbox's {@code PATH}. */
    public static Command shell(String line) {
        if (line.indexOf('\0') >= 0) {
            throw SandboxException.invalid("The command line contains a NUL character; remove it.");
        }
        return new Command(List.of("bash", "-c", line), true);
    }

    /** Runs {@code argv[0]} (found on {@code PATH} when it has no slash) with the other arguments. */
    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    /** Runs {@code argv.get(0)} (found on {@code PATH} when it has no slash) with the other arguments. */
    public static Command of(List<String> argv) {
        List<String> copy = List.copyOf(argv);
        if (copy.isEmpty() || copy.get(0).isEmpty()) {
            throw SandboxException.invalid("A command needs a program name; none was given.");
        }
        for (String arg : copy) {
            if (arg.indexOf('\0') >= 0) {
                throw SandboxException.invalid("A command argument contains a NUL character; remove it.");
            }
        }
        return new Command(copy, false);
    }

    /** The argument vector, starting with the program. */
    public List<String> argv() {
        return argv;
    }

    /** Whether this is a {@code bash -c} line. */
    public boolean isShell() {
        return shell;
    }

    @Override
    public String toString() {
        return shell ? "bash -c " + argv.get(2) : String.join(" ", argv);
    }
}
