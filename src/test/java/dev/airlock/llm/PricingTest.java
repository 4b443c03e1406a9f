package dev.airlock.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airlock.home.ExitCode;
import java.math.BigDecimal;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTest {
    @TempDir
    Path dir;

    private static ModelSettings withPrices(Map<String, ModelSettings.PriceSetting> prices) {
        return new ModelSettings(null, prices, null);
    }

    @Test
    void aWellKnownModel_hasItsBuiltInListPrice() {
        Price p = Pricing.builtIn().price(ModelRef.parse("openai/gpt-4o-mini"), false).orElseThrow();
        assertThat(p.inputPerMillion()).isEqualByComparingTo("0.15");
        assertThat(p.outputPerMillion()).isEqualByComparingTo("0.60");
        assertThat(Pricing.builtIn().price(ModelRef.parse("anthropic/claude-sonnet-4-5"), false)).isPresent();
        assertThat(Pricing.builtIn().builtInTaken()).matches("\\d{4}-\\d{2}");
    }

    @Test
    void theConfig_overridesABuiltInPrice_andAddsModelsTheTableLacks() {
        Pricing pricing = Pricing.create(withPrices(Map.of(
                "openai/gpt-4o-mini", new ModelSettings.PriceSetting(new BigDecimal("0.10"), new BigDecimal("0.40")),
                "openrouter/meta/llama-3-70b", new ModelSettings.PriceSetting(new BigDecimal("0.59"), new BigDecimal("0.79")))));
        assertThat(pricing.require(ModelRef.parse("openai/gpt-4o-mini"), false).inputPerMillion()).isEqualByComparingTo("0.10");
        assertThat(pricing.require(ModelRef.parse("openrouter/meta/llama-3-70b"), false).outputPerMillion()).isEqualByComparingTo("0.79");
    }

    @Test
    void anUnknownModel_hasNoPrice_andUnderACostLimitIsAConfigurationError_namingTheKeyToAdd() {
        Pricing pricing = Pricing.builtIn();
        ModelRef unknown = ModelRef.parse("openai/gpt-99-preview");
        assertThat(pricing.price(unknown, false)).isEmpty();
        LlmException e = catchThrowableOfType(LlmException.class, () -> pricing.require(unknown, false));
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CONFIGURATION);
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).contains("no price known for openai/gpt-99-preview").contains("models.prices.openai/gpt-99-preview");
    }

    @Test
    void noModelIsPricedByPrefix_aSnapshotIsNotItsAlias() {
        assertThat(Pricing.builtIn().price(ModelRef.parse("openai/gpt-4o-mini-2099-01-01"), false)).isEmpty();
    }

    @Test
    void aLocalModel_costsNothing_evenWithoutAnEntry() {
        Price p = Pricing.builtIn().require(ModelRef.parse("ollama/llama3.2"), true);
        assertThat(p).isEqualTo(Price.FREE);
        assertThat(p.cost(new Usage(1_000_000, 1_000_000))).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void configuredPrices_keepTheirDecimalsExactly() {
        Pricing pricing = Pricing.create(LlmFixture.settings(dir, "  prices:\n    x/y: {input: 0.15, output: 0.6}\n"));
        Price p = pricing.require(ModelRef.parse("x/y"), false);
        assertThat(p.inputPerMillion()).isEqualTo(new BigDecimal("0.15"));
        assertThat(p.cost(new Usage(1_000_000, 0))).isEqualByComparingTo("0.15");
    }
}
