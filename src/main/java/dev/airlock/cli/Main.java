package dev.airlock.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The {@code airlock} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, System.getenv(), System.in, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line as the {@code airlock} executable would and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, System.getenv(), InputStream.nullInputStream(), args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)} with an explicit environment and stdin. */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, InputStream in, String... args) {
        Cli cli = new Cli(out, err, env, in);
        try {
            return cli.execute(args);
        } finally {
            cli.close();
            out.flush();
            err.flush();
        }
    }
}
