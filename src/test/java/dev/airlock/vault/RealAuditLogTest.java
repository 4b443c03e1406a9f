package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static dev.airlock.vault.TestTenant.reveal;
import static dev.airlock.vault.TestTenant.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.audit.AuditReader;
import dev.airlock.audit.AuditRecord;
import dev.airlock.home.ExitCode;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vault on the real tenant store and the real hash-chained audit writer. */
class RealAuditLogTest {
    @TempDir
    Path dir;

    private record Opened(TenantDb db, AuditLog audit, Vault vault) implements AutoCloseable {
        @Override
        public void close() {
            audit.close();
            db.close();
        }
    }

    private Opened open() throws Exception {
        Path checkpoints = dir.resolve("audit.checkpoints");
        if (!Files.exists(checkpoints)) {
            AuditLogs.createCheckpointFile(checkpoints);
        }
        TenantDb db = TenantDb.open(TenantName.of("acme"), dir.resolve("airlock.db"), true);
        if (db.meta("log_id").isEmpty()) {
            // What Tenants.create does for a new tenant.
            db.jdbi().useHandle(h -> h.execute("INSERT INTO meta(key, value) VALUES ('log_id', ?)", java.util.UUID.randomUUID().toString()));
        }
        AuditLog audit = AuditLogs.open(db, checkpoints, AuditOptions.builder().build());
        return new Opened(db, audit, Vault.builder().tenant("acme").jdbi(db.jdbi()).audit(audit).build());
    }

    private List<AuditRecord> rows(TenantDb db) {
        List<AuditRecord> rows = new ArrayList<>();
        AuditReader.of(db).forEach(1, 0, rows::add);
        return rows;
    }

    @Test
    void vaultActions_landInTheHashChainedLogWithNamesAndWithoutValues_andTheLogVerifies() throws Exception {
        String value = "real-audit-marker-" + System.nanoTime();
        try (Opened o = open()) {
            try (UnlockedVault v = o.vault().initialize(password("pw"), TestTenant.MIN_KDF)) {
                v.set("GITHUB_TOKEN", secret(value));
                assertThat(reveal(v.get("GITHUB_TOKEN"))).isEqualTo(value);
                v.remove("GITHUB_TOKEN");
            }
            assertThatThrownBy(() -> o.vault().unlock(password("wrong")))
                    .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.AUTH));
            List<AuditRecord> rows = rows(o.db());
            assertThat(rows.stream().filter(r -> r.action().startsWith("vault.")).map(r -> r.action() + ":" + r.outcome() + ":" + r.target()))
                    .containsExactly("vault.create:success:vault:acme", "vault.secret.set:success:secret:GITHUB_TOKEN",
                            "vault.secret.get:success:secret:GITHUB_TOKEN", "vault.secret.remove:success:secret:GITHUB_TOKEN",
                            "vault.unlock:failure:vault:acme");
            assertThat(rows).allSatisfy(r -> assertThat(r.details()).doesNotContain(value));
        }
        try (Opened o = open()) {
            assertThat(SealedAudit.verify(o.db(), dir.resolve("audit.checkpoints"), "pw").intact()).isTrue();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                LeakTest.encodings(value.getBytes(StandardCharsets.UTF_8)).forEach((encoding, needle) ->
                        assertThat(content).as(f.getFileName() + " " + encoding)
                                .doesNotContain(new String(needle, StandardCharsets.ISO_8859_1)));
            }
        }
    }

    @Test
    void removingAMissingSecret_writesNeitherAChangeNorAnAuditRow() throws Exception {
        try (Opened o = open(); UnlockedVault v = o.vault().initialize(password("pw"), TestTenant.MIN_KDF)) {
            long before = rows(o.db()).size();
            assertThatThrownBy(() -> v.remove("NOT_THERE"))
                    .satisfies(e -> assertThat(((VaultException) e).exitCode()).isEqualTo(ExitCode.USAGE));
            v.set("STILL_WORKS", secret("x"));
            assertThat(rows(o.db()).stream().map(AuditRecord::action).skip(before)).containsExactly("vault.secret.set");
        }
    }

    @Test
    void twoProcessesWorthOfWritersSettingSecretsAtOnce_loseNeitherSecretNorAuditRow() throws Exception {
        try (Opened o = open()) {
            o.vault().initialize(password("pw"), TestTenant.MIN_KDF).close();
        }
        int perWriter = 15;
        try (Opened first = open(); Opened second = open();
                UnlockedVault a = first.vault().unlock(password("pw")); UnlockedVault b = second.vault().unlock(password("pw"))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (Map.Entry<String, UnlockedVault> w : Map.of("A", a, "B", b).entrySet()) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perWriter; i++) {
                            w.getValue().set(w.getKey() + "_" + i, secret(w.getKey() + i));
                            w.getValue().set("SHARED", secret(w.getKey() + "-shared-" + i));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(120_000);
            }
            assertThat(failures).isEmpty();
        }
        try (Opened o = open(); UnlockedVault v = o.vault().unlock(password("pw"))) {
            for (String w : new String[] {"A", "B"}) {
                for (int i = 0; i < perWriter; i++) {
                    assertThat(reveal(v.get(w + "_" + i))).isEqualTo(w + i);
                }
            }
            assertThat(v.list()).filteredOn(e -> e.name().equals("SHARED")).singleElement()
                    .satisfies(e -> assertThat(e.version()).as("every set of the shared name got its own version").isEqualTo(2 * perWriter));
            assertThat(rows(o.db()).stream().filter(r -> r.action().equals("vault.secret.set"))).hasSize(4 * perWriter);
        }
        try (Opened o = open()) {
            assertThat(SealedAudit.verify(o.db(), dir.resolve("audit.checkpoints"), "pw").intact()).isTrue();
        }
    }
}
