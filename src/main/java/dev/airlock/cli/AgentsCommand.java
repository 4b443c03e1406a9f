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
            boolean isDefault = a.name().equals(catalog.defaultAgent());
            String model = a.model().map(ModelRef::toString).orElse("(not set)");
            List<String> tools = Tools.specs(a).stream().map(t -> t.name()
                    + (a.permission(t.name()) == dev.airlock.agent.AgentDefinition.Permission.ASK ? "(ask)" : "")).toList();
            String cost = a.costLimitUsd().map(java.math.BigDecimal::toPlainString).orElse("none");
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("default", isDefault);
                m.put("model", model);
                m.put("read_only", a.readOnly());
                m.put("security_mode", a.securityMode());
                m.put("tools", tools);
                m.put("cost_limit_usd", cost);
                m.put("sources", a.sources());
                rows.add(m);
            } else {
                root.cli.out.println(a.name() + (isDefault ? " (default)" : "") + "  model " + model + (a.readOnly() ? "  read-only" : "")
                        + (a.securityMode() ? "  security-mode" : "") + "  cost limit " + cost);
                root.cli.out.println("  tools: " + String.join(", ", tools));
                root.cli.out.println("  from:  " + String.join(" > ", a.sources()));
            }
        }
        if (root.json) {
            root.cli.out.println(Json.write(rows));
        }
        return 0;
    }
}
