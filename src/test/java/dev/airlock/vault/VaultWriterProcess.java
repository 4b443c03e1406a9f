package dev.airlock.vault;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate process for {@link TwoProcessTest}: unlocks the vault in {@code args[0]} with the
 * password from the environment (never from arguments, which other users can read) and sets
 * {@code args[2]} secrets named {@code args[1]_i} once a line arrives on stdin.
 */
public final class VaultWriterProcess {
    private VaultWriterProcess() {}

    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        try (TenantDb db = TenantDb.open(TenantName.of("acme"), dir.resolve("airlock.db"), false);
                AuditLog audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build())) {
            Vault vault = Vault.builder().tenant("acme").jdbi(db.jdbi()).audit(audit).build();
            try (UnlockedVault v = vault.unlock(PasswordSource.read(System.getenv(), PasswordPrompt.none()))) {
                System.out.println("unlocked");
                System.out.flush();
                // Both processes start writing at the same moment, when the test says go.
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                for (int i = 0; i < count; i++) {
                    v.set(prefix + "_" + i, SecretBytes.copyOf((prefix + "-value-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        System.out.println("done");
    }
}
