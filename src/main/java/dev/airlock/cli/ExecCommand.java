package dev.airlock.cli;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.ExecOutcome;
import dev.airlock.gate.ExecRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "exec", description = {"Run a command line through the gate: policy, approval, sandbox, redaction, audit.",
    "The current folder (or --workspace DIR) is the workspace (the only writable place). Exits with the command's status,",
    "4 when the policy denies it, 5 when it needs an approval that is not given.",
    "Example: airlock exec -- 'make test'"})
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Option(names = "--no-vault", description = {"Do not unlock the vault to scrub its values from the output",
        "(credential patterns are still redacted; known secrets are not)."})
    boolean noVault;

    @Mixin
    CommandLineOptions command = new CommandLineOptions();

    @Override
    public Integer call() {
        Session s = root.session();
        String text = command.text();
        s.initializedHome();
        if (!noVault && s.hasIdentity(s.tenantName())) {
            // Exact scrubbing of every vault value needs them in memory; the unlock and load are audited.
            s.unlock(s.tenantName()).loadAllForRedaction();
        }
        ApprovalMode mode = approval.mode();
        var gate = s.gate(new TerminalApprover(root.cli, s));
        ExecOutcome outcome = gate.exec(new ExecRequest("user", command.agent, text, s.workspaceContext(command.workspace), mode),
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
}
