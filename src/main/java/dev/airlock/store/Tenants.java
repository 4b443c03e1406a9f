package dev.airlock.store;

import dev.airlock.home.AirlockHome;
import dev.airlock.home.ExitCode;
import dev.airlock.home.PrivateFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The tenants of one home: one folder and one SQLite file each. No operation here ever opens two
 * tenants' databases together.
 */
public final class Tenants {
    public static final String DB_FILE = "airlock.db";
    public static final String CHECKPOINT_FILE = "audit.checkpoints";

    private final AirlockHome home;

    private Tenants(AirlockHome home) {
        this.home = home;
    }

    public static Tenants of(AirlockHome home) {
        return new Tenants(home);
    }

    public Path dir(TenantName name) {
        return home.tenantsDir().resolve(name.value());
    }

    public Path dbFile(TenantName name) {
        return dir(name).resolve(DB_FILE);
    }

    public Path checkpointFile(TenantName name) {
        return dir(name).resolve(CHECKPOINT_FILE);
    }

    public boolean exists(TenantName name) {
        return Files.isRegularFile(dbFile(name));
    }

    /** Tenant names in this home, sorted; folders that are not valid tenants are ignored. */
    public List<TenantName> list() {
        List<TenantName> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(home.tenantsDir())) {
            for (Path d : dirs.sorted().toList()) {
                String n = d.getFileName().toString();
                if (Files.isRegularFile(d.resolve(DB_FILE)) && TenantName.isValid(n)) {
                    names.add(TenantName.of(n));
                }
            }
        } catch (IOException e) {
            throw new StoreException(ExitCode.RUNTIME, "cannot list tenants in " + home.tenantsDir() + ": " + e.getMessage(), e);
        }
        return names;
    }

    /**
     * Creates the tenant's folder and database and gives its audit log a fresh random id. The
     * caller then writes the first audit row.
     *
     * @throws StoreException exit 2 if the tenant exists already
     */
    public TenantDb create(TenantName name) {
        if (exists(name)) {
            throw new StoreException(ExitCode.USAGE, "tenant '" + name + "' already exists");
        }
        Path dir = dir(name);
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !isEmptyFolder(dir)) {
            // Never adopt leftovers (an old audit.checkpoints would contradict the new log), nor a link.
            throw new StoreException(ExitCode.USAGE, "cannot create tenant '" + name + "': " + dir
                    + " already exists without a tenant database; move it away (or restore its " + DB_FILE + ") and try again");
        }
        try {
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw AirlockHome.unwritable(dir, e);
        }
        TenantDb db;
        try {
            db = TenantDb.open(name, dbFile(name), true);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
        String logId = UUID.randomUUID().toString();
        db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", logId));
        return db;
    }

    private static boolean isEmptyFolder(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens an existing tenant; a missing one is a usage error naming the fix. */
    public TenantDb open(TenantName name) {
        if (!exists(name)) {
            throw new StoreException(ExitCode.USAGE, "no tenant '" + name + "' in " + home.root()
                    + "; list them with 'airlock tenant list' or create it with 'airlock tenant create " + name + "'");
        }
        return TenantDb.open(name, dbFile(name), false);
    }

    /**
     * Moves the tenant's folder atomically out of sight and returns where it went. Until
     * {@link #purge} the move can be undone with {@link #restore}; a crash in between leaves either
     * the whole tenant or a hidden folder that {@link #list} ignores, never a damaged tenant.
     */
    public Path detach(TenantName name) {
        Path dir = dir(name);
        if (!exists(name)) {
            throw new StoreException(ExitCode.USAGE, "no tenant '" + name + "' in " + home.root());
        }
        Path trash = home.tenantsDir().resolve(".deleted-" + name + "-" + UUID.randomUUID());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException(ExitCode.RUNTIME, "cannot delete tenant '" + name + "': " + e.getMessage(), e);
        }
        return trash;
    }

    /** Puts a detached tenant back. */
    public void restore(Path detached, TenantName name) {
        try {
            Files.move(detached, dir(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException(ExitCode.RUNTIME, "could not restore tenant '" + name + "' from " + detached
                    + ": " + e.getMessage() + "; move that folder back to " + dir(name) + " by hand", e);
        }
    }

    /** Deletes a detached tenant's files for good. */
    public void purge(Path detached) {
        deleteQuietly(detached);
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Left-over trash is invisible to list() and harmless; the next delete retries nothing.
        }
    }
}
