package dev.airlock.llm;

import java.util.Map;
import java.util.Objects;

/**
 * A tool a model may call.
 *
 * @param parameters a JSON Schema object ({@code {"type":"object","properties":{…},"required":[…]}})
 *                   as nested maps, lists and scalars
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {
    public ToolSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        parameters = Map.copyOf(parameters);
    }
}
