package dev.airlock.sandbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** One dynamic test per line of {@code sandbox/variable-names.txt}. */
class VariableNamesTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> variable_acceptsOrRefusesEachNameAsTheCorpusSays() throws IOException {
        List<String> lines;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/sandbox/variable-names.txt"))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        return lines.stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> {
                    String[] parts = l.split("\\s+", 2);
                    String expected = parts[0];
                    String name = parts[1];
                    return DynamicTest.dynamicTest(expected + " " + name, () -> {
                        SandboxSpec.Builder b = SandboxSpec.builder(dir);
                        switch (expected) {
                            case "accept" -> assertThatCode(() -> b.variable(name, "v")).doesNotThrowAnyException();
                            case "refuse" -> assertThatThrownBy(() -> b.variable(name, "v"))
                                    .isInstanceOf(SandboxException.class);
                            default -> throw new IllegalStateException("Unknown expectation in corpus: " + l);
                        }
                    });
                });
    }
}
