package dev.airlock.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.gate.ApprovalMode;
import dev.airlock.llm.ToolCall;
import dev.airlock.policy.RateLimiter;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void badArguments_goBackToTheModel_nothingRuns_andEachIsARefusalOnTheRecord() {
        Tools tools = f.tools(ApprovalMode.YES);
        assertThat(tools.call(coder(), call("read_file", "not json")).status()).isEqualTo("invalid");
        assertThat(tools.call(coder(), call("read_file", "{}")).text()).contains("missing string argument 'path'");
        assertThat(tools.call(coder(), call("search_files", "{\"pattern\":\"(\"}")).text()).contains("not a valid regular expression");
        assertThat(tools.call(coder(), call("launch_missiles", "{}")).status()).isEqualTo("invalid");
        assertThat(f.rows("gate.action")).hasSize(4).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo("denied");
            assertThat(row.details().path("rules").toString()).contains("tools.invalid_arguments");
        });
        assertThat(f.rows("gate.action.finish")).isEmpty();
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

    @Test
    void writeFile_overAGitIgnoredFile_showsTheApproverNoOldContent_presentOrAbsent() throws Exception {
        f.write(".gitignore", "local.cfg\n");
        f.answer = false;
        Tools tools = f.tools(ApprovalMode.INTERACTIVE);
        f.write("local.cfg", "password=ignored-but-secret-771\n");
        Tools.Result present = tools.call(coder(), call("write_file", "{\"path\":\"local.cfg\",\"content\":\"new\\n\"}"));
        Files.delete(f.workspace.resolve("local.cfg"));
        Tools.Result absent = tools.call(coder(), call("write_file", "{\"path\":\"local.cfg\",\"content\":\"new\\n\"}"));
        assertThat(present).isEqualTo(absent);
        assertThat(f.shown).hasSize(2).allSatisfy(s -> assertThat(s).doesNotContain("ignored-but-secret").contains("+new")
                .contains("not shown"));
        assertThat(f.shown.get(0)).isEqualTo(f.shown.get(1));
    }

    @Test
    void writeFile_approved_overAGitIgnoredFile_answersWithoutTheOldContent() throws Exception {
        f.write(".gitignore", "local.cfg\n");
        f.write("local.cfg", "password=ignored-but-secret-772\n");
        Tools.Result r = f.tools(ApprovalMode.YES).call(coder(), call("write_file", "{\"path\":\"local.cfg\",\"content\":\"x\"}"));
        assertThat(r.status()).isEqualTo("done");
        assertThat(r.text()).isEqualTo("wrote local.cfg (1 bytes)");
        assertThat(Files.readString(f.workspace.resolve("local.cfg"))).isEqualTo("x");
    }

    @Test
    void editFile_byAnAgentWithoutReadFile_isDenied_itWouldTellWhetherOldTextOccurs() {
        f.write("a.txt", "alpha\n");
        Agent writer = new Agent("writer", java.util.Optional.empty(), "w", java.util.Set.of("edit_file", "write_file"), false, Map.of(),
                List.of(), java.util.Optional.empty(), 512, 8, java.util.Set.of("cli"), false, List.of("test"));
        Tools.Result r = f.tools(ApprovalMode.YES).call(writer, call("edit_file", "{\"path\":\"a.txt\",\"old_text\":\"alpha\",\"new_text\":\"b\"}"));
        assertThat(r.status()).isEqualTo("denied");
        assertThat(r.text()).contains("read_file");
        assertThat(f.rows("gate.action")).singleElement().satisfies(row -> assertThat(row.details().path("rules").toString())
                .contains("tools.edit_needs_read"));
        // and its writes show no old content: it could not have read it
        f.answer = false;
        f.tools(ApprovalMode.INTERACTIVE).call(writer, call("write_file", "{\"path\":\"a.txt\",\"content\":\"z\"}"));
        assertThat(f.shown).singleElement().satisfies(s -> assertThat(s).doesNotContain("alpha"));
    }

    @Test
    void editFile_whenReadFileAsks_asksBeforeOpeningTheFile_andSaysWhy() {
        f.write("a.txt", "alpha\n");
        Agent careful = agent("careful", false, Map.of("read_file", AgentDefinition.Permission.ASK, "edit_file", AgentDefinition.Permission.ALLOW));
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(careful,
                call("edit_file", "{\"path\":\"a.txt\",\"old_text\":\"no-such-text\",\"new_text\":\"b\"}"));
        assertThat(r.status()).isEqualTo("refused");
        assertThat(r.text()).contains("permission ask for read_file").doesNotContain("does not occur");
    }

    @Test
    void editFile_outsideTheWorkspace_showsTheApproverOnlyTheModelsText() throws Exception {
        Path outside = Files.writeString(f.root.resolve("outside.txt"), "outside-content-123\n");
        f.answer = false;
        Tools.Result r = f.tools(ApprovalMode.INTERACTIVE).call(coder(), call("edit_file", "{\"path\":" + AgentFixture.JSON.writeValueAsString(
                outside.toString()) + ",\"old_text\":\"guess\",\"new_text\":\"b\"}"));
        assertThat(r.status()).isEqualTo("refused");
        assertThat(r.text()).doesNotContain("outside-content").doesNotContain("does not occur");
        assertThat(f.shown).singleElement().satisfies(s -> assertThat(s).doesNotContain("outside-content").contains("guess"));
    }

    @Test
    void editFile_fileChangedWhileTheApproverLooked_writesNothing() throws Exception {
        f.write("a.txt", "one\n");
        f.whileAsking = () -> f.write("a.txt", "one\nsomeone else's line\n");
        Tools.Result r = f.tools(ApprovalMode.INTERACTIVE).call(coder(), call("edit_file", "{\"path\":\"a.txt\",\"old_text\":\"one\",\"new_text\":\"two\"}"));
        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.text()).contains("changed after the diff");
        assertThat(Files.readString(f.workspace.resolve("a.txt"))).isEqualTo("one\nsomeone else's line\n");
    }

    @Test
    void refusal_ofAnAskedTool_namesThePermission_notSecurityModeWhenItIsOff() {
        Tools.Result r = f.tools(ApprovalMode.NON_INTERACTIVE).call(coder(), call("write_file", "{\"path\":\"n.txt\",\"content\":\"x\"}"));
        assertThat(r.status()).isEqualTo("refused");
        assertThat(r.text()).contains("agent 'coder' has permission ask for write_file").doesNotContainIgnoringCase("security mode");
        f.write("a.txt", "a");
        Tools.Result secure = f.tools(ApprovalMode.NON_INTERACTIVE).call(AgentFixture.agent("guarded", false, Map.of(), null, true),
                call("read_file", "{\"path\":\"a.txt\"}"));
        assertThat(secure.text()).contains("security mode is on for agent 'guarded'").doesNotContain("permission ask");
    }

    @Test
    void shell_refusal_underSecurityMode_saysSecurityMode_andUnderPermissionAsk_saysThePermission() {
        Tools.Result perm = f.tools(ApprovalMode.NON_INTERACTIVE).call(agent("p", false, Map.of("shell", AgentDefinition.Permission.ASK)),
                call("shell", "{\"command\":\"ls\"}"));
        assertThat(perm.status()).isEqualTo("refused");
        assertThat(perm.text()).contains("permission ask for shell").doesNotContainIgnoringCase("security mode");
        Tools.Result secure = f.tools(ApprovalMode.NON_INTERACTIVE).call(AgentFixture.agent("s", false, Map.of(), null, true),
                call("shell", "{\"command\":\"ls\"}"));
        assertThat(secure.text()).contains("security mode is on");
    }

    @Test
    void fileTools_neverUseProcSysOrDev_evenWithYes() {
        Tools tools = f.tools(ApprovalMode.YES);
        for (String path : List.of("/proc/self/environ", "/proc/self/cwd", "/proc/self/status", "/sys/class", "/dev/stdin", "/dev/shm/x")) {
            for (String tool : List.of("read_file", "list_files", "write_file")) {
                Tools.Result r = tools.call(coder(), call(tool, "{\"path\":\"" + path + "\",\"content\":\"x\"}"));
                assertThat(r.status()).as(tool + " " + path).isEqualTo("denied");
                assertThat(r.text()).contains("inside the Airlock process");
            }
        }
    }

    @Test
    void invalidArguments_onAProtectedTarget_areDenied_andAudited_notReportedAsInvalid() {
        f.write(".env", "X=1\n");
        Tools tools = f.tools(ApprovalMode.YES);
        List<String> calls = List.of("{\"path\":\".env\",\"old_text\":\"\",\"new_text\":\"y\"}", "{\"path\":\".env\",\"old_text\":\"X\"}",
                "{\"path\":\".env\",\"old_text\":7,\"new_text\":\"y\"}");
        for (String c : calls) {
            assertThat(tools.call(coder(), call("edit_file", c)).status()).isEqualTo("denied");
        }
        assertThat(tools.call(coder(), call("read_file", "{\"path\":\".env\",\"offset\":-5}")).status()).isEqualTo("denied");
        assertThat(tools.call(coder(), call("search_files", "{\"path\":\".env\",\"pattern\":\"(\"}")).status()).isEqualTo("denied");
        assertThat(tools.call(coder(), call("write_file", "{\"path\":\".env\"}")).status()).isEqualTo("denied");
        assertThat(f.rows("gate.action")).hasSize(6).allSatisfy(row -> assertThat(row.outcome()).isEqualTo("denied"));
    }

    @Test
    void listing_saysTheSameWhetherOrNotProtectedFilesExist() {
        f.write("src/App.java", "class App {}\n");
        Tools tools = f.tools(ApprovalMode.YES);
        String without = tools.call(coder(), call("list_files", "{\"recursive\":true}")).text();
        f.write(".env", "X=1\n");
        f.write("deploy/id_ed25519", "k\n");
        f.write(".gitignore", "");
        String with = tools.call(coder(), call("list_files", "{\"recursive\":true}")).text();
        assertThat(with.replace(".gitignore  (0 bytes)\n", "").replace("deploy/\n", "")).isEqualTo(without);
    }

    @Test
    void aFolderOnlyIgnoreRule_answersTheSameWhetherOrNotTheFolderExists() throws Exception {
        f.write(".gitignore", "secrets/\n");
        Tools tools = f.tools(ApprovalMode.YES);
        for (String json : List.of("{\"path\":\"secrets\"}", "{\"path\":\"secrets/prod.yaml\"}", "{\"path\":\"secrets\",\"recursive\":true}")) {
            for (String tool : List.of("read_file", "list_files", "search_files", "edit_file")) {
                f.write("secrets/prod.yaml", "key=folder-secret-4411\n");
                Tools.Result present = tools.call(coder(), call(tool, json.replace("}", ",\"pattern\":\"key\",\"old_text\":\"key\",\"new_text\":\"k\"}")));
                Files.delete(f.workspace.resolve("secrets/prod.yaml"));
                Files.delete(f.workspace.resolve("secrets"));
                Tools.Result absent = tools.call(coder(), call(tool, json.replace("}", ",\"pattern\":\"key\",\"old_text\":\"key\",\"new_text\":\"k\"}")));
                assertThat(absent).as(tool + " " + json).isEqualTo(present);
                assertThat(present.status()).isEqualTo("denied");
            }
        }
    }

    @Test
    void writeFile_overAReadableBinaryFile_replacesItWhole_withoutADiff() throws Exception {
        Files.write(f.workspace.resolve("logo.bin"), new byte[] {1, 0, 2, 0, 3});
        Tools.Result r = f.tools(ApprovalMode.YES).call(coder(), call("write_file", "{\"path\":\"logo.bin\",\"content\":\"text now\"}"));
        assertThat(r.status()).isEqualTo("done");
        assertThat(Files.readString(f.workspace.resolve("logo.bin"))).isEqualTo("text now");
        f.write("b.txt", "x");
        Files.write(f.workspace.resolve("logo.bin"), new byte[] {1, 0, 2});
        Tools.Result edit = f.tools(ApprovalMode.YES).call(coder(), call("edit_file", "{\"path\":\"logo.bin\",\"old_text\":\"a\",\"new_text\":\"b\"}"));
        assertThat(edit.status()).isEqualTo("invalid");
        assertThat(edit.text()).contains("binary");
    }
}
