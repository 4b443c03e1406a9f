package dev.airlock.sandbox;

import dev.airlock.home.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds out whether commands can be sandboxed here, for {@code airlock doctor} and for the gate's
 * decision to ask about every command when they cannot. Being installed is not enough: containers
 * and hardened kernels often forbid the namespaces bubblewrap needs, so the probe runs {@code true}
 * in a sandbox with the options every real run uses, network unsharing included.
 */
public final class SandboxProbe {
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(10);

    private SandboxProbe() {}

    /**
     * What the probe found.
     *
     * @param works whether a sandboxed command ran and exited 0
     * @param executable the bwrap found on PATH, if any
     * @param version bwrap's version line, or empty when it could not be read
     * @param reason one or two lines for a person: what works, or what failed and what to do
     */
    public record Report(boolean works, Optional<Path> executable, String version, String reason) {}

    /** Probes with this process's {@code PATH}. */
    public static Report probe() {
        return probe(Executables.systemPath());
    }

    /** Probes with the given {@code PATH} value (absolute entries only). */
    public static Report probe(String pathVariable) {
        Optional<Path> found = Executables.find("bwrap", pathVariable);
        if (found.isEmpty()) {
            return new Report(false, found, "", "bubblewrap (bwrap) is not on PATH. Install it (Debian/Ubuntu:"
                    + " apt-get install bubblewrap; Fedora: dnf install bubblewrap); until then every command asks.");
        }
        Path bwrap = found.get();
        @Nullable Path scratch = null;
        try {
            scratch = Files.createTempDirectory("airlock-probe");
            SandboxSpec spec = SandboxSpec.builder(scratch)
                    .parentEnvironment(Map.of("PATH", pathVariable))
                    .timeLimit(PROBE_LIMIT)
                    .outputLimit(64 * 1024)
                    .build();
            String version = version(bwrap, spec);
            ExecResult result = Sandbox.bubblewrap(bwrap, Ticker.system()).run(spec, Command.of("true"));
            if (result.succeeded()) {
                return new Report(true, found, version, "bubblewrap at " + bwrap + " works: commands run with a"
                        + " read-only root, a private /tmp, no network and no capabilities.");
            }
            String why = result.timedOut() ? "did not finish within " + PROBE_LIMIT.toSeconds() + " s"
                    : "exited with status " + result.exitStatus() + firstLine(result.stderrText());
            return new Report(false, found, version, "bubblewrap at " + bwrap + " is installed but a sandboxed"
                    + " 'true' " + why + ". User or network namespaces are probably not allowed here (container"
                    + " without them, or kernel.unprivileged_userns_clone=0); until fixed every command asks.");
        } catch (IOException | SandboxException e) {
            return new Report(false, found, "", "bubblewrap at " + bwrap + " could not be tried: " + e.getMessage());
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static String version(Path bwrap, SandboxSpec spec) {
        try {
            ExecResult r = Sandbox.unsandboxed().run(spec, Command.of(bwrap.toString(), "--version"));
            return r.succeeded() ? r.stdoutText().strip() : "";
        } catch (SandboxException e) {
            return "";
        }
    }

    private static String firstLine(String stderr) {
        String line = stderr.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? "" : " (" + (line.length() > 200 ? line.substring(0, 200) + "…" : line) + ")";
    }

    private static void deleteQuietly(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // An empty directory in the temp folder is not worth failing a diagnosis for.
        }
    }
}
