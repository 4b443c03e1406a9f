package dev.airlock.redact;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redaction throughput on one thread over a mixed corpus (half synthetic config/log/shell text with
 * planted secrets, half JDK source code), with every detector on, against a plain
 * {@link String#indexOf} scan of the same input in the same run as the floor. Each operation
 * processes the whole corpus once; MB/s = ops/s x corpus size (printed at setup).
 *
 * <p>Run: {@code mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test && java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * org.openjdk.jmh.Main RedactBenchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class RedactBenchmark {
    /** Corpus size in chars; about 4 MB of UTF-8. */
    static final int TARGET_CHARS = 4 << 20;

    String corpus;
    Redactor redactor;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        corpus = corpus(TARGET_CHARS);
        KnownSecrets known = KnownSecrets.create();
        Random rnd = new Random(99);
        for (int i = 0; i < 20; i++) {
            known.add(QualityCorpus.r(rnd, 24, QualityCorpus.ALNUM).toCharArray());
        }
        redactor = Redactor.create(RedactionConfig.defaults().withAllPii(), known);
        System.out.printf("%n# corpus: %d chars, %.2f MB UTF-8, %d findings%n", corpus.length(),
                corpus.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1e6, redactor.scan(corpus).size());
    }

    static String corpus(int chars) throws IOException {
        StringBuilder b = new StringBuilder(chars + 4096);
        Random rnd = new Random(2026);
        while (b.length() < chars / 2) {
            b.append(QualityCorpus.mixedDocument(rnd, 1000));
        }
        List<String> sources = QualityCorpus.jdkSourceFiles(200_000);
        for (int i = 0; b.length() < chars && !sources.isEmpty(); i = (i + 1) % sources.size()) {
            b.append(sources.get(i));
        }
        while (b.length() < chars) {
            b.append(QualityCorpus.mixedDocument(rnd, 1000)); // no JDK sources on this machine
        }
        return b.toString();
    }

    @Benchmark
    public String redactAllDetectors() {
        return redactor.redact(corpus);
    }

    /** The floor: one literal search through the same text. */
    @Benchmark
    public int indexOfBaseline() {
        int count = 0;
        int i = 0;
        while ((i = corpus.indexOf("AKIA", i)) >= 0) {
            count++;
            i += 4;
        }
        return count;
    }
}
