package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Guards the quality goals of the redaction issue on a smaller run than {@link RedactQuality}'s
 * published figures, so a detector change that costs recall or adds noise fails the build.
 */
class RedactQualityTest {
    @Test
    void quality_meetsRecallGoalsAndFalsePositiveBudget() throws Exception {
        assumeTrue(Files.isRegularFile(QualityCorpus.jdkSources()), "this JDK ships no lib/src.zip");
        RedactQuality.Report r = RedactQuality.measure(20, 200_000);
        assertThat(r.structuredRecall()).as("structured recall").isGreaterThanOrEqualTo(0.95);
        assertThat(r.genericRecall()).as("generic assignment recall").isGreaterThanOrEqualTo(0.80);
        assertThat(r.sourceLines()).isGreaterThan(100_000);
        assertThat(r.fpPer10k()).as("false positives per 10,000 source lines, at %s", r.fpWhere()).isLessThanOrEqualTo(1.0);
    }
}
