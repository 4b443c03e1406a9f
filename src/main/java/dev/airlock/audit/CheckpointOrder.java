package dev.airlock.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the checkpoint file in the order of the database. A checkpoint row is committed in a
 * transaction and its line appended after the commit; two processes (or two writers in one JVM)
 * could otherwise commit checkpoints 10 and 12 and append them as 12, 10. Every writer of a tenant
 * holds this lock from before its transaction begins until its line is appended, so commits that
 * make checkpoints and their appends happen in one order.
 *
 * <p>Across processes the lock is a POSIX record lock on a sibling file
 * ({@code audit.checkpoints.lock}); within the JVM a {@link ReentrantLock} per file, because a
 * record lock belongs to the process, and one channel per file is kept open for the JVM's life
 * (closing any channel of a file drops the process's lock on it). The lock file holds nothing.
 * Where it cannot be created (a read-only home) only the in-JVM lock is taken: nothing can be
 * written there anyway.
 */
final class CheckpointOrder {
    private static final Map<Path, CheckpointOrder> BY_FILE = new ConcurrentHashMap<>();

    private final ReentrantLock local = new ReentrantLock();
    private final @Nullable FileChannel channel;

    private CheckpointOrder(@Nullable FileChannel channel) {
        this.channel = channel;
    }

    static CheckpointOrder of(Path checkpointFile) {
        Path lockFile = checkpointFile.toAbsolutePath().normalize().resolveSibling(checkpointFile.getFileName() + ".lock");
        return BY_FILE.computeIfAbsent(lockFile, p -> {
            try {
                return new CheckpointOrder(FileChannel.open(p, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))));
            } catch (IOException | UnsupportedOperationException e) {
                return new CheckpointOrder(null);
            }
        });
    }

    /** Holds the lock; the returned handle releases it. */
    Held acquire() {
        local.lock();
        FileLock fileLock = null;
        if (channel != null) {
            try {
                fileLock = channel.lock();
            } catch (IOException e) {
                // the lock file became unusable (removed folder): order within this process still holds
            }
        }
        return new Held(fileLock);
    }

    /** A held lock. */
    final class Held implements AutoCloseable {
        private final @Nullable FileLock fileLock;

        private Held(@Nullable FileLock fileLock) {
            this.fileLock = fileLock;
        }

        @Override
        public void close() {
            try {
                if (fileLock != null && fileLock.isValid()) {
                    fileLock.release();
                }
            } catch (IOException e) {
                // released with the channel or the process at the latest
            } finally {
                local.unlock();
            }
        }
    }
}
