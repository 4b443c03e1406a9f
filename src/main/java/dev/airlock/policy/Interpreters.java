package dev.airlock.policy;

import static dev.airlock.policy.Classifier.hasAny;
import static dev.airlock.policy.Dispatcher.operands;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Language interpreters and {@code source}: what they run is code the analysis cannot see into. */
final class Interpreters implements CommandFamily {
    static final Set<String> NAMES = Classifier.set("python", "python2", "python3", "perl", "ruby", "node",
            "nodejs", "php", "lua", "Rscript", "deno", "bun", "osascript", "pwsh", "powershell", "tclsh",
            "wish", "awk-script", "irb", "ipython", "groovy", "jshell");

    /** java.util.regex, as the String.matches it replaces; compiled once instead of per command. */
    private static final Pattern VERSIONED_INTERPRETER = Pattern.compile("python3\\.[0-9]+|perl5.*|ruby[0-9.]*");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, NAMES, Interpreters::interpreter);
        CommandFamily.all(t, Set.of("source", "."), (e, name, args) -> {
            e.unknown(name + " runs a script in the current shell, which the analysis cannot see into");
            if (args.isEmpty() || !args.get(0).literal() || Dispatcher.STDIN_NAMES.contains(args.get(0).text())
                    || args.get(0).text().startsWith("/dev/fd/") || args.get(0).text().startsWith("/proc/")) {
                Decoders.denyIfDecoded(e, e.carry, name);
            }
            if (!args.isEmpty()) {
                e.read(args.get(0));
            }
        });
        return t;
    }

    @Override
    public @Nullable Handler byShape(String name) {
        return VERSIONED_INTERPRETER.matcher(name).matches() ? Interpreters::interpreter : null;
    }

    /** Short options whose value is the program text ({@code -c}, {@code -e}, {@code -E}, {@code -r}). */
    private static final String INLINE_SHORT = "ceEr";
    private static final Set<String> INLINE_LONG = Classifier.set("--eval", "--command", "--exec", "--print");
    /** Options with a value that is not code and not a file read. */
    private static final Set<String> WITH_VALUE = Classifier.set("-W", "-X", "-I", "-M", "-m", "-O", "-r",
            "--require", "--import", "--loader", "--input-type", "-d", "-x");

    /**
     * An interpreter runs code the analysis cannot see: a script file (read), inline code (opaque), or
     * code from its input (denied when that input is decoded text). Every other operand is a file or an
     * argument, and is read as a file: {@code python3 -c "...open(sys.argv[1])" .env} reads .env.
     */
    private static void interpreter(Emitter e, String name, List<Word> args) {
        e.unknown("runs " + name + " code, which the analysis cannot see into");
        boolean inline = false;
        boolean inlineOpaque = false;
        boolean module = false;
        List<Word> ops = new java.util.ArrayList<>();
        boolean end = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (end || !a.literal() || !t.startsWith("-") || t.equals("-")) {
                ops.add(a);
                if (!inline && !module) {
                    end = true; // the script; what follows are its arguments
                }
                continue;
            }
            if (t.equals("--")) {
                end = true;
                continue;
            }
            boolean isInline = INLINE_LONG.contains(t) || !t.startsWith("--") && t.length() >= 2
                    && INLINE_SHORT.indexOf(t.charAt(t.length() - 1)) >= 0 && !(name.startsWith("python")
                    && t.charAt(t.length() - 1) != 'c') && !(name.startsWith("php") && t.charAt(t.length() - 1) != 'r');
            boolean attached = !t.startsWith("--") && t.length() > 2 && t.charAt(1) == 'c' && name.startsWith("python");
            if (isInline || attached) {
                inline = true;
                if (!attached && i + 1 < args.size()) {
                    inlineOpaque |= !args.get(i + 1).literal();
                    if (args.get(i + 1).literal()) {
                        pathsInCode(e, args.get(i + 1).text());
                    }
                    i++;
                } else if (attached) {
                    pathsInCode(e, t.substring(2));
                }
                end = true;
            } else if (t.equals("-m") && name.startsWith("python")) {
                module = true;
                i++; // the module name
                end = true;
            } else if (WITH_VALUE.contains(t)) {
                i++;
            }
        }
        if (inline) {
            e.opaque(name + " runs inline code given on the command line, which the analysis does not follow");
        }
        boolean codeFromInput = inlineOpaque || (!inline && !module && (ops.isEmpty() || !ops.get(0).literal()
                || Dispatcher.STDIN_NAMES.contains(ops.get(0).text()) || ops.get(0).text().startsWith("/dev/fd/")));
        if (codeFromInput) {
            Decoders.denyIfDecoded(e, e.carry, name);
        }
        // perl -i / ruby -i edit their file operands in place (-pi, -i.bak, -pi.orig)
        boolean inPlace = (name.startsWith("perl") || name.startsWith("ruby")) && args.stream().anyMatch(a ->
                a.literal() && a.text().matches("-[a-zA-Z]*i.*") && !a.text().startsWith("--"));
        for (Word w : ops) {
            if (w.literal() && !w.text().equals("-")) {
                e.read(w);
                if (inPlace) {
                    e.write(w, true);
                }
            }
        }
    }

    private static final java.util.regex.Pattern PATH_LIKE = java.util.regex.Pattern.compile("[~./A-Za-z0-9_@%+=:,-]+");

    /** The contents of the '…', "…" and `…` strings in {@code code}, paired as the quotes open and close. */
    static List<String> quotedStrings(String code) {
        List<String> out = new java.util.ArrayList<>();
        char quote = 0;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (quote == 0) {
                if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                    cur.setLength(0);
                }
            } else if (c == '\\' && i + 1 < code.length()) {
                cur.append(code.charAt(++i));
            } else if (c == quote) {
                out.add(cur.toString());
                quote = 0;
            } else {
                cur.append(c);
            }
        }
        return out;
    }
    private static final java.util.regex.Pattern WRITES = java.util.regex.Pattern.compile(
            "(?i)write|'[wax]b?\\+?'|\"[wax]b?\\+?\"|rename|replace|symlink|link|copy|move|chmod|unlink|remove"
                    + "|mkdir|append|>|truncate|dump|save|put|out");

    /**
     * Quoted path-like strings in inline code ({@code open('.env')}, {@code readFileSync(".env")},
     * {@code open('.git/hooks/pre-commit','w')}) are checked as reads, and as writes when the code
     * writes at all: the code stays opaque, but a literal secret or code-execution point in it is
     * refused before anything runs.
     */
    static void pathsInCode(Emitter e, String code) {
        if (code.length() > 64 * 1024) {
            return;
        }
        boolean writes = WRITES.matcher(code).find();
        int seen = 0;
        for (String p : quotedStrings(code)) {
            if (seen++ >= 64) {
                break;
            }
            if (p.isEmpty() || p.length() > 1024 || p.startsWith("-") || !PATH_LIKE.matcher(p).matches()
                    || p.matches("[0-9.:,=+%@-]+")) {
                continue;
            }
            Word w = Word.lit(p);
            e.read(w);
            if (writes) {
                e.write(w, false);
            }
        }
        Classifier.fileUrlsIn(e, code);
    }
}
