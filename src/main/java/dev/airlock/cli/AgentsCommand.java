package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.agent.AgentCatalog;
import dev.airlock.agent.Tools;
import dev.airlock.llm.ModelRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "agents", description = {"List the agents you can chat with and what each may do.",
    "Built-ins and your config's agents.definitions, narrowed by the workspace's .airlock/agents/*.yaml."})
final class AgentsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--workspace", paramLabel = "DIR", description = "The project folder (default: the current folder).")
    @Nullable Path workspace;

    @Override
    public Integer call() {
        Session s = root.session();
        AgentCatalog catalog = s.agents(s.workspaceContext(workspace));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Agent a : catalog.all().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("default", a.name().equals(catalog.defaultAgent()));
            m.put("model", a.model().map(ModelRef::toString).orElse("(not set)"));
            m.put("read_only", a.readOnly());
            m.put("security_mode", a.securityMode());
            m.put("tools", Tools.specs(a).stream().map(t -> t.name() + (a.permission(t.name()) == dev.airlock.agent.AgentDefinition.Permission.ASK
                    ? "(ask)" : "")).toList());
            m.put("cost_limit_usd", a.costLimitUsd().map(java.math.BigDecimal::toPlainString).orElse("none"));
            m.put("sources", a.sources());
            rows.add(m);
        }
        if (root.json) {
            root.cli.out.println(Json.write(rows));
            return 0;
        }
        for (Map<String, Object> m : rows) {
            root.cli.out.println(m.get("name") + (Boolean.TRUE.equals(m.get("default")) ? " (default)" : "") + "  model " + m.get("model")
                    + (Boolean.TRUE.equals(m.get("read_only")) ? "  read-only" : "") + (Boolean.TRUE.equals(m.get("security_mode")) ? "  security-mode" : "")
                    + "  cost limit " + m.get("cost_limit_usd"));
            root.cli.out.println("  tools: " + String.join(", ", (List<String>) m.get("tools")));
            root.cli.out.println("  from:  " + String.join(" > ", (List<String>) m.get("sources")));
        }
        return 0;
    }
}
