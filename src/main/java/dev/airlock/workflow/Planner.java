package dev.airlock.workflow;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelMessage;
import dev.airlock.llm.ModelReply;
import dev.airlock.llm.ModelRequest;
import dev.airlock.llm.StreamListener;
import dev.airlock.llm.Usage;
import dev.airlock.redact.Redactor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns "what I want done" into a workflow with a model, then makes it safe whatever the model
 * wrote.
 *
 * <p>Invariant: a plan this class returns has passed {@link Validator#validate} after
 * {@link Validator#withGates}: every node the policy engine classifies destructive (whatever the
 * model declared) is marked destructive and has an approval gate among its direct parents, which
 * the planner inserted itself where the model left it out. The model's output is only ever data
 * parsed by {@link WorkflowLoader}; an invalid plan is sent back with the error, at most
 * {@link #ATTEMPTS} times in all, then refused (exit 2).
 */
public final class Planner {
    /** Model requests per plan, the first included. */
    public static final int ATTEMPTS = 3;
    private static final Pattern FENCE = Pattern.compile("```(?:ya?ml|json)?\\s*\\n(.*?)```", Pattern.DOTALL);

    static final String SYSTEM = """
            You turn an operator's request into an Airlock workflow: a YAML document, nothing else.
            Schema:
              name: short-kebab-name            (required)
              cost_cap_usd: 0.10                (optional, only if the plan calls a model)
              nodes:                            (required, a list)
                - id: unique-id                 (letters, digits, - and _)
                  type: shell | llm | approval_gate
                  depends_on: [ids]             (nodes that must succeed first)
                  command: "..."                (shell: one bash line, run in the workspace)
                  model: provider/model         (llm) with prompt: "..." and max_tokens: 300
                  message: "..."                (approval_gate: what the human approves)
                  destructive: true             (for anything that deletes, overwrites or restarts)
              Templates: {{nodes.ID.output}} (only of ancestors) and {{inputs.NAME}}.
            Rules: inspect before changing (read-only nodes first); put an approval_gate directly before
            every destructive node; never pipe downloads into a shell; keep commands inside the workspace.
            Reply with the YAML only.""";

    private final ModelClient client;
    private final String model;
    private final Validator validator;
    private final Redactor redactor;
    private final AuditLog audit;
    private final int maxTokens;

    /**
     * The result.
     *
     * @param workflow   the validated, gated workflow
     * @param yaml       it, as the file {@code plan -o} writes
     * @param attempts   model requests it took
     * @param gatesAdded ids of the approval gates the planner inserted
     * @param usage      tokens used by all attempts
     */
    public record Plan(Workflow workflow, String yaml, int attempts, List<String> gatesAdded, Usage usage) {
    }

    public Planner(ModelClient client, String model, Validator validator, Redactor redactor, AuditLog audit, int maxTokens) {
        this.client = Objects.requireNonNull(client);
        this.model = Objects.requireNonNull(model);
        this.validator = Objects.requireNonNull(validator);
        this.redactor = Objects.requireNonNull(redactor);
        this.audit = Objects.requireNonNull(audit);
        this.maxTokens = maxTokens;
    }

    /**
     * Plans {@code request}.
     *
     * @throws WorkflowException exit 2 when no attempt produced a valid workflow
     * @throws dev.airlock.llm.LlmException when the model cannot be reached
     */
    public Plan plan(String request) {
        List<ModelMessage> messages = new ArrayList<>();
        messages.add(new ModelMessage.System(SYSTEM));
        messages.add(new ModelMessage.User(redactor.redact(request)));
        Usage usage = Usage.ZERO;
        String lastError = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ModelReply reply = client.chat(new ModelRequest(model, messages, List.of(), maxTokens), StreamListener.NONE);
            usage = usage.plus(reply.usage());
            audit.append(AuditEvent.builder("plan.model.request").actor("planner").target("model:" + client.provider() + "/" + model)
                    .outcome("success").detail("attempt", attempt).detail("input_tokens", reply.usage().inputTokens())
                    .detail("output_tokens", reply.usage().outputTokens()).build());
            String text = extract(reply.text());
            try {
                Workflow proposed = WorkflowLoader.parse(text, "the model's plan");
                Workflow gated = validator.withGates(proposed);
                validator.validate(gated);
                List<String> added = added(proposed, gated);
                audit.append(AuditEvent.builder("plan.created").actor("planner").target("workflow:" + gated.name())
                        .outcome("success").detail("attempts", attempt).detail("nodes", gated.nodes().size())
                        .detail("gates_added", added).build());
                return new Plan(gated, WorkflowLoader.toYaml(gated), attempt, added, usage);
            } catch (WorkflowException e) {
                lastError = redactor.redact(String.valueOf(e.getMessage()));
                audit.append(AuditEvent.builder("plan.invalid").actor("planner").target("model:" + client.provider() + "/" + model)
                        .outcome("failure").detail("attempt", attempt).detail("error", lastError).build());
                messages.add(new ModelMessage.Assistant(redactor.redact(reply.text()), List.of()));
                messages.add(new ModelMessage.User("That is not a valid workflow: " + lastError
                        + "\nReply with the corrected workflow as YAML only."));
            }
        }
        throw WorkflowException.invalid("the model did not produce a valid workflow in " + ATTEMPTS + " attempts; last error: " + lastError);
    }

    /** The YAML inside a fenced block if the model used one, else the whole reply. */
    static String extract(String reply) {
        Matcher m = FENCE.matcher(reply);
        return m.find() ? m.group(1) : reply.strip();
    }

    private static List<String> added(Workflow before, Workflow after) {
        Set<String> old = new HashSet<>();
        before.nodes().forEach(n -> old.add(n.id()));
        return after.nodes().stream().map(Node::id).filter(id -> !old.contains(id)).toList();
    }
}
