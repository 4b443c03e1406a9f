package dev.airlock.home;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates folders (0700) and files (0600) that only the owner can read, whatever the umask.
 * Permissions are set at creation through the file attribute, so there is no window in which a
 * file exists with wider permissions.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates {@code dir} and any missing parents below an existing ancestor, each 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return abs;
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIR));
            // The umask can strip bits from the creation attribute; set them explicitly.
            Files.setPosixFilePermissions(abs, DIR);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return abs;
    }

    /** Creates an empty 0600 file if none exists; an existing file is left as it is. */
    public static Path createFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            Files.setPosixFilePermissions(file, FILE);
        } catch (FileAlreadyExistsException e) {
            // keep existing content and permissions
        }
        return file;
    }

    /** Sets 0600 on an existing file. */
    public static void restrict(Path file) throws IOException {
        Files.setPosixFilePermissions(file, FILE);
    }
}
