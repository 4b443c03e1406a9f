package dev.airlock.redact;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions whose failure messages never print the texts compared: those texts hold (synthetic)
 * secrets, and a failing build log is exactly the kind of output the redactor exists to protect.
 * They report offsets and lengths instead.
 */
final class Leakless {
    private Leakless() {}

    static void assertSameText(String actual, String expected, String what) {
        if (actual.equals(expected)) {
            return;
        }
        int i = 0;
        while (i < actual.length() && i < expected.length() && actual.charAt(i) == expected.charAt(i)) {
            i++;
        }
        fail(what + ": texts differ from offset " + i + " (actual length " + actual.length() + ", expected "
                + expected.length() + ")");
    }

    static void assertAbsent(String text, String value, String what) {
        int at = text.indexOf(value);
        if (at >= 0) {
            fail(what + ": value of length " + value.length() + " survives at offset " + at);
        }
    }

    static void assertPresent(String text, String marker, String what) {
        if (!text.contains(marker)) {
            fail(what + ": expected marker " + marker + " is missing");
        }
    }
}
