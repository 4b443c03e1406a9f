package dev.airlock.redact;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * The {@link RedactBenchmark} corpus and configurations, timed by this thread's CPU time instead of
 * wall time. On a shared machine (the build hosts run several engineers' jobs on two cores) JMH's
 * wall-clock score mostly measures how often the thread was scheduled; CPU time is what one
 * dedicated core would do.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * dev.airlock.redact.RedactCpuThroughput [rounds]}
 */
public final class RedactCpuThroughput {
    private RedactCpuThroughput() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        String corpus = RedactBenchmark.corpus(RedactBenchmark.TARGET_CHARS);
        KnownSecrets known = KnownSecrets.create();
        Random rnd = new Random(99);
        for (int i = 0; i < 20; i++) {
            known.add(QualityCorpus.r(rnd, 24, QualityCorpus.ALNUM).toCharArray());
        }
        Redactor all = Redactor.create(RedactionConfig.defaults().withAllPii(), known);
        Redactor defaults = Redactor.create(RedactionConfig.defaults());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double bestAll = 0;
        double bestDefaults = 0;
        double bestIndexOf = 0;
        double mb = corpus.length() / 1e6;
        for (int r = 0; r < rounds; r++) {
            long t = threads.getCurrentThreadCpuTime();
            all.redact(corpus);
            bestAll = Math.max(bestAll, mb / ((threads.getCurrentThreadCpuTime() - t) / 1e9));
            t = threads.getCurrentThreadCpuTime();
            defaults.redact(corpus);
            bestDefaults = Math.max(bestDefaults, mb / ((threads.getCurrentThreadCpuTime() - t) / 1e9));
            t = threads.getCurrentThreadCpuTime();
            int found = 0;
            for (int k = 0; k < 20; k++) {
                for (int i = corpus.indexOf("AKIA"); i >= 0; i = corpus.indexOf("AKIA", i + 4)) {
                    found++;
                }
            }
            bestIndexOf = Math.max(bestIndexOf, 20 * mb / ((threads.getCurrentThreadCpuTime() - t) / 1e9));
            if (found < 0) {
                System.out.println(found);
            }
        }
        System.out.printf("corpus %.2f M chars; best of %d rounds, MB/s of CPU time on one thread%n", mb, rounds);
        System.out.printf("all detectors + 20 known secrets  %7.1f%n", bestAll);
        System.out.printf("default configuration             %7.1f%n", bestDefaults);
        System.out.printf("String.indexOf baseline           %7.1f%n", bestIndexOf);
    }
}
