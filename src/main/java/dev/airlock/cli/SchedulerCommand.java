package dev.airlock.cli;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.home.AirlockException;
import dev.airlock.policy.PathContext;
import dev.airlock.workflow.RunResult;
import dev.airlock.workflow.Schedules;
import dev.airlock.workflow.Workflow;
import dev.airlock.workflow.WorkflowLoader;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "scheduler", description = {"Run scheduled workflows in the foreground until stopped (Ctrl-C).",
    "Runs start one after another, non-interactively; times missed while no scheduler ran are not caught up."})
final class SchedulerCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--tick-seconds", paramLabel = "N", defaultValue = "5", description = "How often to look for due schedules (default: ${DEFAULT-VALUE}).")
    int tickSeconds = 5;

    @Override
    public Integer call() throws InterruptedException {
        if (tickSeconds < 1 || tickSeconds > 60) {
            throw AirlockException.usage("--tick-seconds must be between 1 and 60");
        }
        Session s = root.session();
        s.initializedHome();
        Schedules schedules = ScheduleCommand.schedules(s);
        Instant since = s.clock().instant();
        root.cli.err.println("airlock: scheduler started for tenant " + s.tenantName() + " with " + schedules.list().size()
                + " schedule(s); stop it with Ctrl-C");
        root.cli.err.flush();
        while (!Thread.currentThread().isInterrupted()) {
            for (Schedules.Schedule sc : schedules.claimDue(since)) {
                // One at a time, on this thread: the session's parts are not shared between threads.
                try {
                    Workflow w = WorkflowLoader.load(sc.file());
                    PathContext context = s.workspaceContext(sc.workspace());
                    RunResult r;
                    try (WorkflowWiring.Wired wired = WorkflowWiring.runner(root, context, ApprovalMode.NON_INTERACTIVE)) {
                        r = wired.runner.start(w, sc.inputs());
                    }
                    schedules.recordRun(sc.id(), r.runId());
                    WorkflowWiring.summary(root.cli.err, r);
                } catch (AirlockException e) {
                    String why = s.scrub(Cli.oneLine(e.getMessage()));
                    schedules.recordFailure(sc.id(), why);
                    root.cli.err.println("airlock: schedule " + sc.id() + " could not start: " + why);
                    root.cli.err.flush();
                }
            }
            Thread.sleep(tickSeconds * 1000L);
        }
        return 0;
    }
}
