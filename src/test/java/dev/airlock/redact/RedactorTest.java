package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.airlock.redact.Leakless.assertAbsent;
import static dev.airlock.redact.Leakless.assertPresent;
import static dev.airlock.redact.Leakless.assertSameText;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.airlock.home.ExitCode;
import dev.airlock.home.TextFilter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private static final Random RANDOM = new Random(42);
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    static String random(int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String awsKey() {
        return "AKIA" + random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    }

    private final Redactor redactor = Redactor.create(RedactionConfig.defaults());

    @Test
    void redact_replacesValueWithTypeLabelAndKeepsTheRest() {
        String key = awsKey();
        assertSameText(redactor.redact("id=" + key + " region=eu-west-1"), "id=[REDACTED:aws-access-key] region=eu-west-1",
                "aws key");
    }

    @Test
    void redact_returnsSameInstanceWhenNothingFound() {
        String text = "nothing to see here\n";
        assertThat(redactor.redact(text)).isSameAs(text);
    }

    @Test
    void redact_hashTagsMapSameValueToSameTagAndDifferentKeysToDifferentTags() {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        k2[0] = 1;
        RedactionConfig tagged = RedactionConfig.defaults().withHashTags(true);
        Redactor a = Redactor.builder().config(tagged).tagKey(k1).build();
        Redactor b = Redactor.builder().config(tagged).tagKey(k2).build();
        String key1 = awsKey();
        String key2 = awsKey();
        String out = a.redact(key1 + " " + key1 + " " + key2);
        String[] parts = out.split(" ");
        assertThat(parts[0].matches("\\[REDACTED:aws-access-key:[0-9a-f]{6}]")).as("tag shape").isTrue();
        assertThat(parts[0].equals(parts[1])).as("same value, same tag").isTrue();
        assertThat(parts[0].equals(parts[2])).as("other value, other tag").isFalse();
        assertThat(b.redact(key1).equals(parts[0])).as("other key, other tag").isFalse();
    }

    @Test
    void scan_reportsLineColumnAndLengthButNeverTheValue() {
        String key = awsKey();
        List<Finding> findings = redactor.scan("first line\n  aws_access_key_id = " + key + "\n");
        assertThat(findings).containsExactly(new Finding("aws-access-key", 2, 23, 33, 20));
        assertAbsent(findings.toString(), key, "findings report");
    }

    @Test
    void asTextFilter_redactsAndIsTheHookType() {
        TextFilter filter = redactor.asTextFilter();
        String key = awsKey();
        assertSameText(filter.apply("key " + key), "key [REDACTED:aws-access-key]", "filter");
    }

    @Test
    void allowList_keepsListedValues() {
        String key = awsKey();
        Redactor r = Redactor.create(new RedactionConfig(null, null, List.of(key), null));
        assertSameText(r.redact("a " + key), "a " + key, "allowed value");
        assertSameText(r.redact("b " + awsKey()), "b [REDACTED:aws-access-key]", "other value");
    }

    @Test
    void customPattern_redactsGroupOneAndUsesItsName() {
        Redactor r = Redactor.create(new RedactionConfig(null,
                List.of(new RedactionConfig.CustomPattern("acme-ticket", "ticket=(T-[0-9]{6})", List.of("ticket=")),
                        new RedactionConfig.CustomPattern("acme-id", "ACME[0-9]{8}", null)),
                null, null));
        assertThat(r.redact("ticket=T-123456 and ACME12345678"))
                .isEqualTo("ticket=[REDACTED:acme-ticket] and [REDACTED:acme-id]");
    }

    @Test
    void customPattern_invalidRegexIsUsageErrorWithoutQuotingThePattern() {
        String regex = "(?<=hunter2secret)x";
        assertThatThrownBy(() -> Redactor.create(new RedactionConfig(null,
                List.of(new RedactionConfig.CustomPattern("bad", regex, null)), null, null)))
                .isInstanceOf(RedactionException.class)
                .satisfies(e -> assertThat(((RedactionException) e).exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("redaction.patterns[0] (bad)")
                .message().doesNotContain("hunter2secret");
    }

    @Test
    void config_bindsFromYamlWithSnakeCaseKeysAndDefaults() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        String doc = """
                pii:
                  emails: true
                  ibans: true
                patterns:
                  - name: acme-key
                    regex: "acme_[a-z0-9]{16}"
                    keywords: ["acme_"]
                allow: ["AKIAIOSFODNN7EXAMPLE"]
                hash_tags: true
                """;
        RedactionConfig c = yaml.readValue(doc, RedactionConfig.class);
        assertThat(c.pii()).isEqualTo(new RedactionConfig.Pii(true, true, false, true));
        assertThat(c.patterns()).extracting(RedactionConfig.CustomPattern::name).containsExactly("acme-key");
        assertThat(c.hashTags()).isTrue();
        assertThat(yaml.readValue("{}", RedactionConfig.class)).isEqualTo(RedactionConfig.defaults());
        assertThatThrownBy(() -> yaml.readValue("pii: {phone_numbers: true}", RedactionConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void defaults_cardsOnEmailsAndAddressesOff() {
        String text = "mail ops@acme.io from 10.1.2.3 card 4111 1111 1111 1111";
        assertThat(redactor.redact(text)).isEqualTo("mail ops@acme.io from 10.1.2.3 card [REDACTED:credit-card]");
        assertThat(Redactor.create(RedactionConfig.defaults().withAllPii()).redact(text))
                .isEqualTo("mail [REDACTED:email] from [REDACTED:ip-address] card [REDACTED:credit-card]");
    }

    // ---- known secrets

    private static byte[] secretBytes() {
        return ("s3cr3t+/" + random(21, ALNUM) + " ?&").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void knownSecrets_matchedRawHexUrlEncodedAndBase64InAnyContext() {
        KnownSecrets known = KnownSecrets.create();
        byte[] value = secretBytes();
        assertThat(known.add(value.clone())).isTrue();
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String raw = new String(value, StandardCharsets.UTF_8);
        List<String> encodings = List.of(
                raw,
                HexFormat.of().formatHex(value),
                HexFormat.of().withUpperCase().formatHex(value),
                java.net.URLEncoder.encode(raw, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(value),
                Base64.getUrlEncoder().withoutPadding().encodeToString(value));
        for (int i = 0; i < encodings.size(); i++) {
            String text = "x" + encodings.get(i) + "y";
            assertThat(r.scan(text)).as("encoding #%d", i).extracting(Finding::type).containsExactly("known-secret");
            assertAbsent(r.redact(text), encodings.get(i), "encoding #" + i);
        }
    }

    @Test
    void knownSecrets_foundJsonEscapedInAuditDetails() throws Exception {
        KnownSecrets known = KnownSecrets.create();
        String value = "pa\"ss\\word\n-" + random(10, ALNUM);
        known.add(value.toCharArray());
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String json = new ObjectMapper().writeValueAsString(Map.of("details", "login with " + value));
        String escaped = json.substring(json.indexOf("login with ") + "login with ".length(), json.length() - 2);
        assertThat(escaped.equals(value)).as("the value really is escaped in JSON").isFalse();
        assertThat(r.scan(json)).extracting(Finding::type).containsExactly("known-secret");
        assertAbsent(r.redact(json), escaped, "json-escaped value");
    }

    @Test
    void knownSecrets_foundInsideLongerBase64BlobAtEveryAlignment() {
        KnownSecrets known = KnownSecrets.create();
        byte[] value = secretBytes();
        known.add(value);
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        for (int prefix = 0; prefix < 6; prefix++) {
            for (int suffix = 0; suffix < 4; suffix++) {
                byte[] blob = new byte[prefix + value.length + suffix];
                RANDOM.nextBytes(blob);
                System.arraycopy(value, 0, blob, prefix, value.length);
                for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder().withoutPadding())) {
                    String text = "data: " + enc.encodeToString(blob) + " end";
                    String out = r.redact(text);
                    String where = "prefix " + prefix + " suffix " + suffix;
                    assertPresent(out, "[REDACTED:known-secret]", where);
                    // Nothing that decodes back to a third of the value may remain on either side.
                    String core = new String(KnownSecrets.base64Core(value, prefix % 3, enc));
                    assertAbsent(out, core.substring(0, 8), where + " head");
                    assertAbsent(out, core.substring(core.length() - 8), where + " tail");
                }
            }
        }
    }

    @Test
    void knownSecrets_swappedAtRuntimeWithoutRebuildingTheRedactor() {
        KnownSecrets known = KnownSecrets.create();
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        byte[] value = secretBytes();
        String raw = new String(value, StandardCharsets.UTF_8);
        assertSameText(r.redact(raw), raw, "before unlock");
        known.add(value);
        assertSameText(r.redact(raw), "[REDACTED:known-secret]", "unlocked");
        known.clear();
        assertThat(known.size()).isZero();
        assertSameText(r.redact(raw), raw, "locked again");
        known.replaceAll(List.of(value));
        assertSameText(r.redact("[" + raw + "]"), "[[REDACTED:known-secret]]", "replaced");
    }

    @Test
    void knownSecrets_acceptCharsRefuseShortValuesAndNeverPrintValues() {
        KnownSecrets known = KnownSecrets.create();
        char[] value = ("pass-" + random(12, ALNUM)).toCharArray();
        assertThat(known.add(value)).isTrue();
        assertThat(known.add(new byte[] {1, 2, 3})).isFalse();
        assertSameText(known.toString(), "KnownSecrets[1 values]", "toString");
        assertSameText(Redactor.create(RedactionConfig.defaults(), known).redact("pw " + new String(value)),
                "pw [REDACTED:known-secret]", "chars value");
    }

    // ---- streaming

    @Test
    void stream_findsAwsKeySplitAcrossChunksAtEveryPosition() {
        String text = "log: starting\nexport AWS_ACCESS_KEY_ID=" + awsKey() + " # prod\ndone\n";
        String expected = redactor.redact(text);
        for (int split = 0; split <= text.length(); split++) {
            StreamRedactor s = redactor.newStream();
            String out = s.accept(text.substring(0, split)) + s.accept(text.substring(split)) + s.finish();
            assertSameText(out, expected, "split at " + split);
        }
    }

    @Test
    void stream_findsKnownSecretWithLineBreakSplitAcrossChunks() {
        KnownSecrets known = KnownSecrets.create();
        byte[] value = ("line-one-" + random(8, ALNUM) + "\nline-two-" + random(8, ALNUM)).getBytes(StandardCharsets.UTF_8);
        known.add(value);
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String text = "before\n" + new String(value, StandardCharsets.UTF_8) + "\nafter\n";
        for (int split = 0; split <= text.length(); split++) {
            StreamRedactor s = r.newStream();
            String first = s.accept(text.substring(0, split));
            String out = first + s.accept(text.substring(split)) + s.finish();
            assertSameText(out, "before\n[REDACTED:known-secret]\nafter\n", "split at " + split);
            assertAbsent(first, "line-one-", "split at " + split);
        }
    }

    @Test
    void stream_equalsWholeTextRedactionForRandomChunkings() {
        Redactor r = Redactor.create(RedactionConfig.defaults().withAllPii());
        String text = QualityCorpus.mixedDocument(new Random(7), 400);
        String expected = r.redact(text);
        Random rnd = new Random(11);
        for (int round = 0; round < 20; round++) {
            StreamRedactor s = r.newStream();
            StringBuilder out = new StringBuilder();
            int pos = 0;
            while (pos < text.length()) {
                int n = Math.min(text.length() - pos, 1 + rnd.nextInt(round % 2 == 0 ? 16 : 4096));
                out.append(s.accept(text.substring(pos, pos + n)));
                pos += n;
            }
            out.append(s.finish());
            assertSameText(out.toString(), expected, "round " + round);
        }
    }

    @Test
    void stream_releasesCompleteLinesButHoldsAnUnterminatedPrivateKey() {
        StreamRedactor s = redactor.newStream();
        assertThat(s.accept("hello\nwor")).isEqualTo("hello\n");
        assertThat(s.accept("ld\n-----BEGIN OPENSSH PRIVATE KEY-----\n")).isEqualTo("world\n");
        assertSameText(s.accept(random(70, ALNUM) + "\n"), "", "key body");
        assertSameText(s.accept("-----END OPENSSH PRIVATE KEY-----\nbye\n"), "[REDACTED:private-key]\nbye\n", "key end");
        assertThat(s.finish()).isEmpty();
    }

    @Test
    void stream_truncatedPrivateKeyIsHiddenToTheEnd() {
        StreamRedactor s = redactor.newStream();
        String out = s.accept("x\n-----BEGIN RSA PRIVATE KEY-----\n" + random(64, ALNUM) + "\n") + s.finish();
        assertSameText(out, "x\n[REDACTED:private-key]", "truncated key");
    }

    @Test
    void wrapOutputStream_redactsUtf8SplitAcrossWrites() throws Exception {
        String key = awsKey();
        byte[] bytes = ("héllo ✓ " + key + " ✓\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = redactor.wrap(sink)) {
            for (byte b : bytes) {
                out.write(b);
            }
        }
        assertSameText(sink.toString(StandardCharsets.UTF_8), "héllo ✓ [REDACTED:aws-access-key] ✓\n", "byte stream");
    }

    @Test
    void wrapWriter_and_redactReaderWriter_matchStringRedaction() throws Exception {
        String text = QualityCorpus.mixedDocument(new Random(3), 200);
        StringWriter a = new StringWriter();
        try (Writer w = redactor.wrap(a)) {
            w.write(text);
        }
        StringWriter b = new StringWriter();
        redactor.redact(new StringReader(text), b);
        assertSameText(a.toString(), redactor.redact(text), "writer");
        assertSameText(b.toString(), redactor.redact(text), "reader to writer");
    }

    // ---- linear time. The timeout is only a safety net against super-linear behaviour: these machines
    // are shared and heavily loaded, so speed itself is measured by RedactBenchmark, not here.

    @Test
    void redact_oneMegabyteSingleLineAndAdversarialInputsFinishQuickly() {
        Redactor all = Redactor.create(RedactionConfig.defaults().withAllPii());
        Map<String, String> inputs = Map.ofEntries(
                Map.entry("mixed single line", QualityCorpus.mixedDocument(new Random(5), 20_000).replace('\n', ' ')),
                Map.entry("password assignments", "password=\"a".repeat(100_000)),
                Map.entry("keyword storm", "AKIAghp_eyJsk-ant-xoxb-://@Q~:AA".repeat(35_000)),
                Map.entry("open key blocks", "-----BEGIN RSA PRIVATE KEY-----".repeat(35_000)),
                Map.entry("digits and separators", "4111 1111-".repeat(100_000)),
                Map.entry("colons", "a1:".repeat(350_000)),
                Map.entry("dots", "1.2.".repeat(250_000)),
                Map.entry("at signs", "a@b.".repeat(250_000)),
                Map.entry("jwt-like", ("eyJ" + "A".repeat(100) + ".").repeat(10_000)),
                Map.entry("iban-like", "DE12 ".repeat(200_000)),
                Map.entry("url userinfo", "http://a:b".repeat(100_000)));
        inputs.forEach((name, text) -> {
            assertThat(text.length()).as(name).isGreaterThanOrEqualTo(900_000);
            long t0 = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> all.redact(text), name);
            System.out.printf("%-22s %7d chars %5d ms%n", name, text.length(), (System.nanoTime() - t0) / 1_000_000);
        });
    }
}
