package dev.airlock.workflow;

import dev.airlock.llm.ModelClient;
import dev.airlock.llm.ModelRef;
import dev.airlock.llm.Price;
import java.util.Optional;

/** How the runner reaches models: the CLI wires the configured providers and price table. */
public interface ModelAccess {
    /**
     * The client of {@code ref}'s provider.
     *
     * @throws dev.airlock.llm.LlmException kind {@code CONFIGURATION} when no such provider is configured
     */
    ModelClient client(ModelRef ref);

    /** What {@code ref} costs (free for a provider on this machine); empty when unknown, never a guess. */
    Optional<Price> price(ModelRef ref);

    /** No providers at all: every llm node fails with a configuration error naming the model. */
    static ModelAccess none() {
        return new ModelAccess() {
            @Override
            public ModelClient client(ModelRef ref) {
                throw new dev.airlock.llm.LlmException(dev.airlock.llm.LlmException.Kind.CONFIGURATION,
                        "no model provider '" + ref.provider() + "' is configured for model " + ref
                                + "; add it under models: in the config");
            }

            @Override
            public Optional<Price> price(ModelRef ref) {
                return Optional.empty();
            }
        };
    }
}
