package dev.airlock.vault;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A tenant database the way the store opens it (WAL, synchronous=FULL, Flyway over
 * classpath:db/migration), in a test's temporary directory.
 */
final class TestTenant {
    /** The smallest parameters the vault accepts (OWASP minimum): keeps tests fast and honest. */
    static final KdfParams MIN_KDF = KdfParams.argon2id(KdfParams.ARGON2_MIN_MEMORY_KIB, KdfParams.ARGON2_MIN_ITERATIONS, 1);

    final Path file;
    final Jdbi jdbi;
    final RecordingAuditLog audit;
    final Vault vault;

    TestTenant(Path dir, String tenant) {
        this.file = dir.resolve("airlock.db");
        this.jdbi = open(file);
        this.audit = new RecordingAuditLog(jdbi);
        this.vault = vaultFor(tenant, jdbi, audit);
    }

    static Jdbi open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        // BEGIN IMMEDIATE: a read-then-write transaction takes the write lock up front instead of
        // failing with SQLITE_BUSY when it upgrades.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return Jdbi.create(ds);
    }

    static Vault vaultFor(String tenant, Jdbi jdbi, RecordingAuditLog audit) {
        return Vault.builder().tenant(tenant).jdbi(jdbi).audit(audit).random(new SecureRandom()).build();
    }

    static char[] password(String p) {
        return p.toCharArray();
    }

    UnlockedVault init(String password) {
        return vault.initialize(password(password), MIN_KDF);
    }

    static SecretBytes secret(String value) {
        return SecretBytes.copyOf(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String reveal(SecretBytes s) {
        return new String(s.toByteArray(SecretAccess.INSECURE_ACCESS), java.nio.charset.StandardCharsets.UTF_8);
    }
}
