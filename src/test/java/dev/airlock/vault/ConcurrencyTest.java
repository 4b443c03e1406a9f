package dev.airlock.vault;

import static dev.airlock.vault.TestTenant.password;
import static dev.airlock.vault.TestTenant.reveal;
import static dev.airlock.vault.TestTenant.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void twoConnectionsSettingDifferentSecretsAtOnce_loseNeither() throws Exception {
        TestTenant first = new TestTenant(dir, "acme");
        first.init("pw").close();
        // A second, independent connection pool on the same file, as a second process would have.
        Jdbi secondJdbi = TestTenant.open(first.file);
        Vault second = TestTenant.vaultFor("acme", secondJdbi, new RecordingAuditLog(secondJdbi));
        UnlockedVault a = first.vault.unlock(password("pw"));
        UnlockedVault b = second.unlock(password("pw"));
        int perWriter = 25;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (Object[] w : new Object[][] {{a, "A"}, {b, "B"}}) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        ((UnlockedVault) w[0]).set(w[1] + "_" + i, secret(w[1] + "-value-" + i));
                        // Both writers also update one shared name: versions must stay consistent.
                        ((UnlockedVault) w[0]).set("SHARED", secret(w[1] + "-shared-" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            a.close();
            b.close();
        }
        try (UnlockedVault v = first.vault.unlock(password("pw"))) {
            for (String w : new String[] {"A", "B"}) {
                for (int i = 0; i < perWriter; i++) {
                    assertThat(reveal(v.get(w + "_" + i))).isEqualTo(w + "-value-" + i);
                }
            }
            assertThat(reveal(v.get("SHARED"))).matches("[AB]-shared-" + (perWriter - 1));
            assertThat(v.list()).filteredOn(e -> e.name().equals("SHARED")).singleElement()
                    .satisfies(e -> assertThat(e.version()).isEqualTo(2 * perWriter));
        }
    }
}
