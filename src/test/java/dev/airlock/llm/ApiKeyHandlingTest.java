package dev.airlock.llm;

import static dev.airlock.llm.LlmFixture.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.airlock.home.AirlockException;
import dev.airlock.home.ExitCode;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.RecordedRequest;
import dev.airlock.vault.SecretBytes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * API keys: resolved from the vault or the environment only when a request is sent, carried in the
 * provider's header and nowhere else — not in the audit log, not in any log line, not in an
 * exception, not in the request body.
 */
class ApiKeyHandlingTest {
    /** A unique marker, so that any copy of it anywhere is found. */
    static final String KEY = "sk-proj-MARKER-" + "9d2f71c04be8a6e35f10";

    @TempDir
    Path dir;

    ListAppender<ILoggingEvent> logs;
    Logger root;
    Level rootLevel;

    @BeforeEach
    void captureEveryLogLine() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restoreLogging() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    private String logText() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            sb.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @ParameterizedTest
    @EnumSource(value = FakeModelServer.Protocol.class, names = {"OPENAI", "ANTHROPIC"})
    void theKey_reachesTheProviderInItsHeader_andNoAuditRowLogLineOrException(FakeModelServer.Protocol protocol) {
        try (FakeModelServer server = FakeModelServer.start(protocol);
                LlmFixture f = new LlmFixture(dir, "  allowed_domains: [api.provider.example]\n  proxy: " + server.origin() + "\n")) {
            f.secrets.put("PROVIDER_KEY", KEY);
            ModelClient client = f.providers("  providers:\n"
                    + LlmFixture.remoteProvider("cloud", server, "api.provider.example", "secret:PROVIDER_KEY")).client("cloud", "user", "cli");
            List<Throwable> failures = new ArrayList<>();
            server.replyText("fine");
            client.chat(ask("m", "hello"), StreamListener.NONE);
            server.replyBadKey().replyMalformed().replyTruncated()
                    // a provider that echoes the key it got in an error body
                    .replyStatus(500, "{\"error\":{\"message\":\"internal error for key " + KEY + "\"}}");
            for (int i = 0; i < 4; i++) {
                failures.add(catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hello"), StreamListener.NONE)));
            }

            String header = protocol == FakeModelServer.Protocol.OPENAI ? "authorization" : "x-api-key";
            String expected = protocol == FakeModelServer.Protocol.OPENAI ? "Bearer " + KEY : KEY;
            assertThat(server.requests()).hasSize(5).allSatisfy(r -> {
                assertThat(r.header(header)).contains(expected);
                assertThat(r.body()).doesNotContain(KEY);
                assertThat(r.headers().toString() + r.body()).doesNotContain("airlock-key-placeholder");
            });
            assertThat(failures).hasSize(4).allSatisfy(t -> assertThat(everything(t)).doesNotContain(KEY));
            assertThat(failures.get(3).getMessage()).contains("500");
            assertThat(f.rawAuditText()).doesNotContain(KEY).contains("egress.request");
            assertThat(logs.list).as("log capture works (the database migration logs)").isNotEmpty();
            assertThat(logText()).doesNotContain(KEY);
        }
    }

    @Test
    void aVaultKey_isResolvedWhenTheFirstRequestIsSent_andOnlyOncePerProcess() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            f.secrets.put("K", KEY);
            Providers providers = f.providers("  providers:\n" + LlmFixture.provider("p", server, "secret:K"));
            ModelClient first = providers.client("p", "user", "cli");
            ModelClient second = providers.client("p", "agent:x", "x");
            assertThat(f.keyLookups).as("making clients asks nothing").hasValue(0);
            server.replyText("one").replyText("two");
            first.chat(ask("m", "hi"), StreamListener.NONE);
            second.chat(ask("m", "hi"), StreamListener.NONE);
            assertThat(f.keyLookups).hasValue(1);
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("authorization")).contains("Bearer " + KEY));
        }
    }

    @Test
    void aKeyFromTheEnvironment_isSent_forCi() {
        try (FakeModelServer server = FakeModelServer.anthropic(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            f.env.put("CI_ANTHROPIC_KEY", KEY + "\n");
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "env:CI_ANTHROPIC_KEY")).client("p", "u", "cli");
            server.replyText("ok");
            client.chat(ask("m", "hi"), StreamListener.NONE);
            assertThat(server.lastRequest().header("x-api-key")).contains(KEY);
            assertThat(f.keyLookups).as("the vault is not asked for env: keys").hasValue(0);
        }
    }

    @Test
    void anOllamaBehindAnAuthenticatingProxy_getsItsKeyAsABearerToken() {
        try (FakeModelServer server = FakeModelServer.ollama(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            f.secrets.put("PROXY_TOKEN", KEY);
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "secret:PROXY_TOKEN")).client("p", "u", "cli");
            server.replyText("ok");
            client.chat(ask("llama3.2", "hi"), StreamListener.NONE);
            assertThat(server.lastRequest().header("authorization")).contains("Bearer " + KEY);
        }
    }

    @Test
    void anUnsetEnvironmentVariable_isAConfigurationError_andNothingIsSent() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "env:NOT_SET_ANYWHERE")).client("p", "u", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.CONFIGURATION);
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains("NOT_SET_ANYWHERE");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void aSecretMissingFromTheVault_isAConfigurationError_namingIt_andNothingIsSent() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "secret:NO_SUCH_SECRET")).client("p", "u", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.CONFIGURATION);
            assertThat(e.getMessage()).contains("NO_SUCH_SECRET");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void aLockedVault_isAnAuthenticationFailure_exit7() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            KeySource locked = reference -> {
                throw new AirlockException(ExitCode.AUTH, "wrong password for the vault of tenant 't'");
            };
            ModelClient client = Providers.create(f.settings("  providers:\n" + LlmFixture.provider("p", server, "secret:K")),
                    locked, f.gate, f.engine.egress()).client("p", "u", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
            assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH);
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void aKeyStoredWithATrailingNewline_isSentWithoutIt() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            f.secrets.put("K", KEY + "\n");
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "secret:K")).client("p", "u", "cli");
            server.replyText("ok");
            client.chat(ask("m", "hi"), StreamListener.NONE);
            RecordedRequest r = server.lastRequest();
            assertThat(r.header("authorization")).contains("Bearer " + KEY);
        }
    }

    @Test
    void aKeyWithALineBreakInside_isRefused_withoutShowingIt() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            f.secrets.put("K", "sk-abc\ninjected: header");
            ModelClient client = f.providers("  providers:\n" + LlmFixture.provider("p", server, "secret:K")).client("p", "u", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.CONFIGURATION);
            assertThat(e.getMessage()).contains("secret K").doesNotContain("sk-abc").doesNotContain("injected");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void closingTheProviders_dropsTheResolvedKeys_soTheNextRequestAsksAgain() {
        try (FakeModelServer server = FakeModelServer.openAi(); LlmFixture f = new LlmFixture(dir, "  allowed_domains: []\n")) {
            List<SecretBytes> handedOut = new ArrayList<>();
            KeySource vault = reference -> {
                SecretBytes s = SecretBytes.copyOf(KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                handedOut.add(s);
                return s;
            };
            Providers providers = Providers.create(f.settings("  providers:\n" + LlmFixture.provider("p", server, "secret:K")),
                    vault, f.gate, f.engine.egress());
            server.replyText("ok").replyText("again");
            providers.client("p", "u", "cli").chat(ask("m", "hi"), StreamListener.NONE);
            providers.close();
            assertThat(handedOut).singleElement().satisfies(s -> assertThat(s.isDestroyed()).as("the vault's own copy is left alone").isFalse());
            // a new request after close resolves the key again
            providers.client("p", "u", "cli").chat(ask("m", "hi"), StreamListener.NONE);
            assertThat(handedOut).hasSize(2);
        }
    }
}
