package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.home.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTest {
    @TempDir
    static Path tmp;

    static PolicyFixture fx;
    static CommandAnalyzer analyzer;

    @BeforeAll
    static void setUp() throws IOException {
        fx = new PolicyFixture(tmp);
        analyzer = CommandAnalyzer.create();
    }

    @AfterAll
    static void tearDown() {
        analyzer.close();
    }

    static PolicyEngine engine(String yaml) {
        return PolicyEngine.create(PolicyConfig.parse(yaml, "test.yaml"), analyzer);
    }

    @Test
    void yamlRules_bindFromSnakeCaseAndAllowWhatTheySay() {
        PolicyEngine e = engine("""
                rules:
                  allow:
                    - id: tests
                      command: npm
                      args: [test]
                      only_classes: [unknown, write_workspace]
                      reason: running the tests is fine
                """);
        Decision d = e.checkCommand("npm test", fx.ctx);
        assertThat(d).isInstanceOf(Decision.Allow.class);
        assertThat(d.rules()).extracting(MatchedRule::id).contains("tests");
        assertThat(d.reasons()).anyMatch(r -> r.contains("running the tests is fine"));
        assertThat(e.checkCommand("npm publish", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void denyWinsOverAllow_andItsReasonIsShown() {
        PolicyEngine e = engine("""
                rules:
                  allow: [{command: git}]
                  deny: [{command: git, args: [push], reason: "push from your own terminal"}]
                """);
        Decision d = e.checkCommand("git status && git push origin main", fx.ctx);
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).anyMatch(r -> r.contains("push from your own terminal"));
        assertThat(d.commands()).extracting(CommandDecision::verdict).containsExactly(Verdict.ALLOW, Verdict.DENY);
    }

    @Test
    void askWinsOverAllow() {
        PolicyEngine e = engine("""
                rules:
                  allow: [{command: cat}]
                  ask: [{paths: ["docs/**"], access: read, reason: "docs are reviewed"}]
                """);
        assertThat(e.checkCommand("cat docs/guide.md", fx.ctx)).isInstanceOf(Decision.Ask.class);
        assertThat(e.checkCommand("cat README.md", fx.ctx)).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void destructiveCommands_areAskedEvenWhenARuleAllowsThem() {
        PolicyEngine e = engine("rules: {allow: [{command: rm}, {command: git}]}");
        assertThat(e.checkCommand("rm -rf build", fx.ctx)).isInstanceOf(Decision.Ask.class);
        assertThat(e.checkCommand("git reset --hard", fx.ctx)).isInstanceOf(Decision.Ask.class);
        assertThat(e.checkCommand("rm a.txt", fx.ctx)).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void opaqueCommands_areAskedEvenWhenARuleAllowsEverything() {
        PolicyEngine e = engine("rules: {allow: [{command: '*'}]}");
        assertThat(e.checkCommand("$CMD", fx.ctx)).isInstanceOf(Decision.Ask.class);
        assertThat(e.checkCommand("eval \"$X\"", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void allowlistOnlyMode_turnsAsksIntoDenials() {
        PolicyEngine e = engine("mode: allowlist_only");
        assertThat(e.checkCommand("ls", fx.ctx)).isInstanceOf(Decision.Allow.class);
        Decision d = e.checkCommand("npm test", fx.ctx);
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).anyMatch(r -> r.contains("allow-listed only"));
    }

    @Test
    void agentRules_applyOnlyToThatAgent_andAgentModeOnlyNarrows() {
        PolicyEngine e = engine("""
                agents:
                  builder:
                    rules: {allow: [{command: make, reason: "builder builds"}]}
                  reviewer:
                    mode: allowlist_only
                """);
        assertThat(e.checkCommand("make", "builder", fx.ctx)).isInstanceOf(Decision.Allow.class);
        assertThat(e.checkCommand("make", fx.ctx)).isInstanceOf(Decision.Ask.class);
        assertThat(e.checkCommand("make", "reviewer", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("cat README.md", "reviewer", fx.ctx)).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void agentAllowRules_cannotOverrideADefaultDeny() {
        PolicyEngine e = engine("agents: {root: {rules: {allow: [{command: sudo}, {command: ls}]}}}");
        assertThat(e.checkCommand("sudo ls", "root", fx.ctx)).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void withoutDefaults_nothingIsAllowed() {
        PolicyEngine e = engine("include_defaults: false");
        assertThat(e.checkCommand("ls", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void fileTools_getTheSamePathRulesAsShellCommands() {
        PolicyEngine e = engine("rules: {deny: [{paths: ['docs/**'], access: write, reason: 'docs are frozen'}]}");
        assertThat(e.checkRead(Path.of(".env"), "", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("cat .env", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkRead(Path.of("README.md"), "", fx.ctx)).isInstanceOf(Decision.Allow.class);
        assertThat(e.checkWrite(Path.of("docs/guide.md"), "", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("echo x > docs/guide.md", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkWrite(fx.home.resolve(".bashrc"), "", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkRead(Path.of("/etc/hostname"), "", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void urls_followEgressAndDomainRules() {
        PolicyEngine e = engine("""
                egress: {allowed_domains: [api.openai.com, "*.github.com"]}
                rules: {deny: [{domains: [evil.github.com], reason: "not that one"}]}
                """);
        assertThat(e.checkUrl(URI.create("https://api.openai.com/v1/chat"), "")).isInstanceOf(Decision.Allow.class);
        assertThat(e.checkUrl(URI.create("https://api.github.com/"), "")).isInstanceOf(Decision.Allow.class);
        assertThat(e.checkUrl(URI.create("https://evil.github.com/"), "")).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkUrl(URI.create("https://example.com/"), "")).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("curl https://example.com", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("curl https://api.github.com", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void offlineMode_deniesNetworkCommandsToAnythingButLoopback() {
        PolicyEngine e = engine("egress: {offline_mode: true}");
        assertThat(e.checkCommand("curl https://example.com", fx.ctx)).isInstanceOf(Decision.Deny.class);
        assertThat(e.checkCommand("curl http://localhost:11434/api/tags", fx.ctx)).isInstanceOf(Decision.Ask.class);
    }

    @Test
    void badConfig_failsWithAUsageErrorNamingTheProblem() {
        assertThatThrownBy(() -> PolicyConfig.parse("rules: {allow: [{comand: ls}]}", "cfg.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("cfg.yaml")
                .hasMessageContaining("comand")
                .satisfies(t -> assertThat(((PolicyException) t).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> PolicyConfig.parse("rules: {deny: [{reason: everything}]}", "cfg.yaml"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("no condition");
        assertThatThrownBy(() -> PolicyConfig.parse("rules: {deny: [{command: '{a,b'}]}", "cfg.yaml"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("braces");
        assertThatThrownBy(() -> PolicyConfig.parse("mode: maybe", "cfg.yaml"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("cfg.yaml");
        assertThatThrownBy(() -> PolicyConfig.parse("rules: [oops", "cfg.yaml"))
                .isInstanceOf(PolicyException.class);
    }

    @Test
    void shippedDefaults_loadAndValidate() {
        PolicyConfig d = PolicyConfig.defaults();
        assertThat(d.ruleSet().denyRules()).isNotEmpty();
        assertThat(d.ruleSet().allowRules()).isNotEmpty();
        assertThat(d.pathRules().neverReadable()).contains(".env*", "~/.ssh");
    }

    @Test
    void decisions_areSwitchedOverExhaustively() {
        PolicyEngine e = engine("");
        String outcome = switch (e.checkCommand("rm -rf /", fx.ctx)) {
            case Decision.Allow a -> "run";
            case Decision.Ask a -> "ask";
            case Decision.Deny d -> "refuse: " + d.reasons().get(0);
        };
        assertThat(outcome).startsWith("refuse: ").contains("outside the workspace");
    }

    @Test
    void emptyLine_runsNothingAndIsAllowed() {
        assertThat(engine("").checkCommand("   # just a comment", fx.ctx)).isInstanceOf(Decision.Allow.class);
    }
}
