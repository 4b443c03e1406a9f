package dev.airlock.agent;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.llm.LlmException;
import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelMessage;
import dev.airlock.llm.ModelReply;
import dev.airlock.llm.ModelRequest;
import dev.airlock.llm.Price;
import dev.airlock.llm.TokenEstimate;
import dev.airlock.llm.ToolCall;
import dev.airlock.llm.Usage;
import dev.airlock.redact.Finding;
import dev.airlock.redact.Redactor;
import dev.airlock.redact.StreamRedactor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One agent's tool loop over one session: the user's turn goes to the model; each tool call the
 * model makes goes through {@link Tools} (and so through the gate); each result goes back to the
 * model contained; until the model answers without calling a tool or the step limit is reached.
 *
 * <p>Before every request leaves: each message is redacted (known vault secrets and detectors); in
 * security mode the workspace, home folder and user name are replaced by placeholders; the session's
 * cost limit is checked against the worst case (spent so far + the input's upper-bound token count ×
 * input price + max tokens × output price), and a request that could exceed it is not sent (exit 6).
 * Every reply is redacted before it is shown or stored; a reply that held a secret is audited.
 */
public final class AgentLoop {
    private final ModelClient client;
    private final Tools tools;
    private final Redactor redactor;
    private final SessionStore store;
    private final AuditLog audit;
    private final Optional<Price> price;
    private final Masking masking;
    private final Clock clock;

    /** What the loop tells whoever watches (the terminal). Called on the loop's thread. */
    public interface Listener {
        /** Redacted text of the model's reply, as it streams. */
        void text(String delta);

        /** The model asked for a tool. */
        default void toolCall(ToolCall call) {
        }

        /** A tool call finished. */
        default void toolResult(ToolCall call, Tools.Result result) {
        }
    }

    /**
     * The end of a turn.
     *
     * @param answer  the model's last text, redacted
     * @param usage   tokens used by this turn's requests
     * @param cost    what they cost, if the price is known
     * @param steps   model requests made
     * @param stopped whether the loop stopped at the agent's step limit
     */
    public record Turn(String answer, Usage usage, Optional<BigDecimal> cost, int steps, boolean stopped) {
    }

    private AgentLoop(Builder b) {
        this.client = Objects.requireNonNull(b.client, "client");
        this.tools = Objects.requireNonNull(b.tools, "tools");
        this.redactor = Objects.requireNonNull(b.redactor, "redactor");
        this.store = Objects.requireNonNull(b.store, "store");
        this.audit = Objects.requireNonNull(b.audit, "audit");
        this.price = Optional.ofNullable(b.price);
        this.masking = b.masking;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes one user turn for {@code agent} in session {@code sessionId}. What happened so far stays
     * stored when this throws (the session can be resumed).
     *
     * @throws LlmException      when the provider fails (the error is also stored in the session)
     * @throws AirlockException  exit 6 when the next request could exceed the agent's cost limit
     */
    public Turn turn(String sessionId, Agent agent, String userText, Listener listener) {
        if (agent.costLimitUsd().isPresent() && price.isEmpty()) {
            throw AirlockException.usage("no price is known for " + agent.requireModel() + " and agent '" + agent.name()
                    + "' has a cost limit; add models.prices." + agent.requireModel() + ": {input: …, output: …} to your config");
        }
        store.append(sessionId, agent.name(), new ModelMessage.User(redactor.redact(userText)), null, null, null);
        Usage used = Usage.ZERO;
        String last = "";
        String system = agent.systemPrompt() + "\n\n" + Containment.RULES;
        int toolCalls = 0;
        for (int step = 1; step <= agent.maxSteps(); step++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new LlmException(LlmException.Kind.CANCELLED, "cancelled; the session is kept");
            }
            List<ModelMessage> messages = new ArrayList<>();
            messages.add(new ModelMessage.System(outgoing(system, agent)));
            for (ModelMessage m : store.history(sessionId)) {
                messages.add(outgoing(m, agent));
            }
            ModelRequest request = new ModelRequest(agent.requireModel().model(), messages, Tools.specs(agent), agent.maxTokens());
            checkCost(sessionId, agent, request);
            ModelReply reply = send(sessionId, agent, request, listener);
            used = used.plus(reply.usage());
            Optional<BigDecimal> cost = price.map(p -> p.cost(reply.usage()));
            String text = redactor.redact(reply.text());
            List<ToolCall> calls = reply.toolCalls().stream()
                    .map(c -> new ToolCall(c.id(), c.name(), agent.securityMode() ? masking.unmask(c.argumentsJson()) : c.argumentsJson()))
                    .toList();
            store.append(sessionId, agent.name(), new ModelMessage.Assistant(text, reply.toolCalls()), agent.requireModel().toString(),
                    reply.usage(), cost.orElse(null));
            last = text;
            if (calls.isEmpty()) {
                Usage total = used;
                return new Turn(last, total, price.map(p -> p.cost(total)), step, false);
            }
            for (ToolCall call : calls) {
                listener.toolCall(call);
                // Per turn as well as per minute: a taken-over model cannot spend a turn on thousands of guesses.
                Tools.Result result = ++toolCalls > agent.maxToolCallsPerTurn()
                        ? tools.refuseOverTurnLimit(agent, call, agent.maxToolCallsPerTurn())
                        : tools.call(agent, call);
                ModelMessage.ToolResult contained = new ModelMessage.ToolResult(call.id(), call.name(),
                        Containment.wrap(call.name(), result.status(), redactor.redact(result.text())));
                store.appendToolResult(sessionId, agent.name(), contained, result.status());
                listener.toolResult(call, result);
            }
        }
        store.appendError(sessionId, agent.name(), "stopped after " + agent.maxSteps() + " model requests in one turn (max_steps)");
        Usage total = used;
        return new Turn(last, total, price.map(p -> p.cost(total)), agent.maxSteps(), true);
    }

    private ModelReply send(String sessionId, Agent agent, ModelRequest request, Listener listener) {
        long start = clock.millis();
        StreamRedactor stream = redactor.newStream();
        ModelReply reply;
        try {
            reply = client.chat(request, delta -> {
                String shown = stream.accept(delta);
                if (!shown.isEmpty()) {
                    listener.text(shown);
                }
            });
        } catch (LlmException e) {
            audit.append(AuditEvent.builder("model.request").actor("agent:" + agent.name()).target("model:" + agent.requireModel())
                    .outcome("failure").detail("session", sessionId).detail("error", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .detail("duration_ms", clock.millis() - start).build());
            store.appendError(sessionId, agent.name(), redactor.redact(String.valueOf(e.getMessage())));
            throw e;
        }
        String rest = stream.finish();
        if (!rest.isEmpty()) {
            listener.text(rest);
        }
        List<Finding> findings = redactor.scan(reply.text());
        Optional<BigDecimal> cost = price.map(p -> p.cost(reply.usage()));
        audit.append(AuditEvent.builder("model.request").actor("agent:" + agent.name()).target("model:" + agent.requireModel())
                .outcome("success").detail("session", sessionId).detail("provider", client.provider())
                .detail("input_tokens", reply.usage().inputTokens()).detail("output_tokens", reply.usage().outputTokens())
                .detail("cost_usd", cost.map(BigDecimal::toPlainString).orElse("unknown"))
                .detail("tool_calls", reply.toolCalls().size()).detail("finish", reply.finishReason())
                .detail("duration_ms", clock.millis() - start).build());
        if (!findings.isEmpty()) {
            audit.append(AuditEvent.builder("model.response.secret").actor("agent:" + agent.name()).target("session:" + sessionId)
                    .outcome("redacted").detail("findings", findings.size())
                    .detail("types", findings.stream().map(Finding::type).distinct().sorted().toList()).build());
        }
        return reply;
    }

    /** Refuses (exit 6) a request whose worst case could take the session over the agent's limit. */
    private void checkCost(String sessionId, Agent agent, ModelRequest request) {
        if (agent.costLimitUsd().isEmpty()) {
            return;
        }
        Price p = price.orElseThrow();
        BigDecimal limit = agent.costLimitUsd().get();
        BigDecimal spent = store.require(sessionId).costUsd();
        BigDecimal worst = spent.add(p.cost(TokenEstimate.upperBound(request), request.maxTokens()));
        if (worst.compareTo(limit) > 0) {
            audit.append(AuditEvent.builder("model.cost_limit").actor("agent:" + agent.name()).target("session:" + sessionId)
                    .outcome("refused").detail("limit_usd", limit.toPlainString()).detail("spent_usd", spent.toPlainString())
                    .detail("worst_case_usd", worst.toPlainString()).build());
            throw new AirlockException(ExitCode.COST_CAP, "cost limit: the next request to " + agent.requireModel() + " could bring session "
                    + sessionId + " to $" + worst.setScale(4, java.math.RoundingMode.UP).toPlainString() + ", over agent '" + agent.name()
                    + "' limit of $" + limit.toPlainString() + " (spent $" + spent.toPlainString() + "); nothing was sent");
        }
    }

    private ModelMessage outgoing(ModelMessage m, Agent agent) {
        return switch (m) {
            case ModelMessage.System s -> new ModelMessage.System(outgoing(s.text(), agent));
            case ModelMessage.User u -> new ModelMessage.User(outgoing(u.text(), agent));
            case ModelMessage.Assistant a -> new ModelMessage.Assistant(outgoing(a.text(), agent), a.toolCalls().stream()
                    .map(c -> new ToolCall(c.id(), c.name(), outgoing(c.argumentsJson(), agent))).toList());
            case ModelMessage.ToolResult r -> new ModelMessage.ToolResult(r.callId(), r.toolName(), outgoing(r.text(), agent));
        };
    }

    /** Pre-flight: what may leave for the model. */
    private String outgoing(String text, Agent agent) {
        String t = redactor.redact(text);
        return agent.securityMode() ? masking.mask(t) : t;
    }

    /**
     * Security mode's placeholders: the workspace, the home folder and the user name are replaced
     * before a request leaves; the workspace and home placeholders are put back in tool arguments, so
     * the model can still name files.
     */
    public static final class Masking {
        static final String WORKSPACE = "<WORKSPACE>";
        static final String HOME = "<HOME>";
        static final String USER = "<USER>";
        static final String PATH = "<PATH>";
        private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w.<>~-])/(?:[\\w.@+-]+/)+[\\w.@+-]*");

        private final @Nullable String workspace;
        private final @Nullable String home;
        private final @Nullable String user;

        public Masking(@Nullable Path workspace, @Nullable Path home, @Nullable String user) {
            this.workspace = workspace == null ? null : workspace.toAbsolutePath().normalize().toString();
            this.home = home == null ? null : home.toAbsolutePath().normalize().toString();
            this.user = user == null || user.length() < 3 ? null : user;
        }

        public static Masking none() {
            return new Masking(null, null, null);
        }

        String mask(String text) {
            String t = text;
            if (workspace != null && workspace.length() > 1) {
                t = t.replace(workspace, WORKSPACE);
            }
            if (home != null && home.length() > 1) {
                t = t.replace(home, HOME);
            }
            Matcher m = ABSOLUTE.matcher(t);
            t = m.replaceAll(r -> r.group().startsWith("/dev/null") ? "/dev/null" : PATH);
            if (user != null) {
                t = Pattern.compile("\\b" + Pattern.quote(user) + "\\b").matcher(t).replaceAll(USER);
            }
            return t;
        }

        String unmask(String text) {
            String t = text;
            if (workspace != null) {
                t = t.replace(WORKSPACE, workspace);
            }
            if (home != null) {
                t = t.replace(HOME, home);
            }
            return t;
        }
    }

    /** Builds an {@link AgentLoop}. */
    public static final class Builder {
        private @Nullable ModelClient client;
        private @Nullable Tools tools;
        private @Nullable Redactor redactor;
        private @Nullable SessionStore store;
        private @Nullable AuditLog audit;
        private @Nullable Price price;
        private Masking masking = Masking.none();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder client(ModelClient client) {
            this.client = client;
            return this;
        }

        public Builder tools(Tools tools) {
            this.tools = tools;
            return this;
        }

        public Builder redactor(Redactor redactor) {
            this.redactor = redactor;
            return this;
        }

        public Builder store(SessionStore store) {
            this.store = store;
            return this;
        }

        public Builder audit(AuditLog audit) {
            this.audit = audit;
            return this;
        }

        /** The model's price; unknown (null) is allowed only for agents without a cost limit. */
        public Builder price(@Nullable Price price) {
            this.price = price;
            return this;
        }

        public Builder masking(Masking masking) {
            this.masking = masking;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public AgentLoop build() {
            return new AgentLoop(this);
        }
    }
}
