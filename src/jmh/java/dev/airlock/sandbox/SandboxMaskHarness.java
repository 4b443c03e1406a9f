package dev.airlock.sandbox;

import dev.airlock.policy.PathContext;
import dev.airlock.policy.PathScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sandbox start with the policy's masks against a plain process, alternating run by run so that a
 * shared machine's changing load falls on every variant alike (JMH runs them one after another).
 * Prints the median and the 90th percentile of each, in milliseconds.
 *
 * <p>Run from the project root (after {@code mvn -o test-compile}; the classpath as for the JMH
 * benchmarks):
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.airlock.sandbox.SandboxMaskHarness 200
 * </pre>
 * Variants: {@code plain} ({@link ProcessBuilder} running {@code true}); {@code bwrap} (the sandbox in
 * an empty folder: host secrets masked, no git); {@code bwrap+policy} (the gate's sandbox in the
 * {@link SandboxBenchmark} project: the walk, 12 masks, git's read-only points, the exclude file).
 */
public final class SandboxMaskHarness {
    private SandboxMaskHarness() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path empty = Files.createTempDirectory("airlock-harness");
        Path repo = SandboxBenchmark.repository();
        PathScope scope = PathScope.create(PathContext.create(repo, Path.of(System.getProperty("user.home")),
                repo.resolve(".airlock-home-elsewhere")));
        Path truePath = Executables.find("true", Executables.systemPath()).orElseThrow();
        Sandbox bwrap = Sandbox.bubblewrap();
        SandboxSpec emptySpec = SandboxSpec.builder(empty).build();
        List<Double> plain = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> masked = new ArrayList<>();
        for (int i = -20; i < runs; i++) {
            long t0 = System.nanoTime();
            new ProcessBuilder(truePath.toString()).directory(empty.toFile()).start().waitFor();
            long t1 = System.nanoTime();
            bwrap.run(emptySpec, Command.of(truePath.toString()));
            long t2 = System.nanoTime();
            PathScope.SandboxView view = scope.neverReadableIn(repo);
            SandboxSpec.Builder b = SandboxSpec.builder(repo).hide(view.hidden()).keepReadOnly(view.readOnly());
            view.repositories().forEach(b::gitDirectory);
            bwrap.run(b.build(), Command.of(truePath.toString()));
            long t3 = System.nanoTime();
            if (i >= 0) { // the first 20 rounds warm up
                plain.add((t1 - t0) / 1e6);
                bare.add((t2 - t1) / 1e6);
                masked.add((t3 - t2) / 1e6);
            }
        }
        print("plain", plain);
        print("bwrap", bare);
        print("bwrap+policy", masked);
        Files.deleteIfExists(empty);
        try (var walk = Files.walk(repo)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void print(String name, List<Double> ms) {
        Collections.sort(ms);
        System.out.printf("%-13s median %6.2f ms   p90 %6.2f ms   (%d runs)%n", name, ms.get(ms.size() / 2),
                ms.get((int) (ms.size() * 0.9)), ms.size());
    }
}
