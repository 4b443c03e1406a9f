package dev.airlock.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "deny", description = {"Deny a waiting workflow gate, from any terminal.",
    "The gate fails and nothing behind it runs. Recorded in the audit log with your name and reason.",
    "Example: airlock deny r2xk9mq4ab ok --reason 'not during business hours'"})
final class DenyCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "RUN")
    String run = "";

    @Parameters(index = "1", paramLabel = "GATE")
    String gate = "";

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (stored with the decision and audited).")
    @Nullable String reason;

    @Override
    public Integer call() {
        Session s = root.session();
        s.initializedHome();
        WorkflowWiring.runs(s).deny(run, gate, WorkflowWiring.approver(s), reason == null ? null : s.scrub(reason));
        root.cli.err.println("airlock: denied gate '" + gate + "' of run " + run + "; nothing behind it will run");
        return 0;
    }
}
