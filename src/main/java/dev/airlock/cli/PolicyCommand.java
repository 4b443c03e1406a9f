package dev.airlock.cli;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.CommandDecision;
import dev.airlock.policy.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

        @Option(names = "--agent", paramLabel = "NAME", defaultValue = "cli", description = "Whose rules apply (default: ${DEFAULT-VALUE}).")
        String agent;

        @Option(names = "--workspace", paramLabel = "DIR", description = "The workspace paths are judged against (default: the current folder).")
        java.nio.file.@org.jspecify.annotations.Nullable Path workspace;

        @Parameters(arity = "1..*", paramLabel = "LINE", description = "The command line (quote it, after --).")
        List<String> line = new ArrayList<>();

        @Override
        public Integer call() {
            Session s = parent.root.session();
            String text = String.join(" ", line);
            if (text.isBlank()) {
                throw AirlockException.usage("the command line is empty");
            }
            var context = ExecCommand.workspaceContext(s, workspace);
            // The same adjustments exec makes (sandbox off or unavailable, workspace inside the home),
            // so that the exit code is the one exec would give.
            dev.airlock.gate.GateSettings settings = s.config().section("sandbox", dev.airlock.gate.GateSettings.class);
            String state;
            boolean isolating = false;
            if (!settings.enabled()) {
                state = "off (sandbox.enabled: false in the config)";
            } else {
                var probe = dev.airlock.sandbox.SandboxProbe.probe(s.env().getOrDefault("PATH", ""));
                isolating = probe.works();
                state = probe.works() ? "bubblewrap" : "unavailable (" + probe.reason() + ")";
            }
            List<java.nio.file.Path> protectedPaths = new ArrayList<>(s.hiddenPaths());
            protectedPaths.add(context.airlockHome());
            Decision d = dev.airlock.gate.Gate.effective(s.policy().checkCommand(text, agent, context), context, protectedPaths,
                    isolating, state);
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
