package dev.airlock.sandbox;

import dev.airlock.home.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs one process with the spec's environment, working directory, stdin, time and output limits,
 * and tears down its whole process tree. Both {@link Sandbox} implementations delegate here; they
 * differ only in the argv they build.
 */
final class ProcessRunner {
    /** How often the runner wakes while it waits, to read the (possibly injected) ticker. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Every how many wake-ups the unsandboxed runner records the command's processes, so that one
     * that later leaves the session (setsid) is still known when the tree is killed. Each look is a
     * pass over /proc, so not every wake-up; under a PID namespace it is never needed.
     */
    private static final int SLICES_PER_LOOK = 20;
    /** How long to wait for a SIGKILLed process to be reaped before trying again. */
    private static final Duration REAP_WAIT = Duration.ofSeconds(1);
    private static final int KILL_ROUNDS = 5;
    private static final long EXIT_POLL_MILLIS = 10;

    private final Ticker ticker;
    private final boolean pidNamespace;
    private final boolean sessionLeader;

    /**
     * @param pidNamespace whether the process is the parent of a PID namespace whose processes the
     *     kernel kills when it exits (bubblewrap); then a normal exit needs no sweep for leftovers
     * @param sessionLeader whether the process leads its own session (started through setsid), so
     *     that every process still in that session belongs to the command, orphaned or not
     */
    ProcessRunner(Ticker ticker, boolean pidNamespace, boolean sessionLeader) {
        this.ticker = ticker;
        this.pidNamespace = pidNamespace;
        this.sessionLeader = sessionLeader;
    }

    /**
     * @param argv what to start: the command itself or a wrapper (bwrap, setsid) around it
     * @param program the command's program, for messages
     */
    ExecResult run(List<String> argv, String program, SandboxSpec spec, OutputSink sink) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workspace().toFile());
        // Values go through the environment, not argv: /proc/PID/environ is readable only by the
        // owner, /proc/PID/cmdline by everyone. Clearing first keeps Airlock's own secrets out.
        pb.environment().clear();
        pb.environment().putAll(spec.environment());

        long start = ticker.read();
        long deadline = start + spec.timeLimit().toNanos();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw SandboxException.failure("Could not start '" + argv.get(0) + "' in " + spec.workspace()
                    + ": " + e.getMessage() + ". Check that it is installed and on PATH.", e);
        }
        ProcessHandle root = process.toHandle();
        Set<ProcessHandle> known = ConcurrentHashMap.newKeySet();
        CountDownLatch stop = new CountDownLatch(1);
        Capture capture = new Capture(spec.outputLimit(), sink, stop);
        CountDownLatch drained = new CountDownLatch(2);
        pump(process.getInputStream(), OutputChannel.STDOUT, capture, drained);
        pump(process.getErrorStream(), OutputChannel.STDERR, capture, drained);
        feed(process.getOutputStream(), spec);
        process.onExit().thenRun(stop::countDown);

        boolean timedOut = false;
        boolean killed = false;
        try {
            // Until the process exits, overflows its output, its sink fails or time runs out.
            timedOut = !awaitUntil(stop, deadline, root, known);
            boolean limitHit = timedOut || capture.stopped();
            if (!limitHit) {
                if (!pidNamespace) {
                    // What bubblewrap's PID namespace does by itself: background processes die with
                    // the command, and cannot hold its output pipes open until the time limit.
                    killTree(root, known, Duration.ZERO);
                }
                // The process exited; its output may still be in the pipes. Drain under the same deadline.
                timedOut = !awaitDrained(drained, capture, deadline, root, known);
                limitHit = timedOut || capture.stopped();
            }
            if (limitHit) {
                killed = true;
                killTree(root, known, spec.killGrace());
            }
        } catch (InterruptedException e) {
            killTree(root, known, Duration.ZERO);
            Thread.currentThread().interrupt();
            throw SandboxException.failure("Interrupted while running '" + program
                    + "'; the command was killed.", e);
        }
        int status = exitStatus(process);
        awaitQuietly(drained, REAP_WAIT);
        Duration duration = Duration.ofNanos(ticker.read() - start);
        RuntimeException sinkFailure = capture.sinkFailure();
        if (sinkFailure != null) {
            // The class only: a redactor's message may quote the text it failed on.
            throw new SandboxException(ExitCode.RUNTIME, "The output sink failed ("
                    + sinkFailure.getClass().getSimpleName() + ") while '" + program
                    + "' ran, so the command was killed; run with --debug for the cause.", sinkFailure);
        }
        return new ExecResult(status, capture.bytes(OutputChannel.STDOUT), capture.bytes(OutputChannel.STDERR),
                capture.truncated(), timedOut, killed, duration);
    }

    /** Waits for {@code latch}; false when the deadline passed first. */
    private boolean awaitUntil(CountDownLatch latch, long deadline, ProcessHandle root, Set<ProcessHandle> known)
            throws InterruptedException {
        for (int slice = 1; ; slice++) {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                return false;
            }
            if (latch.await(Math.min(remaining, SLICE_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
            lookAround(slice, root, known);
        }
    }

    private boolean awaitDrained(CountDownLatch drained, Capture capture, long deadline, ProcessHandle root,
            Set<ProcessHandle> known) throws InterruptedException {
        for (int slice = 1; !capture.stopped(); slice++) {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                return false;
            }
            if (drained.await(Math.min(remaining, SLICE_NANOS), TimeUnit.NANOSECONDS)) {
                return true;
            }
            lookAround(slice, root, known);
        }
        return true;
    }

    private void lookAround(int slice, ProcessHandle root, Set<ProcessHandle> known) {
        if (!pidNamespace && slice % SLICES_PER_LOOK == 0) {
            remember(root, known);
        }
    }

    /**
     * Adds the command's current processes to {@code known}: descendants of the root and of every
     * process already known, and with {@code sessionLeader} the members of the root's session.
     */
    private void remember(ProcessHandle root, Set<ProcessHandle> known) {
        Set<Long> roots = new HashSet<>();
        roots.add(root.pid());
        for (ProcessHandle h : known) {
            // isAlive compares start times: the pid of a dead process may already be someone else's.
            if (h.isAlive()) {
                roots.add(h.pid());
            }
        }
        Set<Long> seen = new HashSet<>(roots);
        List<ProcStat> all = ProcStat.all();
        // The session id outlives its leader: Linux does not reuse a pid while a session or process
        // group still carries it, so the session finds the orphans and nothing else. Once the last
        // member is gone the pid may be reused; a live process holding it that is not our root
        // means exactly that, and then the session is someone else's.
        boolean pidReused = !root.isAlive() && all.stream().anyMatch(st -> st.pid() == root.pid());
        long session = sessionLeader && !pidReused ? root.pid() : -1;
        for (long pid : ProcStat.tree(all, roots, session)) {
            if (seen.add(pid)) {
                // A handle records the start time, so a pid reused later is never mistaken for ours.
                ProcessHandle.of(pid).ifPresent(known::add);
            }
        }
    }

    /**
     * Stops the process and every descendant: SIGTERM to the descendants, up to {@code grace} for the
     * tree to exit, then SIGKILL in rounds until nothing is left. The root is not sent SIGTERM
     * because, for bubblewrap, its death kills the sandbox's PID namespace at once and the grace would
     * be lost. Children are signalled together with their parents so none is orphaned out of reach
     * between two snapshots; inside bubblewrap the PID namespace makes that airtight anyway.
     */
    void killTree(ProcessHandle root, Set<ProcessHandle> known, Duration grace) {
        if (!grace.isZero()) {
            List<ProcessHandle> descendants = alive(root, known);
            descendants.removeIf(h -> h.pid() == root.pid());
            descendants.forEach(ProcessHandle::destroy);
            List<ProcessHandle> waitFor = new ArrayList<>(descendants);
            waitFor.add(root);
            awaitExit(waitFor, grace);
        }
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<ProcessHandle> targets = alive(root, known);
            if (targets.isEmpty()) {
                return;
            }
            targets.forEach(ProcessHandle::destroyForcibly);
            awaitExit(targets, REAP_WAIT);
        }
    }

    private List<ProcessHandle> alive(ProcessHandle root, Set<ProcessHandle> known) {
        remember(root, known);
        List<ProcessHandle> result = new ArrayList<>();
        if (isRunning(root)) {
            result.add(root);
        }
        for (ProcessHandle h : known) {
            if (isRunning(h)) {
                result.add(h);
            }
        }
        return result;
    }

    /**
     * Polls rather than using {@link ProcessHandle#onExit()}: for a process that is not our child the
     * JDK polls from 300 ms upwards, and it counts a zombie as alive.
     */
    private static void awaitExit(List<ProcessHandle> handles, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        List<ProcessHandle> pending = new ArrayList<>(handles);
        while (true) {
            pending.removeIf(h -> !isRunning(h));
            if (pending.isEmpty() || System.nanoTime() - deadline >= 0) {
                return;
            }
            try {
                Thread.sleep(EXIT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Alive and not a zombie. A killed sandbox leaves its inner bwrap as a zombie reparented to the
     * host's init, which may reap it late; it has exited and cannot be killed any further.
     */
    static boolean isRunning(ProcessHandle h) {
        return h.isAlive() && ProcStat.read(h.pid()).map(st -> st.state() != 'Z').orElse(h.isAlive());
    }

    private static int exitStatus(Process process) {
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new SandboxException(ExitCode.RUNTIME, "Process " + process.pid() + " survived SIGKILL; the kernel"
                + " may be stuck in uninterruptible I/O. Check it with 'ps -o stat,wchan -p " + process.pid() + "'.");
    }

    private static void awaitQuietly(CountDownLatch latch, Duration max) {
        try {
            latch.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One reader thread per stream, so a command that fills the stderr pipe while the runner waits on
     * stdout cannot deadlock. Platform daemon threads: a reader blocked on a pipe held open by an
     * escaped process must not keep the JVM alive.
     */
    private static void pump(InputStream in, OutputChannel channel, Capture capture, CountDownLatch drained) {
        Thread.ofPlatform().daemon().name("sandbox-" + channel.name().toLowerCase(java.util.Locale.ROOT))
                .start(() -> {
                    byte[] buf = new byte[8192];
                    try (in) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            if (!capture.offer(channel, buf, n)) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // The pipe broke because the process was killed; what was read is kept.
                    } finally {
                        drained.countDown();
                    }
                });
    }

    private static void feed(OutputStream stdin, SandboxSpec spec) {
        if (spec.stdinLength() == 0) {
            closeQuietly(stdin);
            return;
        }
        // Its own thread: a command that never reads stdin must not block the runner.
        Thread.ofPlatform().daemon().name("sandbox-stdin").start(() -> {
            try (stdin) {
                stdin.write(spec.stdinShared());
            } catch (IOException e) {
                // The command exited or closed stdin before reading it all; that is its choice.
            }
        });
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // Nothing was written, so nothing can be lost.
        }
    }

    /** Output captured so far, bounded by the limit, passed through the sink in order. */
    private static final class Capture {
        private final long limit;
        private final OutputSink sink;
        private final CountDownLatch stop;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private long total;
        private boolean truncated;
        private @Nullable RuntimeException sinkFailure;

        Capture(long limit, OutputSink sink, CountDownLatch stop) {
            this.limit = limit;
            this.sink = sink;
            this.stop = stop;
        }

        /** Takes what fits; false when the reader should stop. */
        synchronized boolean offer(OutputChannel channel, byte[] buf, int n) {
            if (truncated || sinkFailure != null) {
                return false;
            }
            int take = (int) Math.min(limit - total, n);
            if (take > 0) {
                byte[] chunk = Arrays.copyOf(buf, take);
                try {
                    sink.accept(channel, chunk);
                } catch (RuntimeException e) {
                    sinkFailure = e;
                    stop.countDown();
                    return false;
                }
                (channel == OutputChannel.STDOUT ? stdout : stderr).write(chunk, 0, take);
                total += take;
            }
            if (take < n) {
                truncated = true;
                stop.countDown();
                return false;
            }
            return true;
        }

        synchronized boolean stopped() {
            return truncated || sinkFailure != null;
        }

        synchronized boolean truncated() {
            return truncated;
        }

        synchronized @Nullable RuntimeException sinkFailure() {
            return sinkFailure;
        }

        synchronized byte[] bytes(OutputChannel channel) {
            return (channel == OutputChannel.STDOUT ? stdout : stderr).toByteArray();
        }
    }
}
