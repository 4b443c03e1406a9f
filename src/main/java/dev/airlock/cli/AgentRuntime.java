package dev.airlock.cli;

import dev.airlock.agent.Agent;
import dev.airlock.agent.AgentLoop;
import dev.airlock.agent.SessionStore;
import dev.airlock.agent.Tools;
import dev.airlock.gate.ApprovalMode;
import dev.airlock.gate.EgressGate;
import dev.airlock.gate.Gate;
import dev.airlock.home.AirlockHome;
import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelRef;
import dev.airlock.llm.Price;
import dev.airlock.llm.ToolCall;
import dev.airlock.policy.PathContext;
import dev.airlock.store.TenantName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What {@code chat} and {@code ask} share: the agent chosen and narrowed for the workspace, its model
 * client behind the egress gate, its tools behind the gate, the session store, and the loop.
 */
final class AgentRuntime implements AutoCloseable {
    final Session session;
    final Cli cli;
    final PathContext workspace;
    final ApprovalMode mode;
    final BufferedReader terminal;
    final SessionStore store;
    final EgressGate egress;
    private final dev.airlock.agent.AgentCatalog catalog;
    private final @Nullable String modelOverride;
    private dev.airlock.llm.@Nullable Providers providers;

    AgentRuntime(RootCommand root, AgentOptions options, ApprovalMode mode) {
        this.session = root.session();
        this.cli = root.cli;
        this.mode = mode;
        this.modelOverride = options.model;
        session.initializedHome();
        this.workspace = session.workspaceContext(options.workspace);
        this.catalog = session.agents(workspace);
        TenantName t = session.tenantName();
        if (session.hasIdentity(t)) {
            // Pre-flight redaction scrubs every vault value exactly, so they must be known first.
            session.unlock(t).loadAllForRedaction();
        }
        this.store = session.sessions();
        this.egress = EgressGate.create(session.policy(), session.lazyAudit(t));
        this.terminal = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8));
    }

    /** The agent {@code name} (or the default), with the model override applied; it must serve the CLI. */
    Agent agent(@Nullable String name) {
        Agent a = catalog.get(name);
        if (modelOverride != null) {
            a = new Agent(a.name(), java.util.Optional.of(ModelRef.parse(modelOverride)), a.systemPrompt(), a.tools(), a.readOnly(),
                    a.permissions(), a.rateLimits(), a.costLimitUsd(), a.maxTokens(), a.maxSteps(), a.maxToolCallsPerTurn(), a.platforms(), a.securityMode(), a.sources());
        }
        if (!a.platforms().contains("cli")) {
            throw dev.airlock.home.AirlockException.usage("agent '" + a.name() + "' does not serve the cli (platforms: "
                    + String.join(", ", a.platforms()) + ")");
        }
        a.requireModel();
        return a;
    }

    /** The loop for {@code agent}: its model client, price, tools (with its rate limits) and masking. */
    AgentLoop loop(Agent agent) {
        ModelRef ref = agent.requireModel();
        ModelClient client = client(agent);
        Price price = providers().pricing().price(ref, client.local()).orElse(null);
        Gate gate = session.gate(new TerminalApprover(cli, session, terminal),
                agent.rateLimits().stream().map(l -> new dev.airlock.gate.GateSettings.RateLimitSetting(agent.name(), l.tool(),
                        l.capacity(), l.periodSeconds())).toList());
        Tools tools = new Tools(gate, session.policy(), egress, workspace, mode);
        return AgentLoop.builder().client(client).tools(tools).redactor(session.redactor()).store(store)
                .audit(session.lazyAudit(session.tenantName())).price(price).clock(session.clock())
                .masking(new AgentLoop.Masking(workspace.workspaceRoots().get(0), AirlockHome.userHome(session.env()),
                        session.env().get("USER")))
                .build();
    }

    /** The model client of {@code agent}, through the egress gate. */
    ModelClient client(Agent agent) {
        return providers().client(agent.requireModel().provider(), "agent:" + agent.name(), agent.name());
    }

    private dev.airlock.llm.Providers providers() {
        if (providers == null) {
            providers = session.providers(egress);
        }
        return providers;
    }

    /** Wipes the API keys the providers resolved. */
    @Override
    public void close() {
        if (providers != null) {
            providers.close();
        }
    }

    /** Prints the reply as it streams and each tool call on stderr. */
    AgentLoop.Listener printer() {
        AtomicReference<Boolean> midLine = new AtomicReference<>(false);
        return new AgentLoop.Listener() {
            @Override
            public void text(String delta) {
                cli.out.print(TerminalApprover.visible(delta));
                cli.out.flush();
                midLine.set(!delta.endsWith("\n"));
            }

            @Override
            public void toolCall(ToolCall call) {
                if (midLine.getAndSet(false)) {
                    cli.out.println();
                    cli.out.flush();
                }
                String args = call.argumentsJson().length() > 200 ? call.argumentsJson().substring(0, 200) + "…" : call.argumentsJson();
                cli.err.println("  [tool] " + TerminalApprover.visible(call.name() + " " + session.scrub(args)));
                cli.err.flush();
            }

            @Override
            public void toolResult(ToolCall call, Tools.Result result) {
                String first = result.text().lines().findFirst().orElse("");
                cli.err.println("  [" + result.status() + "] " + (result.ok() ? "" : TerminalApprover.visible(session.scrub(first))));
                cli.err.flush();
            }
        };
    }

}
