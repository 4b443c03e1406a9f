package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal names the rule that decided it, and says what the rule is about. */
class HonestMessagesTest {
    @TempDir
    static Path tmp;

    static PolicyFixture fx;
    static CommandAnalyzer analyzer;
    static PolicyEngine engine;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new PolicyFixture(tmp);
        analyzer = CommandAnalyzer.create();
        engine = PolicyEngine.create(PolicyConfig.EMPTY, analyzer);
    }

    @AfterAll
    static void tearDown() {
        analyzer.close();
    }

    private static void assertDeniedBy(Decision d, String rule, String words) {
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.rules()).extracting(MatchedRule::id).contains(rule);
        assertThat(d.reasons()).anyMatch(r -> r.contains("(rule " + rule + ")") && r.contains(words));
    }

    @Test
    void readOfASecret_namesTheNeverReadableRule() {
        assertDeniedBy(engine.checkCommand("echo \"$(<.env)\"", fx.ctx), "builtin:never-readable", "never readable");
        assertDeniedBy(engine.checkRead(Path.of(".env"), "", fx.ctx), "builtin:never-readable", "never readable");
    }

    @Test
    void readOfAnIgnoredFile_namesTheIgnoreRuleAndTheFileThatIgnoresIt() {
        assertDeniedBy(engine.checkCommand("git diff --no-index /dev/null app.log", fx.ctx), "builtin:ignored-file",
                ".gitignore");
    }

    @Test
    void writeOfAGitHook_namesTheNeverWritableRule() {
        assertDeniedBy(engine.checkCommand("cp a.txt .git/hooks/pre-commit", fx.ctx), "builtin:never-writable",
                "never writable");
        assertDeniedBy(engine.checkWrite(Path.of(".git/config"), "", fx.ctx), "builtin:never-writable",
                "never writable");
    }

    @Test
    void writeOfASecret_saysItIsNeverWrittenBecauseItIsNeverRead() {
        Decision d = engine.checkWrite(Path.of(".env"), "", fx.ctx);
        assertDeniedBy(d, "builtin:never-readable", "never written");
        assertThat(d.reasons()).noneMatch(r -> r.contains("never writable ("));
    }

    @Test
    void gitKeysThatRunPrograms_nameTheGitConfigExecRule() {
        assertDeniedBy(engine.checkCommand("git config core.hooksPath hooks", fx.ctx), "builtin:git-config-exec",
                "core.hooksPath");
        assertDeniedBy(engine.checkCommand("git -c core.fsmonitor=x status", fx.ctx), "builtin:git-config-exec",
                "core.fsmonitor");
        assertDeniedBy(engine.checkCommand("GIT_CONFIG_KEY_0=core.pager git log", fx.ctx),
                "builtin:git-config-exec", "GIT_CONFIG_KEY_0");
    }

    @Test
    void decodedTextRunByAShell_namesTheDecodeRuleAndTheDecoder() {
        assertDeniedBy(engine.checkCommand("echo cm0= | base64 -d | sh", fx.ctx), "builtin:decode-to-interpreter",
                "base64");
    }

    @Test
    void setuidAndKernelWrites_nameTheirRules() {
        assertDeniedBy(engine.checkCommand("chmod u+s a.txt", fx.ctx), "builtin:setuid", "setuid");
        assertDeniedBy(engine.checkCommand("echo 1 > /proc/sys/kernel/sysrq", fx.ctx), "builtin:system-write",
                "/proc/sys");
    }

    @Test
    void aConfiguredDenyRule_isNamedByItsId() {
        assertDeniedBy(engine.checkCommand("sudo ls", fx.ctx), "privilege-escalation-wrapped", "root");
        assertDeniedBy(engine.checkCommand("sudo", fx.ctx), "privilege-escalation", "root");
    }

    @Test
    void anEgressRefusal_namesTheEgressRule() {
        PolicyEngine e = PolicyEngine.create(PolicyConfig.parse("egress: {allowed_domains: [example.com]}",
                "t.yaml"), analyzer);
        Decision url = e.checkUrl(URI.create("https://evil.example.net/x"), "");
        assertThat(url).isInstanceOf(Decision.Deny.class);
        assertThat(url.reasons()).allMatch(r -> r.contains("(rule egress.allowed_domains)"));
        Decision cmd = e.checkCommand("curl https://evil.example.net/x", fx.ctx);
        assertThat(cmd).isInstanceOf(Decision.Deny.class);
        assertThat(cmd.reasons()).anyMatch(r -> r.contains("(rule egress.allowed_domains)"));
    }

    @Test
    void anAsk_namesWhyItAsks() {
        Decision d = engine.checkCommand("python3 -c 'print(1)'", fx.ctx);
        assertThat(d).isInstanceOf(Decision.Ask.class);
        assertThat(d.reasons()).allMatch(r -> r.matches("(?s).*\\(rule [^)]+\\)"));
        assertThat(d.rules()).extracting(MatchedRule::id).contains("builtin:opaque", "builtin:no-allow-rule");
    }

    @Test
    void aDeniedLine_showsOnlyTheReasonsThatDenyIt() {
        Decision d = engine.checkCommand("ls; cat .env", fx.ctx);
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).allMatch(r -> r.startsWith("cat: ")).noneMatch(r -> r.contains("allowed by rule"));
    }
}
