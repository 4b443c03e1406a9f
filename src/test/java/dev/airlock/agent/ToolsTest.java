package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.llm.ToolCall;
import dev.airlock.policy.RateLimiter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every tool through the real gate: the shipped policy, bubblewrap, a real audit log. */
class ToolsTest {
    private final AgentFixture f = new AgentFixture();

    @AfterEach
    void close() {
        f.close();
    }

    static Agent agent(String name, boolean readOnly, Map<String, AgentDefinition.Permission> perms) {
        return AgentFixture.agent(name, readOnly, perms, null, false);
    }

    static Agent coder() {
        return agent("coder", false, Map.of());
    }

    private static ToolCall call(String tool, String json) {
        return new ToolCall("c1", tool, json);
    }

    @Test
    void readFile_inTheWorkspace_isAllowedAndAudited() {
        f.write("src/Main.java", "class Main {}\n");
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("read_file", "{\"path\":\"src/Main.java\"}"));
        assertThat(r.status()).isEqualTo("done");
        assertThat(r.text()).contains("class Main {}");
        assertThat(f.rows("gate.action")).singleElement().satisfies(row -> {
            assertThat(row.actor()).isEqualTo("agent:coder");
            assertThat(row.details().path("verdict").asText()).isEqualTo("allow");
            assertThat(row.target()).isEqualTo("file:src/Main.java");
        });
        assertThat(f.rows("gate.action.finish")).singleElement().satisfies(row -> assertThat(row.outcome()).isEqualTo("success"));
    }

    @Test
    void readFile_dotEnv_isDeniedWithAReasonForTheModel() {
        f.write(".env", "API_TOKEN=do-not-read-me-123456\n");
        Tools.Result r = f.tools(ApprovalMode.YES).call(coder(), call("read_file", "{\"path\":\".env\"}"));
        assertThat(r.status()).isEqualTo("denied");
        assertThat(r.text()).contains("denied by policy").doesNotContain("do-not-read-me");
        assertThat(f.rows("gate.action")).singleElement().satisfies(row -> assertThat(row.outcome()).isEqualTo("denied"));
    }

    @Test
    void readFile_outsideTheWorkspaceThroughDotDot_isNotAllowedOutright() throws Exception {
        Files.writeString(f.root.resolve("outside.txt"), "outside");
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("read_file", "{\"path\":\"../outside.txt\"}"));
        assertThat(r.status()).isIn("denied", "refused");
        assertThat(r.text()).doesNotContain("outside\n");
    }

    @Test
    void readFile_throughASymlinkToAnSshKey_isDenied_andListingsDoNotFollowIt() throws Exception {
        java.nio.file.Path ssh = java.nio.file.Files.createDirectories(f.userHome.resolve(".ssh"));
        Files.writeString(ssh.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-key-material\n");
        Files.createSymbolicLink(f.workspace.resolve("innocent.txt"), ssh.resolve("id_ed25519"));
        Tools tools = f.tools(ApprovalMode.YES);
        Tools.Result r = tools.call(coder(), call("read_file", "{\"path\":\"innocent.txt\"}"));
        assertThat(r.status()).isEqualTo("denied");
        assertThat(r.text()).doesNotContain("secret-key-material");
        assertThat(tools.call(coder(), call("search_files", "{\"pattern\":\"secret-key\"}")).text()).isEqualTo("no matches\n" + Tools.WITHHELD);
    }

    @Test
    void writeFile_asks_showsTheDiff_andWritesOnlyWhenApproved() throws Exception {
        f.write("notes.txt", "one\ntwo\n");
        f.answer = false;
        Tools tools = f.tools(ApprovalMode.INTERACTIVE);
        Tools.Result refused = tools.call(coder(), call("edit_file", "{\"path\":\"notes.txt\",\"old_text\":\"two\",\"new_text\":\"three\"}"));
        assertThat(refused.status()).isEqualTo("refused");
        assertThat(Files.readString(f.workspace.resolve("notes.txt"))).isEqualTo("one\ntwo\n");
        assertThat(f.shown).singleElement().satisfies(s -> assertThat(s).contains("edit_file notes.txt").contains("-two").contains("+three"));
        f.answer = true;
        Tools.Result done = tools.call(coder(), call("edit_file", "{\"path\":\"notes.txt\",\"old_text\":\"two\",\"new_text\":\"three\"}"));
        assertThat(done.status()).isEqualTo("done");
        assertThat(Files.readString(f.workspace.resolve("notes.txt"))).isEqualTo("one\nthree\n");
        assertThat(f.rows("gate.action")).extracting(AgentFixture.Row::outcome).containsExactly("refused", "approved");
        assertThat(f.rows("gate.action").get(1).details().path("approver").asText()).isEqualTo("user");
    }

    @Test
    void writeFile_nonInteractive_isRefusedAndNothingIsWritten() {
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("write_file", "{\"path\":\"new.txt\",\"content\":\"x\"}"));
        assertThat(r.status()).isEqualTo("refused");
        assertThat(f.workspace.resolve("new.txt")).doesNotExist();
    }

    @Test
    void editFile_ambiguousOldText_isReturnedToTheModelWithoutAsking() {
        f.write("a.txt", "x x");
        Tools.Result r = f.tools(ApprovalMode.YES).call(coder(), call("edit_file", "{\"path\":\"a.txt\",\"old_text\":\"x\",\"new_text\":\"y\"}"));
        assertThat(r.status()).isEqualTo("invalid");
        assertThat(r.text()).contains("more than once");
        assertThat(f.rows("gate.action")).isEmpty();
    }

    @Test
    void shell_readOnlyCommand_runsInTheSandbox() {
        f.write("hello.txt", "hi there");
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("shell", "{\"command\":\"cat hello.txt\"}"));
        assertThat(r.status()).isEqualTo("done");
        assertThat(r.text()).contains("exit status 0").contains("hi there");
    }

    @Test
    void shell_sudo_isDeniedEvenWithYes_andTheReasonReachesTheModel() {
        Tools.Result r = f.tools(ApprovalMode.YES).call(coder(), call("shell", "{\"command\":\"sudo rm -rf /\"}"));
        assertThat(r.status()).isEqualTo("denied");
        assertThat(r.text()).contains("denied by policy");
    }

    @Test
    void shell_destructive_isRefusedInNonInteractiveMode() {
        f.write("build/out.txt", "x");
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("shell", "{\"command\":\"rm -rf build\"}"));
        assertThat(r.status()).isEqualTo("refused");
        assertThat(f.workspace.resolve("build/out.txt")).exists();
    }

    @Test
    void readOnlyAgent_cannotRunAWritingCommand_evenWithYes() {
        f.write("keep.txt", "keep");
        Agent reviewer = agent("reviewer", true, Map.of());
        Tools tools = f.tools(ApprovalMode.YES);
        Tools.Result rm = tools.call(reviewer, call("shell", "{\"command\":\"rm keep.txt\"}"));
        assertThat(rm.status()).isEqualTo("denied");
        assertThat(rm.text()).contains("read-only");
        assertThat(f.workspace.resolve("keep.txt")).exists();
        Tools.Result write = tools.call(reviewer, call("write_file", "{\"path\":\"x.txt\",\"content\":\"x\"}"));
        assertThat(write.status()).isEqualTo("invalid");
        assertThat(write.text()).contains("no tool 'write_file'");
        assertThat(tools.call(reviewer, call("shell", "{\"command\":\"ls\"}")).status()).isEqualTo("done");
    }

    @Test
    void permissionAsk_asksEvenForWhatThePolicyAllows() {
        f.write("a.txt", "a");
        Agent careful = agent("careful", false, Map.of("read_file", AgentDefinition.Permission.ASK));
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(careful, call("read_file", "{\"path\":\"a.txt\"}"));
        assertThat(r.status()).isEqualTo("refused");
    }

    @Test
    void permissionDeny_removesTheTool() {
        Agent noShell = agent("noshell", false, Map.of("shell", AgentDefinition.Permission.DENY));
        assertThat(Tools.specs(noShell)).extracting(s -> s.name()).doesNotContain("shell");
        assertThat(f.tools(ApprovalMode.YES).call(noShell, call("shell", "{\"command\":\"ls\"}")).status()).isEqualTo("invalid");
    }

    @Test
    void listAndSearch_withholdNeverReadableFiles() {
        f.write("src/App.java", "String token = lookup();\n");
        f.write(".env", "token = hunter2-secret-value\n");
        f.write("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Tools tools = f.tools(ApprovalMode.NON_INTERACTIVE);
        Tools.Result list = tools.call(coder(), call("list_files", "{\"recursive\":true}"));
        assertThat(list.status()).isEqualTo("done");
        assertThat(list.text()).contains("src/App.java").doesNotContain(".env").doesNotContain("id_rsa").contains("withheld by policy");
        Tools.Result search = tools.call(coder(), call("search_files", "{\"pattern\":\"token\"}"));
        assertThat(search.text()).contains("src/App.java:1").doesNotContain("hunter2");
    }

    @Test
    void badArguments_goBackToTheModel_andNothingRuns() {
        Tools tools = f.tools(ApprovalMode.YES);
        assertThat(tools.call(coder(), call("read_file", "not json")).status()).isEqualTo("invalid");
        assertThat(tools.call(coder(), call("read_file", "{}")).text()).contains("missing string argument 'path'");
        assertThat(tools.call(coder(), call("search_files", "{\"pattern\":\"(\"}")).text()).contains("not a valid regular expression");
        assertThat(tools.call(coder(), call("launch_missiles", "{}")).status()).isEqualTo("invalid");
        assertThat(f.rows("gate.action")).isEmpty();
    }

    @Test
    void rateLimit_refusesTheCallOverTheBucket_withAReason() {
        f.write("a.txt", "a");
        RateLimiter limiter = RateLimiter.create(Clock.systemUTC(), new RateLimiter.Limit(Integer.MAX_VALUE, Duration.ofSeconds(1)))
                .withLimit("coder", "read_file", new RateLimiter.Limit(2, Duration.ofHours(1)));
        Tools tools = f.tools(ApprovalMode.YES, limiter, null);
        assertThat(tools.call(coder(), call("read_file", "{\"path\":\"a.txt\"}")).status()).isEqualTo("done");
        assertThat(tools.call(coder(), call("read_file", "{\"path\":\"a.txt\"}")).status()).isEqualTo("done");
        Tools.Result third = tools.call(coder(), call("read_file", "{\"path\":\"a.txt\"}"));
        assertThat(third.status()).isEqualTo("denied");
        assertThat(third.text()).containsIgnoringCase("rate limit");
    }
}
