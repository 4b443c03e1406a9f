package dev.airlock.llm;

import dev.airlock.gate.EgressGate;
import dev.airlock.policy.Decision;
import dev.airlock.policy.EgressPolicy;
import dev.airlock.vault.SecretBytes;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured model providers of one process: creates a {@link ModelClient} per provider and
 * caller, all of whose traffic goes through the egress gate.
 *
 * <p>A provider whose base URL is on loopback is local: it is reachable in offline mode and its
 * models cost nothing. In offline mode a remote provider is refused when its client is asked for,
 * before anything is connected; the refusal is recorded by the gate like any refused request.
 *
 * <p>Keys are resolved the first time a request that needs one is sent, then kept (as
 * {@link SecretBytes}) until {@link #close()}.
 */
public final class Providers implements AutoCloseable {
    /** Loopback, and only loopback: what offline mode allows. */
    private static final EgressPolicy LOOPBACK = EgressPolicy.offlineOnly();

    private final ModelSettings settings;
    private final KeySource keys;
    private final EgressGate egress;
    private final EgressPolicy egressPolicy;
    private final Pricing pricing;
    private final Map<ModelSettings.KeyReference, SecretBytes> resolved = new ConcurrentHashMap<>();

    private Providers(ModelSettings settings, KeySource keys, EgressGate egress, EgressPolicy egressPolicy) {
        this.settings = settings;
        this.keys = keys;
        this.egress = egress;
        this.egressPolicy = egressPolicy;
        this.pricing = Pricing.create(settings);
    }

    /**
     * Providers as {@code settings} describe them.
     *
     * @param keys         resolves {@code secret:} references (and, by default, {@code env:} ones from the process)
     * @param egress       the gate every request goes through
     * @param egressPolicy the policy of that gate, consulted to refuse remote providers in offline mode early
     */
    public static Providers create(ModelSettings settings, KeySource keys, EgressGate egress, EgressPolicy egressPolicy) {
        return new Providers(Objects.requireNonNull(settings), Objects.requireNonNull(keys), Objects.requireNonNull(egress),
                Objects.requireNonNull(egressPolicy));
    }

    /** The prices of every configured model. */
    public Pricing pricing() {
        return pricing;
    }

    /** The settings these providers were made from. */
    public ModelSettings settings() {
        return settings;
    }

    /** Whether {@code provider} runs on this machine (its base URL is loopback). */
    public boolean isLocal(String provider) {
        return isLoopback(find(provider).uri());
    }

    /**
     * A client of {@code provider} whose requests are recorded as made by {@code actor} for
     * {@code agent} (whose egress rules apply).
     *
     * @throws LlmException {@link LlmException.Kind#CONFIGURATION} for an unknown provider;
     *                      {@link LlmException.Kind#EGRESS_DENIED} for a remote provider in offline mode
     */
    public ModelClient client(String provider, String actor, String agent) {
        ModelSettings.Provider p = find(provider);
        URI base = p.uri();
        boolean local = isLoopback(base);
        if (egressPolicy.offline() && !local) {
            try {
                egress.preflight(actor, agent, "POST", base);
            } catch (EgressGate.EgressRefused refused) {
                // expected: the gate recorded the refusal
            }
            throw new LlmException(LlmException.Kind.EGRESS_DENIED, "offline mode: provider " + provider + " at " + base.getHost()
                    + " is not on this machine, so nothing was sent; use a local provider (base_url on 127.0.0.1 or"
                    + " localhost) or turn policy.egress.offline_mode off");
        }
        WireFormat format = WireFormat.of(p.type());
        ApiKey key = p.key().map(ref -> ApiKey.of(ref, this::key)).orElseGet(ApiKey::none);
        Duration timeout = Duration.ofSeconds(settings.timeoutSeconds());
        EgressHttpClient.Builder http = new EgressHttpClient.Builder(egress, actor, agent, format, key, this::mayReach);
        StreamingChatModel model = switch (p.type()) {
            case OPENAI -> OpenAiStreamingChatModel.builder().httpClientBuilder(http).baseUrl(p.baseUrl())
                    .apiKey(key.placeholder()).timeout(timeout).logRequests(false).logResponses(false).build();
            case ANTHROPIC -> AnthropicStreamingChatModel.builder().httpClientBuilder(http).baseUrl(p.baseUrl())
                    .apiKey(key.placeholder()).timeout(timeout).logRequests(false).logResponses(false).build();
            case OLLAMA -> {
                var b = OllamaStreamingChatModel.builder().httpClientBuilder(http).baseUrl(p.baseUrl()).timeout(timeout)
                        .logRequests(false).logResponses(false);
                if (p.key().isPresent()) {
                    // Ollama has no key of its own; one behind an authenticating proxy takes a bearer token.
                    b.customHeaders(Map.of("Authorization", "Bearer " + key.placeholder()));
                }
                yield b.build();
            }
        };
        String endpoint = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        boolean openAiItself = p.type() == ModelSettings.Type.OPENAI && base.getHost().toLowerCase(Locale.ROOT).equals("api.openai.com");
        return new LangChainClient(provider, local, model,
                new Failures.Context(provider, "", endpoint, format, p.key(), settings.timeoutSeconds()), openAiItself);
    }

    private ModelSettings.Provider find(String provider) {
        ModelSettings.Provider p = settings.providers().get(provider);
        if (p == null) {
            throw new LlmException(LlmException.Kind.CONFIGURATION, "unknown model provider '" + provider + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(settings.providers().keySet()))
                    + " (add it under models.providers in the config)");
        }
        return p;
    }

    private boolean mayReach(URI uri) {
        return egressPolicy.check(uri) instanceof Decision.Allow;
    }

    private static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK.check(uri) instanceof Decision.Allow;
    }

    /** The key a reference names, resolved once per process. */
    private SecretBytes key(ModelSettings.KeyReference ref) {
        return resolved.computeIfAbsent(ref, r -> switch (r.source()) {
            case VAULT -> keys.resolve(r.toString()).copy();
            case ENVIRONMENT -> keys.environment(r.name()).orElseThrow(() -> new LlmException(LlmException.Kind.CONFIGURATION,
                    "environment variable " + r.name() + " (the API key of a provider) is not set"));
        });
    }

    /** Wipes the keys resolved so far. */
    @Override
    public void close() {
        resolved.values().forEach(SecretBytes::destroy);
        resolved.clear();
    }
}
