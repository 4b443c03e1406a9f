package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One unique secret is set in the vault and then pushed through every output path that exists:
 * command output (raw, base64, hex), command lines recorded in the audit log, error messages,
 * the log file, audit tail/show and every export format. Afterwards no file under the home or the
 * export folder, and no captured output, contains it raw, base64 (any alignment), hex or URL-encoded.
 */
class LeakThroughEveryPathTest {
    @TempDir
    Path temp;

    @Test
    void vaultSecret_neverAppearsInAnyFileOrOutput() throws IOException {
        String secret = "zq8/" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "+Kx";
        CliRunner cli = CliRunner.in(temp);
        // The config folder is hidden from commands, so it must not contain the workspace.
        cli.env("AIRLOCK_CONFIG", temp.resolve("cfg/config.yaml").toString());
        Files.createDirectories(cli.configFile().getParent());
        Files.writeString(cli.configFile(), "vault: {memory_kib: 19456, iterations: 2, parallelism: 1}\nlogging: {level: debug}\n");
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path exports = Files.createDirectories(temp.resolve("exports"));
        List<CliRunner.Result> outputs = new ArrayList<>();

        outputs.add(cli.ok("init"));
        outputs.add(cli.runWithInput(secret + "\n", "secrets", "set", "LEAK_TEST", "--stdin"));
        assertThat(outputs.get(1).code()).isZero();
        outputs.add(cli.ok("secrets", "list"));
        outputs.add(cli.ok("secrets", "get", "LEAK_TEST"));
        // Command output, raw and encoded by the command itself, with the secret in the command line too.
        outputs.add(cli.run("exec", "--yes", "--workspace", ws.toString(), "--",
                "echo '" + secret + "'; printf %s '" + secret + "' | base64; printf %s '" + secret + "' | od -An -tx1 | tr -d ' \\n'; echo"));
        assertThat(outputs.get(outputs.size() - 1).code()).as(outputs.get(outputs.size() - 1).err()).isZero();
        // A denied line and an asked-and-refused line carrying the secret: both end in error messages and audit rows.
        outputs.add(cli.run("exec", "--yes", "--workspace", ws.toString(), "--", "cat ~/.ssh/" + secret));
        outputs.add(cli.run("exec", "--non-interactive", "--workspace", ws.toString(), "--", "rm -r " + secret));
        outputs.add(cli.run("--debug", "secrets", "get", "NO_SUCH_" + "NAME", "--reveal"));
        outputs.add(cli.ok("audit", "tail", "-n", "50"));
        outputs.add(cli.ok("--json", "audit", "tail", "-n", "50"));
        for (int seq = 1; seq <= 12; seq++) {
            outputs.add(cli.run("audit", "show", String.valueOf(seq)));
        }
        for (String format : List.of("jsonl", "splunk-hec", "datadog", "sumo", "ocsf", "cef")) {
            outputs.add(cli.ok("audit", "export", "--format", format, "--out", exports.resolve(format + ".out").toString()));
            outputs.add(cli.ok("audit", "export", "--format", format));
        }
        outputs.add(cli.ok("audit", "verify"));

        List<byte[]> needles = encodings(secret);
        Map<String, Integer> hits = new LinkedHashMap<>();
        try (Stream<Path> files = Stream.concat(Files.walk(cli.home()), Files.walk(exports))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                for (int i = 0; i < needles.size(); i++) {
                    if (contains(content, needles.get(i))) {
                        hits.merge(temp.relativize(f) + " (encoding " + i + ")", 1, Integer::sum);
                    }
                }
            }
        }
        for (int o = 0; o < outputs.size(); o++) {
            byte[] text = (outputs.get(o).out() + outputs.get(o).err()).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < needles.size(); i++) {
                if (contains(text, needles.get(i))) {
                    hits.merge("output of step " + o + " (encoding " + i + ")", 1, Integer::sum);
                }
            }
        }
        // The secret was really there to leak: the exec output was redacted, not empty.
        assertThat(outputs.get(4).out()).contains("[REDACTED:");
        assertThat(hits).as("places where the secret leaked (the value itself is never printed)").isEmpty();
    }

    /** Raw, URL-encoded, lower and upper hex, and base64 (standard, URL-safe) at all three alignments. */
    private static List<byte[]> encodings(String secret) {
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(HexFormat.of().formatHex(raw));
        forms.add(HexFormat.of().withUpperCase().formatHex(raw));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
                String b = enc.encodeToString(shifted);
                // Keep only the characters determined by the secret's bytes alone.
                int from = shift == 0 ? 0 : 4;
                int to = b.length() - 4;
                forms.add(b.substring(from, to));
            }
        }
        return forms.stream().map(f -> f.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
