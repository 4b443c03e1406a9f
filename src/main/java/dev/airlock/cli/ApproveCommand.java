package dev.airlock.cli;

import dev.airlock.workflow.Runs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "approve", description = {"Approve a waiting workflow gate, from any terminal.",
    "The run's process (or 'airlock run --resume RUN') then runs exactly the commands shown. Recorded in the audit log with your name.",
    "Example: airlock approve r2xk9mq4ab ok"})
final class ApproveCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "RUN")
    String run = "";

    @Parameters(index = "1", paramLabel = "GATE")
    String gate = "";

    @Override
    public Integer call() {
        Session s = root.session();
        s.initializedHome();
        Runs.ApprovalInfo a = WorkflowWiring.runs(s).approve(run, gate, WorkflowWiring.approver(s));
        root.cli.err.println("airlock: approved gate '" + gate + "' of run " + run + " as " + a.approver() + "; it covers:");
        for (var c : a.commands()) {
            root.cli.err.println("  " + (c.destructive() ? "DESTRUCTIVE " : "") + c.node() + ": " + TerminalApprover.visible(c.line()));
        }
        return 0;
    }
}
