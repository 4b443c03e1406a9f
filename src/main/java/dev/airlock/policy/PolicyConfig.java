package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The policy section of a configuration file, bindable from YAML (snake_case):
 *
 * <pre>{@code
 * mode: ask                 # or allowlist_only
 * include_defaults: true    # the shipped defaults (policy/default-rules.yaml) apply as well
 * rules:
 *   allow: [{command: npm, args: [test], reason: "tests are fine"}]
 *   deny:  [{command: git, args: [push], reason: "push from the terminal yourself"}]
 * agents:
 *   reviewer: {mode: allowlist_only, rules: {allow: [...]}}
 * paths: {read_roots: [...], never_readable: [...]}
 * egress: {allowed_domains: [api.openai.com], offline_mode: false}
 * }</pre>
 */
public record PolicyConfig(
        @JsonProperty("mode") @Nullable Mode mode,
        @JsonProperty("include_defaults") @Nullable Boolean includeDefaults,
        @JsonProperty("rules") @Nullable RuleSet rules,
        @JsonProperty("agents") @Nullable Map<String, AgentPolicy> agents,
        @JsonProperty("paths") @Nullable PathRules paths,
        @JsonProperty("egress") @Nullable EgressConfig egress) {

    /** The resource holding the shipped defaults. */
    public static final String DEFAULTS_RESOURCE = "/policy/default-rules.yaml";

    /** No rules of its own: only the defaults apply. */
    public static final PolicyConfig EMPTY = new PolicyConfig(null, null, null, null, null, null);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static volatile @Nullable PolicyConfig defaults;

    /** The shipped defaults. */
    public static PolicyConfig defaults() {
        PolicyConfig d = defaults;
        if (d == null) {
            try (InputStream in = PolicyConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
                if (in == null) {
                    throw new PolicyException("The default policy " + DEFAULTS_RESOURCE
                            + " is missing from the Airlock jar. Reinstall Airlock.");
                }
                d = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS_RESOURCE);
            } catch (IOException e) {
                throw new PolicyException("Cannot read the default policy " + DEFAULTS_RESOURCE + ": "
                        + e.getMessage(), e);
            }
            defaults = d;
        }
        return d;
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static PolicyConfig parse(String yaml, String source) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return EMPTY; // an empty file (or only comments) means: no rules of its own
            }
            // bound from the text, not the tree, so that errors carry line and column
            PolicyConfig c = YAML.readValue(yaml, PolicyConfig.class);
            return (c == null ? EMPTY : c).validate(source);
        } catch (JsonMappingException e) {
            throw new PolicyException(source + location(e) + ": " + e.getOriginalMessage()
                    + " at " + e.getPathReference() + ". Fix the policy file; see docs/policy.md.", e);
        } catch (JsonProcessingException e) {
            throw new PolicyException(source + location(e) + ": invalid YAML (" + e.getOriginalMessage()
                    + "). Fix the policy file.", e);
        }
    }

    /** Binds an already parsed tree, for callers that load a larger configuration file. */
    public static PolicyConfig fromTree(JsonNode node, String source) {
        try {
            PolicyConfig c = YAML.treeToValue(node, PolicyConfig.class);
            return (c == null ? EMPTY : c).validate(source);
        } catch (JsonProcessingException e) {
            throw new PolicyException(source + ": " + e.getOriginalMessage() + ". Fix the policy section; see "
                    + "docs/policy.md.", e);
        }
    }

    /** Reads and parses a YAML file. */
    public static PolicyConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new PolicyException("Cannot read the policy file " + file + ": " + e.getMessage()
                    + ". Check that it exists and is readable.", e);
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
    }

    /** Compiles every rule once so that a bad pattern fails when the config is loaded, not later. */
    PolicyConfig validate(String source) {
        try {
            RuleCompiler.compile(this, source);
        } catch (PolicyException e) {
            throw new PolicyException(source + ": " + e.getMessage(), e);
        }
        return this;
    }

    public Mode effectiveMode() {
        return mode == null ? Mode.ASK : mode;
    }

    public RuleSet ruleSet() {
        return rules == null ? RuleSet.EMPTY : rules;
    }

    public Map<String, AgentPolicy> agentPolicies() {
        return agents == null ? Map.of() : agents;
    }

    public PathRules pathRules() {
        return paths == null ? PathRules.EMPTY : paths;
    }

    public boolean usesDefaults() {
        return includeDefaults == null || includeDefaults;
    }
}
