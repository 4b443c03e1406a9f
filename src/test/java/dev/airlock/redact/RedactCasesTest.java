package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the detector vectors in {@code src/test/resources/redact/*.txt}: one dynamic test per line.
 * Failure messages name the file, line and types, never the sample value.
 */
class RedactCasesTest {
    static final char OPEN = '\u27e6';
    static final char CLOSE = '\u27e7';

    /** One vector: what to scan, and the span (or none) that must be redacted. */
    record Case(String file, int line, String expected, String text, int start, int end) {
        String name() {
            return file + ":" + line + " " + (expected.equals("none") ? "is not redacted" : "is redacted as " + expected);
        }
    }

    @TestFactory
    Stream<DynamicTest> credentials_matchVectors() throws IOException {
        return run("credentials.txt", Redactor.create(RedactionConfig.defaults()));
    }

    @TestFactory
    Stream<DynamicTest> privateKeys_matchVectors() throws IOException {
        return run("keys.txt", Redactor.create(RedactionConfig.defaults()));
    }

    @TestFactory
    Stream<DynamicTest> personalData_matchVectorsWithEverySwitchOn() throws IOException {
        return run("pii.txt", Redactor.create(RedactionConfig.defaults().withAllPii()));
    }

    @TestFactory
    Stream<DynamicTest> nearMisses_areNeverRedactedEvenWithEverySwitchOn() throws IOException {
        return run("nearmiss.txt", Redactor.create(RedactionConfig.defaults().withAllPii()));
    }

    private static Stream<DynamicTest> run(String file, Redactor redactor) throws IOException {
        return load(file).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, redactor)));
    }

    private static void check(Case c, Redactor redactor) {
        List<Finding> findings = redactor.scan(c.text());
        List<String> types = findings.stream().map(Finding::type).toList();
        if (c.expected().equals("none")) {
            assertThat(findings).as("%s:%d expected no finding, got %s", c.file(), c.line(), types).isEmpty();
            assertThat(redactor.redact(c.text()) == c.text()).as("%s:%d text unchanged", c.file(), c.line()).isTrue();
            return;
        }
        assertThat(findings)
                .as("%s:%d expected one %s finding at offset %d length %d, got %s", c.file(), c.line(), c.expected(),
                        c.start(), c.end() - c.start(),
                        findings.stream().map(f -> f.type() + "@" + f.offset() + "+" + f.length()).toList())
                .containsExactly(new Finding(c.expected(), lineOf(c.text(), c.start()), columnOf(c.text(), c.start()),
                        c.start(), c.end() - c.start()));
        String secret = c.text().substring(c.start(), c.end());
        String redacted = redactor.redact(c.text());
        assertThat(redacted.contains(secret)).as("%s:%d secret survives redaction", c.file(), c.line()).isFalse();
        assertThat(redacted.contains("[REDACTED:" + c.expected() + "]")).as("%s:%d replacement label", c.file(), c.line()).isTrue();
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static int columnOf(String text, int offset) {
        return offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1;
    }

    static List<Case> load(String file) throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = RedactCasesTest.class.getResourceAsStream("/redact/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource redact/" + file);
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                int tab = l.indexOf('\t');
                String expected = l.substring(0, tab);
                String raw = unescape(l.substring(tab + 1));
                int open = raw.indexOf(OPEN);
                int close = raw.indexOf(CLOSE);
                String text = raw.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
                int start = open < 0 ? -1 : open;
                int end = close < 0 ? -1 : close - 1;
                if (expected.equals("none") != (open < 0)) {
                    throw new IOException(file + ":" + (i + 1) + ": marked span and expected type disagree");
                }
                cases.add(new Case(file, i + 1, expected, text, start, end));
            }
        }
        return cases;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case '\\' -> b.append('\\');
                    default -> b.append('\\').append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
