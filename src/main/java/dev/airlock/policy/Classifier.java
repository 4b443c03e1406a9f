package dev.airlock.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies one unwrapped simple command by its name and arguments, through the {@link CommandFamily}
 * tables (system, file, archive, network, interpreter, git, database and infrastructure tools).
 * Commands no family knows are {@link CommandClass#UNKNOWN}: the tables only ever make a command look
 * more dangerous than unknown (destructive, privileged) or explain it (read-only with these file
 * reads), so a gap in a table leads to a question, never to a silent allow.
 */
final class Classifier {
    private Classifier() {
    }

    /** A set that tolerates repeated elements (the tables are easier to read unsorted). */
    static Set<String> set(String... items) {
        return Set.copyOf(java.util.Arrays.asList(items));
    }

    /** Every known name and its handler; where two families know a name, the earlier table wins. Built on
     * first use, so that the families may use the helpers here while the tables are built. */
    private static final class Table {
        static final Map<String, CommandFamily.Handler> TABLE = table();
        static final List<CommandFamily> BY_SHAPE = List.of(new SystemTools(), new Interpreters());
    }

    private static Map<String, CommandFamily.Handler> table() {
        Map<String, CommandFamily.Handler> t = new HashMap<>();
        List<Map<String, CommandFamily.Handler>> inOrder = List.of(
                SystemTools.first(),
                new FileTools().handlers(),
                new Interpreters().handlers(),
                new ArchiveTools().handlers(),
                new NetworkTools().handlers(),
                new Git().handlers(),
                new DatabaseTools().handlers(),
                new InfraTools().handlers(),
                new SystemTools().handlers(),
                NetworkTools.clients(),
                SystemTools.packages(),
                InfraTools.buildTools());
        for (Map<String, CommandFamily.Handler> m : inOrder) {
            m.forEach(t::putIfAbsent);
        }
        return Map.copyOf(t);
    }

    static void classify(Emitter e, String name, List<Word> args) {
        CommandFamily.Handler h = Table.TABLE.get(name);
        if (h == null) {
            for (CommandFamily f : Table.BY_SHAPE) {
                h = f.byShape(name);
                if (h != null) {
                    break;
                }
            }
        }
        if (h == null) {
            e.unknown(name + " is not a command the policy knows");
            fileUrls(e, args);
            return;
        }
        h.classify(e, name, args);
        fileUrls(e, args);
    }

    /**
     * A {@code file:} URL handed to a tool that fetches URLs, or to code the analysis cannot see into
     * ({@code python3 -c "urlopen('file:///etc/shadow')"}), reads that file.
     */
    static void fileUrls(Emitter e, List<Word> args) {
        if (!e.hasClass(CommandClass.NETWORK) && !e.hasClass(CommandClass.UNKNOWN)) {
            return;
        }
        for (Word a : args) {
            if (!a.literal() || !FileUrls.mentionsFileUrl(a.text())) {
                continue;
            }
            fileUrlsIn(e, a.text());
        }
    }

    static void fileUrlsIn(Emitter e, String text) {
        if (!FileUrls.mentionsFileUrl(text)) {
            return;
        }
        for (String path : FileUrls.paths(text)) {
            if (path.indexOf('{') >= 0 || path.indexOf('[') >= 0) {
                e.opaque("the file: URL " + path + " is a pattern the analysis does not expand");
            }
            e.read(Word.lit(path));
        }
    }

    // --- helpers shared by the families ---

    static boolean hasAny(List<Word> args, String... flags) {
        for (Word a : args) {
            if (!a.literal()) {
                continue;
            }
            for (String f : flags) {
                if (a.text().equals(f)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a short-option bundle or a long option asks for recursion (-r, -R, -rf, --recursive). */
    static boolean recursive(List<Word> args) {
        for (Word a : args) {
            String t = a.text();
            if (!a.literal()) {
                continue;
            }
            if (t.equals("--")) {
                return false;
            }
            if (t.equals("--recursive")) {
                return true;
            }
            if (t.startsWith("-") && !t.startsWith("--") && (t.indexOf('r') > 0 || t.indexOf('R') > 0)) {
                return true;
            }
        }
        return false;
    }

    static String joined(List<Word> args) {
        StringBuilder sb = new StringBuilder();
        for (Word a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.text());
        }
        return sb.toString();
    }

    /** First operand that is not an option (the sub-command of git, docker, kubectl…). */
    static @Nullable String verb(List<Word> args) {
        for (Word a : args) {
            if (a.literal() && !a.text().startsWith("-")) {
                return a.text();
            }
            if (!a.literal()) {
                return null;
            }
        }
        return null;
    }
}
