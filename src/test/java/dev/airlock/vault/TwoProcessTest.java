package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static dev.airlock.vault.TestTenant.reveal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concurrency check, literally: two processes setting different secrets at once lose neither. */
class TwoProcessTest {
    @TempDir
    Path dir;

    @Test
    void twoProcessesSettingDifferentSecretsAtOnce_loseNeither() throws Exception {
        AuditLogs.createCheckpointFile(dir.resolve("audit.checkpoints"));
        try (TenantDb db = TenantDb.open(TenantName.of("acme"), dir.resolve("airlock.db"), true)) {
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", UUID.randomUUID().toString()));
            try (AuditLog audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build())) {
                Vault.builder().tenant("acme").jdbi(db.jdbi()).audit(audit).build()
                        .initialize(password("two-process-pw"), TestTenant.MIN_KDF).close();
            }
        }
        int count = 20;
        List<Process> processes = new ArrayList<>();
        for (String prefix : new String[] {"A", "B"}) {
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), VaultWriterProcess.class.getName(), dir.toString(), prefix,
                    String.valueOf(count));
            pb.environment().put("AIRLOCK_PASSWORD", "two-process-pw");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            processes.add(pb.start());
        }
        List<java.io.BufferedReader> outputs = new ArrayList<>();
        for (Process p : processes) {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the writer unlocked the vault").isEqualTo("unlocked");
            outputs.add(out);
        }
        for (Process p : processes) {
            p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the writer finished").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(outputs.get(i).readLine()).isEqualTo("done");
        }
        try (TenantDb db = TenantDb.open(TenantName.of("acme"), dir.resolve("airlock.db"), false);
                AuditLog audit = AuditLogs.open(db, dir.resolve("audit.checkpoints"), AuditOptions.builder().build())) {
            Vault vault = Vault.builder().tenant("acme").jdbi(db.jdbi()).audit(audit).build();
            try (UnlockedVault v = vault.unlock(password("two-process-pw"))) {
                for (String prefix : new String[] {"A", "B"}) {
                    for (int i = 0; i < count; i++) {
                        assertThat(reveal(v.get(prefix + "_" + i))).isEqualTo(prefix + "-value-" + i);
                    }
                }
            }
        }
        try (TenantDb db = TenantDb.open(TenantName.of("acme"), dir.resolve("airlock.db"), false)) {
            assertThat(SealedAudit.verify(db, dir.resolve("audit.checkpoints"), "two-process-pw").intact()).isTrue();
        }
    }
}
