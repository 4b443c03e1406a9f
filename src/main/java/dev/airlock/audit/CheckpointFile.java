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

    /**
     * A checkpoint file split at {@code '\n'} bytes: the complete lines (decoded strictly as UTF-8,
     * null where a line is not valid UTF-8) and the torn tail, the bytes after the last newline
     * (empty when the file ends with a newline).
     */
    record Contents(List<@org.jspecify.annotations.Nullable String> lines, byte[] tornTail) {
        boolean torn() {
            return tornTail.length > 0;
        }
    }

    /** The file's lines and torn tail, or null when the file does not exist. */
    static @org.jspecify.annotations.Nullable Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        List<@org.jspecify.annotations.Nullable String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(utf8(all, start, i));
                start = i + 1;
            }
        }
        return new Contents(lines, java.util.Arrays.copyOfRange(all, start, all.length));
    }

    private static @org.jspecify.annotations.Nullable String utf8(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
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
