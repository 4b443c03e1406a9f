package dev.airlock.cli;

import dev.airlock.home.ExitCode;
import dev.airlock.workflow.Runs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", description = "List workflow runs, or show one with its nodes and approvals.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: runs needs a subcommand: list or show. Try 'airlock runs --help'.");
        return ExitCode.USAGE.code();
    }

    @Command(name = "list", description = "Every run of the tenant, oldest first (no vault unlock needed).")
    static final class ListRuns implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            List<Runs.RunSummary> runs = WorkflowWiring.runs(s).list();
            if (parent.root.json) {
                parent.root.cli.out.println(Json.write(runs.stream().map(RunsCommand::summary).toList()));
                return 0;
            }
            if (runs.isEmpty()) {
                parent.root.cli.err.println("airlock: no workflow runs yet; start one with 'airlock run FILE'");
                return 0;
            }
            parent.root.cli.out.println(String.format("%-12s %-10s %-22s %-9s %-24s %s", "RUN", "STATE", "REASON", "COST", "STARTED", "NAME"));
            for (Runs.RunSummary r : runs) {
                parent.root.cli.out.println(String.format("%-12s %-10s %-22s %-9s %-24s %s", r.id(), r.state(),
                        r.reason() == null ? "-" : r.reason(), WorkflowWiring.money(new java.math.BigDecimal(r.costUsd())), r.created(),
                        TerminalApprover.visible(s.scrub(r.name()))));
            }
            return 0;
        }
    }

    @Command(name = "show", description = "One run: its nodes, their states and errors, and its approvals.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Parameters(paramLabel = "RUN")
        String run = "";

        @Option(names = "--outputs", description = "Also show node outputs (sealed at rest: unlocks the vault).")
        boolean outputs;

        @Override
        public Integer call() {
            Session s = parent.root.session();
            s.initializedHome();
            Runs.RunDetail d;
            if (outputs) {
                try (dev.airlock.vault.ContentCipher c = s.contentCipher(s.tenantName())) {
                    d = WorkflowWiring.runs(s).show(run, c);
                }
            } else {
                d = WorkflowWiring.runs(s).show(run, null);
            }
            var out = parent.root.cli.out;
            if (parent.root.json) {
                Map<String, Object> m = summary(d.run());
                List<Map<String, Object>> nodes = new ArrayList<>();
                for (Runs.NodeInfo n : d.nodes()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("id", n.id());
                    x.put("type", n.type());
                    x.put("state", n.state());
                    x.put("attempts", n.attempts());
                    x.put("exit_status", n.exitStatus());
                    x.put("error", n.error());
                    if (outputs) {
                        x.put("output", n.output());
                    }
                    x.put("input_tokens", n.inputTokens());
                    x.put("output_tokens", n.outputTokens());
                    x.put("cost_usd", n.costUsd());
                    x.put("started", time(n.started()));
                    x.put("finished", time(n.finished()));
                    nodes.add(x);
                }
                m.put("nodes", nodes);
                List<Map<String, Object>> approvals = new ArrayList<>();
                for (Runs.ApprovalInfo a : d.approvals()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("gate", a.gate());
                    x.put("commands", a.commands().stream().map(c -> Map.of("node", c.node(), "line", c.line(), "destructive",
                            c.destructive())).toList());
                    x.put("requested", time(a.requested()));
                    x.put("deadline", time(a.deadline()));
                    x.put("decision", a.decision());
                    x.put("approver", a.approver());
                    x.put("reason", a.reason());
                    x.put("decided", time(a.decided()));
                    approvals.add(x);
                }
                m.put("approvals", approvals);
                out.println(Json.write(m));
                return 0;
            }
            Runs.RunSummary r = d.run();
            out.println("run " + r.id() + "  " + TerminalApprover.visible(s.scrub(r.name())) + "  " + r.state()
                    + (r.reason() == null ? "" : " (" + r.reason() + ")") + "  cost " + WorkflowWiring.money(new java.math.BigDecimal(r.costUsd()))
                    + (r.costCapUsd() == null ? "" : " of " + WorkflowWiring.money(new java.math.BigDecimal(r.costCapUsd()))));
            out.println("  workspace " + r.workspace() + "  started " + r.created() + (r.finished() == null ? "" : "  finished " + r.finished()));
            for (Runs.NodeInfo n : d.nodes()) {
                out.println(String.format("  %-24s %-14s %-10s %s", n.id(), n.type(), n.state(),
                        (n.attempts() > 1 ? "attempts " + n.attempts() + " " : "") + (n.error() == null ? "" : TerminalApprover.visible(n.error()))));
                if (outputs && n.output() != null) {
                    for (String line : n.output().lines().toList()) {
                        out.println("      | " + TerminalApprover.visible(s.scrub(line)));
                    }
                }
            }
            for (Runs.ApprovalInfo a : d.approvals()) {
                out.println("  gate " + a.gate() + ": " + (a.decision() == null ? (r.finished() == null ? "pending until " + a.deadline()
                        : "not decided (the run ended)")
                        : a.decision() + " by " + a.approver() + (a.reason() == null ? "" : " (" + TerminalApprover.visible(a.reason()) + ")")));
                for (var c : a.commands()) {
                    out.println("      " + (c.destructive() ? "DESTRUCTIVE " : "") + c.node() + ": " + TerminalApprover.visible(c.line()));
                }
            }
            return 0;
        }
    }

    static Map<String, Object> summary(Runs.RunSummary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("state", r.state());
        m.put("reason", r.reason());
        m.put("exit_code", r.exitCode());
        m.put("mode", r.mode());
        m.put("workspace", r.workspace());
        m.put("cost_usd", r.costUsd());
        m.put("cost_cap_usd", r.costCapUsd());
        m.put("created", time(r.created()));
        m.put("updated", time(r.updated()));
        m.put("finished", time(r.finished()));
        return m;
    }

    static @Nullable String time(@Nullable Instant t) {
        return t == null ? null : t.toString();
    }
}
