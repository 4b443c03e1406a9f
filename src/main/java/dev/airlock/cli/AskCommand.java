package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.agent.AgentLoop;
import dev.airlock.agent.SessionStore;
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

    @Mixin
    AgentOptions agentOptions = new AgentOptions();

    @Option(names = "--resume", paramLabel = "ID", description = "Continue this session instead of starting one.")
    @Nullable String resume;

    @Parameters(arity = "1..*", paramLabel = "QUESTION")
    List<String> question = new ArrayList<>();

    @Override
    public Integer call() {
        String text = String.join(" ", question).strip();
        if (text.isEmpty()) {
            throw dev.airlock.home.AirlockException.usage("the question is empty");
        }
        try (AgentRuntime rt = new AgentRuntime(root, agentOptions, approval.mode())) {
            return converse(rt, text);
        }
    }

    private int converse(AgentRuntime rt, String text) {
        Agent a = rt.agent(agentOptions.agent);
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
