package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressPolicyTest {
    final EgressPolicy listed = EgressPolicy.create(new EgressConfig(
            List.of("api.openai.com", "*.github.com"), "http://proxy.local:3128", false));

    @Test
    void check_allowsListedHostsAndSubdomainsOfWildcards() {
        assertThat(listed.check(URI.create("https://api.openai.com/v1"))).isInstanceOf(Decision.Allow.class);
        assertThat(listed.check(URI.create("https://API.OpenAI.com./v1"))).isInstanceOf(Decision.Allow.class);
        assertThat(listed.check(URI.create("https://api.github.com/x"))).isInstanceOf(Decision.Allow.class);
        assertThat(listed.check(URI.create("https://a.b.github.com/x"))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void check_blocksEverythingElse_includingLookAlikes() {
        assertThat(listed.check(URI.create("https://github.com/"))).isInstanceOf(Decision.Deny.class);
        assertThat(listed.check(URI.create("https://evilgithub.com/"))).isInstanceOf(Decision.Deny.class);
        assertThat(listed.check(URI.create("https://github.com.evil.io/"))).isInstanceOf(Decision.Deny.class);
        assertThat(listed.check(URI.create("https://api.openai.com.evil.io/"))).isInstanceOf(Decision.Deny.class);
        assertThat(listed.check(URI.create("file:///etc/passwd"))).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void loopback_isAlwaysAllowed_evenOffline() {
        EgressPolicy offline = EgressPolicy.offlineOnly();
        assertThat(offline.check(URI.create("http://localhost:11434/api"))).isInstanceOf(Decision.Allow.class);
        assertThat(offline.check(URI.create("http://127.0.0.1:8080/"))).isInstanceOf(Decision.Allow.class);
        assertThat(offline.check(URI.create("http://[::1]:8080/"))).isInstanceOf(Decision.Allow.class);
        assertThat(offline.check(URI.create("https://api.openai.com/"))).isInstanceOf(Decision.Deny.class);
        assertThat(offline.check(URI.create("http://127.0.0.1.evil.io/"))).isInstanceOf(Decision.Deny.class);
        assertThat(offline.offline()).isTrue();
    }

    @Test
    void offlineMode_winsOverTheAllowList() {
        EgressPolicy p = EgressPolicy.create(new EgressConfig(List.of("api.openai.com"), null, true));
        assertThat(p.check(URI.create("https://api.openai.com/"))).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void unconfigured_asks() {
        assertThat(EgressPolicy.unconfigured().check(URI.create("https://example.com/")))
                .isInstanceOf(Decision.Ask.class);
    }

    @Test
    void proxy_isExposedAndValidated() {
        assertThat(listed.proxy()).contains(URI.create("http://proxy.local:3128"));
        assertThatThrownBy(() -> EgressPolicy.create(new EgressConfig(null, "not a uri", false)))
                .isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> EgressPolicy.create(new EgressConfig(List.of("https://x.io/path"), null, false)))
                .isInstanceOf(PolicyException.class);
    }
}
