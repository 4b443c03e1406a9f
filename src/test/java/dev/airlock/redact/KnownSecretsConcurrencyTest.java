package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KnownSecretsConcurrencyTest {
    @Test
    void knownSecrets_lockAndUnlockWhileRedactingNeverYieldsAPartialOrCorruptResult() throws Exception {
        KnownSecrets known = KnownSecrets.create();
        byte[] value = "vault-value-7Qx93kLm".getBytes(StandardCharsets.UTF_8);
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String text = ("line with vault-value-7Qx93kLm inside\n").repeat(200);
        String redacted = text.replace("vault-value-7Qx93kLm", "[REDACTED:known-secret]");
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> toggler = pool.submit(() -> {
                for (int i = 0; i < 300 && !stop.get(); i++) {
                    known.replaceAll(List.of(value));
                    known.clear();
                }
            });
            Future<Integer> reader = pool.submit(() -> {
                int odd = 0;
                for (int i = 0; i < 300; i++) {
                    String out = r.redact(text);
                    // Each call sees the set either locked or unlocked as a whole.
                    if (!out.equals(text) && !out.equals(redacted)) {
                        odd++;
                    }
                }
                return odd;
            });
            assertThat(reader.get(60, TimeUnit.SECONDS)).isZero();
            stop.set(true);
            toggler.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
