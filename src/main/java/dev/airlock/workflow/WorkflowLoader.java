package dev.airlock.workflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads workflow files (YAML, or JSON, which is YAML too) into {@link Workflow}s and writes them back.
 * Reading checks shape only (known keys, types, ranges); the graph rules are {@link Validator}'s.
 * Every failure is a {@link WorkflowException} with exit 2 whose message names the place.
 */
public final class WorkflowLoader {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
    static final Pattern INPUT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    static final int MAX_RETRIES = 10;
    static final int MAX_NODES = 10_000;
    private static final Set<String> TOP = Set.of("name", "description", "cost_cap_usd", "approval_timeout", "inputs", "nodes");
    private static final Set<String> COMMON = Set.of("id", "type", "depends_on", "destructive", "timeout", "retries", "when", "description");
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper YAML_OUT = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private WorkflowLoader() {}

    /** Reads the file at {@code path}; a missing or unreadable file is a usage error too. */
    public static Workflow load(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw WorkflowException.invalid("workflow file " + path + " does not exist");
        } catch (IOException e) {
            throw WorkflowException.invalid("cannot read workflow file " + path + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw WorkflowException.invalid("workflow file " + path + " is not UTF-8 text");
        }
        return parse(text, path.toString());
    }

    /**
     * Parses {@code text}; {@code origin} names it in messages (a file name, {@code plan}).
     *
     * @throws WorkflowException exit 2, naming the key or node at fault
     */
    public static Workflow parse(String text, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw WorkflowException.invalid(origin + " is not valid YAML or JSON: " + oneLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw WorkflowException.invalid("cannot read " + origin + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw WorkflowException.invalid(origin + " is empty; a workflow needs a name and nodes");
        }
        if (!root.isObject()) {
            throw WorkflowException.invalid(origin + ": a workflow is a mapping with name and nodes, not a " + kind(root));
        }
        Reader r = new Reader(origin);
        r.keys(root, TOP, "the workflow");
        String name = r.requiredString(root, "name", "the workflow");
        BigDecimal cap = null;
        JsonNode capNode = root.get("cost_cap_usd");
        if (capNode != null && !capNode.isNull()) {
            if (!capNode.isNumber()) {
                throw r.fail("cost_cap_usd must be a number of US dollars, like 0.50");
            }
            cap = capNode.decimalValue();
            if (cap.signum() < 0) {
                throw r.fail("cost_cap_usd must not be negative");
            }
        }
        Duration approvalTimeout = Workflow.DEFAULT_APPROVAL_TIMEOUT;
        if (root.hasNonNull("approval_timeout")) {
            approvalTimeout = r.duration(root.get("approval_timeout"), "approval_timeout");
        }
        Map<String, Workflow.Input> inputs = new LinkedHashMap<>();
        JsonNode in = root.get("inputs");
        if (in != null && !in.isNull()) {
            if (!in.isObject()) {
                throw r.fail("inputs must be a mapping of input names to {description, default}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!INPUT_NAME.matcher(e.getKey()).matches()) {
                    throw r.fail("input name '" + e.getKey() + "' must be letters, digits and _ (not starting with a digit)");
                }
                JsonNode spec = e.getValue();
                if (spec == null || spec.isNull()) {
                    inputs.put(e.getKey(), new Workflow.Input(e.getKey(), null, null));
                    continue;
                }
                String where = "input '" + e.getKey() + "'";
                if (!spec.isObject()) {
                    throw r.fail(where + " must be a mapping with description and default");
                }
                r.keys(spec, Set.of("description", "default"), where);
                String def = null;
                if (spec.hasNonNull("default")) {
                    JsonNode d = spec.get("default");
                    if (!d.isValueNode()) {
                        throw r.fail(where + ": default must be a string or number");
                    }
                    def = d.asText();
                }
                inputs.put(e.getKey(), new Workflow.Input(e.getKey(), r.optionalString(spec, "description", where), def));
            }
        }
        JsonNode nodesNode = root.get("nodes");
        if (nodesNode == null || nodesNode.isNull()) {
            throw r.fail("the workflow has no nodes; add a list under 'nodes'");
        }
        if (!nodesNode.isArray()) {
            throw r.fail("nodes must be a list");
        }
        if (nodesNode.isEmpty()) {
            throw r.fail("the workflow has no nodes; add at least one under 'nodes'");
        }
        if (nodesNode.size() > MAX_NODES) {
            throw r.fail("the workflow has " + nodesNode.size() + " nodes; at most " + MAX_NODES + " are allowed");
        }
        List<Node> nodes = new ArrayList<>();
        int index = 0;
        for (JsonNode n : nodesNode) {
            nodes.add(r.node(n, index++));
        }
        return new Workflow(name, cap, approvalTimeout, inputs, nodes);
    }

    /** The workflow as YAML that {@link #parse} reads back to an equal workflow. */
    public static String toYaml(Workflow w) {
        try {
            return YAML_OUT.writeValueAsString(toTree(w));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workflow as a JSON tree (the form stored with a run). */
    static ObjectNode toTree(Workflow w) {
        ObjectNode o = YAML_OUT.createObjectNode();
        o.put("name", w.name());
        if (w.costCapUsd() != null) {
            o.put("cost_cap_usd", w.costCapUsd());
        }
        o.put("approval_timeout", format(w.approvalTimeout()));
        if (!w.inputs().isEmpty()) {
            ObjectNode in = o.putObject("inputs");
            for (Workflow.Input i : w.inputs().values()) {
                ObjectNode spec = in.putObject(i.name());
                if (i.description() != null) {
                    spec.put("description", i.description());
                }
                if (i.defaultValue() != null) {
                    spec.put("default", i.defaultValue());
                }
            }
        }
        ArrayNode nodes = o.putArray("nodes");
        for (Node n : w.nodes()) {
            ObjectNode x = nodes.addObject();
            x.put("id", n.id());
            x.put("type", n.type());
            if (!n.dependsOn().isEmpty()) {
                ArrayNode d = x.putArray("depends_on");
                n.dependsOn().forEach(d::add);
            }
            switch (n) {
                case Node.Shell s -> x.put("command", s.command());
                case Node.Llm l -> {
                    if (l.model() != null) {
                        x.put("model", l.model());
                    }
                    if (l.agent() != null) {
                        x.put("agent", l.agent());
                    }
                    x.put("prompt", l.prompt());
                    x.put("max_tokens", l.maxTokens());
                }
                case Node.ApprovalGate g -> x.put("message", g.message());
            }
            if (n.destructive() != null) {
                x.put("destructive", n.destructive());
            }
            if (n.timeout() != null) {
                x.put("timeout", format(n.timeout()));
            }
            if (n.retries() != 0) {
                x.put("retries", n.retries());
            }
            if (n.when() != null) {
                x.put("when", n.when());
            }
        }
        return o;
    }

    /** A duration as files write it: the largest whole unit. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** Parses {@code 30s}, {@code 5m}, {@code 24h}, {@code 2d}, {@code 500ms}. */
    static @Nullable Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            case "h" -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
    }

    private static String kind(JsonNode n) {
        return n.isArray() ? "list" : n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "boolean" : "value";
    }

    private static String oneLine(@Nullable String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    /** Reads one document, naming {@code origin} in every message. */
    private record Reader(String origin) {
        WorkflowException fail(String message) {
            return WorkflowException.invalid(origin + ": " + message);
        }

        void keys(JsonNode object, Set<String> allowed, String where) {
            for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw fail(where + " has an unknown key '" + k + "'; known keys: " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }

        String requiredString(JsonNode o, String key, String where) {
            JsonNode v = o.get(key);
            if (v == null || v.isNull()) {
                throw fail(where + " needs '" + key + "'");
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw fail(where + ": '" + key + "' must be a non-empty string");
            }
            return v.asText();
        }

        @Nullable String optionalString(JsonNode o, String key, String where) {
            JsonNode v = o.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw fail(where + ": '" + key + "' must be a string");
            }
            return v.asText();
        }

        Duration duration(JsonNode v, String where) {
            Duration d = v.isTextual() ? parseDuration(v.asText()) : null;
            if (d == null) {
                throw fail(where + " must be a duration like 30s, 5m, 24h or 2d");
            }
            if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
                throw fail(where + " must be more than 0 and at most 7d");
            }
            return d;
        }

        Node node(JsonNode n, int index) {
            if (!n.isObject()) {
                throw fail("node #" + (index + 1) + " must be a mapping with id and type");
            }
            JsonNode idNode = n.get("id");
            if (idNode == null || !idNode.isTextual()) {
                throw fail("node #" + (index + 1) + " needs an 'id' string");
            }
            String id = idNode.asText();
            if (!ID.matcher(id).matches()) {
                throw fail("node id '" + id + "' must be 1-64 letters, digits, _ or -");
            }
            String where = "node '" + id + "'";
            String type = requiredString(n, "type", where);
            Set<String> extra = switch (type) {
                case "shell" -> Set.of("command");
                case "llm" -> Set.of("model", "agent", "prompt", "max_tokens");
                case "approval_gate" -> Set.of("message");
                case "remote" -> throw new WorkflowException(dev.airlock.home.ExitCode.USAGE, "not_available",
                        origin + ": node '" + id + "' has type remote, which is not available yet (fleet comes in a later"
                                + " release); use a shell node for now");
                default -> throw fail(where + " has unknown type '" + type + "'; types: shell, llm, approval_gate");
            };
            java.util.HashSet<String> allowed = new java.util.HashSet<>(COMMON);
            allowed.addAll(extra);
            keys(n, allowed, where);
            List<String> deps = new ArrayList<>();
            JsonNode d = n.get("depends_on");
            if (d != null && !d.isNull()) {
                if (d.isTextual()) {
                    deps.add(d.asText());
                } else if (d.isArray()) {
                    for (JsonNode e : d) {
                        if (!e.isTextual()) {
                            throw fail(where + ": depends_on must list node ids");
                        }
                        deps.add(e.asText());
                    }
                } else {
                    throw fail(where + ": depends_on must list node ids");
                }
            }
            Boolean destructive = null;
            JsonNode des = n.get("destructive");
            if (des != null && !des.isNull()) {
                if (!des.isBoolean()) {
                    throw fail(where + ": destructive must be true or false");
                }
                if (type.equals("approval_gate")) {
                    throw fail(where + ": an approval gate cannot be destructive; put the destructive work in a node behind it");
                }
                destructive = des.booleanValue();
            }
            Duration timeout = n.hasNonNull("timeout") ? duration(n.get("timeout"), where + ": timeout") : null;
            int retries = 0;
            JsonNode rt = n.get("retries");
            if (rt != null && !rt.isNull()) {
                if (!rt.isIntegralNumber() || rt.asInt() < 0 || rt.asInt() > MAX_RETRIES) {
                    throw fail(where + ": retries must be a whole number from 0 to " + MAX_RETRIES);
                }
                retries = rt.asInt();
            }
            String when = optionalString(n, "when", where);
            return switch (type) {
                case "shell" -> new Node.Shell(id, deps, destructive, timeout, retries, when, requiredString(n, "command", where));
                case "llm" -> {
                    String model = optionalString(n, "model", where);
                    String agent = optionalString(n, "agent", where);
                    if (model == null && agent == null) {
                        throw fail(where + " needs a 'model' (provider/model) or an 'agent'");
                    }
                    if (model != null && (model.indexOf('/') <= 0 || model.endsWith("/"))) {
                        throw fail(where + ": model '" + model + "' must be written provider/model, e.g. openai/gpt-4o-mini");
                    }
                    JsonNode mt = n.get("max_tokens");
                    if (mt == null || mt.isNull()) {
                        throw fail(where + " needs 'max_tokens' (the most output tokens; the cost cap assumes all of them)");
                    }
                    if (!mt.isIntegralNumber() || mt.asLong() < 1 || mt.asLong() > 1_000_000) {
                        throw fail(where + ": max_tokens must be a whole number from 1 to 1000000");
                    }
                    yield new Node.Llm(id, deps, destructive, timeout, retries, when, model, agent,
                            requiredString(n, "prompt", where), mt.asInt());
                }
                default -> {
                    if (retries != 0) {
                        throw fail(where + ": an approval gate cannot have retries");
                    }
                    if (timeout != null) {
                        throw fail(where + ": an approval gate waits for the workflow's approval_timeout, not a timeout of its own");
                    }
                    yield new Node.ApprovalGate(id, deps, null, 0, when, requiredString(n, "message", where));
                }
            };
        }
    }
}
