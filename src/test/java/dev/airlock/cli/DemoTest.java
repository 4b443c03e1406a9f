package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock demo} is the front door: it must run to the end, every step with its expected exit. */
class DemoTest {
    @TempDir
    Path temp;

    @Test
    void demo_runsEveryStepAndLeavesNothingBehind() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("HOME", temp.toString(), "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), env, new ByteArrayInputStream(new byte[0]), "demo");
        assertThat(code).as(out + "\n" + err).isZero();
        String transcript = out.toString();
        assertThat(transcript).contains("== 10. Done", "releases/old still there: false; releases/1.5 kept: true", "gate approve: granted by user",
                "requests whose conversation held the key: 0", "[denied] denied by policy: sh:", "build/ still there: true", "raw, base64, hex and URL-encoded: 0 hits",
                "BROKEN [row-edited]", "BROKEN [tail-truncated]", "BROKEN [rows-uncovered]", "BROKEN [checkpoint-file-missing]",
                "hook planted: false; .env unchanged: true", "the sandbox kept .env from the approved command",
                "connections that reached 127.0.0.2: 0", "egress.connect",
                "\nkey=[REDACTED:aws-access-key]\n");
        // The "$ airlock exec …" line echoes what was typed; what the command printed is redacted.
        assertThat(transcript.lines().filter(l -> l.contains("AKIAZ7Q3XK2LMN4PQR5T")).allMatch(l -> l.startsWith("$ "))).isTrue();
    }
}
