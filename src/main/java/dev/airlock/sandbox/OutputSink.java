package dev.airlock.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Receives the command's output while it runs, so the caller can put the redactor between the
 * process and the user. The sink sees exactly the bytes that are captured in the {@link ExecResult},
 * in order per channel; bytes past the output limit are never delivered.
 *
 * <p>The runner serialises calls, so an implementation need not be thread-safe. Chunks follow the
 * pipe's buffering, not line boundaries: a sink that matches patterns (a redactor) must carry a
 * partial line over to the next chunk. If the sink throws, the command is killed and the run fails
 * with a {@link SandboxException}: output that could not pass the sink is not shown some other way.
 */
@FunctionalInterface
public interface OutputSink {
    /**
     * Called with a chunk of output. The array is a fresh copy that the sink may keep.
     *
     * @param channel the stream it came from
     * @param chunk at least one byte
     */
    void accept(OutputChannel channel, byte[] chunk);

    /** A sink that drops everything; the result still holds the captured output. */
    static OutputSink discard() {
        return (channel, chunk) -> { };
    }

    /** Writes stdout chunks to {@code out} and stderr chunks to {@code err}, flushing each chunk. */
    static OutputSink to(OutputStream out, OutputStream err) {
        return (channel, chunk) -> {
            OutputStream target = channel == OutputChannel.STDOUT ? out : err;
            try {
                target.write(chunk);
                target.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
