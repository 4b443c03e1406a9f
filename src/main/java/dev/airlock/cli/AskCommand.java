package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.agent.AgentLoop;
import dev.airlock.agent.SessionStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ask", description = {"One non-interactive turn with an agent, for scripts: the answer goes to stdout.",
    "Tool calls go through the gate like in chat; the session is kept (its id is printed on stderr).",
    "Example: airlock ask --non-interactive \"which files mention TODO?\""})
final class AskCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Option(names = "--agent", paramLabel = "NAME", description = "The agent (default: agents.default in the config).")
    @Nullable String agent;

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL", description = "Use this model instead of the agent's.")
    @Nullable String model;

    @Option(names = "--resume", paramLabel = "ID", description = "Continue this session instead of starting one.")
    @Nullable String resume;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The project folder (default: the current folder).")
    @Nullable Path workspace;

    @Parameters(arity = "1..*", paramLabel = "QUESTION")
    List<String> question = new ArrayList<>();

    @Override
    public Integer call() {
        String text = String.join(" ", question).strip();
        if (text.isEmpty()) {
            throw dev.airlock.home.AirlockException.usage("the question is empty");
        }
        try (AgentRuntime rt = new AgentRuntime(root, workspace, approval.mode(), model)) {
            return converse(rt, text);
        }
    }

    private int converse(AgentRuntime rt, String text) {
        Agent a = rt.agent(agent);
        SessionStore.Info s = resume != null ? rt.store.require(resume)
                : rt.store.create(a.name(), a.requireModel().toString(), rt.workspace.workspaceRoots().get(0).toString());
        root.cli.err.println("session " + s.id() + " · agent " + a.name() + " · " + a.requireModel());
        root.cli.err.flush();
        AgentLoop.Turn turn = rt.loop(a).turn(s.id(), a, text, rt.printer());
        if (!turn.answer().endsWith("\n")) {
            root.cli.out.println();
        }
        root.cli.err.println(ChatCommand.summary(turn));
        return 0;
    }
}
