package dev.airlock.store;

import dev.airlock.home.ExitCode;
import dev.airlock.home.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One tenant's SQLite database: WAL journal, {@code synchronous=FULL} (a commit is on disk when it
 * returns), foreign keys on, a busy timeout so several Airlock processes can share it, and the schema
 * migrated by Flyway from {@code classpath:db/migration} on open.
 *
 * <p>Concurrency: every connection waits up to {@link #BUSY_TIMEOUT_MS} for a lock. Transactions
 * begin {@code IMMEDIATE}: in WAL mode a deferred transaction that reads and then writes fails at
 * once with {@code SQLITE_BUSY} (no wait) when another process committed in between, which is what
 * killed a long agent turn inserting a chat message. Writers wrap their transactions in
 * {@link #retryingBusy}, a bounded retry for what the timeout does not cover.
 *
 * <p>An existing file is checked to be a SQLite database before SQLite or Flyway touch it, so a
 * corrupt or foreign file is reported and left byte-for-byte as it was.
 */
public final class TenantDb implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    static final int BUSY_TIMEOUT_MS = 30_000;

    private final TenantName tenant;
    private final Path file;
    private final SQLiteDataSource dataSource;
    private final Jdbi jdbi;

    private TenantDb(TenantName tenant, Path file, SQLiteDataSource dataSource) {
        this.tenant = tenant;
        this.file = file;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * Opens (and migrates) the database at {@code file}. With {@code create} a missing file is
     * created 0600; without it a missing file is an error.
     */
    public static TenantDb open(TenantName tenant, Path file, boolean create) {
        boolean exists = Files.exists(file);
        if (!exists && !create) {
            throw new StoreException(ExitCode.USAGE, "tenant '" + tenant + "' has no database at " + file
                    + "; create it with 'airlock tenant create " + tenant + "'");
        }
        if (exists) {
            checkHeader(tenant, file);
        } else {
            try {
                PrivateFiles.createFile(file);
            } catch (IOException e) {
                throw new StoreException(ExitCode.RUNTIME, "cannot create " + file + ": " + e.getMessage(), e);
            }
        }
        boolean readOnly = exists && isReadOnlySnapshot(file);
        TenantDb db = new TenantDb(tenant, file, dataSource(file, SQLiteConfig.TransactionMode.IMMEDIATE, readOnly));
        db.migrate();
        return db;
    }

    /**
     * A database in a folder nobody can write (a read-only mount, a backup) with no WAL beside it:
     * SQLite cannot create the -shm it needs for WAL, so it is opened immutable and read-only. Reads
     * (verify, tail, export to stdout…) then work; any write fails as "cannot write".
     */
    private static boolean isReadOnlySnapshot(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && !Files.isWritable(dir)
                && !Files.exists(dir.resolve(file.getFileName() + "-wal"))
                && !Files.exists(dir.resolve(file.getFileName() + "-shm"));
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig.TransactionMode mode) {
        return dataSource(file, mode, false);
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig.TransactionMode mode, boolean readOnly) {
        if (readOnly) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1");
            return ds;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(mode);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    private static void checkHeader(TenantName tenant, Path file) {
        byte[] head = new byte[SQLITE_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StoreException(ExitCode.RUNTIME, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n == 0) {
            throw new StoreException(ExitCode.INTEGRITY, "the database of tenant '" + tenant + "' (" + file
                    + ") is empty; restore it from a backup. The file was left as it is.");
        }
        if (n < head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
            throw new StoreException(ExitCode.INTEGRITY, "the database of tenant '" + tenant + "' (" + file
                    + ") is not a SQLite database; restore it from a backup. The file was left as it is.");
        }
    }

    private void migrate() {
        try {
            Flyway.configure(TenantDb.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .validateMigrationNaming(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw classify("migrating", e);
        }
    }

    /** Maps SQLite failures to contract errors; a corrupt file is an integrity failure (exit 3). */
    public StoreException classify(String doing, Throwable e) {
        String msg = rootMessage(e);
        String lower = msg.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("not a database") || lower.contains("malformed") || lower.contains("corrupt")) {
            return new StoreException(ExitCode.INTEGRITY, "the database of tenant '" + tenant + "' (" + file
                    + ") is corrupt (" + msg + "); restore it from a backup", e);
        }
        if (lower.contains("readonly") || lower.contains("read-only") || lower.contains("unable to open")
                || lower.contains("permission")) {
            return new StoreException(ExitCode.RUNTIME, "cannot write the database of tenant '" + tenant + "' ("
                    + file + "): " + msg + "; check that the Airlock home is writable", e);
        }
        if (lower.contains("migration") && (lower.contains("not resolved") || lower.contains("newer") || lower.contains("applied"))) {
            return new StoreException(ExitCode.USAGE, "the database of tenant '" + tenant + "' was written by a newer"
                    + " Airlock (" + msg + "); upgrade Airlock", e);
        }
        return new StoreException(ExitCode.RUNTIME, "database error while " + doing + " for tenant '" + tenant + "': " + msg, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).lines().findFirst().orElse("").strip();
    }

    public TenantName tenant() {
        return tenant;
    }

    public Path file() {
        return file;
    }

    /** Jdbi over this database for reads and ordinary writes. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A new autocommit connection for a writer that drives its own transactions with
     * {@code BEGIN IMMEDIATE}, taking the write lock up front so that reading the chain head and
     * appending cannot interleave with another process.
     */
    public Connection openWriterConnection() {
        try {
            return dataSource(file, SQLiteConfig.TransactionMode.IMMEDIATE).getConnection();
        } catch (SQLException e) {
            throw classify("opening a writer", e);
        }
    }

    /** Attempts of {@link #retryingBusy}, and the first and the longest wait between them. */
    static final int BUSY_ATTEMPTS = 6;
    static final long BUSY_FIRST_WAIT_MS = 25;
    static final long BUSY_MAX_WAIT_MS = 1_000;

    /**
     * Runs {@code work} (one whole transaction) again when SQLite answers {@code SQLITE_BUSY} or
     * {@code SQLITE_LOCKED}, at most {@link #BUSY_ATTEMPTS} times with a doubling, jittered wait; any
     * other failure, and the last busy one, is thrown as it came. {@code work} must be safe to repeat:
     * a busy transaction was rolled back and left nothing behind.
     */
    public static <T> T retryingBusy(java.util.function.Supplier<T> work) {
        long wait = BUSY_FIRST_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= BUSY_ATTEMPTS || !isBusy(e)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(wait / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(wait / 2 + 1));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new StoreException(ExitCode.RUNTIME, "interrupted while waiting for the database lock", ie);
            }
            wait = Math.min(BUSY_MAX_WAIT_MS, wait * 2);
        }
    }

    /** {@link #retryingBusy} for work with no result. */
    public static void retryingBusy(Runnable work) {
        retryingBusy(() -> {
            work.run();
            return null;
        });
    }

    /** Whether {@code e} or a cause is SQLite's "database is locked" ({@code SQLITE_BUSY}, {@code SQLITE_LOCKED}, any extended code). */
    public static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException se) {
                int primary = se.getResultCode().code & 0xff;
                if (primary == 5 || primary == 6) {
                    return true;
                }
            }
            String m = t.getMessage();
            if (m != null && (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || m.contains("database is locked"))) {
                return true;
            }
        }
        return false;
    }

    /** A value from the {@code meta} table. */
    public Optional<String> meta(String key) {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT value FROM meta WHERE key = :k").bind("k", key)
                    .mapTo(String.class).findOne());
        } catch (RuntimeException e) {
            throw classify("reading metadata", e);
        }
    }

    @Override
    public void close() {
        // Connections are per use; nothing is pooled. Kept for symmetry with other resources.
    }
}
