package dev.airlock.policy;

import static dev.airlock.policy.Classifier.hasAny;
import static dev.airlock.policy.Classifier.joined;
import static dev.airlock.policy.Classifier.recursive;
import static dev.airlock.policy.Classifier.verb;
import static dev.airlock.policy.CommandClass.NETWORK;
import static dev.airlock.policy.CommandClass.PRIVILEGED;
import static dev.airlock.policy.CommandClass.READ_ONLY;
import static dev.airlock.policy.CommandClass.WRITE_OUTSIDE;
import static dev.airlock.policy.CommandClass.WRITE_WORKSPACE;
import static dev.airlock.policy.Dispatcher.operands;
import static dev.airlock.policy.Dispatcher.optionValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Tools that read, write, copy, link and delete files: cat and friends, grep, awk, sed, rm, cp, ln… */
final class FileTools implements CommandFamily {
    /** Read every operand as a file. */
    static final Set<String> READ_FILES = Classifier.set("cat", "tac", "nl", "head", "tail", "less", "more", "wc",
            "ls", "dir", "vdir", "tree", "du", "stat", "file", "md5sum", "sha1sum", "sha224sum", "sha256sum",
            "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "shasum", "od", "hexdump", "strings", "base32",
            "base64", "diff", "diff3", "cmp", "comm", "cut", "paste", "fold", "fmt", "expand", "unexpand",
            "column", "rev", "zcat", "bzcat", "xzcat", "zless", "zmore", "lsattr", "getfacl", "namei", "readelf",
            "objdump", "nm", "pr", "join", "iconv", "bat", "batcat", "realpath", "readlink", "tr", "look",
            "sort", "uniq", "xxd", "split", "csplit", "ldd", "unzip", "zipinfo", "sqlite-utils");

    static final Set<String> PATTERN_FIRST = Classifier.set("grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack",
            "jq", "yq", "gojq");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, READ_FILES, FileTools::readFiles);
        CommandFamily.all(t, PATTERN_FIRST, FileTools::patternFirst);
        CommandFamily.all(t, Set.of("awk", "gawk", "mawk", "nawk"), (e, n, a) -> awk(e, a));
        CommandFamily.all(t, Set.of("sed", "gsed"), (e, n, a) -> sed(e, a));
        CommandFamily.all(t, Set.of("rm", "unlink"), FileTools::rm);
        t.put("rmdir", (e, n, args) -> {
            for (Word w : operands(args, Classifier.set())) {
                e.delete(w, false);
            }
        });
        t.put("shred", (e, n, args) -> {
            e.destructive("shred overwrites file contents irrecoverably");
            for (Word w : operands(args, Classifier.set("-n", "-s", "--iterations", "--size", "--random-source"))) {
                e.write(w, false);
            }
        });
        t.put("truncate", (e, n, args) -> {
            e.destructive("truncate cuts files to a size, discarding data");
            for (Word w : operands(args, Classifier.set("-s", "-r", "--size", "--reference"))) {
                e.write(w, false);
            }
        });
        CommandFamily.all(t, Set.of("touch", "mkdir", "mkfifo", "install"), FileTools::create);
        t.put("ln", (e, n, args) -> ln(e, args));
        CommandFamily.all(t, Set.of("cp", "mv", "rsync", "scp"), FileTools::copy);
        CommandFamily.all(t, Set.of("chmod", "chown", "chgrp", "chattr", "setfacl"), FileTools::modes);
        t.put("tee", (e, n, args) -> {
            boolean append = hasAny(args, "-a", "--append");
            for (Word w : operands(args, Classifier.set())) {
                e.write(w, !append);
            }
            e.cls(READ_ONLY);
        });
        t.put("dd", (e, n, a) -> dd(e, a));
        t.put("patch", (e, n, args) -> {
            String in = optionValue(args, Classifier.set("-i", "--input"), "--input=");
            if (in != null) {
                e.read(Word.lit(in));
            }
            String dir = optionValue(args, Classifier.set("-d", "--directory"), "--directory=");
            e.write(Word.lit(dir != null ? dir : "."), false);
        });
        CommandFamily.all(t, Set.of("vi", "vim", "nvim", "nano", "emacs", "code", "ed", "ex", "pico", "micro", "hx",
                "kak"), (e, name, args) -> {
                    e.unknown(name + " is an interactive editor");
                    for (Word w : operands(args, Classifier.set("-c", "-u", "-S"))) {
                        e.write(w, false);
                    }
                });
        CommandFamily.all(t, Set.of("open", "xdg-open", "gio"),
                (e, name, args) -> e.unknown(name + " opens a file with whatever program is registered"));
        return t;
    }

    /** Per tool: options whose value is a file the tool reads (a name list, patterns, a format). */
    private static final Map<String, Set<String>> READ_OPTIONS = Map.ofEntries(
            Map.entry("sort", Classifier.set("--files0-from", "-T", "--temporary-directory")),
            Map.entry("wc", Classifier.set("--files0-from")),
            Map.entry("du", Classifier.set("--files0-from", "-X", "--exclude-from")),
            Map.entry("diff", Classifier.set("--from-file", "--to-file", "-X", "--exclude-from")),
            Map.entry("hexdump", Classifier.set("-f", "--format-file")),
            Map.entry("file", Classifier.set("-f", "--files-from", "-m", "--magic-file")),
            Map.entry("tree", Classifier.set("--fromfile")));
    /** Per tool: options whose value is a program the tool runs. */
    private static final Map<String, Set<String>> EXEC_OPTIONS = Map.ofEntries(
            Map.entry("sort", Classifier.set("--compress-program")),
            Map.entry("split", Classifier.set("--filter")));

    /**
     * The flags decide, not the program's name: a value that is a file read is a read, a value that is
     * a program makes the command opaque, and {@code less +!cmd} runs a shell command.
     */
    private static void optionEffects(Emitter e, String name, List<Word> args) {
        Set<String> reads = READ_OPTIONS.getOrDefault(name, Set.of());
        Set<String> execs = EXEC_OPTIONS.getOrDefault(name, Set.of());
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!a.literal() || !t.startsWith("-") && !t.startsWith("+")) {
                continue;
            }
            int eq = t.indexOf('=');
            String opt = eq > 0 && t.startsWith("--") ? t.substring(0, eq) : t;
            Word value = eq > 0 && t.startsWith("--") ? new Word(t.substring(eq + 1), true, false, false)
                    : i + 1 < args.size() ? args.get(i + 1) : null;
            if (reads.contains(opt) && value != null) {
                if (opt.equals("-T") || opt.equals("--temporary-directory")) {
                    e.write(value, false);
                } else {
                    e.read(value);
                }
            } else if (execs.contains(opt)) {
                e.opaque(name + " " + opt + " runs a program" + (value == null ? "" : ": " + value.text()));
            } else if ((name.equals("less") || name.equals("more")) && t.startsWith("+")
                    && (t.indexOf('!') >= 0 || t.indexOf('|') >= 0 || t.contains("s") && t.length() > 2)) {
                e.opaque(name + " " + t + " runs a command or writes a file when it starts");
            }
        }
    }

    private static void create(Emitter e, String name, List<Word> args) {
        for (Word w : operands(args, Classifier.set("-d", "-t", "-r", "-m", "--date", "--reference", "--mode",
                "-o", "-g", "-S", "-Z"))) {
            e.write(w, false);
        }
        if (!name.equals("touch")) {
            for (int i = 0; i < args.size(); i++) {
                String t = args.get(i).text();
                String mode = t.equals("-m") || t.equals("--mode") ? (i + 1 < args.size() ? args.get(i + 1).text() : "")
                        : t.startsWith("--mode=") ? t.substring(7) : t.startsWith("-m") && t.length() > 2 ? t.substring(2)
                        : null;
                if (mode != null && setsSpecialBit(mode)) {
                    e.deny(Builtin.SETUID, name + " -m " + mode + " sets a setuid or setgid bit");
                }
            }
        }
    }

    /**
     * Whether a chmod mode sets the setuid or setgid bit: octal with 2, 4 or 6 in the special digit
     * ({@code 4755}, {@code 02755}), or a symbolic clause that adds {@code s} ({@code u+s}, {@code g=rws},
     * {@code +s}, {@code a+rwxs}).
     */
    static boolean setsSpecialBit(String mode) {
        String m = mode.strip();
        if (m.matches("[0-7]+")) {
            String digits = m.replaceFirst("^0+(?=[0-7]{4})", "");
            if (digits.length() < 4) {
                return false;
            }
            int special = digits.charAt(digits.length() - 4) - '0';
            return (special & 6) != 0;
        }
        for (String clause : m.split(",")) {
            java.util.regex.Matcher c = java.util.regex.Pattern.compile("[ugoa]*((?:[-+=][rwxXstugo]*)+)")
                    .matcher(clause);
            if (!c.matches()) {
                continue;
            }
            java.util.regex.Matcher op = java.util.regex.Pattern.compile("([-+=])([rwxXstugo]*)").matcher(c.group(1));
            while (op.find()) {
                if (!op.group(1).equals("-") && op.group(2).indexOf('s') >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void ln(Emitter e, List<Word> args) {
        List<Word> ops = operands(args, Classifier.set("-t", "-S", "--target-directory", "--suffix"));
        // a link exposes its target: linking ~/.ssh/id_rsa into the workspace reads it
        for (int i = 0; i < (ops.size() == 1 ? 1 : ops.size() - 1); i++) {
            e.read(ops.get(i));
        }
        String t = optionValue(args, Classifier.set("-t", "--target-directory"), "--target-directory=");
        if (t != null) {
            e.write(Word.lit(t), false);
        } else if (ops.size() >= 2) {
            e.write(ops.get(ops.size() - 1), true);
            intoDirectory(e, ops.get(ops.size() - 1), ops.subList(0, ops.size() - 1));
        } else if (e.cwd != null) {
            e.write(Word.lit("."), false);
        }
    }

    private static void modes(Emitter e, String name, List<Word> args) {
        List<Word> ops = operands(args, Classifier.set("--reference", "--from"));
        boolean reference = args.stream().anyMatch(a -> a.text().startsWith("--reference"));
        for (int i = reference ? 0 : 1; i < ops.size(); i++) {
            e.write(ops.get(i), false);
        }
        if (recursive(args)) {
            e.destructive(name + " -R changes every file below a directory");
        }
        if (name.equals("chmod") && !reference && !ops.isEmpty()) {
            Word mode = ops.get(0);
            if (!mode.literal()) {
                e.opaque("chmod mode " + mode.text() + " is not literal");
            } else if (setsSpecialBit(mode.text())) {
                e.cls(PRIVILEGED).deny(Builtin.SETUID, "chmod " + mode.text() + " sets a setuid or setgid bit");
            }
        }
    }

    private static void readFiles(Emitter e, String name, List<Word> args) {
        e.cls(READ_ONLY);
        Set<String> withArg = switch (name) {
            case "head", "tail" -> Classifier.set("-n", "-c", "--lines", "--bytes", "-s", "--pid", "--sleep-interval");
            case "ls", "dir", "vdir" -> Classifier.set("-I", "-w", "-T", "--ignore", "--hide", "--width", "--format",
                    "--sort", "--time", "--block-size", "--color", "--quoting-style");
            case "tree" -> Classifier.set("-L", "-I", "-P", "-o", "--filelimit", "-H", "--charset", "--sort");
            case "du" -> Classifier.set("-d", "--max-depth", "-B", "--block-size", "-t", "--threshold", "--exclude",
                    "-X", "--exclude-from", "--time-style");
            case "stat" -> Classifier.set("-c", "--format", "--printf");
            case "cut" -> Classifier.set("-d", "-f", "-c", "-b", "--delimiter", "--fields", "--output-delimiter");
            case "sort" -> Classifier.set("-k", "-t", "-o", "-S", "-T", "--key", "--field-separator", "--output",
                    "--buffer-size", "--temporary-directory", "--parallel", "--files0-from");
            case "uniq" -> Classifier.set("-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars");
            case "diff" -> Classifier.set("-x", "-X", "-I", "-L", "-U", "-C", "-F", "--label", "--exclude",
                    "--exclude-from", "--ignore-matching-lines", "--from-file", "--to-file", "-W", "--width");
            // only options that really take a value: a value mistaken for an operand is merely a read
            case "od" -> Classifier.set("-A", "-j", "-N", "-t", "-w", "-S", "--address-radix", "--skip-bytes",
                    "--read-bytes", "--format", "--width", "--strings");
            case "hexdump" -> Classifier.set("-e", "-f", "-n", "-s");
            case "xxd" -> Classifier.set("-c", "-g", "-l", "-o", "-s", "-n", "-cols", "-len", "-seek", "-groupsize");
            case "column" -> Classifier.set("-s", "-t", "-c", "-o", "-N", "-R", "-H", "-W", "-J");
            case "split", "csplit" -> Classifier.set("-l", "-b", "-C", "-n", "-a", "-t", "-d", "-f", "--lines",
                    "--bytes", "--number", "--suffix-length", "--additional-suffix", "--prefix");
            case "tr" -> Classifier.set();
            case "unzip" -> Classifier.set("-d", "-x", "-P");
            case "iconv" -> Classifier.set("-f", "-t", "-o", "--from-code", "--to-code", "--output");
            case "fold", "fmt" -> Classifier.set("-w", "-p", "--width");
            case "nl" -> Classifier.set("-b", "-d", "-f", "-h", "-i", "-l", "-n", "-s", "-v", "-w");
            case "base64", "base32" -> Classifier.set("-w", "--wrap");
            default -> Classifier.set();
        };
        List<Word> ops = operands(args, withArg);
        optionEffects(e, name, args);
        if (name.equals("tr")) {
            return; // operands are character sets, not files
        }
        if (name.equals("ls") && ops.isEmpty()) {
            e.read(Word.lit("."));
        }
        String out = switch (name) {
            case "sort" -> optionValue(args, Classifier.set("-o", "--output"), "--output=");
            case "tree" -> optionValue(args, Classifier.set("-o"), null);
            case "iconv" -> optionValue(args, Classifier.set("-o", "--output"), "--output=");
            default -> null;
        };
        if (out != null) {
            e.write(Word.lit(out), true);
        }
        if (name.equals("unzip")) {
            if (!ops.isEmpty()) {
                e.read(ops.get(0));
            }
            if (!hasAny(args, "-l", "-t", "-v", "-p", "-Z", "-z")) {
                String d = optionValue(args, Classifier.set("-d"), null);
                e.write(Word.lit(d != null ? d : "."), hasAny(args, "-o"));
            }
            return;
        }
        if ((name.equals("uniq") || name.equals("xxd")) && ops.size() >= 2) {
            e.read(ops.get(0));
            e.write(ops.get(1), true);
            return;
        }
        if (name.equals("split") || name.equals("csplit")) {
            if (!ops.isEmpty()) {
                e.read(ops.get(0));
            }
            e.write(Word.lit(ops.size() >= 2 ? ops.get(1).text() + "aa" : "xaa"), false);
            return;
        }
        if (name.equals("realpath") || name.equals("readlink")) {
            return; // they resolve names; they do not read contents
        }
        for (Word w : ops) {
            e.read(w);
        }
    }

    private static void patternFirst(Emitter e, String name, List<Word> args) {
        e.cls(READ_ONLY);
        boolean jq = name.equals("jq") || name.equals("yq") || name.equals("gojq");
        Set<String> withArg = jq
                ? Classifier.set("--arg", "--argjson", "--slurpfile", "--rawfile", "--indent", "-f", "--from-file",
                        "--args", "-L", "--tab")
                : Classifier.set("-e", "-f", "-m", "-A", "-B", "-C", "-d", "-D", "--regexp", "--file", "--max-count",
                        "--context", "--after-context", "--before-context", "--include", "--exclude",
                        "--exclude-dir", "--exclude-from", "--label", "-g", "--glob", "-t", "-T", "--type",
                        "--type-not", "-j", "--threads", "-M", "--max-columns", "--max-depth", "--max-filesize",
                        "--pre-glob", "--encoding", "--sort", "--sortr", "--replace", "--type-add",
                        "--color", "--colors", "--ignore-file", "--path-separator", "--engine", "-g");
        if (name.equals("rg")) {
            // for rg, -r is --replace and -E is --encoding, both with a value; for grep they are flags
            Set<String> rg = new java.util.HashSet<>(withArg);
            rg.add("-r");
            rg.add("-E");
            withArg = rg;
        }
        List<Word> ops = new ArrayList<>();
        boolean end = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!end && a.literal() && t.equals("--")) {
                end = true;
            } else if (!end && a.literal() && t.startsWith("-") && !t.equals("-")) {
                if (jq && (t.equals("--arg") || t.equals("--argjson") || t.equals("--slurpfile")
                        || t.equals("--rawfile"))) {
                    if ((t.equals("--slurpfile") || t.equals("--rawfile")) && i + 2 < args.size()) {
                        e.read(args.get(i + 2));
                    }
                    i += 2;
                } else if (withArg.contains(t)) {
                    if ((t.equals("-f") || t.equals("--file") || t.equals("--from-file")
                            || t.equals("--exclude-from") || t.equals("--ignore-file")) && i + 1 < args.size()) {
                        e.read(args.get(i + 1));
                    }
                    i++;
                }
                for (String fileOpt : List.of("--file=", "--exclude-from=", "--ignore-file=", "--from-file=")) {
                    if (t.startsWith(fileOpt)) {
                        e.read(Word.lit(t.substring(fileOpt.length())));
                    }
                }
                if (t.equals("--pre") || t.startsWith("--pre=")) {
                    e.opaque(name + " --pre runs a program on every file");
                    if (t.equals("--pre")) {
                        i++;
                    }
                }
            } else {
                ops.add(a);
            }
        }
        boolean patternGiven = jq ? hasAny(args, "-f", "--from-file") || args.stream().anyMatch(
                a -> a.text().startsWith("--from-file="))
                : hasAny(args, "-e", "-f", "--regexp", "--file") || args.stream().anyMatch(
                        a -> a.text().startsWith("--regexp=") || a.text().startsWith("--file="));
        int first = patternGiven ? 0 : 1;
        if (name.equals("rg") && hasAny(args, "--files", "--type-list")) {
            first = 0;
        }
        boolean searcher = name.equals("rg") || name.equals("ag") || name.equals("ack");
        // rg, ag and ack skip hidden and ignored files unless told otherwise; grep -r reads everything
        boolean seesHidden = searcher && args.stream().anyMatch(a -> a.text().matches(
                "-u+|--hidden|--no-ignore.*|--unrestricted|-[a-zA-Z]*u[a-zA-Z]*|--all-types"));
        boolean recursiveRead = (!searcher && !jq && (recursive(args) || (hasAny(args, "-d", "--directories")
                && hasAny(args, "recurse")))) || seesHidden;
        if (ops.size() <= first && (searcher || recursiveRead)) {
            if (recursiveRead) {
                e.readTree(Word.lit("."));
            } else {
                e.read(Word.lit("."));
            }
            e.note(name + " searches every file below the current directory");
        }
        for (int i = first; i < ops.size(); i++) {
            if (recursiveRead) {
                e.readTree(ops.get(i));
            } else {
                e.read(ops.get(i));
            }
        }
    }

    private static void awk(Emitter e, List<Word> args) {
        e.cls(READ_ONLY);
        List<Word> ops = operands(args, Classifier.set("-F", "-v", "-f", "--field-separator", "--assign", "--file",
                "-i", "--include", "-l", "--load", "-E", "--exec"));
        String progFile = optionValue(args, Classifier.set("-f", "--file", "-E", "--exec"), "--file=");
        int first = 0;
        if (progFile != null) {
            e.read(Word.lit(progFile));
            e.unknown("awk program file " + progFile + " may run commands");
        } else if (!ops.isEmpty()) {
            Word prog = ops.get(0);
            first = 1;
            if (!prog.literal()) {
                e.opaque("awk program is not literal");
            } else if (prog.text().matches("(?s).*(system|getline|\\||>|fflush|close\\s*\\().*")) {
                e.opaque("awk program can run commands or write files: " + prog.text());
                Interpreters.pathsInCode(e, prog.text());
            }
        }
        for (int i = first; i < ops.size(); i++) {
            if (ops.get(i).literal() && ops.get(i).text().indexOf('=') > 0
                    && ops.get(i).text().matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                continue; // var=value assignments between files
            }
            e.read(ops.get(i));
        }
    }

    private static void sed(Emitter e, List<Word> args) {
        e.cls(READ_ONLY);
        boolean inPlace = false;
        List<String> scripts = new ArrayList<>();
        List<Word> ops = new ArrayList<>();
        boolean scriptFromOption = false;
        boolean end = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!end && a.literal() && t.equals("--")) {
                end = true;
            } else if (!end && a.literal() && t.startsWith("-") && !t.equals("-")) {
                if (t.equals("-e") || t.equals("--expression")) {
                    scriptFromOption = true;
                    if (i + 1 < args.size()) {
                        Word s = args.get(++i);
                        if (!s.literal()) {
                            e.opaque("sed script is not literal");
                        }
                        scripts.add(s.text());
                    }
                } else if (t.startsWith("--expression=")) {
                    scriptFromOption = true;
                    scripts.add(t.substring("--expression=".length()));
                } else if (t.equals("-f") || t.equals("--file")) {
                    scriptFromOption = true;
                    if (i + 1 < args.size()) {
                        e.read(args.get(++i));
                        e.opaque("sed script file may write files or run commands");
                    }
                } else if (t.equals("-l") || t.equals("--line-length")) {
                    i++;
                } else if (t.startsWith("-i") || t.startsWith("--in-place")
                        || (!t.startsWith("--") && t.indexOf('i') > 0)) {
                    inPlace = true;
                }
            } else {
                ops.add(a);
            }
        }
        int first = 0;
        if (!scriptFromOption && !ops.isEmpty()) {
            Word s = ops.get(0);
            if (!s.literal()) {
                e.opaque("sed script is not literal");
            }
            scripts.add(s.text());
            first = 1;
        }
        for (String s : scripts) {
            if (sedRunsOrWrites(s)) {
                e.opaque("sed script can write files or run commands (w, e, W commands or s///e, s///w)");
            }
        }
        for (int i = first; i < ops.size(); i++) {
            e.read(ops.get(i));
            if (inPlace) {
                e.write(ops.get(i), true);
            }
        }
    }

    /** Finds the sed commands that write files or execute: {@code w}, {@code W}, {@code e}, {@code r}
     * is only a read and allowed, and the {@code e}/{@code w} flags of {@code s}. */
    static boolean sedRunsOrWrites(String script) {
        for (String cmd : script.split("[;\n]")) {
            String c = cmd.strip();
            // strip an address: line numbers, $, /regex/, ranges and negation
            c = c.replaceFirst("^(([0-9]+|\\$|/([^/\\\\]|\\\\.)*/)(~[0-9]+)?\\s*(,\\s*([0-9]+|\\$|/([^/\\\\]|\\\\.)*/|[+~][0-9]+))?\\s*!?\\s*)", "");
            c = c.replaceFirst("^\\{\\s*", "");
            if (c.isEmpty()) {
                continue;
            }
            char op = c.charAt(0);
            if (op == 'e' || op == 'w' || op == 'W') {
                return true;
            }
            if (op == 's' && c.length() > 1) {
                char delim = c.charAt(1);
                int parts = 0;
                int i = 2;
                for (; i < c.length() && parts < 2; i++) {
                    char ch = c.charAt(i);
                    if (ch == '\\') {
                        i++;
                    } else if (ch == delim) {
                        parts++;
                    }
                }
                String flags = i <= c.length() ? c.substring(Math.min(i, c.length())) : "";
                if (flags.matches("(?s)[^}]*[ewW].*")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rm(Emitter e, String name, List<Word> args) {
        boolean rec = recursive(args);
        if (hasAny(args, "--no-preserve-root")) {
            e.destructive("rm --no-preserve-root removes the root file system");
        }
        List<Word> ops = operands(args, Classifier.set());
        if (e.carry.traits().contains(SimpleCommand.ARGS_FROM_STDIN) && e.carry.stdinText() == null) {
            e.destructive(name + " deletes files named on its input, which the analysis cannot see");
        }
        for (Word w : ops) {
            e.delete(w, rec);
        }
        if (e.carry.traits().contains(SimpleCommand.FIND_EXEC)) {
            e.destructive(name + " runs on every file find matches");
        }
    }

    private static void copy(Emitter e, String name, List<Word> args) {
        Set<String> withArg = switch (name) {
            case "rsync" -> Classifier.set("-e", "--rsh", "--exclude", "--include", "--filter", "-f", "--exclude-from",
                    "--include-from", "--files-from", "--rsync-path", "--chmod", "--chown", "-B", "--bwlimit",
                    "--log-file", "--backup-dir", "--suffix", "-T", "--temp-dir", "--password-file", "--port");
            case "scp" -> Classifier.set("-i", "-P", "-o", "-F", "-c", "-J", "-l", "-S");
            default -> Classifier.set("-t", "-S", "--target-directory", "--suffix", "-T");
        };
        List<Word> ops = operands(args, withArg);
        String target = optionValue(args, Classifier.set("-t", "--target-directory"), "--target-directory=");
        boolean move = name.equals("mv");
        boolean remote = false;
        List<Word> sources = new ArrayList<>(ops);
        Word dest = null;
        if (target != null && (name.equals("cp") || name.equals("mv"))) {
            dest = Word.lit(target);
        } else if (!sources.isEmpty()) {
            dest = sources.remove(sources.size() - 1);
        }
        for (Word s : sources) {
            if (isRemoteSpec(s)) {
                remote = true;
                e.host(hostOrEmpty(s.text()));
                continue;
            }
            if (!move && (recursive(args) || args.stream().anyMatch(
                    a -> a.literal() && (a.text().equals("--archive") || a.text().matches("-[a-zA-Z]*a[a-zA-Z]*"))))) {
                e.readTree(s);
            } else {
                e.read(s);
            }
            if (move) {
                e.write(s, false);
            }
        }
        if (dest != null) {
            if (isRemoteSpec(dest)) {
                remote = true;
                e.host(hostOrEmpty(dest.text()));
            } else {
                e.write(dest, true);
                intoDirectory(e, dest, sources);
            }
        }
        if (remote || name.equals("scp")) {
            e.network(name + " copies over the network");
        }
        if (name.equals("rsync") && args.stream().anyMatch(a -> a.text().startsWith("--delete")
                || a.text().equals("--remove-source-files"))) {
            e.destructive("rsync --delete removes files at the destination");
        }
        for (int i = 0; i < args.size(); i++) {
            String t = args.get(i).text();
            if (name.equals("rsync") && Set.of("--files-from", "--exclude-from", "--include-from", "--password-file")
                    .contains(t) && i + 1 < args.size()) {
                e.read(args.get(i + 1));
            } else if (name.equals("rsync") && (t.startsWith("--files-from=") || t.startsWith("--exclude-from=")
                    || t.startsWith("--include-from=") || t.startsWith("--password-file="))) {
                e.read(Word.lit(t.substring(t.indexOf('=') + 1)));
            }
            if ((name.equals("scp") || name.equals("sftp")) && (t.equals("-S") || t.startsWith("-S"))
                    || t.contains("ProxyCommand") || t.contains("LocalCommand")) {
                e.opaque(name + " " + t + " runs a program of the caller's choosing");
            }
        }
        if (name.equals("rsync") && (hasAny(args, "-e", "--rsh") || args.stream().anyMatch(
                a -> a.text().startsWith("--rsh=") || a.text().startsWith("--rsync-path")))) {
            e.unknown("rsync runs a custom remote shell command");
        }
        if (!e.hasClass(WRITE_WORKSPACE) && !e.hasClass(WRITE_OUTSIDE) && !e.hasClass(NETWORK)) {
            e.cls(READ_ONLY);
        }
    }

    /**
     * {@code cp -r hooks .git/} writes {@code .git/hooks}: when the destination is a directory, each
     * source lands at {@code DEST/NAME}, and that path is a write too.
     */
    static void intoDirectory(Emitter e, Word dest, List<Word> sources) {
        if (!dest.literal() || e.cwd == null || sources.isEmpty()) {
            return;
        }
        java.nio.file.Path d = e.cwd.resolve(dest.text());
        if (!dest.text().endsWith("/") && !java.nio.file.Files.isDirectory(d)) {
            return;
        }
        for (Word s : sources) {
            if (!s.literal() || isRemoteSpec(s)) {
                continue;
            }
            String t = s.text();
            while (t.length() > 1 && t.endsWith("/")) {
                t = t.substring(0, t.length() - 1);
            }
            java.nio.file.Path fn = java.nio.file.Path.of(t).getFileName();
            if (fn != null && !fn.toString().equals(".") && !fn.toString().equals("..")) {
                String base = dest.text().endsWith("/") ? dest.text() : dest.text() + "/";
                e.write(new Word(base + fn, true, s.glob(), false), true);
            }
        }
    }

    private static boolean isRemoteSpec(Word w) {
        String t = w.text();
        return w.literal() && (t.startsWith("rsync://") || t.matches("[^/]*[^/\\\\]:.*") && !t.startsWith("./"));
    }

    private static String hostOrEmpty(String s) {
        String h = Dispatcher.hostOf(s);
        return h == null ? "" : h;
    }

    private static void dd(Emitter e, List<Word> args) {
        e.cls(READ_ONLY);
        for (Word a : args) {
            String t = a.text();
            if (t.startsWith("if=")) {
                e.read(new Word(t.substring(3), a.literal(), a.glob(), false));
            } else if (t.startsWith("of=")) {
                e.destructive("dd of= overwrites its target block by block");
                e.write(new Word(t.substring(3), a.literal(), a.glob(), false), true);
            }
        }
    }
}
