package dev.airlock.redact;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Prints the redactor's quality figures: recall on planted synthetic credentials (structured
 * provider formats and generic assignments, in config, code, shell and log contexts) and false
 * positives per 10,000 lines of ordinary source code (the running JDK's {@code lib/src.zip}).
 *
 * <p>A sample counts as recalled when its value is entirely gone from the redacted text. A false
 * positive is any finding in JDK source; the report lists their types and file lines, never text.
 *
 * <p>Run: {@code mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * -Dmdep.includeScope=test && java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * dev.airlock.redact.RedactQuality [samplesPerShape] [sourceLines]}
 */
public final class RedactQuality {
    private RedactQuality() {}

    /** Recall and false-positive figures. */
    public record Report(int structured, int structuredFound, int generic, int genericFound,
            Map<String, int[]> perType, long sourceLines, int falsePositives, List<String> fpWhere) {
        double structuredRecall() {
            return structuredFound / (double) structured;
        }

        double genericRecall() {
            return genericFound / (double) generic;
        }

        double fpPer10k() {
            return sourceLines == 0 ? Double.NaN : falsePositives * 10_000.0 / sourceLines;
        }
    }

    public static Report measure(int perShape, int sourceLines) throws IOException {
        Redactor redactor = Redactor.create(RedactionConfig.defaults());
        Random rnd = new Random(20261122);
        Map<String, int[]> perType = new TreeMap<>();
        int s = 0;
        int sf = 0;
        for (QualityCorpus.Sample sample : QualityCorpus.structuredSamples(rnd, perShape)) {
            boolean found = recalled(redactor, sample);
            int[] c = perType.computeIfAbsent(sample.type(), k -> new int[2]);
            c[0]++;
            s++;
            if (found) {
                c[1]++;
                sf++;
            }
        }
        int g = 0;
        int gf = 0;
        for (QualityCorpus.Sample sample : QualityCorpus.genericSamples(rnd, perShape * 20)) {
            g++;
            if (recalled(redactor, sample)) {
                gf++;
            }
        }
        long lines = 0;
        int fps = 0;
        List<String> where = new ArrayList<>();
        List<String> files = QualityCorpus.jdkSourceFiles(sourceLines);
        for (int f = 0; f < files.size(); f++) {
            String text = files.get(f);
            lines += text.chars().filter(c -> c == '\n').count();
            for (Finding finding : redactor.scan(text)) {
                fps++;
                if (where.size() < 40) {
                    where.add("file#" + f + " line " + finding.line() + " " + finding.type());
                }
            }
        }
        return new Report(s, sf, g, gf, perType, lines, fps, where);
    }

    private static boolean recalled(Redactor redactor, QualityCorpus.Sample sample) {
        String secret = sample.text().substring(sample.start(), sample.end());
        return !redactor.redact(sample.text()).contains(secret);
    }

    public static void main(String[] args) throws IOException {
        int perShape = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int sourceLines = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        Report r = measure(perShape, sourceLines);
        System.out.printf("structured recall  %.4f  (%d/%d)%n", r.structuredRecall(), r.structuredFound(), r.structured());
        System.out.printf("generic recall     %.4f  (%d/%d)%n", r.genericRecall(), r.genericFound(), r.generic());
        System.out.printf("false positives    %.2f per 10,000 lines  (%d in %d lines of JDK source)%n", r.fpPer10k(),
                r.falsePositives(), r.sourceLines());
        r.perType().forEach((type, c) -> {
            if (c[1] < c[0]) {
                System.out.printf("  missed %-24s %d/%d%n", type, c[0] - c[1], c[0]);
            }
        });
        r.fpWhere().forEach(w -> System.out.println("  fp " + w));
    }
}
