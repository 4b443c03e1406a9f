/**
 * Model providers behind one small interface: {@link dev.airlock.llm.ModelClient}. OpenAI-compatible
 * chat completions, Anthropic Messages and Ollama's native API are reached through LangChain4j's
 * low-level streaming chat models whose HTTP goes through the kernel's egress gate, never around it.
 * {@link dev.airlock.llm.Providers} builds the clients from the {@code models:} config section
 * ({@link dev.airlock.llm.ModelSettings}); {@link dev.airlock.llm.Pricing} prices their usage.
 *
 * <p>Guarantees: no request leaves except through {@code gate.EgressGate} (offline mode and the
 * allow-list are enforced before a connection opens, each request is audited); in offline mode a
 * remote provider is refused before anything is connected; API keys are held as vault
 * {@code SecretBytes}, resolved (through a {@link dev.airlock.llm.KeySource}) only when a request that
 * needs one is sent, never handed to LangChain4j, and only turned into a header at the moment of
 * sending; a reply cut short or not in the provider's wire format is an error, not a shorter reply;
 * token usage and cost come from a price table, and an unknown price is reported as unknown, never
 * guessed. Every failure is an {@link dev.airlock.llm.LlmException} whose message names the provider
 * and model and holds neither the key nor the conversation.
 */
@NullMarked
package dev.airlock.llm;

import org.jspecify.annotations.NullMarked;
