package dev.airlock.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models: section and the providers it describes. File/line/key errors are in ConfigValidationTest. */
class ModelSettingsTest {
    @TempDir
    Path dir;

    @Test
    void anEmptySection_hasTheBuiltInProviders_andA120SecondTimeout() {
        ModelSettings s = ModelSettings.defaults();
        assertThat(s.providers()).containsOnlyKeys("openai", "anthropic", "ollama");
        assertThat(s.providers().get("openai").baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(s.providers().get("openai").apiKey()).hasToString("secret:OPENAI_API_KEY");
        assertThat(s.providers().get("anthropic").baseUrl()).isEqualTo("https://api.anthropic.com/v1");
        assertThat(s.providers().get("anthropic").apiKey()).hasToString("secret:ANTHROPIC_API_KEY");
        assertThat(s.providers().get("ollama").baseUrl()).isEqualTo("http://127.0.0.1:11434");
        assertThat(s.providers().get("ollama").key()).isEmpty();
        assertThat(s.timeoutSeconds()).isEqualTo(120);
    }

    @Test
    void aConfiguredProvider_replacesTheBuiltInOneOfTheSameName_andOthersAreAdded() {
        ModelSettings s = LlmFixture.settings(dir, """
                  providers:
                    openai:   {type: openai, base_url: https://gateway.example/openai/v1/, api_key: env:GATEWAY_KEY}
                    lmstudio: {type: openai, base_url: http://127.0.0.1:1234/v1}
                  timeout_seconds: 30
                """);
        assertThat(s.providers()).containsKeys("openai", "anthropic", "ollama", "lmstudio");
        assertThat(s.providers().get("openai").baseUrl()).isEqualTo("https://gateway.example/openai/v1");
        assertThat(s.providers().get("openai").apiKey()).isEqualTo(
                new ModelSettings.KeyReference(ModelSettings.KeyReference.Source.ENVIRONMENT, "GATEWAY_KEY"));
        assertThat(s.providers().get("lmstudio").key()).isEmpty();
        assertThat(s.timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void aProviderWithoutBaseUrl_takesItsTypesPublicEndpoint() {
        ModelSettings s = LlmFixture.settings(dir, "  providers:\n    claude: {type: anthropic, api_key: secret:CLAUDE}\n");
        assertThat(s.providers().get("claude").baseUrl()).isEqualTo("https://api.anthropic.com/v1");
    }

    @Test
    void aKeyWrittenIntoTheConfig_isRefused_exit2_withoutRepeatingIt() {
        AirlockException e = catchThrowableOfType(AirlockException.class, () -> LlmFixture.settings(dir,
                "  providers:\n    openai: {type: openai, api_key: sk-live-literal-key-0123456789}\n"));
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).contains("models.providers.openai.api_key").contains("airlock secrets set NAME")
                .doesNotContain("sk-live-literal-key-0123456789");
    }

    @Test
    void aBaseUrlCarryingCredentials_isRefused() {
        AirlockException e = catchThrowableOfType(AirlockException.class, () -> LlmFixture.settings(dir,
                "  providers:\n    p: {type: openai, base_url: 'https://user:pass@api.example/v1'}\n"));
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).contains("models.providers.p.base_url").contains("credentials").doesNotContain("pass@");
    }

    @Test
    void anUnknownProvider_isAConfigurationError_namingTheKnownOnes() {
        try (LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            Providers providers = f.providers("  providers:\n    lmstudio: {type: openai, base_url: 'http://127.0.0.1:1234/v1'}\n");
            LlmException e = catchThrowableOfType(LlmException.class, () -> providers.client("opnai", "user", "cli"));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.CONFIGURATION);
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains("'opnai'").contains("anthropic, lmstudio, ollama, openai").contains("models.providers");
        }
    }

    @Test
    void aProviderOnLoopback_isLocal_andOneElsewhereIsNot() {
        try (LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            Providers providers = f.providers("""
                      providers:
                        a: {type: openai, base_url: 'http://localhost:8080/v1'}
                        b: {type: openai, base_url: 'http://127.0.0.2:8080/v1'}
                        c: {type: openai, base_url: 'http://[::1]:8080/v1'}
                        d: {type: openai, base_url: 'http://192.168.1.20:8080/v1'}
                    """);
            assertThat(providers.isLocal("a")).isTrue();
            assertThat(providers.isLocal("b")).isTrue();
            assertThat(providers.isLocal("c")).isTrue();
            assertThat(providers.isLocal("d")).as("a LAN address is not this machine").isFalse();
            assertThat(providers.isLocal("openai")).isFalse();
            assertThat(providers.client("a", "user", "cli").local()).isTrue();
        }
    }
}
