package dev.airlock.cli;

import dev.airlock.agent.SessionStore;
import dev.airlock.home.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "sessions", description = "List, show and delete chat sessions (content is encrypted at rest).",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Delete.class})
final class SessionsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: sessions needs a subcommand: list, show or delete. Try 'airlock sessions --help'.");
        return ExitCode.USAGE.code();
    }

    static Map<String, Object> info(SessionStore.Info i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("created", i.created().toString());
        m.put("updated", i.updated().toString());
        m.put("agent", i.agent());
        m.put("model", i.model());
        m.put("workspace", i.workspace());
        m.put("messages", i.messages());
        m.put("input_tokens", i.usage().inputTokens());
        m.put("output_tokens", i.usage().outputTokens());
        m.put("cost_usd", i.costUsd().toPlainString());
        return m;
    }

    @Command(name = "list", description = "Sessions of the tenant, most recent first (metadata only; nothing is unlocked).")
    static final class ListSessions implements Callable<Integer> {
        @ParentCommand
        SessionsCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            List<SessionStore.Info> all = s.sessions().list();
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(all.stream().map(SessionsCommand::info).toList()));
                return 0;
            }
            if (all.isEmpty()) {
                parent.root.cli.err.println("no sessions yet; start one with 'airlock chat'");
                return 0;
            }
            parent.root.cli.out.printf("%-13s %-20s %-10s %-28s %5s %10s%n", "ID", "UPDATED", "AGENT", "MODEL", "MSGS", "COST USD");
            for (SessionStore.Info i : all) {
                parent.root.cli.out.printf("%-13s %-20s %-10s %-28s %5d %10s%n", i.id(), i.updated().toString().substring(0, 19).replace('T', ' '),
                        i.agent(), i.model(), i.messages(), i.costUsd().setScale(4, java.math.RoundingMode.HALF_UP).toPlainString());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a session's messages (unlocks the vault, or uses AIRLOCK_ENC_KEY, to decrypt them).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        SessionsCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            SessionStore.Info info = s.sessions().require(id);
            List<SessionStore.Entry> entries = s.sessions().entries(id);
            if (parent.root.json) {
                Map<String, Object> m = info(info);
                List<Map<String, Object>> msgs = new ArrayList<>();
                for (SessionStore.Entry e : entries) {
                    Map<String, Object> em = new LinkedHashMap<>();
                    em.put("seq", e.seq());
                    em.put("time", e.time().toString());
                    em.put("kind", e.kind());
                    em.put("agent", e.agent());
                    if (e.tool() != null) {
                        em.put("tool", e.tool());
                    }
                    if (e.status() != null) {
                        em.put("status", e.status());
                    }
                    em.put("text", s.scrub(e.text()));
                    if (e.message() instanceof dev.airlock.llm.ModelMessage.Assistant a && !a.toolCalls().isEmpty()) {
                        em.put("tool_calls", a.toolCalls().stream().map(c -> Map.of("id", c.id(), "name", c.name(),
                                "arguments", s.scrub(c.argumentsJson()))).toList());
                    }
                    msgs.add(em);
                }
                m.put("entries", msgs);
                parent.root.cli.out.println(Json.write(m));
                return 0;
            }
            parent.root.cli.out.println("session " + info.id() + "  agent " + info.agent() + "  model " + info.model()
                    + "  workspace " + info.workspace());
            parent.root.cli.out.println("tokens " + info.usage().inputTokens() + " in / " + info.usage().outputTokens()
                    + " out, cost $" + info.costUsd().toPlainString());
            for (SessionStore.Entry e : entries) {
                String head = "[" + e.seq() + " " + e.time().toString().substring(11, 19) + "] " + switch (e.kind()) {
                    case "user" -> "you";
                    case "assistant" -> e.agent();
                    case "tool_result" -> "tool " + e.tool() + " (" + e.status() + ")";
                    case "agent_switch" -> "switched agent";
                    default -> e.kind();
                };
                parent.root.cli.out.println(head + ": " + TerminalApprover.visible(s.scrub(e.text())));
                if (e.message() instanceof dev.airlock.llm.ModelMessage.Assistant a) {
                    for (var c : a.toolCalls()) {
                        parent.root.cli.out.println("    -> " + c.name() + " " + TerminalApprover.visible(s.scrub(c.argumentsJson())));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a session and its messages (audited).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        SessionsCommand parent;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            s.sessions().delete(id);
            parent.root.cli.err.println("deleted session " + id);
            return 0;
        }
    }
}
