package dev.airlock.sandbox;

import static dev.airlock.sandbox.SandboxFixtures.killSurvivors;
import static dev.airlock.sandbox.SandboxFixtures.sleeper;
import static dev.airlock.sandbox.SandboxFixtures.survivors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Time and output limits, process-tree teardown, exit status, stdin and streaming, against both the
 * bubblewrap sandbox and the unsandboxed runner. The limits are small but real: these check that a
 * limit is enforced, not how fast.
 */
class LimitsTest {
    @TempDir
    Path workspace;

    private final String token = SandboxFixtures.token();

    @AfterEach
    void leaveNothingRunning() {
        killSurvivors(token);
    }

    static Stream<Sandbox> sandboxes() {
        return Stream.of(SandboxFixtures.bubblewrap(), Sandbox.unsandboxed());
    }

    private SandboxSpec.Builder spec() {
        return SandboxSpec.builder(workspace).timeLimit(Duration.ofSeconds(20)).killGrace(Duration.ofMillis(200));
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_propagatesTheExitStatus(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().build(), Command.shell("echo out; echo err >&2; exit 7"));

        assertThat(r.exitStatus()).isEqualTo(7);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
        assertThat(r.killed()).isFalse();
        assertThat(r.timedOut()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_feedsStdinToTheCommand(Sandbox sandbox) {
        SandboxSpec spec = spec().stdin("line one\nline two\n".getBytes(StandardCharsets.UTF_8)).build();

        ExecResult r = sandbox.run(spec, Command.of("wc", "-l"));

        assertThat(r.stdoutText().strip()).isEqualTo("2");
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_givesACommandThatReadsStdinEndOfFileRatherThanAHang(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().timeLimit(Duration.ofSeconds(5)).build(), Command.of("cat"));

        assertThat(r.timedOut()).isFalse();
        assertThat(r.exitStatus()).isZero();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_readsStdoutAndStderrConcurrentlyWithoutPipeDeadlock(Sandbox sandbox) {
        // 1 MB to stderr first: a runner that read stdout to the end before stderr would hang here
        // with the command blocked on a full stderr pipe.
        ExecResult r = sandbox.run(spec().build(),
                Command.shell("head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero"));

        assertThat(r.exitStatus()).isZero();
        assertThat(r.stderr()).hasSize(1_000_000);
        assertThat(r.stdout()).hasSize(1_000_000);
        assertThat(r.timedOut()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_streamsExactlyTheCapturedBytesThroughTheSink(Sandbox sandbox) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        ExecResult r = sandbox.run(spec().build(),
                Command.shell("for i in $(seq 1 2000); do echo line $i; echo warn $i >&2; done"),
                OutputSink.to(out, err));

        assertThat(out.toByteArray()).isEqualTo(r.stdout());
        assertThat(err.toByteArray()).isEqualTo(r.stderr());
        assertThat(r.stdoutText()).startsWith("line 1\n").endsWith("line 2000\n");
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_killsCommandAtTimeLimit(Sandbox sandbox) {
        long before = System.nanoTime();

        ExecResult r = sandbox.run(spec().timeLimit(Duration.ofSeconds(1)).build(), Command.shell(sleeper(token)));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.killed()).isTrue();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
        assertThat(survivors(token)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_killsWholeTreeAtTimeLimit(Sandbox sandbox) {
        String line = "for i in 1 2 3 4; do " + sleeper(token) + " & done; (" + sleeper(token) + " &"
                + sleeper(token) + "); " + sleeper(token);

        ExecResult r = sandbox.run(spec().timeLimit(Duration.ofSeconds(1)).build(), Command.shell(line));

        assertThat(r.timedOut()).isTrue();
        assertThat(survivors(token)).isEmpty();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void run_sandboxKillsEvenProcessesThatOrphanedThemselves() {
        // A double fork reparents the sleepers away from the command's tree before the runner can
        // see them; only the PID namespace catches these, so this holds for bubblewrap alone.
        String line = "( " + sleeper(token) + " & " + sleeper(token) + " & ) ; setsid " + sleeper(token)
                + " & sleep 0.3; " + sleeper(token);

        ExecResult r = SandboxFixtures.bubblewrap().run(spec().timeLimit(Duration.ofSeconds(1)).build(),
                Command.shell(line));

        assertThat(r.timedOut()).isTrue();
        assertThat(survivors(token)).isEmpty();
    }

    @Test
    void run_unsandboxedFindsOrphansThroughTheCommandsSession() {
        // The subshell exits at once, so the sleeper is reparented to init before the runner's first
        // look; it is found only because it is still in the session setsid gave the command. It also
        // holds stdout open, which without the sweep would keep the run waiting for the time limit.
        ExecResult r = Sandbox.unsandboxed().run(spec().build(),
                Command.shell("( " + sleeper(token) + " & ) ; echo done"));

        assertThat(r.timedOut()).isFalse();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdoutText()).isEqualTo("done\n");
        assertThat(survivors(token)).isEmpty();
    }

    @Test
    void run_unsandboxedKillsOrphansAtTheTimeLimit() {
        ExecResult r = Sandbox.unsandboxed().run(spec().timeLimit(Duration.ofSeconds(1)).build(),
                Command.shell("( " + sleeper(token) + " >/dev/null 2>&1 & ) ; " + sleeper(token)));

        assertThat(r.timedOut()).isTrue();
        assertThat(survivors(token)).isEmpty();
    }

    @Test
    void run_sandboxLeavesNoBackgroundProcessBehindAfterANormalExit() {
        ExecResult r = SandboxFixtures.bubblewrap().run(spec().build(),
                Command.shell("nohup " + sleeper(token) + " >/dev/null 2>&1 & echo started"));

        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdoutText()).isEqualTo("started\n");
        // The kernel finishes tearing down the namespace asynchronously, within moments of the exit.
        assertThat(SandboxFixtures.awaitNoSurvivors(token, Duration.ofSeconds(2))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_stopsAFloodingCommandAtTheOutputLimit(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().outputLimit(64 * 1024).build(), Command.shell("yes; " + sleeper(token)));

        assertThat(r.truncated()).isTrue();
        assertThat(r.killed()).isTrue();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.stdout()).hasSize(64 * 1024);
        assertThat(r.stdoutText()).startsWith("y\ny\n");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_countsStdoutAndStderrTogetherAgainstTheOutputLimit(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().outputLimit(1000).build(),
                Command.shell("head -c 600 /dev/zero; head -c 600 /dev/zero >&2; " + sleeper(token)));

        assertThat(r.truncated()).isTrue();
        assertThat(r.stdout().length + r.stderr().length).isEqualTo(1000);
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_doesNotMarkOutputOfExactlyTheLimitAsTruncated(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().outputLimit(4096).build(), Command.shell("head -c 4096 /dev/zero"));

        assertThat(r.truncated()).isFalse();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).hasSize(4096);
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_killsTheCommandWhenTheSinkFails(Sandbox sandbox) {
        OutputSink failing = (channel, chunk) -> {
            throw new IllegalStateException("redactor broke");
        };

        // The cause is kept for --debug; the message leaves it out, as a redactor's may quote output.
        assertThatThrownBy(() -> sandbox.run(spec().build(), Command.shell("echo hello; " + sleeper(token)), failing))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("output sink failed")
                .hasMessageContaining("'bash'")
                .hasMessageNotContaining("redactor broke")
                .hasRootCauseMessage("redactor broke");
        assertThat(survivors(token)).isEmpty();
    }

    @Test
    void run_timesOutByTheInjectedTickerNotTheWallClock() {
        // Every read jumps ten minutes: the 1-hour limit is spent after a handful of reads, in real
        // milliseconds. Proves the deadline comes from the ticker.
        AtomicLong fake = new AtomicLong();
        Ticker ticker = () -> fake.addAndGet(Duration.ofMinutes(10).toNanos());
        Sandbox sandbox = Sandbox.bubblewrap(Sandbox.locateBubblewrap().orElseThrow(), ticker);
        long before = System.nanoTime();

        ExecResult r = sandbox.run(spec().timeLimit(Duration.ofHours(1)).build(), Command.shell(sleeper(token)));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofHours(1));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
        assertThat(survivors(token)).isEmpty();
    }

    @Test
    void run_givesATermHandlerTheGracePeriodBeforeSigkill() {
        // The command traps SIGTERM and reports it; it can only do so if SIGTERM came first.
        String line = "trap 'echo got-term; exit 3' TERM; " + sleeper(token) + " & wait";

        ExecResult r = SandboxFixtures.bubblewrap().run(
                spec().timeLimit(Duration.ofSeconds(1)).killGrace(Duration.ofSeconds(2)).build(), Command.shell(line));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.stdoutText()).contains("got-term");
        assertThat(survivors(token)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_reportsAMissingProgramAsAFailedRunNamingIt(Sandbox sandbox) {
        ExecResult r = sandbox.run(spec().build(), Command.of("airlock-no-such-program"));

        assertThat(r.exitStatus()).isNotZero();
        assertThat(r.stderrText()).contains("airlock-no-such-program");
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_deliversOutputToTheSinkWhileTheCommandIsStillRunning(Sandbox sandbox) {
        AtomicLong firstChunkAt = new AtomicLong();
        OutputSink sink = (channel, chunk) -> firstChunkAt.compareAndSet(0, System.nanoTime());

        ExecResult r = sandbox.run(spec().timeLimit(Duration.ofSeconds(2)).build(),
                Command.shell("echo first; " + sleeper(token)), sink);
        long returnedAt = System.nanoTime();

        assertThat(r.timedOut()).isTrue();
        assertThat(firstChunkAt.get()).isNotZero();
        // The chunk came right away, not when the command ended two seconds later.
        assertThat(Duration.ofNanos(returnedAt - firstChunkAt.get())).isGreaterThan(Duration.ofMillis(1000));
    }

    @ParameterizedTest
    @MethodSource("sandboxes")
    void run_killsTheCommandWhenTheCallerIsInterrupted(Sandbox sandbox) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                sandbox.run(spec().build(), Command.shell(sleeper(token)));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Thread.sleep(500);
        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(SandboxException.class).hasMessageContaining("Interrupted");
        assertThat(SandboxFixtures.awaitNoSurvivors(token, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void result_toStringShowsSizesButNoOutput() {
        ExecResult r = Sandbox.unsandboxed().run(spec().build(), Command.shell("echo output-marker"));

        assertThat(r.toString()).doesNotContain("output-marker").contains("stdout=14 bytes");
    }
}
