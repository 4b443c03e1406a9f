package dev.airlock.audit;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child process for {@link CrashTest}: appends from several threads forever and prints
 * {@code ack SEQ HASH} for every row whose append returned, so the parent knows exactly what was
 * acknowledged when it kills this process with SIGKILL.
 */
public final class CrashAppender {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        AuditFixture f = AuditFixture.reopen(dir);
        AuditLog log = f.open(50);
        PrintStream out = System.out;
        AtomicInteger n = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    AuditRecord r = log.append(AuditFixture.event(n.incrementAndGet()));
                    synchronized (out) {
                        out.println("ack " + r.seq() + " " + r.hash());
                        out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
