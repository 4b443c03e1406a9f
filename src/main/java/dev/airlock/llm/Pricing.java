package dev.airlock.llm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What models cost: the built-in table ({@code llm/prices.yaml}, list prices with the month they were
 * taken) under the user's {@code models.prices}. Local models cost nothing. A model in neither table
 * has no known price: {@link #price} says so and {@link #require} refuses, because a cost limit that
 * guesses is no limit.
 */
public final class Pricing {
    private static final String RESOURCE = "/llm/prices.yaml";

    private final Map<String, Price> builtIn;
    private final String taken;
    private final Map<String, Price> overrides;

    private Pricing(Map<String, Price> builtIn, String taken, Map<String, Price> overrides) {
        this.builtIn = builtIn;
        this.taken = taken;
        this.overrides = overrides;
    }

    /** The built-in table under the prices of {@code settings}. */
    public static Pricing create(ModelSettings settings) {
        Map<String, Price> o = new LinkedHashMap<>();
        settings.prices().forEach((ref, p) -> o.put(ref, p.toPrice()));
        Table t = Table.INSTANCE;
        return new Pricing(t.prices, t.taken, Collections.unmodifiableMap(o));
    }

    /** The built-in table alone. */
    public static Pricing builtIn() {
        return create(ModelSettings.defaults());
    }

    /** When the built-in prices were taken, e.g. {@code 2025-10}. */
    public String builtInTaken() {
        return taken;
    }

    /**
     * The price of {@code ref}: free when the provider is local, else the configured price, else the
     * built-in one, else empty.
     */
    public Optional<Price> price(ModelRef ref, boolean local) {
        if (local) {
            return Optional.of(Price.FREE);
        }
        String key = ref.toString();
        Price p = overrides.get(key);
        if (p == null) {
            p = builtIn.get(key);
        }
        return Optional.ofNullable(p);
    }

    /**
     * The price of {@code ref}, for callers under a cost limit.
     *
     * @throws LlmException {@link LlmException.Kind#CONFIGURATION} naming the config key to add
     */
    public Price require(ModelRef ref, boolean local) {
        return price(ref, local).orElseThrow(() -> new LlmException(LlmException.Kind.CONFIGURATION,
                "no price known for " + ref + " (a cost limit needs one); add models.prices." + ref
                        + ": {input: USD per million input tokens, output: USD per million output tokens} to the config"));
    }

    /** The built-in table, read once. */
    private static final class Table {
        static final Table INSTANCE = load();

        final Map<String, Price> prices;
        final String taken;

        Table(Map<String, Price> prices, String taken) {
            this.prices = prices;
            this.taken = taken;
        }

        private static Table load() {
            ObjectMapper yaml = JsonMapper.builder(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
            try (InputStream in = Pricing.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                JsonNode root = yaml.readTree(in);
                Map<String, Price> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : root.path("prices").properties()) {
                    ModelRef.parse(e.getKey());
                    m.put(e.getKey(), new Price(decimal(e.getValue().get("input")), decimal(e.getValue().get("output"))));
                }
                return new Table(Collections.unmodifiableMap(m), root.path("taken").asText());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }

        private static BigDecimal decimal(JsonNode n) {
            if (n == null || !n.isNumber()) {
                throw new IllegalStateException(RESOURCE + ": every price needs numeric input and output");
            }
            return n.decimalValue();
        }
    }
}
