package dev.airlock.cli;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.ExecOutcome;
import dev.airlock.gate.ExecRequest;
import dev.airlock.home.AirlockException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "exec", description = {"Run a command line through the gate: policy, approval, sandbox, redaction, audit.",
    "The current folder (or --workspace DIR) is the workspace (the only writable place). Exits with the command's status,",
    "4 when the policy denies it, 5 when it needs an approval that is not given.",
    "Example: airlock exec -- 'make test'"})
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    static final class Approval {
        @Option(names = "--yes", description = "Approve commands the policy asks about (never overrides a deny).")
        boolean yes;

        @Option(names = "--non-interactive", description = "Refuse commands the policy asks about (exit 5).")
        boolean nonInteractive;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Approval approval = new Approval();

    @Option(names = "--no-vault", description = {"Do not unlock the vault to scrub its values from the output",
        "(credential patterns are still redacted; known secrets are not)."})
    boolean noVault;

    @Option(names = "--agent", paramLabel = "NAME", defaultValue = "cli", description = "Whose rules apply (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The workspace: the only writable folder (default: the current folder).")
    java.nio.file.@org.jspecify.annotations.Nullable Path workspace;

    @Parameters(arity = "1..*", paramLabel = "LINE", description = "The command line (quote it, after --).")
    List<String> line = new ArrayList<>();

    @Override
    public Integer call() {
        Session s = root.session();
        String text = String.join(" ", line);
        if (text.isBlank()) {
            throw AirlockException.usage("the command line is empty");
        }
        s.initializedHome();
        if (!noVault && Session.hasIdentity(s.db())) {
            // Exact scrubbing of every vault value needs them in memory; the unlock and load are audited.
            s.unlock(s.tenantName()).loadAllForRedaction();
        }
        ApprovalMode mode = approval.yes ? ApprovalMode.YES : approval.nonInteractive ? ApprovalMode.NON_INTERACTIVE
                : ApprovalMode.INTERACTIVE;
        var gate = s.gate(new TerminalApprover(root.cli, s));
        ExecOutcome outcome = gate.exec(new ExecRequest("user", agent, text, workspaceContext(s, workspace), mode),
                new WriterOutputStream(root.cli.out), new WriterOutputStream(root.cli.err));
        switch (outcome) {
            case ExecOutcome.Refused r -> root.cli.err.println("airlock: " + s.scrub(r.why()));
            case ExecOutcome.Ran r -> {
                if (r.timedOut()) {
                    root.cli.err.println("airlock: the command was stopped at its time limit (sandbox.time_limit_seconds)");
                }
                if (r.truncated()) {
                    root.cli.err.println("airlock: the command's output was cut at its limit (sandbox.output_limit_bytes)");
                }
            }
        }
        return outcome.exitCode();
    }

    /** {@code --workspace DIR} (exec and policy check), else the current folder. */
    static dev.airlock.policy.PathContext workspaceContext(Session s, java.nio.file.@org.jspecify.annotations.Nullable Path workspace) {
        if (workspace == null) {
            return s.workspaceContext();
        }
        java.nio.file.Path dir;
        try {
            dir = workspace.toRealPath();
        } catch (java.io.IOException e) {
            throw AirlockException.usage("--workspace " + workspace + " does not exist. Create it or pick an existing folder.");
        }
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw AirlockException.usage("--workspace " + workspace + " is not a folder. Pick a folder.");
        }
        return dev.airlock.policy.PathContext.create(dir, dev.airlock.home.AirlockHome.userHome(s.env()), s.home().root());
    }
}
