package dev.airlock.audit;

import dev.airlock.home.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second places a checkpoint line is appended to, named by the user ({@code audit.witness}): a file,
 * ideally on another disk or host mount, and/or the local syslog. Someone who can rewrite the tenant
 * folder cannot also rewrite these, so {@code airlock audit verify --witness FILE} detects a
 * rollback or a recomputed chain that the tenant's own files no longer show.
 *
 * <p>The line is exactly the checkpoint file's line (no secrets: hashes, ids, a signature).
 */
final class Witness {
    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
    /** The syslog tag of witness lines; a collector can select them by it. */
    static final String SYSLOG_TAG = "airlock-audit";

    private Witness() {}

    /** Appends {@code cp} to every witness; failures are logged and never thrown. */
    static void appendAll(List<String> witnesses, Checkpoint cp) {
        for (String w : witnesses) {
            try {
                if (w.equals(AuditSettings.SYSLOG)) {
                    syslog(cp.toLine());
                } else {
                    appendFile(Path.of(w), cp);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("could not append checkpoint {} to witness {}: {}", cp.seq(), w, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("interrupted appending checkpoint {} to witness {}", cp.seq(), w);
                return;
            }
        }
    }

    /** Appends and fsyncs one line, creating the file (0600) if it does not exist yet. */
    static void appendFile(Path file, Checkpoint cp) throws IOException {
        if (!Files.exists(file)) {
            PrivateFiles.createFile(file);
        }
        byte[] line = (cp.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Sends the line to the local syslog through util-linux {@code logger} (the JDK has no datagram
     * Unix sockets for {@code /dev/log}), facility {@code auth}, tag {@value #SYSLOG_TAG}.
     */
    private static void syslog(String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("logger", "-t", SYSLOG_TAG, "-p", "auth.notice", "--", line)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("logger did not finish within 5 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("logger exited with " + p.exitValue());
        }
    }
}
