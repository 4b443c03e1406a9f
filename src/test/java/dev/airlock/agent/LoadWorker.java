package dev.airlock.agent;

import dev.airlock.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of {@link ConcurrentTenantLoadTest}: runs the real {@code airlock} entry point in a
 * loop until the deadline, each time as a fresh command (its own session, database connections,
 * vault unlock), the way a user's shell would. Prints {@code FAIL role exit error} for every failed
 * command and {@code done OPS FAILURES} at the end; exits 1 if any failed.
 *
 * <p>Arguments: {@code ROLE SECONDS HOME WORKSPACE WORKFLOW_FILE}; the environment holds the config,
 * home and vault password.
 */
public final class LoadWorker {
    private LoadWorker() {
    }

    public static void main(String[] args) {
        String role = args[0];
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        String home = args[2];
        String workspace = args[3];
        String workflow = args[4];
        int ops = 0;
        int failures = 0;
        do {
            ops++;
            List<String> a = new ArrayList<>(List.of("--home", home));
            String stdin = "";
            switch (role) {
                case "chat" -> a.addAll(List.of("ask", "--workspace", workspace, "--non-interactive",
                        "read the readme and look around, turn " + ops));
                case "exec" -> a.addAll(List.of("exec", "--workspace", workspace, "--non-interactive", "--",
                        "ls -la && cat README.md && echo turn-" + ops));
                case "secrets" -> {
                    a.addAll(List.of("secrets", "set", "LOAD_" + ProcessHandle.current().pid() + "_" + ops, "--stdin"));
                    stdin = "value-" + ops + "\n";
                }
                case "workflow" -> a.addAll(List.of("run", workflow, "--workspace", workspace, "--non-interactive"));
                default -> throw new IllegalArgumentException(role);
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), System.getenv(),
                    new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), a.toArray(String[]::new));
            if (code != 0) {
                failures++;
                System.out.println("FAIL " + role + " " + code + " " + err.toString().replace('\n', ' '));
            }
        } while (System.nanoTime() < deadline);
        System.out.println("done " + ops + " " + failures);
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }
}
