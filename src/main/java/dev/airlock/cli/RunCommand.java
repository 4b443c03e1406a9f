package dev.airlock.cli;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.home.AirlockException;
import dev.airlock.policy.PathContext;
import dev.airlock.workflow.RunResult;
import dev.airlock.workflow.Validator;
import dev.airlock.workflow.Workflow;
import dev.airlock.workflow.WorkflowLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = {"Run a workflow: a DAG of shell, llm and approval_gate nodes, validated before anything runs.",
    "Then independent nodes in parallel, every shell node through the gate, destructive ones only after their gate is approved.",
    "Exit 0 success, 1 a node failed, 2 invalid workflow or input, 4 denied by policy, 5 approval not given,",
    "6 cost cap exceeded, 7 vault locked. See docs/workflows.md.",
    "Examples: airlock run cleanup.yaml --input folder=old    airlock run --resume r2xk9mq4ab"})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The workflow file (YAML or JSON).")
    @Nullable Path file;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue a parked run, or one whose process died.")
    @Nullable String resume;

    @Option(names = "--input", paramLabel = "NAME=VALUE", description = "A workflow input (repeatable).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "The workspace: the only writable folder for shell nodes (default: the current folder; on --resume, the run's).")
    @Nullable Path workspace;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Override
    public Integer call() {
        Session s = root.session();
        if ((file == null) == (resume == null)) {
            throw AirlockException.usage("give a workflow FILE or --resume RUN (not both)");
        }
        if (resume != null && !inputs.isEmpty()) {
            throw AirlockException.usage("--input cannot change a run being resumed; it keeps the inputs it started with");
        }
        ApprovalMode mode = approval.mode();
        s.initializedHome();
        RunResult result;
        if (resume != null) {
            Path ws = workspace != null ? workspace : Path.of(WorkflowWiring.runs(s).show(resume, null).run().workspace());
            try (WorkflowWiring.Wired wired = WorkflowWiring.runner(root, s.workspaceContext(ws), mode)) {
                result = wired.runner.resume(resume);
            }
        } else {
            Map<String, String> given = parseInputs(inputs);
            Workflow w = WorkflowLoader.load(file);
            PathContext context = s.workspaceContext(workspace);
            // Refused before the vault is unlocked or anything is written: an invalid file changes nothing.
            Validator.create(s.policy().analyzer(), context).validate(w);
            try (WorkflowWiring.Wired wired = WorkflowWiring.runner(root, context, mode)) {
                result = wired.runner.start(w, given);
            }
        }
        WorkflowWiring.summary(root.cli.err, result);
        if (root.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", result.runId());
            m.put("state", result.state());
            m.put("reason", result.reason());
            m.put("exit_code", result.exitCode());
            m.put("nodes", result.nodes());
            m.put("cost_usd", result.costUsd().toPlainString());
            m.put("duration_ms", result.duration().toMillis());
            root.cli.out.println(Json.write(m));
        }
        return result.exitCode();
    }

    static Map<String, String> parseInputs(List<String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : raw) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw AirlockException.usage("--input " + kv + " must be NAME=VALUE");
            }
            if (out.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                throw AirlockException.usage("--input " + kv.substring(0, eq) + " is given twice");
            }
        }
        return out;
    }
}
