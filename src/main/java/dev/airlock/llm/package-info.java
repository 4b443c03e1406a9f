/**
 * Model providers behind one small interface: {@link dev.airlock.llm.ModelClient}. OpenAI-compatible
 * chat completions, Anthropic Messages and Ollama's native API are reached through LangChain4j's
 * low-level chat models whose HTTP goes through the kernel's egress gate, never around it.
 *
 * <p>Guarantees: no request leaves except through {@code gate.EgressGate} (offline mode and the
 * allow-list are enforced before a connection opens, each request is audited); API keys are held as
 * vault {@code SecretBytes} and only turned into a header at the moment of sending; token usage and
 * cost come from a price table, and an unknown price is reported as unknown, never guessed.
 */
@NullMarked
package dev.airlock.llm;

import org.jspecify.annotations.NullMarked;
