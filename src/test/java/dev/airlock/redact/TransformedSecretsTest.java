package dev.airlock.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Known secrets put through the transforms a read-only command can apply ({@code rev}, {@code tr},
 * {@code cut}, {@code xxd -p}, {@code base64}) and cut into pieces, from
 * {@code src/test/resources/redact/transforms.txt}: one dynamic test per case, each over every secret
 * of the file, with a redactor holding that secret alone (dense automaton) and one holding all of them
 * (the sparse walk). Failure messages give lengths and offsets, never a value.
 */
class TransformedSecretsTest {
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Printable ASCII symbols, without the quote and backslash that JSON would escape. */
    static final String SYMBOLS = ALNUM + "!#$%&()*+,-./:;<=>?@[]^_{|}~";

    record Spec(int count, int length, String alphabet) {}

    record Case(int line, String transform, String pieces, String wrapper) {
        String name() {
            return "transforms.txt:" + line + " " + transform + " of " + pieces + " in " + wrapper + " is redacted";
        }
    }

    static final List<Spec> SPECS = new ArrayList<>();
    static final List<Case> CASES = new ArrayList<>();
    static final List<String> SECRETS = new ArrayList<>();
    static final List<Redactor> SINGLE = new ArrayList<>();
    static Redactor all;

    static synchronized void load() throws IOException {
        if (!SECRETS.isEmpty()) {
            return;
        }
        try (InputStream in = TransformedSecretsTest.class.getResourceAsStream("/redact/transforms.txt")) {
            if (in == null) {
                throw new IOException("missing test resource redact/transforms.txt");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\t");
                if (f[0].equals("secret")) {
                    String[] p = f[1].split(" ");
                    SPECS.add(new Spec(Integer.parseInt(p[0]), Integer.parseInt(p[1]), alphabet(p[2])));
                } else {
                    CASES.add(new Case(i + 1, f[1], f[2], f[3]));
                }
            }
        }
        Random rnd = new Random(20261203);
        KnownSecrets everything = KnownSecrets.create();
        for (Spec s : SPECS) {
            for (int k = 0; k < s.count(); k++) {
                String v = random(rnd, s.length(), s.alphabet());
                SECRETS.add(v);
                KnownSecrets one = KnownSecrets.create();
                one.add(v.toCharArray());
                assertThat(one.fragmentShape()[1]).as("a single secret of %d chars compiles dense", v.length()).isEqualTo(1);
                SINGLE.add(Redactor.create(RedactionConfig.defaults(), one));
                everything.add(v.toCharArray());
            }
        }
        all = Redactor.create(RedactionConfig.defaults(), everything);
    }

    static String alphabet(String name) {
        return switch (name) {
            case "alnum" -> ALNUM;
            case "symbols" -> SYMBOLS;
            case "lower" -> "abcdefghijklmnopqrstuvwxyz";
            case "hex" -> "0123456789abcdef";
            default -> throw new IllegalArgumentException("alphabet " + name);
        };
    }

    static String random(Random rnd, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> transformedPieces_neverSurviveInAnyForm() throws IOException {
        load();
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private static void run(Case c) throws IOException {
        int applied = 0;
        for (int i = 0; i < SECRETS.size(); i++) {
            String secret = SECRETS.get(i);
            List<String> pieces = pieces(secret, c.pieces());
            if (pieces.isEmpty()) {
                continue;
            }
            applied++;
            List<String> shown = new ArrayList<>();
            for (String p : pieces) {
                shown.add(transform(p, c.transform()));
            }
            String text = wrap(shown, c.wrapper());
            String where = c.name() + ", secret #" + i + " (" + secret.length() + " chars)";
            for (Redactor r : List.of(SINGLE.get(i), all)) {
                String out = redact(r, text, c.wrapper());
                assertNoPiece(out, secret, shown, c.transform(), where + (r == all ? " [all secrets]" : " [alone]"));
            }
        }
        assertThat(applied).as("%s applies to some secret", c.name()).isPositive();
    }

    /** The parts a command would print; empty when a part would fall under the threshold. */
    static List<String> pieces(String s, String kind) {
        int n = s.length();
        int t = KnownSecrets.fragmentThreshold(n);
        List<String> out = new ArrayList<>();
        switch (kind) {
            case "whole" -> out.add(s);
            case "halves" -> {
                out.add(s.substring(0, n / 2));
                out.add(s.substring(n / 2));
            }
            case "thirds" -> {
                out.add(s.substring(0, n / 3));
                out.add(s.substring(n / 3, 2 * n / 3));
                out.add(s.substring(2 * n / 3));
            }
            case "windows" -> {
                for (int i = 0; i + t <= n; i++) {
                    out.add(s.substring(i, i + t));
                }
            }
            case "head" -> out.add(s.substring(0, t));
            case "tail" -> out.add(s.substring(n - t));
            case "middle" -> out.add(s.substring((n - t) / 2, (n - t) / 2 + t));
            default -> throw new IllegalArgumentException("pieces " + kind);
        }
        for (String p : out) {
            if (p.length() < t) {
                return List.of();
            }
        }
        return out;
    }

    static String transform(String s, String name) {
        String r = s;
        for (String step : name.split("\\+")) {
            r = switch (step) {
                case "identity" -> r;
                case "reverse" -> new StringBuilder(r).reverse().toString();
                case "rot13" -> rot13(r);
                case "rot47" -> rot47(r);
                case "swapcase" -> swapcase(r);
                case "upper" -> r.toUpperCase(Locale.ROOT);
                case "lower" -> r.toLowerCase(Locale.ROOT);
                case "hex" -> HexFormat.of().formatHex(r.getBytes(StandardCharsets.UTF_8));
                case "base64" -> Base64.getEncoder().encodeToString(r.getBytes(StandardCharsets.UTF_8));
                case "spaced" -> r.replaceAll("(.)", "$1 ");
                case "xxd" -> HexFormat.of().formatHex(r.getBytes(StandardCharsets.UTF_8)).replaceAll("(.{4})", "$1 ").trim();
                case "od" -> HexFormat.ofDelimiter(" ").formatHex(r.getBytes(StandardCharsets.UTF_8));
                case "xxd-p" -> HexFormat.of().formatHex(r.getBytes(StandardCharsets.UTF_8)).replaceAll("(.{60})", "$1\n").trim();
                case "base64-wrap" -> Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.UTF_8))
                        .encodeToString(r.getBytes(StandardCharsets.UTF_8));
                default -> throw new IllegalArgumentException("transform " + step);
            };
        }
        return r;
    }

    static String rot13(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                b.append((char) ('a' + (c - 'a' + 13) % 26));
            } else if (c >= 'A' && c <= 'Z') {
                b.append((char) ('A' + (c - 'A' + 13) % 26));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String rot47(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= '!' && c <= '~' ? (char) ('!' + (c - '!' + 47) % 94) : c);
        }
        return b.toString();
    }

    static String swapcase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }

    static String wrap(List<String> shown, String wrapper) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shown.size(); i++) {
            String p = shown.get(i);
            switch (wrapper) {
                case "prose" -> b.append("The command printed ").append(p).append(" and then exited.\n");
                case "shell" -> b.append("$ cut -c").append(i + 1).append("- secret.txt\n").append(p).append("\n$ echo done\ndone\n");
                case "json" -> b.append("{\"tool\":\"exec\",\"stdout\":\"").append(p).append("\\n\",\"exit\":0}\n");
                case "lines", "stream-lines", "stream-bytes" -> b.append(p).append('\n');
                case "env" -> b.append("PART_").append(i).append('=').append(p).append('\n');
                case "table" -> b.append("| ").append(i).append(" | ").append(p).append(" | ok |\n");
                case "crlf" -> b.append(p).append("\r\n");
                case "ansi" -> b.append("\u001b[1;3").append(i % 8).append('m').append(p).append("\u001b[0m\n");
                default -> throw new IllegalArgumentException("wrapper " + wrapper);
            }
        }
        return b.toString();
    }

    static String redact(Redactor r, String text, String wrapper) throws IOException {
        switch (wrapper) {
            case "stream-bytes" -> {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                try (OutputStream out = r.wrap(sink)) {
                    for (int pos = 0; pos < bytes.length; pos += 7) {
                        out.write(bytes, pos, Math.min(7, bytes.length - pos));
                    }
                }
                return sink.toString(StandardCharsets.UTF_8);
            }
            case "stream-lines" -> {
                StreamRedactor s = r.newStream();
                StringBuilder out = new StringBuilder();
                for (String line : text.split("(?<=\n)")) {
                    int half = line.length() / 2;
                    out.append(s.accept(line.substring(0, half)));
                    out.append(s.accept(line.substring(half)));
                }
                return out.append(s.finish()).toString();
            }
            default -> {
                return r.redact(text);
            }
        }
    }

    /**
     * Nothing of the secret at or above its threshold remains: no window of the secret, its reverse,
     * its rot13 or the reverse of that, in any case; for encoded transforms, no run of the encoded
     * piece as long as the encoded threshold.
     */
    static void assertNoPiece(String out, String secret, List<String> shown, String transform, String where) {
        int t = KnownSecrets.fragmentThreshold(secret.length());
        // Blanks are dropped first, so a piece spaced out or in hex groups counts as surviving too.
        String lower = out.replace(" ", "").toLowerCase(Locale.ROOT);
        String joined = out.replace(" ", "").replace("\n", "");
        String folded = secret.toLowerCase(Locale.ROOT);
        String r47 = rot47(secret).toLowerCase(Locale.ROOT);
        for (String form : List.of(folded, new StringBuilder(folded).reverse().toString(), rot13(folded),
                new StringBuilder(rot13(folded)).reverse().toString(), r47, new StringBuilder(r47).reverse().toString())) {
            for (int i = 0; i + t <= form.length(); i++) {
                int at = lower.indexOf(form.substring(i, i + t));
                if (at >= 0) {
                    fail(where + ": " + t + " chars of the secret (form offset " + i + ") survive at output offset " + at);
                }
            }
        }
        if (transform.endsWith("hex") || transform.startsWith("base64") || transform.contains("xxd") || transform.endsWith("od")) {
            // Wrapped encodings: joined lines must not hold any threshold-long run of the encoding.
            int et = transform.startsWith("base64") ? 4 * t / 3 : 2 * t;
            for (String shownPiece : shown) {
                String p = shownPiece.replace(" ", "").replace("\n", "");
                for (int i = 0; i + et <= p.length(); i++) {
                    int at = joined.indexOf(p.substring(i, i + et));
                    if (at >= 0) {
                        fail(where + ": " + et + " encoded chars (offset " + i + ") survive at output offset " + at);
                    }
                }
            }
        }
    }

    /**
     * Clean text stays as it was with many known secrets loaded, short ones included: JDK source and
     * this project's documentation, redacted with the pieces of 60 values of 8 to 64 chars.
     */
    @Test
    void clean_sourceAndDocsAreUnchangedWithManyKnownSecrets() throws IOException {
        assumeTrue(Files.isRegularFile(QualityCorpus.jdkSources()), "this JDK ships no lib/src.zip");
        Random rnd = new Random(77);
        KnownSecrets known = KnownSecrets.create();
        int[] lengths = {8, 8, 10, 12, 16, 20, 24, 32, 40, 64};
        for (int i = 0; i < 60; i++) {
            known.add(random(rnd, lengths[i % lengths.length], i % 2 == 0 ? ALNUM : SYMBOLS).toCharArray());
        }
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        List<String> texts = new ArrayList<>(QualityCorpus.jdkSourceFiles(200_000));
        Path docs = Path.of("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> md = Files.list(docs)) {
                for (Path p : md.filter(p -> p.toString().endsWith(".md")).toList()) {
                    texts.add(Files.readString(p));
                }
            }
        }
        long lines = 0;
        long pieces = 0;
        for (String t : texts) {
            lines += t.chars().filter(ch -> ch == '\n').count();
            pieces += r.scan(t).stream().filter(f -> f.type().equals("known-secret")).count();
        }
        assertThat(lines).isGreaterThan(100_000);
        assertThat(pieces).as("known-secret findings in %d clean lines", lines).isZero();
    }

    /**
     * The gram prefilter only skips text: on random text made of the values' own chars, with pieces
     * and transformed pieces planted at random, it reports exactly the runs a walk over every char does.
     */
    @Test
    void prefilter_reportsExactlyTheRunsOfAFullWalk() {
        Random rnd = new Random(404);
        for (int round = 0; round < 300; round++) {
            KnownSecrets known = KnownSecrets.create();
            List<String> values = new ArrayList<>();
            String alphabet = round % 3 == 0 ? "abcdef0123" : round % 3 == 1 ? ALNUM : SYMBOLS;
            for (int v = 0; v < 1 + rnd.nextInt(6); v++) {
                String value = random(rnd, 6 + rnd.nextInt(60), alphabet);
                values.add(value);
                known.add(value.toCharArray());
            }
            StringBuilder text = new StringBuilder();
            while (text.length() < 2000) {
                if (rnd.nextInt(4) == 0) {
                    String v = values.get(rnd.nextInt(values.size()));
                    int a = rnd.nextInt(v.length());
                    int b = a + rnd.nextInt(v.length() - a + 1);
                    String[] ts = {"identity", "reverse", "rot13", "swapcase", "hex", "base64"};
                    text.append(transform(v.substring(a, b), ts[rnd.nextInt(ts.length)]));
                } else {
                    text.append(random(rnd, 1 + rnd.nextInt(12), rnd.nextBoolean() ? alphabet : alphabet + " \n\t=:"));
                }
            }
            List<List<Integer>> runs = known.fragmentRuns(text.toString().toCharArray());
            assertThat(runs.get(0)).as("round %d: filtered runs equal the full walk's", round).isEqualTo(runs.get(1));
        }
    }

    @Test
    void sparseWalk_findsTheSamePiecesAsTheDenseTable() {
        Random rnd = new Random(31);
        KnownSecrets many = KnownSecrets.create();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String v = random(rnd, 200, SYMBOLS);
            values.add(v);
            many.add(v.toCharArray());
        }
        assertThat(many.fragmentShape()[1]).as("40 values of 200 chars overflow the dense table").isZero();
        Redactor r = Redactor.create(RedactionConfig.defaults(), many);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            List<String> shown = new ArrayList<>();
            for (String transform : List.of("identity", "reverse", "rot13", "swapcase", "reverse+rot13", "hex", "base64")) {
                shown.add(transform(v.substring(i, i + 30), transform));
            }
            String out = r.redact(wrap(shown, "prose"));
            assertNoPiece(out, v, shown, "identity", "sparse, value #" + i);
        }
    }

    @Test
    void stream_releasesOrdinaryLinesAtOnceAndHoldsALineEndingInsideAPiece() throws IOException {
        load();
        StreamRedactor s = all.newStream();
        Leakless.assertSameText(s.accept("build ok: 42 tests, 0 failures\n"), "build ok: 42 tests, 0 failures\n",
                "an ordinary line passes at once");
        String secret = SECRETS.stream().filter(v -> v.length() == 64).findFirst().orElseThrow();
        String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
        String first = s.accept(hex.substring(0, 60) + "\n");
        Leakless.assertAbsent(first, hex.substring(0, 24), "first wrapped line");
        String rest = s.accept(hex.substring(60, 80) + "\nnext\n") + s.finish();
        Leakless.assertAbsent(first + rest, hex.substring(60, 80), "short last line of the wrapped hex");
        Leakless.assertPresent(first + rest, "next\n", "text after it");
    }

    @Test
    void nonAsciiValue_whoseUrlEncodingOutgrowsTheIndexIsStillAcceptedAndMatched() {
        KnownSecrets known = KnownSecrets.create();
        String value = "\u00e9\u4e2d\u00fc".repeat(700);
        assertThat(known.add(value.toCharArray())).isTrue();
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        Leakless.assertSameText(r.redact("x " + value.substring(30, 60) + " y"), "x [REDACTED:known-secret] y", "piece");
        Leakless.assertSameText(r.redact("x " + value + " y"), "x [REDACTED:known-secret] y", "whole");
    }

    @Test
    void fragmentThreshold_isHalfTheValueBetweenTheFloorAndTwelve() {
        assertThat(KnownSecrets.fragmentThreshold(6)).isEqualTo(6);
        assertThat(KnownSecrets.fragmentThreshold(8)).isEqualTo(6);
        assertThat(KnownSecrets.fragmentThreshold(13)).isEqualTo(7);
        assertThat(KnownSecrets.fragmentThreshold(20)).isEqualTo(10);
        assertThat(KnownSecrets.fragmentThreshold(24)).isEqualTo(12);
        assertThat(KnownSecrets.fragmentThreshold(1 << 20)).isEqualTo(12);
    }

    @Test
    void fragment_redactsTheWholeMaximalRunNotJustTwelveChars() throws IOException {
        load();
        String secret = SECRETS.stream().filter(s -> s.length() == 64).findFirst().orElseThrow();
        KnownSecrets known = KnownSecrets.create();
        known.add(secret.toCharArray());
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String piece = secret.substring(5, 50);
        Leakless.assertSameText(r.redact("got <" + piece + "> here"), "got <[REDACTED:known-secret]> here", "45-char piece");
        Leakless.assertSameText(r.redact("got <" + swapcase(rot13(new StringBuilder(piece).reverse().toString())) + ">"),
                "got <[REDACTED:known-secret]>", "reversed rot13 swapped piece");
    }

    @Test
    void fragment_underTheThresholdIsLeftAlone() throws IOException {
        load();
        String secret = SECRETS.stream().filter(s -> s.length() == 40).findFirst().orElseThrow();
        KnownSecrets known = KnownSecrets.create();
        known.add(secret.toCharArray());
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String text = "short piece " + secret.substring(3, 14) + " stays";
        Leakless.assertSameText(r.redact(text), text, "11 chars of a 40-char value");
    }

    @Test
    void fragmentIndex_isBoundedForALongValue() {
        // 64 KiB, not 1 MiB: the whole-value automaton (not this index) still grows with the value.
        Random rnd = new Random(18);
        KnownSecrets known = KnownSecrets.create();
        char[] big = random(rnd, 1 << 16, ALNUM).toCharArray();
        known.add(big);
        int[] shape = known.fragmentShape();
        // At most two states per indexed char of the prefix forms (6 text + 2 hex + 4 base64 lengths).
        assertThat(shape[0]).isLessThanOrEqualTo(24 * KnownSecrets.FRAGMENT_CHARS + 1);
        Redactor r = Redactor.create(RedactionConfig.defaults(), known);
        String head = new String(big, 100, 40);
        String beyond = new String(big, 50_000, 40);
        assertThat(r.redact("a " + head + " b")).isEqualTo("a [REDACTED:known-secret] b");
        // Pieces beyond the indexed prefix are the documented limit.
        assertThat(r.redact("a " + beyond + " b")).isEqualTo("a " + beyond + " b");
    }
}
