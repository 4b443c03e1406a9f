package dev.airlock.audit;

import dev.airlock.home.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint file outside the database: one canonical JSON line per checkpoint, appended and
 * fsynced. It is created once, empty, with the tenant; Airlock never recreates it, so its absence
 * later is evidence of tampering rather than something to paper over.
 */
final class CheckpointFile {
    private CheckpointFile() {}

    /** Creates the empty file and makes its directory entry durable. Existing files are kept. */
    static void create(Path file) throws IOException {
        boolean existed = Files.exists(file);
        PrivateFiles.createFile(file);
        if (!existed) {
            fsyncDir(file.getParent());
        }
    }

    /** Appends one checkpoint line; fails (without creating the file) if the file is missing. */
    static void append(Path file, Checkpoint cp) throws IOException {
        byte[] line = (cp.toLine() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** The raw lines, or null when the file does not exist. */
    static List<String> readLines(Path file) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(text.lines().toList());
            if (!text.isEmpty() && !text.endsWith("\n")) {
                // A torn final line (crash mid-append) is reported by the verifier like any other bad line.
                lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "\u0000torn");
            }
            return lines;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void fsyncDir(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to fsync a directory; the file's own fsync still holds.
        }
    }
}
