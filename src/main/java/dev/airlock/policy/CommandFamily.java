package dev.airlock.policy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One family of commands (file tools, archive tools, network tools, interpreters, git…): the names it
 * knows, each with the code that classifies it. Adding a form is one entry in a family's table and one
 * line in a corpus under {@code src/test/resources/policy/}.
 *
 * <p>A family only ever makes a command look more dangerous than {@link CommandClass#UNKNOWN} or explains
 * it (read-only with these file reads); a name no family knows is unknown, which leads to a question.
 */
interface CommandFamily {
    /** Classifies one unwrapped simple command whose name the family claimed. */
    @FunctionalInterface
    interface Handler {
        void classify(Emitter e, String name, List<Word> args);
    }

    /** The names this family classifies by exact match. */
    Map<String, Handler> handlers();

    /** A handler for names recognised by their shape ({@code mkfs.ext4}, {@code python3.12}), if any. */
    default @Nullable Handler byShape(String name) {
        return null;
    }

    /** Maps every name in {@code names} to {@code h}. */
    static void all(Map<String, Handler> table, java.util.Collection<String> names, Handler h) {
        for (String n : names) {
            table.putIfAbsent(n, h);
        }
    }
}
