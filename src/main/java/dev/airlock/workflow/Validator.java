package dev.airlock.workflow;

import dev.airlock.policy.CommandAnalysis;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.CommandClass;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.SimpleCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a workflow must follow before anything runs, checked against the policy engine's
 * command analysis. Immutable and thread-safe.
 *
 * <p>Rules: ids are unique; {@code depends_on} names existing nodes; there is no cycle; every
 * placeholder and {@code when} refers to a declared input or to an ancestor's output (approval gates
 * have none); and <b>every destructive node has an approval gate among its direct parents</b>. A node
 * is destructive when the file says {@code destructive: true} or when the analysis classifies any
 * command of its line as {@link CommandClass#DESTRUCTIVE} — however it is spelled
 * ({@code /bin/rm}, {@code bash -c 'rm …'}); {@code destructive: false} on such a command is itself a
 * violation. The command behind a gate may use only outputs the gate waits for, so that the approver
 * sees the exact line that will run.
 */
public final class Validator {
    private static final Pattern QUOTED_PLACEHOLDER = Pattern.compile("['\"]\\{\\{|}}['\"]");

    private final CommandAnalyzer analyzer;
    private final PathContext context;

    private Validator(CommandAnalyzer analyzer, PathContext context) {
        this.analyzer = Objects.requireNonNull(analyzer);
        this.context = Objects.requireNonNull(context);
    }

    /** A validator that classifies commands as they would be judged in {@code context}'s workspace. */
    public static Validator create(CommandAnalyzer analyzer, PathContext context) {
        return new Validator(analyzer, context);
    }

    /**
     * {@code workflow} if it follows every rule.
     *
     * @throws WorkflowException exit 2, reason {@code invalid_workflow}, listing every violation with
     *     the nodes it concerns
     */
    public Workflow validate(Workflow workflow) {
        List<String> problems = problems(workflow);
        if (!problems.isEmpty()) {
            throw WorkflowException.invalid("workflow '" + workflow.name() + "' refused, nothing ran: "
                    + String.join("; ", problems));
        }
        return workflow;
    }

    /** Every violation, one line each, in file order; empty when the workflow is valid. */
    public List<String> problems(Workflow w) {
        List<String> problems = new ArrayList<>();
        Map<String, Node> byId = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (Node n : w.nodes()) {
            if (byId.putIfAbsent(n.id(), n) != null && reported.add(n.id())) {
                problems.add("node id '" + n.id() + "' is used more than once; ids must be unique");
            }
        }
        boolean refsOk = true;
        for (Node n : w.nodes()) {
            Set<String> seen = new HashSet<>();
            for (String d : n.dependsOn()) {
                if (d.equals(n.id())) {
                    problems.add("node '" + n.id() + "' depends on itself");
                    refsOk = false;
                } else if (!byId.containsKey(d)) {
                    problems.add("node '" + n.id() + "' depends on '" + d + "', which is not a node of this workflow");
                    refsOk = false;
                } else if (!seen.add(d)) {
                    problems.add("node '" + n.id() + "' lists '" + d + "' twice in depends_on");
                }
            }
        }
        if (!refsOk || !reported.isEmpty()) {
            return problems;
        }
        List<String> cycle = Graph.findCycle(w.nodes());
        if (cycle != null) {
            problems.add("nodes " + String.join(" -> ", cycle) + " form a cycle; a workflow must be a DAG");
            return problems;
        }
        Graph g = new Graph(w);
        for (int i = 0; i < g.size(); i++) {
            Node n = g.node(i);
            String where = "node '" + n.id() + "'";
            List<Template.Ref> refs = new ArrayList<>();
            Template template = switch (n) {
                case Node.Shell s -> Template.parse(s.command(), where, problems);
                case Node.Llm l -> Template.parse(l.prompt(), where, problems);
                case Node.ApprovalGate a -> Template.parse(a.message(), where, problems);
            };
            refs.addAll(template.refs());
            if (n.when() != null) {
                Condition c = Condition.parse(n.when(), where, problems);
                if (c != null) {
                    refs.add(c.ref());
                }
            }
            for (Template.Ref r : new LinkedHashSet<>(refs)) {
                switch (r) {
                    case Template.InputRef in -> {
                        if (!w.inputs().containsKey(in.name())) {
                            problems.add(where + " uses {{inputs." + in.name() + "}}, which is not declared under inputs");
                        }
                    }
                    case Template.OutputRef out -> {
                        Integer j = g.index.get(out.node());
                        if (j == null) {
                            problems.add(where + " uses the output of '" + out.node() + "', which is not a node of this workflow");
                        } else if (!g.isAncestor(j, i)) {
                            problems.add(where + " uses the output of '" + out.node() + "', which is not one of its ancestors;"
                                    + " add '" + out.node() + "' to its depends_on (directly or through a parent)");
                        } else if (g.node(j) instanceof Node.ApprovalGate) {
                            problems.add(where + " uses the output of approval gate '" + out.node() + "'; gates have no output");
                        }
                    }
                }
            }
            if (n instanceof Node.Shell s && QUOTED_PLACEHOLDER.matcher(s.command()).find()) {
                problems.add(where + ": write placeholders without quotes around them; Airlock quotes every substituted"
                        + " value as one shell word");
            }
            gateRule(w, g, i, template, problems);
        }
        return problems;
    }

    private void gateRule(Workflow w, Graph g, int i, Template template, List<String> problems) {
        Node n = g.node(i);
        if (n instanceof Node.ApprovalGate) {
            return;
        }
        List<String> classified = n instanceof Node.Shell s ? destructiveCommands(staticLine(s)) : List.of();
        String where = "node '" + n.id() + "'";
        if (Boolean.FALSE.equals(n.destructive()) && !classified.isEmpty()) {
            problems.add(where + " says destructive: false, but the policy engine classifies " + String.join(", ", classified)
                    + " as destructive; a file cannot declare a destructive command harmless (remove the line and put an"
                    + " approval_gate in front)");
            return;
        }
        if (!Boolean.TRUE.equals(n.destructive()) && classified.isEmpty()) {
            return;
        }
        List<Integer> gates = new ArrayList<>();
        for (int p : g.parents[i]) {
            if (g.node(p) instanceof Node.ApprovalGate) {
                gates.add(p);
            }
        }
        String why = classified.isEmpty() ? "is marked destructive" : "is destructive (" + String.join(", ", classified) + ")";
        if (gates.isEmpty()) {
            problems.add(where + " " + why + " but has no approval_gate among its direct parents; add a gate and make '"
                    + n.id() + "' depend on it");
            return;
        }
        for (Template.Ref r : template.refs()) {
            if (r instanceof Template.OutputRef out) {
                int j = g.indexOf(out.node());
                if (gates.stream().noneMatch(gate -> g.isAncestor(j, gate))) {
                    problems.add(where + " " + why + " and its command uses the output of '" + out.node()
                            + "', which its approval gate does not wait for; make the gate depend on '" + out.node()
                            + "' so the approver sees the exact command");
                }
            }
        }
    }

    /** The line with every placeholder as a quoted word, as the runner will substitute it. */
    static String staticLine(Node.Shell s) {
        // Unreadable placeholders are reported on their own; here they stay as written.
        return Template.parse(s.command(), "", new ArrayList<>()).render(r -> Template.shellQuote("placeholder"));
    }

    /** The commands of {@code line} the policy engine classifies destructive, by name; empty if none. */
    List<String> destructiveCommands(String line) {
        CommandAnalysis a = analyzer.analyze(line, context);
        List<String> names = new ArrayList<>();
        for (SimpleCommand c : a.commands()) {
            if (c.is(CommandClass.DESTRUCTIVE)) {
                names.add(c.name());
            }
        }
        return names.stream().distinct().toList();
    }

    /** Whether {@code node} is destructive: declared so, or its command classified so. */
    public boolean isDestructive(Node node) {
        return Boolean.TRUE.equals(node.destructive())
                || node instanceof Node.Shell s && !destructiveCommands(staticLine(s)).isEmpty();
    }

    /**
     * The workflow with an approval gate put in front of every destructive node that has none among
     * its direct parents, and {@code destructive: true} on every node whose command is classified
     * destructive: what a planner does to whatever a model proposed. The new gate takes over the
     * node's {@code depends_on} (so it waits for every output the command uses) and is named
     * {@code approve-ID}. Ids must already be unique and known; otherwise the workflow is returned as
     * it is for {@link #validate} to refuse.
     */
    public Workflow withGates(Workflow w) {
        Set<String> ids = new HashSet<>();
        for (Node n : w.nodes()) {
            if (!ids.add(n.id())) {
                return w;
            }
        }
        Map<String, Node> byId = new HashMap<>();
        w.nodes().forEach(n -> byId.put(n.id(), n));
        List<Node> out = new ArrayList<>();
        for (Node n : w.nodes()) {
            if (n instanceof Node.ApprovalGate || !isDestructive(n)) {
                out.add(n);
                continue;
            }
            boolean gated = n.dependsOn().stream().map(byId::get).anyMatch(p -> p instanceof Node.ApprovalGate);
            List<String> deps = n.dependsOn();
            if (!gated) {
                String gateId = "approve-" + n.id();
                for (int k = 2; ids.contains(gateId) || gateId.length() > 64; k++) {
                    gateId = "approve-" + k + "-" + n.id().substring(0, Math.min(n.id().length(), 50));
                }
                ids.add(gateId);
                String what = n instanceof Node.Shell s ? "run: " + s.command() : "run destructive node " + n.id();
                out.add(new Node.ApprovalGate(gateId, n.dependsOn(), null, 0, null, "Approve '" + n.id() + "' to " + what));
                deps = List.of(gateId);
            }
            out.add(switch (n) {
                case Node.Shell s -> new Node.Shell(s.id(), deps, true, s.timeout(), s.retries(), s.when(), s.command());
                case Node.Llm l -> new Node.Llm(l.id(), deps, true, l.timeout(), l.retries(), l.when(), l.model(), l.agent(),
                        l.prompt(), l.maxTokens());
                case Node.ApprovalGate a -> a;
            });
        }
        return w.withNodes(out);
    }
}
