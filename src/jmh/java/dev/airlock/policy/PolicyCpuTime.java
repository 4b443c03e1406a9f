package dev.airlock.policy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Per-decision wall and CPU time of {@link PolicyEngine#checkCommand(String, PathContext)} for the
 * lines of {@link PolicyBenchmark}, same setup. On a shared machine a wall-clock p99 mostly measures
 * time spent descheduled; the thread's CPU time per decision ({@link ThreadMXBean}) does not, so it is
 * reported beside the wall time.
 *
 * <p>Run (from the repository root, after building the class path as for {@link PolicyBenchmark}):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.airlock.policy.PolicyCpuTime [warm-up seconds] [measured decisions per line]
 * </pre>
 */
public final class PolicyCpuTime {
    private PolicyCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        int warmupSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("airlock-bench");
        try {
            Path ws = Files.createDirectories(dir.resolve("ws"));
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(ws.resolve("src/main/java"));
            for (int i = 0; i < 20; i++) {
                Files.writeString(ws.resolve("src/main/java/C" + i + ".java"), "class C" + i + " {}\n");
            }
            Files.writeString(ws.resolve(".gitignore"), "target/\n*.log\n");
            PathContext ctx = PathContext.create(ws, home, home.resolve(".local/share/airlock"));
            try (CommandAnalyzer analyzer = CommandAnalyzer.create()) {
                PolicyEngine engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
                String[] lines = {
                    "git status",
                    "git diff --stat && git log --oneline -n 20 | head -5",
                    "grep -rn TODO src | sort | uniq -c",
                    "bash -c 'cd src && find . -name \"*.java\" -exec cat {} \\;' > /dev/null",
                };
                long sink = 0;
                long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                while (System.nanoTime() < warmEnd) {
                    for (String line : lines) {
                        sink += engine.checkCommand(line, ctx).reasons().size();
                    }
                }
                System.out.printf(Locale.ROOT, "%-72s %9s %9s %9s %9s%n", "line (decide, µs)", "wall p50",
                        "wall p99", "cpu p50", "cpu p99");
                for (String line : lines) {
                    long[] wall = new long[n];
                    long[] cpu = new long[n];
                    for (int i = 0; i < n; i++) {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        sink += engine.checkCommand(line, ctx).reasons().size();
                        wall[i] = System.nanoTime() - w0;
                        cpu[i] = mx.getCurrentThreadCpuTime() - c0;
                    }
                    Arrays.sort(wall);
                    Arrays.sort(cpu);
                    System.out.printf(Locale.ROOT, "%-72s %9.1f %9.1f %9.1f %9.1f%n",
                            line.length() > 72 ? line.substring(0, 69) + "..." : line,
                            at(wall, 0.50), at(wall, 0.99), at(cpu, 0.50), at(cpu, 0.99));
                }
                if (sink == 42) {
                    System.out.println();
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }
}
