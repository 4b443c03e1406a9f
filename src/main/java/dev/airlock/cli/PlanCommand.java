package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.home.AirlockException;
import dev.airlock.workflow.Planner;
import dev.airlock.workflow.RunResult;
import dev.airlock.workflow.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "plan", description = {"Draft a workflow from a request with a model; Airlock adds the approval gates.",
    "Every node the policy classifies destructive gets an approval gate in front of it, whatever the model wrote.",
    "The plan is printed (or written with -o) for review; --run runs it after you confirm.",
    "Example: airlock plan \"remove the release folders older than 1.4 and show what is left\" -o cleanup.yaml"})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Mixin
    AgentOptions agentOptions = new AgentOptions();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the plan to FILE (refuses to overwrite).")
    @Nullable Path out;

    @Option(names = "--run", description = "Run the plan after showing it (asks first unless --yes).")
    boolean run;

    @Parameters(arity = "1..*", paramLabel = "REQUEST")
    List<String> request = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        String text = String.join(" ", request).strip();
        if (text.isEmpty()) {
            throw AirlockException.usage("the request is empty");
        }
        if (out != null && Files.exists(out)) {
            throw AirlockException.usage(out + " already exists; choose another file or remove it first");
        }
        Session s = root.session();
        Planner.Plan plan;
        dev.airlock.policy.PathContext context;
        try (AgentRuntime rt = new AgentRuntime(root, agentOptions, approval.mode())) {
            context = rt.workspace;
            Agent a = rt.agent(agentOptions.agent);
            Validator validator = Validator.create(s.policy().analyzer(), rt.workspace);
            plan = new Planner(rt.client(a), a.requireModel().model(), validator, s.redactor(), s.lazyAudit(s.tenantName()),
                    Math.max(a.maxTokens(), 2048)).plan(text);
        }
        var err = root.cli.err;
        err.println("plan '" + plan.workflow().name() + "': " + plan.workflow().nodes().size() + " nodes, " + plan.attempts()
                + " model request" + (plan.attempts() == 1 ? "" : "s")
                + (plan.gatesAdded().isEmpty() ? "" : "; approval gates added by Airlock: " + String.join(", ", plan.gatesAdded())));
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(parent, ".plan-", ".yaml");
            Files.writeString(tmp, plan.yaml());
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            err.println("written to " + out + " · run it with: airlock run " + out);
        } else {
            root.cli.out.print(TerminalApprover.visible(plan.yaml()));
            root.cli.out.flush();
        }
        if (!run) {
            return 0;
        }
        if (approval.mode() == dev.airlock.gate.ApprovalMode.INTERACTIVE) {
            if (out != null) {
                root.cli.out.print(TerminalApprover.visible(plan.yaml()));
            }
            err.print("Run this plan? Gates still ask before each destructive step. [y/N] ");
            err.flush();
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(root.cli.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (answer == null || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
                err.println("not run");
                return dev.airlock.home.ExitCode.APPROVAL_REQUIRED.code();
            }
        }
        RunResult result;
        try (WorkflowWiring.Wired wired = WorkflowWiring.runner(root, context, approval.mode())) {
            result = wired.runner.start(plan.workflow(), Map.of());
        }
        WorkflowWiring.summary(err, result);
        return result.exitCode();
    }
}
