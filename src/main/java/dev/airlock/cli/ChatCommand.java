package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.agent.AgentLoop;
import dev.airlock.agent.SessionStore;
import dev.airlock.home.AirlockException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "chat", description = {"Chat with an agent in the current folder (or --workspace DIR).",
    "Every tool call goes through the gate: policy, your approval, sandbox, redaction, audit.",
    "In the chat: /agent NAME switches agent, /exit leaves; Ctrl-C cancels the current turn and keeps the session."})
final class ChatCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Mixin
    AgentOptions agentOptions = new AgentOptions();

    @Option(names = "--resume", paramLabel = "ID", description = "Continue a session (see airlock sessions list).")
    @Nullable String resume;

    @Override
    public Integer call() throws IOException {
        try (AgentRuntime rt = new AgentRuntime(root, agentOptions, approval.mode())) {
            return converse(rt);
        }
    }

    private int converse(AgentRuntime rt) throws java.io.IOException {
        SessionStore.Info s;
        Agent a;
        if (resume != null) {
            s = rt.store.require(resume);
            a = rt.agent(agentOptions.agent != null ? agentOptions.agent : s.agent());
            if (!a.name().equals(s.agent())) {
                rt.store.appendSwitch(s.id(), s.agent(), a.name());
            }
        } else {
            a = rt.agent(agentOptions.agent);
            s = rt.store.create(a.name(), a.requireModel().toString(), rt.workspace.workspaceRoots().get(0).toString());
        }
        AgentLoop loop = rt.loop(a);
        var err = root.cli.err;
        err.println("session " + s.id() + " · agent " + a.name() + " · " + a.requireModel() + " · workspace "
                + rt.workspace.workspaceRoots().get(0) + (a.readOnly() ? " · read-only" : "") + (a.securityMode() ? " · security mode" : ""));
        err.println("type /exit to leave, /agent NAME to switch; Ctrl-C cancels a turn");
        while (true) {
            err.print("you> ");
            err.flush();
            String line = rt.terminal.readLine();
            if (line == null) {
                err.println();
                break;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("/exit") || line.equals("/quit")) {
                break;
            }
            if (line.startsWith("/agent")) {
                String name = line.substring("/agent".length()).strip();
                try {
                    Agent next = rt.agent(name.isEmpty() ? null : name);
                    AgentLoop nextLoop = rt.loop(next);
                    rt.store.appendSwitch(s.id(), a.name(), next.name());
                    a = next;
                    loop = nextLoop;
                    err.println("now talking to " + a.name() + " (" + a.requireModel() + ")");
                } catch (AirlockException e) {
                    err.println("airlock: " + root.session().scrub(e.getMessage()));
                }
                continue;
            }
            if (line.startsWith("/")) {
                err.println("commands: /agent NAME, /exit");
                continue;
            }
            runTurn(loop, s, a, line, rt);
        }
        SessionStore.Info end = rt.store.require(s.id());
        err.println("session " + end.id() + " kept: " + end.messages() + " messages, $" + end.costUsd().toPlainString()
                + " · resume with: airlock chat --resume " + end.id());
        return 0;
    }

    /** One turn on a worker thread, so that Ctrl-C can cancel it and the chat goes on. */
    private void runTurn(AgentLoop loop, SessionStore.Info s, Agent a, String line, AgentRuntime rt) {
        var err = root.cli.err;
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<AgentLoop.Turn> result = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("airlock-turn").start(() -> {
            try {
                result.set(loop.turn(s.id(), a, line, rt.printer()));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        Object previous = Interrupts.onInterrupt(worker::interrupt);
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            Interrupts.restore(previous);
        }
        root.cli.out.println();
        root.cli.out.flush();
        if (failure.get() != null) {
            RuntimeException e = failure.get();
            String msg = e instanceof AirlockException ? e.getMessage() : "unexpected error: " + e;
            err.println("airlock: " + root.session().scrub(String.valueOf(msg)) + " (the session is kept)");
        } else if (result.get() != null) {
            err.println(summary(result.get()));
        }
    }

    static String summary(AgentLoop.Turn t) {
        return "[" + t.steps() + " model request" + (t.steps() == 1 ? "" : "s") + ", " + t.usage().inputTokens() + " in / "
                + t.usage().outputTokens() + " out tokens, cost " + t.cost().map(c -> "$" + c.setScale(6, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString()).orElse("unknown") + (t.stopped() ? ", stopped at max_steps" : "") + "]";
    }
}
