package dev.airlock.llm;

import static dev.airlock.llm.LlmFixture.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airlock.home.ExitCode;
import dev.airlock.llm.fake.FakeModelServer;
import dev.airlock.llm.fake.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad answers from each provider: each is one clear {@link LlmException} of the right kind that names
 * the provider and model, and the client keeps working for the next request.
 */
class ProviderFailuresTest {
    static final String KEY = "sk-failure-test-key-7f3a9c";

    @TempDir
    Path dir;

    private record Setup(FakeModelServer server, LlmFixture fixture, ModelClient client) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            fixture.close();
        }
    }

    private Setup setup(FakeModelServer.Protocol protocol, int timeoutSeconds) {
        FakeModelServer server = FakeModelServer.start(protocol);
        LlmFixture fixture = new LlmFixture(dir, "  allowed_domains: []\n");
        fixture.secrets.put("TEST_KEY", KEY);
        ModelClient client = fixture.providers("  providers:\n" + LlmFixture.provider("fake", server, "secret:TEST_KEY")
                + "  timeout_seconds: " + timeoutSeconds + "\n").client("fake", "user", "cli");
        return new Setup(server, fixture, client);
    }

    private static LlmException failure(ModelClient client) {
        LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("some-model", "hello"), StreamListener.NONE));
        assertThat(e).as("the request fails with an LlmException").isNotNull();
        assertThat(e.getMessage()).contains("fake").doesNotContain(KEY).doesNotContain("\n");
        return e;
    }

    /** The session is kept: the same client answers the next request. */
    private static void stillWorks(Setup s) {
        s.server().replyText("still here");
        assertThat(s.client().chat(ask("some-model", "again"), StreamListener.NONE).text()).isEqualTo("still here");
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void aRejectedKey_isAnAuthenticationFailure_exit7_namingTheSecretButNotTheKey(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyBadKey();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.AUTHENTICATION);
            assertThat(e.exitCode()).isEqualTo(ExitCode.AUTH);
            assertThat(e.getMessage()).contains("rejected the API key").contains("TEST_KEY").contains("airlock secrets set TEST_KEY");
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            }
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void anUnknownModel_isUnknownModel_exit2_namingTheModel(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyUnknownModel();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.UNKNOWN_MODEL);
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains("'some-model'");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void noAnswerWithinTheTimeout_isATimeout(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 1)) {
            s.server().replyDelay(Duration.ofSeconds(4));
            long start = System.nanoTime();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("1 s").contains("models.timeout_seconds");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void aStreamThatGoesSilent_isATimeout(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 1)) {
            s.server().reply(Reply.text("a reply that stops after its first event").stalled(Duration.ofSeconds(5)));
            long start = System.nanoTime();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void dataThatIsNotTheWireFormat_isMalformed(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyMalformed();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("wire format");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void aStreamEndingBeforeItsEndMarker_isMalformed_notAShorterReply(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyTruncated();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("cut short");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void aConnectionDroppedMidStream_isMalformed(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyDropped();
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED);
            assertThat(e.getMessage()).contains("cut short");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void anErrorEventInsideTheStream_isAProviderError_withTheProvidersWords(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().reply(Reply.streamError("Overloaded"));
            LlmException e = failure(s.client());
            assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER);
            assertThat(e.getMessage()).contains("Overloaded");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void rateLimitsAndServerErrors_areProviderErrors(FakeModelServer.Protocol protocol) {
        try (Setup s = setup(protocol, 10)) {
            s.server().replyStatus(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
            LlmException limited = failure(s.client());
            assertThat(limited.kind()).isEqualTo(LlmException.Kind.PROVIDER);
            assertThat(limited.getMessage()).contains("429").contains("Rate limit reached");
            s.server().replyStatus(503, "upstream unavailable");
            LlmException down = failure(s.client());
            assertThat(down.kind()).isEqualTo(LlmException.Kind.PROVIDER);
            assertThat(down.getMessage()).contains("503");
            stillWorks(s);
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void aServerThatIsNotRunning_isAProviderError_sayingItCannotBeReached(FakeModelServer.Protocol protocol) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (LlmFixture fixture = new LlmFixture(dir, "  allowed_domains: []\n")) {
            ModelClient client = fixture.providers("  providers:\n    down: {type: " + protocol.name().toLowerCase(java.util.Locale.ROOT)
                    + ", base_url: 'http://127.0.0.1:" + port + "/v1'}\n").client("down", "user", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> client.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.PROVIDER);
            assertThat(e.getMessage()).contains("cannot reach 127.0.0.1:" + port).contains("down");
        }
    }

    @Test
    void interruptingTheCaller_whileItWaitsForTheAnswerToStart_cancelsTheRequest() throws Exception {
        try (Setup s = setup(FakeModelServer.Protocol.OPENAI, 30)) {
            s.server().replyDelay(Duration.ofSeconds(20));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    s.client().chat(ask("some-model", "hello"), StreamListener.NONE);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            while (s.server().requestCount() == 0) {
                Thread.sleep(10);
            }
            caller.interrupt();
            caller.join(Duration.ofSeconds(5));
            assertThat(caller.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOfSatisfying(LlmException.class,
                    e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED));
        }
    }

    @ParameterizedTest
    @EnumSource(FakeModelServer.Protocol.class)
    void interruptingTheCaller_cancelsTheStream_andKeepsTheInterruptFlag(FakeModelServer.Protocol protocol) throws Exception {
        try (Setup s = setup(protocol, 30)) {
            s.server().reply(Reply.text("the first piece, then a long silence").stalled(Duration.ofSeconds(20)));
            CountDownLatch firstText = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean flag = new AtomicBoolean();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    s.client().chat(ask("some-model", "hello"), text -> firstText.countDown());
                } catch (Throwable t) {
                    thrown.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            assertThat(firstText.await(10, TimeUnit.SECONDS)).as("the first piece of text arrived").isTrue();
            long start = System.nanoTime();
            caller.interrupt();
            caller.join(Duration.ofSeconds(5));
            assertThat(caller.isAlive()).as("the caller returned").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(thrown.get()).isInstanceOf(LlmException.class);
            assertThat(((LlmException) thrown.get()).kind()).isEqualTo(LlmException.Kind.CANCELLED);
            assertThat(flag).isTrue();
            CompletableFuture.runAsync(() -> stillWorks(s)).get(10, TimeUnit.SECONDS);
        }
    }
}
