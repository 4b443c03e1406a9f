package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bare provider secret keys redacted because their key id is in the same output
 * ({@code src/test/resources/redact/pairs.txt}, one dynamic test per line), across stream lines, and
 * the false-positive budget on clean source with an id planted in every file.
 */
class PairedKeysTest {
    private static final Set<String> PAIR_TYPES = Set.of(PairedKeys.AWS_TYPE, PairedKeys.ALIBABA_TYPE, PairedKeys.TENCENT_TYPE);
    private final Redactor redactor = Redactor.create(RedactionConfig.defaults());

    @TestFactory
    Stream<DynamicTest> pairs_matchVectors() throws IOException {
        return RedactCasesTest.load("pairs.txt").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(RedactCasesTest.Case c) {
        List<Finding> findings = redactor.scan(c.text());
        if (c.expected().equals("none")) {
            assertThat(findings.stream().filter(f -> PAIR_TYPES.contains(f.type())).count())
                    .as("%s:%d no paired-key finding, got %s", c.file(), c.line(), findings.stream().map(Finding::type).toList())
                    .isZero();
            return;
        }
        assertThat(findings).as("%s:%d a %s finding at offset %d length %d, got %s", c.file(), c.line(), c.expected(),
                c.start(), c.end() - c.start(), findings.stream().map(f -> f.type() + "@" + f.offset() + "+" + f.length()).toList())
                .anyMatch(f -> f.type().equals(c.expected()) && f.offset() == c.start() && f.length() == c.end() - c.start());
        Leakless.assertAbsent(redactor.redact(c.text()), c.text().substring(c.start(), c.end()), c.file() + ":" + c.line());
    }

    @Test
    void stream_bareAwsSecretOnALaterLineThanItsIdIsRedacted() throws Exception {
        Random rnd = new Random(5);
        String id = "AKIA" + TransformedSecretsTest.random(rnd, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        String secret = "Zq8/" + TransformedSecretsTest.random(rnd, 36, TransformedSecretsTest.ALNUM);
        StreamRedactor s = redactor.newStream();
        StringBuilder out = new StringBuilder();
        out.append(s.accept(" " + id + "\n"));
        for (int i = 0; i < 50; i++) {
            out.append(s.accept("unrelated line " + i + "\n"));
        }
        out.append(s.accept(" " + secret.substring(0, 17)));
        out.append(s.accept(secret.substring(17) + "\n"));
        out.append(s.finish());
        Leakless.assertAbsent(out.toString(), secret, "secret after the id");
        Leakless.assertPresent(out.toString(), "[REDACTED:aws-secret-key]", "label");
    }

    @Test
    void stream_withoutAnyIdLeavesTheSameShapeAlone() {
        String text = "checksum Zq8/" + TransformedSecretsTest.random(new Random(6), 36, TransformedSecretsTest.ALNUM) + "\n";
        StreamRedactor s = redactor.newStream();
        Leakless.assertSameText(s.accept(text) + s.finish(), text, "no id, no pairing");
    }

    /**
     * Every JDK source file with an AWS, an Alibaba and a Tencent key id planted at its top: paired
     * findings per 10,000 lines stay under the catalogue's false-positive budget of 1.
     */
    @Test
    void quality_pairedShapesNextToPlantedIdsStayRareInSourceCode() throws Exception {
        assumeTrue(Files.isRegularFile(QualityCorpus.jdkSources()), "this JDK ships no lib/src.zip");
        List<String> files = QualityCorpus.jdkSourceFiles(200_000);
        String ids = "// AKIAQ3EGRZ7TUV2XWYAB LTAI5tQ9zK2mN8pL4rX7 AKIDq8Zr3LmN5pK2sT7vW9xY4zA6bC1dE0fG\n";
        long lines = 0;
        long hits = 0;
        for (String f : files) {
            lines += f.chars().filter(ch -> ch == '\n').count();
            hits += redactor.scan(ids + f).stream().filter(x -> PAIR_TYPES.contains(x.type())).count();
        }
        assertThat(lines).isGreaterThan(100_000);
        assertThat(hits * 10_000.0 / lines).as("paired findings per 10,000 lines (%d in %d lines)", hits, lines)
                .isLessThanOrEqualTo(1.0);
    }
}
