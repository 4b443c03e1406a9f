package dev.airlock.llm;

import static dev.airlock.llm.LlmFixture.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.airlock.home.ExitCode;
import dev.airlock.llm.fake.FakeModelServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model traffic under the egress policy. The fake server is also the configured egress proxy, so any
 * request the gate let out for a remote host would reach it: a server that records nothing proves
 * that nothing was sent. Remote hosts use the reserved {@code .invalid} and {@code .example} names,
 * which resolve nowhere.
 */
class ProviderEgressTest {
    @TempDir
    Path dir;

    FakeModelServer server;

    @BeforeEach
    void start() {
        server = FakeModelServer.openAi();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void offlineMode_refusesARemoteProvider_beforeAnyConnection_andRecordsTheRefusal() {
        try (LlmFixture f = new LlmFixture(dir, "  offline_mode: true\n  allowed_domains: [api.remote-provider.invalid]\n"
                + "  proxy: " + server.origin() + "\n")) {
            f.secrets.put("REMOTE_KEY", "sk-remote-key-never-needed");
            Providers providers = f.providers("  providers:\n    remote: {type: openai, base_url: 'https://api.remote-provider.invalid/v1',"
                    + " api_key: 'secret:REMOTE_KEY'}\n");

            LlmException e = catchThrowableOfType(LlmException.class, () -> providers.client("remote", "user", "cli"));

            assertThat(e.kind()).isEqualTo(LlmException.Kind.EGRESS_DENIED);
            assertThat(e.exitCode()).isEqualTo(ExitCode.DENIED);
            assertThat(e.getMessage()).contains("offline mode").contains("remote").contains("api.remote-provider.invalid")
                    .contains("nothing was sent");
            assertThat(server.requestCount()).as("requests that reached the proxy").isZero();
            assertThat(f.keyLookups).as("the vault was never asked").hasValue(0);
            assertThat(f.rows("egress.response")).isEmpty();
            assertThat(f.rows("egress.request")).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo("denied");
                assertThat(r.target()).isEqualTo("host:api.remote-provider.invalid");
                assertThat(r.details().path("reasons").toString()).contains("offline");
            });
        }
    }

    @Test
    void offlineMode_refusesTheBuiltInCloudProviders() {
        try (LlmFixture f = new LlmFixture(dir, "  offline_mode: true\n  proxy: " + server.origin() + "\n")) {
            Providers providers = f.providers("  timeout_seconds: 5\n");
            for (String cloud : new String[] {"openai", "anthropic"}) {
                LlmException e = catchThrowableOfType(LlmException.class, () -> providers.client(cloud, "user", "cli"));
                assertThat(e.kind()).isEqualTo(LlmException.Kind.EGRESS_DENIED);
                assertThat(e.getMessage()).contains(cloud);
            }
            assertThat(providers.isLocal("ollama")).isTrue();
            assertThat(server.requestCount()).isZero();
            assertThat(f.rows("egress.response")).isEmpty();
        }
    }

    @Test
    void offlineMode_stillReachesALoopbackProvider() {
        try (LlmFixture f = new LlmFixture(dir, "  offline_mode: true\n")) {
            ModelClient local = f.providers("  providers:\n" + LlmFixture.provider("local", server, null)).client("local", "user", "cli");
            server.replyText("offline but fine");
            assertThat(local.chat(ask("llama3.2", "hi"), StreamListener.NONE).text()).isEqualTo("offline but fine");
            assertThat(f.rows("egress.request")).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo("approved"));
        }
    }

    @Test
    void aHostOutsideTheAllowList_isRefusedAndAudited_andNeitherTheKeyNorTheRequestLeaves() {
        try (LlmFixture f = new LlmFixture(dir, "  allowed_domains: [api.allowed.example]\n  proxy: " + server.origin() + "\n")) {
            f.secrets.put("OTHER_KEY", "sk-other-key-never-needed");
            ModelClient other = f.providers("  providers:\n"
                    + LlmFixture.remoteProvider("other", server, "api.other.example", "secret:OTHER_KEY")).client("other", "agent:a", "a");

            LlmException e = catchThrowableOfType(LlmException.class, () -> other.chat(ask("gpt-4o", "hi"), StreamListener.NONE));

            assertThat(e.kind()).isEqualTo(LlmException.Kind.EGRESS_DENIED);
            assertThat(e.exitCode()).isEqualTo(ExitCode.DENIED);
            assertThat(e.getMessage()).contains("api.other.example").contains("allowed_domains");
            assertThat(server.requestCount()).isZero();
            assertThat(f.keyLookups).hasValue(0);
            assertThat(f.rows("egress.response")).isEmpty();
            assertThat(f.rows("egress.request")).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo("denied");
                assertThat(r.target()).isEqualTo("host:api.other.example");
                assertThat(r.details().path("path").asText()).isEqualTo("/v1/chat/completions");
                assertThat(r.details().path("agent").asText()).isEqualTo("a");
            });
        }
    }

    @Test
    void aHostOnTheAllowList_isReachedThroughTheProxy_andBothEndsAreAudited() {
        try (LlmFixture f = new LlmFixture(dir, "  allowed_domains: ['*.allowed.example']\n  proxy: " + server.origin() + "\n")) {
            f.secrets.put("ALLOWED_KEY", "sk-allowed-key-123");
            ModelClient allowed = f.providers("  providers:\n"
                    + LlmFixture.remoteProvider("allowed", server, "api.allowed.example", "secret:ALLOWED_KEY")).client("allowed", "user", "cli");
            server.replyText("through the proxy");

            assertThat(allowed.chat(ask("gpt-4o", "hi"), StreamListener.NONE).text()).isEqualTo("through the proxy");

            assertThat(server.lastRequest().target()).isEqualTo("http://api.allowed.example/v1/chat/completions");
            assertThat(f.rows()).extracting(LlmFixture.Row::action, LlmFixture.Row::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("egress.request", "approved"),
                            org.assertj.core.groups.Tuple.tuple("egress.response", "success"));
        }
    }

    @Test
    void withoutAnAllowList_aRemoteProviderNeedsApproval_andIsRefused() {
        try (LlmFixture f = new LlmFixture(dir, "  proxy: " + server.origin() + "\n")) {
            ModelClient remote = f.providers("  providers:\n"
                    + LlmFixture.remoteProvider("remote", server, "api.somewhere.example", null)).client("remote", "user", "cli");
            LlmException e = catchThrowableOfType(LlmException.class, () -> remote.chat(ask("m", "hi"), StreamListener.NONE));
            assertThat(e.kind()).isEqualTo(LlmException.Kind.EGRESS_DENIED);
            assertThat(e.getMessage()).contains("policy.egress.allowed_domains");
            assertThat(server.requestCount()).isZero();
            assertThat(f.rows("egress.request")).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo("refused"));
        }
    }
}
