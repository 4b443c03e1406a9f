/**
 * Fake model providers for tests: real HTTP servers on loopback that speak the wire formats of
 * OpenAI chat completions, Anthropic Messages and Ollama's chat API, byte for byte as the providers
 * document them (SSE events, NDJSON lines, error bodies). No mock stands in for the protocol: a client
 * under test sends real requests and parses real streams.
 *
 * <ul>
 *   <li>{@link dev.airlock.llm.fake.FakeModelServer}: start one per protocol, queue
 *       {@link dev.airlock.llm.fake.Reply replies} (text, tool calls, errors, broken streams, delays)
 *       or script them from the request, then read the {@link dev.airlock.llm.fake.RecordedRequest
 *       recorded requests} to assert what was sent.</li>
 *   <li>Used as the egress proxy ({@code policy.egress.proxy: server.origin()}), a server also stands
 *       in for a remote provider (a non-loopback host name) and proves, by recording nothing, that a
 *       refused request never left.</li>
 * </ul>
 */
package dev.airlock.llm.fake;
