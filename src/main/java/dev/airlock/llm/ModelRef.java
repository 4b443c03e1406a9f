package dev.airlock.llm;

import dev.airlock.home.AirlockException;

/**
 * A model as config files name it: {@code PROVIDER/MODEL}, e.g. {@code openai/gpt-4o-mini} or
 * {@code local/llama3.2}. The model part may itself contain slashes ({@code openrouter/meta/llama-3}).
 */
public record ModelRef(String provider, String model) {
    public ModelRef {
        if (provider.isBlank() || model.isBlank()) {
            throw new IllegalArgumentException("provider and model must not be blank");
        }
    }

    /** Parses {@code PROVIDER/MODEL}; a usage error (exit 2) naming the expected form otherwise. */
    public static ModelRef parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.isBlank()) {
            throw AirlockException.usage("model '" + text + "' must be written PROVIDER/MODEL, e.g. openai/gpt-4o-mini");
        }
        return new ModelRef(text.substring(0, slash).trim(), text.substring(slash + 1).trim());
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
