package dev.airlock.llm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.airlock.vault.SecretResolver;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code models:} section of the user config: which model providers exist, what their models
 * cost, and how long a request may take.
 *
 * <pre>
 * models:
 *   providers:
 *     openai:   {type: openai, base_url: https://api.openai.com/v1, api_key: secret:OPENAI_API_KEY}
 *     lmstudio: {type: openai, base_url: http://127.0.0.1:1234/v1}
 *   prices:
 *     openai/gpt-4o-mini: {input: 0.15, output: 0.60}
 *   timeout_seconds: 120
 * </pre>
 *
 * <p>The providers {@code openai}, {@code anthropic} and {@code ollama} exist without being written
 * down (see {@link #BUILT_IN}); a configured provider of the same name replaces the built-in one.
 *
 * @param providers      by name, the built-in ones included
 * @param prices         US dollars per million tokens by {@code PROVIDER/MODEL}, over the built-in table
 * @param timeoutSeconds how long a request may wait for its answer to start, and a stream may stay
 *                       silent (1–3600; default 120)
 */
public record ModelSettings(
        @JsonProperty("providers") @Nullable Map<String, Provider> providers,
        @JsonProperty("prices") @Nullable Map<String, PriceSetting> prices,
        @JsonProperty("timeout_seconds") @Nullable Integer timeoutSeconds) {

    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** The providers that exist unless the config says otherwise. */
    public static final Map<String, Provider> BUILT_IN = builtIn();

    /** The wire protocol a provider speaks. */
    public enum Type {
        /** OpenAI chat completions: OpenAI, Ollama's /v1, LM Studio, llama.cpp server, vLLM, OpenRouter. */
        OPENAI("https://api.openai.com/v1"),
        /** Anthropic Messages. */
        ANTHROPIC("https://api.anthropic.com/v1"),
        /** Ollama's native /api/chat. */
        OLLAMA("http://127.0.0.1:11434");

        private final String defaultBaseUrl;

        Type(String defaultBaseUrl) {
            this.defaultBaseUrl = defaultBaseUrl;
        }

        public String defaultBaseUrl() {
            return defaultBaseUrl;
        }

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One provider.
     *
     * @param type    its wire protocol
     * @param baseUrl where its API lives (default: the type's public endpoint)
     * @param apiKey  where its key comes from, or empty for a server that needs none
     */
    public record Provider(
            @JsonProperty("type") Type type,
            @JsonProperty("base_url") @JsonDeserialize(converter = BaseUrlCheck.class) @Nullable String baseUrl,
            @JsonProperty("api_key") @Nullable KeyReference apiKey) {
        public Provider {
            if (type == null) {
                throw new IllegalArgumentException("a provider needs a type: openai, anthropic or ollama");
            }
            if (baseUrl == null || baseUrl.isBlank()) {
                baseUrl = type.defaultBaseUrl();
            }
            baseUrl = checkBaseUrl(baseUrl.strip());
        }

        /** The base URL as a URI. */
        public URI uri() {
            return URI.create(baseUrl);
        }

        public Optional<KeyReference> key() {
            return Optional.ofNullable(apiKey);
        }

        static String checkBaseUrl(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("base_url is not a URL; write it as https://host/v1");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("base_url must be an http or https URL with a host, e.g. https://api.openai.com/v1");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                // a user:password@ part or a ?key= query would be a credential in plaintext
                throw new IllegalArgumentException("base_url must not carry credentials, a query or a fragment; keys go in api_key");
            }
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /** Checks base_url while it is bound, so an error names the key's own line. */
    static final class BaseUrlCheck extends StdConverter<String, String> {
        @Override
        public String convert(String value) {
            return Provider.checkBaseUrl(value.strip());
        }
    }

    /**
     * Where a provider's API key comes from: {@code secret:NAME} (the vault) or {@code env:NAME} (an
     * environment variable, for CI). A key written into the config file itself is refused, since the
     * file is plaintext on disk. Holds only the reference, never the key.
     */
    public record KeyReference(Source source, String name) {
        /** Where the key is kept. */
        public enum Source { VAULT, ENVIRONMENT }

        private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        public KeyReference {
            if (source == null || name == null || name.isBlank()) {
                throw new IllegalArgumentException("a key reference needs a source and a name");
            }
        }

        /** Parses {@code secret:NAME} or {@code env:NAME}; anything else is refused without repeating it. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static KeyReference parse(String text) {
            String t = text.strip();
            if (t.startsWith(SecretResolver.PREFIX)) {
                String name;
                try {
                    name = SecretResolver.referencedName(t).orElseThrow();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("api_key: " + e.getMessage());
                }
                return new KeyReference(Source.VAULT, name);
            }
            if (t.startsWith("env:")) {
                String name = t.substring(4);
                if (!ENV_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("api_key: env: must name an environment variable, e.g. env:OPENAI_API_KEY");
                }
                return new KeyReference(Source.ENVIRONMENT, name);
            }
            // Never echo the value: it is most likely the key itself.
            throw new IllegalArgumentException("api_key must say where the key is kept (secret:NAME or env:NAME), not hold"
                    + " the key: the config file is plaintext. Put it in the vault: airlock secrets set NAME, and refer to it"
                    + " as secret:NAME");
        }

        /** As written in the config. */
        @JsonValue
        @Override
        public String toString() {
            return (source == Source.VAULT ? SecretResolver.PREFIX : "env:") + name;
        }

        /** What a user should check when the provider refuses the key. */
        String describe() {
            return source == Source.VAULT ? "secret " + name + " (airlock secrets set " + name + ")"
                    : "environment variable " + name;
        }
    }

    /**
     * A price, in US dollars per million tokens.
     */
    public record PriceSetting(
            @JsonProperty("input") BigDecimal input,
            @JsonProperty("output") BigDecimal output) {
        public PriceSetting {
            if (input == null || output == null) {
                throw new IllegalArgumentException("a price needs both input and output (US dollars per million tokens)");
            }
            if (input.signum() < 0 || output.signum() < 0) {
                throw new IllegalArgumentException("a price cannot be negative");
            }
        }

        public Price toPrice() {
            return new Price(input, output);
        }
    }

    public ModelSettings {
        Map<String, Provider> all = new LinkedHashMap<>(BUILT_IN);
        if (providers != null) {
            providers.forEach((name, p) -> {
                if (!PROVIDER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("provider name '" + name
                            + "' must be lower case letters, digits, '.', '_' or '-'");
                }
                if (p == null) {
                    throw new IllegalArgumentException("provider '" + name + "' needs at least a type");
                }
                all.put(name, p);
            });
        }
        providers = Collections.unmodifiableMap(all);
        Map<String, PriceSetting> p = new LinkedHashMap<>();
        if (prices != null) {
            prices.forEach((ref, price) -> {
                int slash = ref.indexOf('/');
                if (slash <= 0 || slash == ref.length() - 1) {
                    throw new IllegalArgumentException("price key '" + ref + "' must be PROVIDER/MODEL, e.g. openai/gpt-4o-mini");
                }
                if (price == null) {
                    throw new IllegalArgumentException("price '" + ref + "' needs input and output");
                }
                p.put(ref, price);
            });
        }
        prices = Collections.unmodifiableMap(p);
        if (timeoutSeconds == null) {
            timeoutSeconds = 120;
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new IllegalArgumentException("timeout_seconds must be between 1 and 3600");
        }
    }

    /** The settings an empty {@code models:} section stands for. */
    public static ModelSettings defaults() {
        return new ModelSettings(null, null, null);
    }

    private static Map<String, Provider> builtIn() {
        Map<String, Provider> m = new LinkedHashMap<>();
        m.put("openai", new Provider(Type.OPENAI, null, KeyReference.parse("secret:OPENAI_API_KEY")));
        m.put("anthropic", new Provider(Type.ANTHROPIC, null, KeyReference.parse("secret:ANTHROPIC_API_KEY")));
        m.put("ollama", new Provider(Type.OLLAMA, null, null));
        return Collections.unmodifiableMap(m);
    }
}
