package dev.airlock.cli;

import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandDecision;
import dev.airlock.policy.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "policy", description = "Explain what the policy decides about a command line.", subcommands = PolicyCommand.Check.class)
final class PolicyCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() {
        root.cli.err.println("airlock: policy needs a subcommand: check. Try 'airlock policy --help'.");
        return ExitCode.USAGE.code();
    }

    /** Exit codes mirror what exec would do: 0 allow, 5 ask, 4 deny. */
    static int exitFor(Decision d) {
        return switch (d) {
            case Decision.Allow a -> 0;
            case Decision.Ask a -> ExitCode.APPROVAL_REQUIRED.code();
            case Decision.Deny a -> ExitCode.DENIED.code();
        };
    }

    @Command(name = "check", description = {"Show, per sub-command, its classes, verdict and the rule that decided it.",
        "Exit 0 allow, 5 ask, 4 deny. Nothing is run. Example: airlock policy check -- 'git status && rm -rf build'"})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        PolicyCommand parent;

        @Mixin
        CommandLineOptions command = new CommandLineOptions();

        @Override
        public Integer call() {
            Session s = parent.root.session();
            String text = command.text();
            // The gate's own decision, so the exit code is the one exec would give (sandbox off or
            // missing, workspace in a protected place). Nobody is asked and nothing is recorded.
            Decision d = s.gate((l, ask, sandboxed) -> false).check(text, command.agent, s.workspaceContext(command.workspace));
            if (parent.root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", s.scrub(text));
                m.put("decision", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
                m.put("reasons", d.reasons().stream().map(s::scrub).toList());
                List<Map<String, Object>> cmds = new ArrayList<>();
                for (CommandDecision c : d.commands()) {
                    Map<String, Object> cm = new LinkedHashMap<>();
                    cm.put("command", s.scrub(c.command().source()));
                    cm.put("classes", c.command().classes().stream().map(Enum::name).sorted().toList());
                    cm.put("verdict", c.verdict().name().toLowerCase(java.util.Locale.ROOT));
                    cm.put("rules", c.rules().stream().map(r -> r.id()).toList());
                    cm.put("reasons", c.reasons().stream().map(s::scrub).toList());
                    cmds.add(cm);
                }
                m.put("commands", cmds);
                parent.root.cli.out.println(Json.write(m));
            } else {
                parent.root.cli.out.println("decision: " + d.verdict().name().toLowerCase(java.util.Locale.ROOT));
                TerminalApprover.describe(parent.root.cli.out, d, s);
            }
            return exitFor(d);
        }
    }
}
