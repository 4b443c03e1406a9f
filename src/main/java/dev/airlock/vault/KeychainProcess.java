package dev.airlock.vault;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a keychain tool ({@code secret-tool}, {@code security}) with a bounded wait, a small
 * environment and bounded output. Secrets travel only through the child's stdin and stdout, never
 * through its argument list; the arguments hold attribute names and values, which are not secret.
 */
final class KeychainProcess {
    /** How long one keychain call may take before it is killed; a keychain that hangs is unavailable. */
    static final long TIMEOUT_SECONDS = 10;
    private static final int MAX_OUTPUT = 4096;
    /**
     * What the child may see of the caller's environment: enough to find the tool and the session
     * bus. {@code DISPLAY} is left out on purpose, so that a missing bus is reported instead of
     * auto-launching a new one through X11.
     */
    private static final List<String> PASSED = List.of("PATH", "HOME", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
            "LANG", "LC_ALL", "LC_MESSAGES", "TMPDIR", "USER", "LOGNAME");

    private KeychainProcess() {}

    /** The outcome of one call; {@code stdout} is the caller's to wipe. */
    static final class Result {
        final int exit;
        final byte[] stdout;
        final String stderr;

        Result(int exit, byte[] stdout, String stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** The first line of stderr, for a reason shown to the user; never carries a secret. */
        String firstErrorLine() {
            return stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        }
    }

    /** Thrown when the tool cannot be started, times out or misbehaves; the message is a reason. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The executable named {@code tool} on the {@code PATH} of {@code env}, if any. */
    static Optional<Path> find(Map<String, String> env, String tool) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code command}, writes {@code stdin} (may be null: an empty stdin) and waits at most
     * {@link #TIMEOUT_SECONDS}. {@code stdin} is not wiped here; the caller owns it.
     */
    static Result run(Map<String, String> env, List<String> command, byte @Nullable [] stdin) throws Failure {
        String name = String.valueOf(Path.of(command.get(0)).getFileName());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnv = builder.environment();
        childEnv.clear();
        for (String variable : PASSED) {
            String value = env.get(variable);
            if (value != null) {
                childEnv.put(variable, value);
            }
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Failure("cannot start " + name + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // The tool exited before reading its input; its exit status says why.
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kill(process);
                throw new Failure(name + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            // The outputs are tiny and the process has exited: reading cannot block.
            byte[] out = readBounded(process.getInputStream());
            byte[] err = readBounded(process.getErrorStream());
            return new Result(process.exitValue(), out, new String(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while waiting for " + name);
        } catch (IOException e) {
            kill(process);
            throw new Failure("cannot read the output of " + name);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_OUTPUT];
        int n = 0;
        int r;
        while (n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) != -1) {
            n += r;
        }
        byte[] out = Arrays.copyOf(buffer, n);
        Crypto.wipe(buffer);
        return out;
    }
}
