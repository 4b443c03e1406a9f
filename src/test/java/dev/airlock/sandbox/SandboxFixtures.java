package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/** Shared set-up for tests that start real processes. */
final class SandboxFixtures {
    private SandboxFixtures() {}

    /**
     * The real bubblewrap sandbox. Fails (rather than skips) when it does not work: a sandbox test
     * silently skipped in CI would hide exactly the regression it exists to catch.
     */
    static Sandbox bubblewrap() {
        SandboxProbe.Report report = SandboxProbe.probe();
        assertThat(report.works()).as("sandbox must work on this machine: %s", report.reason()).isTrue();
        return Sandbox.bubblewrap(report.executable().orElseThrow(), Ticker.system());
    }

    /**
     * A directory on the host's real file system outside /tmp (which the sandbox replaces), below the
     * build directory, so that a write the sandbox lets through would actually land on the host.
     */
    static Path hostDirectory(String name) {
        try {
            Path base = Files.createDirectories(Path.of("target", "sandbox-it").toAbsolutePath());
            return Files.createTempDirectory(base, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token to put in a command line so that its processes can be found from the host. */
    static String token() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
    }

    /** A {@code sleep} nobody else runs: its argument carries the token. */
    static String sleeper(String token) {
        return "sleep 1000." + token;
    }

    /** Live processes whose command line holds the token, wherever they were reparented to. */
    static List<ProcessHandle> survivors(String token) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> h.info().commandLine().map(c -> c.contains("1000." + token)).orElse(false))
                .toList();
    }

    /** {@link #survivors(String)} once none are left or {@code max} has passed. */
    static List<ProcessHandle> awaitNoSurvivors(String token, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        List<ProcessHandle> left = survivors(token);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = survivors(token);
        }
        return left;
    }

    /** Kills whatever a failed test left behind, so one failure does not leave stray processes. */
    static void killSurvivors(String token) {
        for (ProcessHandle h : survivors(token)) {
            h.destroyForcibly();
        }
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
