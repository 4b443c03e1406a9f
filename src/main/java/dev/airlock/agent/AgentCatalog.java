package dev.airlock.agent;

import dev.airlock.home.AirlockException;
import dev.airlock.home.Config;
import dev.airlock.llm.ModelRef;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The agents a user can talk to: built-ins ({@code default}, {@code reader}), the user config's
 * definitions, and a project's {@code .airlock/agents/*.yaml}.
 *
 * <p>Invariant: a project file may only narrow. It narrows an agent the user config (or a built-in)
 * defines — by file name or {@code name:} — or creates a new one with {@code extends:}; either way its
 * tools are a subset, its permissions at least as strict, its limits at most as high, its platforms a
 * subset, and it cannot change the model or turn off read-only or security mode. A project file that
 * tries to widen is refused (exit 2) naming the file and the field.
 */
public final class AgentCatalog {
    static final int DEFAULT_MAX_TOKENS = 4096;
    static final int DEFAULT_MAX_STEPS = 20;
    static final String DEFAULT_PROMPT = "You are a careful assistant working in the user's project folder. "
            + "Use the tools to look before you change anything, prefer the smallest change, and say what you did.";

    private final Map<String, Agent> agents;
    private final String defaultAgent;

    private AgentCatalog(Map<String, Agent> agents, String defaultAgent) {
        this.agents = agents;
        this.defaultAgent = defaultAgent;
    }

    /**
     * Resolves every agent.
     *
     * @param settings    the user config's {@code agents:} section
     * @param configFile  where it came from (for messages)
     * @param projectRoot the workspace whose {@code .airlock/agents} narrow them, if any
     */
    public static AgentCatalog load(AgentSettings settings, String configFile, @Nullable Path projectRoot) {
        Map<String, AgentDefinition> user = new LinkedHashMap<>();
        user.put("default", new AgentDefinition(null, null, null, null, null, null, null, null, null, null, null, null, null, null));
        user.put("reader", new AgentDefinition(null, null, null,
                "You are a careful reviewer. You read and explain; you never change files.",
                null, true, null, null, null, null, null, null, null, null));
        user.putAll(settings.definitions());
        Map<String, Agent> resolved = new TreeMap<>();
        for (Map.Entry<String, AgentDefinition> e : user.entrySet()) {
            String source = settings.definitions().containsKey(e.getKey()) ? configFile + " (agents.definitions." + e.getKey() + ")" : "built-in";
            resolved.put(e.getKey(), fromUser(e.getKey(), e.getValue(), settings, source));
        }
        if (projectRoot != null) {
            for (Path file : projectFiles(projectRoot)) {
                AgentDefinition d = Config.loadDocument(file, AgentDefinition.class);
                String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                String name = d.name() != null ? d.name() : fileName;
                checkName(name, file);
                String baseName = d.extendsAgent() != null ? d.extendsAgent() : name;
                Agent base = resolved.get(baseName);
                if (base == null) {
                    throw AirlockException.usage(file + ": agent '" + baseName + "' is not defined in your user config; a project may only narrow"
                            + " agents you defined (known: " + String.join(", ", resolved.keySet()) + ")");
                }
                if (d.extendsAgent() != null && resolved.containsKey(name) && !name.equals(baseName)) {
                    throw AirlockException.usage(file + ": agent '" + name + "' already exists; choose another name for an agent that extends '"
                            + baseName + "'");
                }
                resolved.put(name, narrow(base, name, d, file.toString()));
            }
        }
        String def = settings.defaultAgent();
        if (!resolved.containsKey(def)) {
            throw AirlockException.usage(configFile + ": agents.default names '" + def + "', which is not defined (known: "
                    + String.join(", ", resolved.keySet()) + ")");
        }
        return new AgentCatalog(Map.copyOf(resolved), def);
    }

    /** The agent called {@code name}, or the default agent; a usage error naming the known ones otherwise. */
    public Agent get(@Nullable String name) {
        String n = name == null ? defaultAgent : name;
        Agent a = agents.get(n);
        if (a == null) {
            throw AirlockException.usage("unknown agent '" + n + "'; known: " + String.join(", ", new TreeSet<>(agents.keySet())));
        }
        return a;
    }

    /** Every agent, by name. */
    public Map<String, Agent> all() {
        return new TreeMap<>(agents);
    }

    public String defaultAgent() {
        return defaultAgent;
    }

    private static List<Path> projectFiles(Path root) {
        Path dir = root.resolve(".airlock").resolve("agents");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            s.forEach(files::add);
        } catch (IOException e) {
            throw AirlockException.usage("cannot read " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }

    private static void checkName(String name, Object where) {
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            throw AirlockException.usage(where + ": agent name '" + name + "' must be lower-case letters, digits, '-' or '_' (at most 40)");
        }
    }

    private static Agent fromUser(String name, AgentDefinition d, AgentSettings settings, String source) {
        checkName(name, source);
        if (d.extendsAgent() != null || d.name() != null) {
            throw AirlockException.usage(source + ": 'name' and 'extends' belong in project agent files, not the user config");
        }
        String model = d.model() != null ? d.model() : settings.model();
        Optional<ModelRef> ref = model == null ? Optional.empty() : Optional.of(ModelRef.parse(model));
        Set<String> tools = d.tools() == null ? Tools.ALL : checkTools(d.tools(), source);
        boolean readOnly = Boolean.TRUE.equals(d.readOnly());
        if (readOnly) {
            tools = without(tools, Tools.WRITING);
        }
        Map<String, AgentDefinition.Permission> perms = new HashMap<>();
        if (d.permissions() != null) {
            checkTools(d.permissions().keySet(), source);
            perms.putAll(d.permissions());
        }
        List<String> platforms = d.platforms() == null ? List.of("cli") : d.platforms();
        return new Agent(name, ref, d.systemPrompt() != null ? d.systemPrompt() : DEFAULT_PROMPT, tools, readOnly, perms,
                d.rateLimits() == null ? List.of() : checkLimits(d.rateLimits(), source),
                Optional.ofNullable(d.costLimitUsd()),
                d.maxTokens() == null ? DEFAULT_MAX_TOKENS : d.maxTokens(),
                d.maxSteps() == null ? DEFAULT_MAX_STEPS : d.maxSteps(),
                d.maxToolCallsPerTurn() == null ? Agent.DEFAULT_MAX_TOOL_CALLS_PER_TURN : d.maxToolCallsPerTurn(),
                new LinkedHashSet<>(platforms), settings.securityMode() || Boolean.TRUE.equals(d.securityMode()),
                List.of(source));
    }

    /** {@code base} narrowed by a project file; refuses anything that would widen it. */
    static Agent narrow(Agent base, String name, AgentDefinition d, String file) {
        if (d.model() != null && !Optional.of(ModelRef.parse(d.model())).equals(base.model())) {
            throw widen(file, "model", "cannot change the model of '" + base.name() + "' ("
                    + base.model().map(ModelRef::toString).orElse("none set") + ")");
        }
        Set<String> tools = base.tools();
        if (d.tools() != null) {
            Set<String> asked = checkTools(d.tools(), file);
            Set<String> extra = new TreeSet<>(asked);
            extra.removeAll(base.tools());
            if (!extra.isEmpty()) {
                throw widen(file, "tools", "adds " + String.join(", ", extra) + ", which '" + base.name() + "' does not have");
            }
            tools = asked;
        }
        if (d.readOnly() != null && !d.readOnly() && base.readOnly()) {
            throw widen(file, "read_only", "cannot make the read-only agent '" + base.name() + "' writable");
        }
        boolean readOnly = base.readOnly() || Boolean.TRUE.equals(d.readOnly());
        if (readOnly) {
            tools = without(tools, Tools.WRITING);
        }
        Map<String, AgentDefinition.Permission> perms = new HashMap<>(base.permissions());
        if (d.permissions() != null) {
            checkTools(d.permissions().keySet(), file);
            for (Map.Entry<String, AgentDefinition.Permission> e : d.permissions().entrySet()) {
                AgentDefinition.Permission current = base.permission(e.getKey());
                if (e.getValue().ordinal() < current.ordinal()) {
                    throw widen(file, "permissions." + e.getKey(), "cannot loosen '" + e.getKey() + "' from "
                            + current.name().toLowerCase(java.util.Locale.ROOT) + " to " + e.getValue().name().toLowerCase(java.util.Locale.ROOT));
                }
                perms.put(e.getKey(), e.getValue());
            }
        }
        Optional<BigDecimal> cost = base.costLimitUsd();
        if (d.costLimitUsd() != null) {
            if (cost.isPresent() && d.costLimitUsd().compareTo(cost.get()) > 0) {
                throw widen(file, "cost_limit_usd", "cannot raise the cost limit above " + cost.get().toPlainString());
            }
            cost = Optional.of(d.costLimitUsd());
        }
        int maxTokens = lower(file, "max_tokens", base.maxTokens(), d.maxTokens());
        int maxSteps = lower(file, "max_steps", base.maxSteps(), d.maxSteps());
        int maxToolCalls = lower(file, "max_tool_calls_per_turn", base.maxToolCallsPerTurn(), d.maxToolCallsPerTurn());
        Set<String> platforms = base.platforms();
        if (d.platforms() != null) {
            Set<String> extra = new TreeSet<>(d.platforms());
            extra.removeAll(base.platforms());
            if (!extra.isEmpty()) {
                throw widen(file, "platforms", "adds " + String.join(", ", extra));
            }
            platforms = new LinkedHashSet<>(d.platforms());
        }
        if (d.securityMode() != null && !d.securityMode() && base.securityMode()) {
            throw widen(file, "security_mode", "cannot turn security mode off");
        }
        List<AgentDefinition.RateLimit> limits = new ArrayList<>(base.rateLimits());
        if (d.rateLimits() != null) {
            // More buckets only ever refuse more calls.
            limits.addAll(checkLimits(d.rateLimits(), file));
        }
        String prompt = d.systemPrompt() == null ? base.systemPrompt() : base.systemPrompt() + "\n\n" + d.systemPrompt();
        List<String> sources = new ArrayList<>(base.sources());
        sources.add(file);
        return new Agent(name, base.model(), prompt, tools, readOnly, perms, limits, cost, maxTokens, maxSteps, maxToolCalls, platforms,
                base.securityMode() || Boolean.TRUE.equals(d.securityMode()), sources);
    }

    private static int lower(String file, String key, int base, @Nullable Integer asked) {
        if (asked == null) {
            return base;
        }
        if (asked > base) {
            throw widen(file, key, "cannot raise " + key + " above " + base);
        }
        return asked;
    }

    private static AirlockException widen(String file, String key, String what) {
        return AirlockException.usage(file + ": '" + key + "' " + what + "; a project file may only narrow what your user config allows");
    }

    private static Set<String> checkTools(java.util.Collection<String> tools, String where) {
        for (String t : tools) {
            if (!Tools.ALL.contains(t)) {
                throw AirlockException.usage(where + ": unknown tool '" + t + "'; tools: " + String.join(", ", new TreeSet<>(Tools.ALL)));
            }
        }
        return new LinkedHashSet<>(tools);
    }

    private static List<AgentDefinition.RateLimit> checkLimits(List<AgentDefinition.RateLimit> limits, String where) {
        checkTools(limits.stream().map(AgentDefinition.RateLimit::tool).toList(), where);
        return limits;
    }

    private static Set<String> without(Set<String> tools, Set<String> removed) {
        Set<String> s = new LinkedHashSet<>(tools);
        s.removeAll(removed);
        return s;
    }
}
