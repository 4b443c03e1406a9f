package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real appending process with SIGKILL at random moments, many times over the same tenant,
 * and checks after each kill that every acknowledged row is present with the acknowledged hash and
 * that the whole log verifies.
 */
class CrashTest {
    private static final int ROUNDS = 12;

    /** Lines until EOF; the JDK closes the pipe when the process is destroyed, which also ends it. */
    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @TempDir
    Path dir;

    @Test
    void sigkill_losesNoAcknowledgedRowAndLeavesAVerifiableLog() throws Exception {
        AuditFixture.created(dir); // creates the database, log id, key, checkpoint file and first checkpoint
        Random random = new Random(20261122L);
        Map<Long, String> acked = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), CrashAppender.class.getName(), dir.toString(),
                    String.valueOf(1 + random.nextInt(8))));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long killAfterAcks = 1 + random.nextInt(120);
            long seen = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = readLine(r)) != null) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("ack")) {
                        acked.put(Long.parseLong(parts[1]), parts[2]);
                        if (++seen >= killAfterAcks) {
                            // SIGKILL mid-stream: more appends are in flight, some committed, none acknowledged.
                            p.destroyForcibly();
                        }
                    }
                }
            } finally {
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            AuditFixture f = AuditFixture.reopen(dir);
            VerifyReport report = f.verify();
            assertThat(report.intact()).as("round " + round + ": " + report).isTrue();
            Map<Long, String> stored = new LinkedHashMap<>();
            AuditReader.of(f.db).forEach(1, Long.MIN_VALUE, rec -> stored.put(rec.seq(), rec.hash()));
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                assertThat(stored.get(e.getKey())).as("acknowledged row " + e.getKey() + " after round " + round)
                        .isEqualTo(e.getValue());
            }
        }
        assertThat(acked).hasSizeGreaterThan(ROUNDS);
    }
}
