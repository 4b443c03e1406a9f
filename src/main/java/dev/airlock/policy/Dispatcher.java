package dev.airlock.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Peels wrappers off a simple command ({@code sudo}, {@code env}, {@code timeout}, {@code xargs}…),
 * follows commands hidden in strings ({@code bash -c}, {@code eval}, {@code ssh host cmd},
 * {@code find -exec}) and hands the command that really runs to the {@link Classifier}.
 */
final class Dispatcher {
    // compiled once: String.matches would compile them again on every call
    private static final Pattern ASSIGNMENT = Pattern.compile("(?s)^[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final Pattern COMMAND_LOOKUP = Pattern.compile("-p?[vV]");
    static final Set<String> SHELLS = Classifier.set("bash", "sh", "zsh", "dash", "ksh", "ash", "mksh", "fish",
            "busybox", "rbash", "tcsh", "csh");

    /** Script names that make a shell or interpreter read its code from its input. */
    static final Set<String> STDIN_NAMES = Set.of("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0",
            "/dev/fd/3", "/dev/fd/4", "/dev/fd/5", "/dev/fd/63", "/dev/fd/62", "/proc/self/fd/63");

    /** Reserved words that can only reach command position through a mis-parse. */
    static final Set<String> MISPARSED_KEYWORDS = Set.of("{", "}", "(", ")", "then", "fi", "do", "done", "esac",
            "elif", "else", "in", "function", "[[", "]]", "!", "if", "while", "until", "for", "case", "select");

    private Dispatcher() {
    }

    static void dispatch(Walker w, List<Word> words, List<String[]> assigns, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        for (String[] a : assigns) {
            String raw = a[1].indexOf('=') >= 0 ? a[1].substring(a[1].indexOf('=') + 1) : "";
            String gitDenial = Git.envDenial(a[0], raw);
            if (gitDenial != null) {
                w.emit(Emitter.deniedCommand(a[1], Builtin.GIT_CONFIG_EXEC, gitDenial, carry));
            }
            if (Emitter.isDangerousVariable(a[0])) {
                carry = carry.withTrait(SimpleCommand.OPAQUE);
                w.emit(Emitter.opaqueCommand(a[1], "assigning " + a[0] + " changes what the command runs",
                        carry));
            }
        }
        run(w, words, redirs, scope, carry, source);
    }

    private static Emitter emitter(Walker w, Walker.Scope scope, Walker.Carry carry, String name, List<Word> words,
            String source) {
        List<String> argv = new ArrayList<>(words.size());
        for (Word x : words) {
            argv.add(x.text());
        }
        return new Emitter(w.ctx(), scope.cwd, carry, name, argv, source);
    }

    private static void run(Walker w, List<Word> words, List<Walker.Redir> redirs, Walker.Scope scope,
            Walker.Carry carry, String source) {
        if (words.isEmpty()) {
            if (!redirs.isEmpty()) {
                Emitter e = emitter(w, scope, carry.withTrait(SimpleCommand.REDIRECT_ONLY), "(redirect)",
                        List.of(Word.lit("(redirect)")), source);
                e.cls(CommandClass.READ_ONLY);
                e.redirects(redirs);
                w.emit(e.build());
            }
            return;
        }
        Word head = words.get(0);
        if (!head.literal()) {
            Emitter e = emitter(w, scope, carry, head.text(), words, source);
            e.opaque("the command name " + head.text() + " is not literal");
            Decoders.denyIfDecoded(e, carry, "the command name " + head.text());
            e.redirects(redirs);
            w.emit(e.build());
            return;
        }
        if (head.glob()) {
            Emitter e = emitter(w, scope, carry, head.text(), words, source);
            e.opaque("the command name " + head.text() + " is a glob");
            e.redirects(redirs);
            w.emit(e.build());
            return;
        }
        String raw = head.text();
        String name = CommandAnalyzer.normaliseCommandName(raw);
        if (name == null) {
            Emitter e = emitter(w, scope, carry, raw, words, source);
            e.unknown("runs the program " + raw + ", which the analysis cannot see into");
            e.read(head);
            e.redirects(redirs);
            w.emit(e.build());
            return;
        }
        List<Word> rest = words.subList(1, words.size());
        if (scope.defining.contains(name)) {
            Emitter e = emitter(w, scope, carry, name, words, source);
            e.trait(SimpleCommand.RECURSIVE_FUNCTION);
            e.destructive("the function " + name + " calls itself without end (a fork bomb)");
            w.emit(e.build());
            return;
        }
        if (scope.functions.contains(name)) {
            // the body was analysed where the function was defined; only the redirections are new
            run(w, List.of(), redirs, scope, carry, source);
            return;
        }
        if (MISPARSED_KEYWORDS.contains(name)) {
            // tree-sitter sometimes reads a compound command after `time`/`coproc` as plain words
            Emitter e = emitter(w, scope, carry, name, words, source);
            e.opaque("the shell keyword " + name + " appears where a command name should be");
            w.emit(e.build());
            return;
        }
        switch (name) {
            case "time", "coproc" -> {
                // keywords in bash: what follows is a whole pipeline or compound command, so parse the
                // rest of the source text again rather than trusting the word split
                String rest0 = source.strip();
                int at = rest0.indexOf(name);
                String tail = at >= 0 ? rest0.substring(at + name.length()).strip() : "";
                if (name.equals("time")) {
                    while (tail.startsWith("-p") || tail.startsWith("--")) {
                        tail = tail.substring(2).strip();
                    }
                }
                if (tail.isEmpty()) {
                    Emitter e = emitter(w, scope, carry, name, words, source);
                    e.cls(CommandClass.READ_ONLY);
                    e.redirects(redirs);
                    w.emit(e.build());
                } else if (!source.strip().startsWith(name) && !source.strip().startsWith("\\")
                        && !ASSIGNMENT.matcher(source.strip()).matches()) {
                    // wrapped (env time ..., sudo time ...): the words are all there is
                    run(w, rest, redirs, scope, carry.withWrapper(name, false), source);
                } else {
                    w.nested(tail, scope.copy(), carry.withWrapper(name, false));
                    redirectsOnly(w, redirs, scope, carry, source);
                }
            }
            case "sudo", "doas", "pkexec", "run0" -> {
                int i = skipOptions(rest, 0, Classifier.set("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T",
                        "--user", "--group", "--prompt", "--role", "--type", "--host", "--chdir", "--other-user",
                        "--close-from", "--command-timeout"));
                List<Word> inner = rest.subList(i, rest.size());
                Walker.Carry c = carry.withWrapper(name, true);
                if (inner.isEmpty()) {
                    Emitter e = emitter(w, scope, c, name, words, source);
                    e.note("opens a root shell or edits files as root");
                    e.redirects(redirs);
                    w.emit(e.build());
                } else {
                    run(w, inner, redirs, scope, c, source);
                }
            }
            case "su" -> {
                Walker.Carry c = carry.withWrapper(name, true);
                String cmd = optionValue(rest, Classifier.set("-c", "--command"), "--command=");
                if (cmd != null) {
                    w.nested(cmd, scope.copy(), c);
                } else {
                    Emitter e = emitter(w, scope, c, name, words, source);
                    e.note("opens a shell as another user");
                    if (hasNonLiteral(rest)) {
                        e.opaque("su with arguments the analysis cannot resolve");
                    }
                    w.emit(e.build());
                }
                redirectsOnly(w, redirs, scope, carry, source);
            }
            case "env" -> env(w, words, rest, redirs, scope, carry, source);
            case "nice", "nohup", "timeout", "stdbuf", "builtin", "exec", "setsid", "ionice", "unbuffer",
                 "nocache", "chrt", "taskset", "caffeinate", "catchsegv", "command" -> {
                if (name.equals("command") && !rest.isEmpty() && rest.get(0).literal()
                        && COMMAND_LOOKUP.matcher(rest.get(0).text()).matches()) {
                    Emitter e = emitter(w, scope, carry, name, words, source);
                    e.cls(CommandClass.READ_ONLY);
                    e.redirects(redirs);
                    w.emit(e.build());
                    return;
                }
                int i = switch (name) {
                    case "nice" -> skipOptions(rest, 0, Classifier.set("-n", "--adjustment"));
                    case "timeout" -> {
                        int k = skipOptions(rest, 0, Classifier.set("-s", "-k", "--signal", "--kill-after"));
                        yield Math.min(k + 1, rest.size()); // the duration
                    }
                    case "stdbuf" -> skipOptions(rest, 0, Classifier.set("-i", "-o", "-e", "--input", "--output", "--error"));
                    case "exec" -> skipOptions(rest, 0, Classifier.set("-a"));
                    case "ionice" -> skipOptions(rest, 0, Classifier.set("-c", "-n", "-p", "-P", "-u", "--class",
                            "--classdata"));
                    case "chrt" -> {
                        int k = skipOptions(rest, 0, Classifier.set());
                        yield Math.min(k + 1, rest.size()); // the priority
                    }
                    case "taskset" -> {
                        int k = skipOptions(rest, 0, Classifier.set());
                        yield Math.min(k + 1, rest.size()); // the mask
                    }
                    default -> skipOptions(rest, 0, Classifier.set());
                };
                List<Word> inner = rest.subList(i, rest.size());
                if (inner.isEmpty()) {
                    Emitter e = emitter(w, scope, carry, name, words, source);
                    e.cls(CommandClass.READ_ONLY);
                    e.redirects(redirs);
                    w.emit(e.build());
                } else {
                    run(w, inner, redirs, scope, carry.withWrapper(name, false), source);
                }
            }
            case "flock", "strace", "ltrace", "script", "chronic", "rlwrap", "dbus-run-session", "xvfb-run",
                 "ssh-agent", "proxychains", "proxychains4", "torsocks", "valgrind", "faketime", "cpulimit",
                 "prlimit", "numactl", "setpriv", "runuser", "firejail", "sg", "entr", "ts", "unbuffer2" ->
                    wrapper(w, name, words, rest, redirs, scope, carry, source);
            case "watch" -> {
                int i = skipOptions(rest, 0, Classifier.set("-n", "-d", "--interval", "-q", "--equexit"));
                List<Word> inner = rest.subList(i, rest.size());
                // watch hands its arguments, joined, to sh -c
                nestedOrOpaque(w, inner, scope, carry.withWrapper(name, false), source, name);
                redirectsOnly(w, redirs, scope, carry, source);
            }
            case "xargs" -> {
                int i = skipOptions(rest, 0, Classifier.set("-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s",
                        "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args",
                        "--max-procs", "--max-chars", "--process-slot-var"));
                List<Word> inner = new ArrayList<>(rest.subList(i, rest.size()));
                if (inner.isEmpty()) {
                    inner.add(Word.lit("echo"));
                }
                if (carry.stdinText() != null && !Classifier.hasAny(rest, "-I", "-i", "-0", "-d", "-a")) {
                    // echo / | xargs rm -rf: the input is known, so are the arguments
                    for (String arg : carry.stdinText().trim().split("\\s+")) {
                        if (!arg.isEmpty()) {
                            inner.add(Word.lit(arg));
                        }
                    }
                }
                redirectsOnly(w, redirs, scope, carry, source);
                run(w, inner, List.of(), scope, carry.withWrapper(name, false).withTrait(SimpleCommand.ARGS_FROM_STDIN),
                        source);
            }
            case "eval" -> {
                if (hasNonLiteral(rest) && carry.traits().contains(SimpleCommand.DECODED_INPUT)) {
                    w.emit(Decoders.denied(source, carry, "eval"));
                }
                nestedOrOpaque(w, rest, scope, carry, source, name);
                redirectsOnly(w, redirs, scope, carry, source);
            }
            case "trap" -> {
                if (!rest.isEmpty() && rest.get(0).literal() && !rest.get(0).isOption()) {
                    w.nested(rest.get(0).text(), scope.copy(), carry);
                } else if (!rest.isEmpty() && !rest.get(0).literal()) {
                    w.emit(Emitter.opaqueCommand(source, "trap action is not literal", carry));
                } else {
                    Emitter e = emitter(w, scope, carry, name, words, source);
                    e.cls(CommandClass.READ_ONLY);
                    w.emit(e.build());
                }
            }
            case "alias" -> {
                Emitter e = emitter(w, scope, carry, name, words, source);
                e.cls(CommandClass.READ_ONLY);
                w.emit(e.build());
                for (Word a : rest) {
                    int eq = a.text().indexOf('=');
                    if (!a.literal()) {
                        w.emit(Emitter.opaqueCommand(source, "alias value is not literal", carry));
                    } else if (eq > 0) {
                        w.nested(a.text().substring(eq + 1), scope.copy(), carry);
                    }
                }
            }
            case "ssh" -> ssh(w, words, rest, redirs, scope, carry, source);
            case "find" -> find(w, words, rest, redirs, scope, carry, source);
            case "cd", "pushd", "popd" -> {
                Emitter e = emitter(w, scope, carry, name, words, source);
                e.cls(CommandClass.READ_ONLY);
                e.redirects(redirs);
                w.emit(e.build());
                List<Word> ops = operands(rest, Classifier.set());
                if (name.equals("popd") || ops.isEmpty() && name.equals("pushd")) {
                    scope.cwd = null;
                } else if (ops.isEmpty()) {
                    scope.cwd = w.ctx().home();
                } else if (!ops.get(0).literal() || ops.get(0).text().equals("-") || scope.cwd == null) {
                    scope.cwd = ops.get(0).literal() && ops.get(0).text().startsWith("/")
                            ? PathResolver.real(Path.of(ops.get(0).text())) : null;
                } else {
                    scope.cwd = PathResolver.real(scope.cwd.resolve(ops.get(0).text()));
                }
            }
            default -> {
                if (SHELLS.contains(name)) {
                    shell(w, name, words, rest, redirs, scope, carry, source);
                    return;
                }
                Emitter e = emitter(w, scope, carry, name, words, source);
                Classifier.classify(e, name, rest);
                if (carry.traits().contains(SimpleCommand.ARGS_FROM_STDIN) && carry.stdinText() == null
                        && !Set.of("echo", "printf", "true", "false").contains(name)) {
                    e.opaque("xargs adds arguments from its input, which the analysis cannot see");
                }
                e.redirects(redirs);
                w.emit(e.build());
            }
        }
    }

    /**
     * How a wrapper that runs another command reads its own arguments: options with a value, options
     * whose value is a whole command string, options whose value is a file written, and how many
     * operands come before the command.
     */
    private record WrapperSpec(Set<String> withArg, Set<String> commandString, Set<String> writes, int operands,
            boolean operandWritten) {
    }

    private static final java.util.Map<String, WrapperSpec> WRAPPERS = java.util.Map.ofEntries(
            java.util.Map.entry("flock", new WrapperSpec(Classifier.set("-w", "--timeout", "-E",
                    "--conflict-exit-code"), Classifier.set("-c", "--command"), Set.of(), 1, false)),
            java.util.Map.entry("strace", new WrapperSpec(Classifier.set("-o", "-e", "-p", "-s", "-u", "-a", "-E",
                    "-P", "-I", "-b", "-X", "-O", "-S", "--output"), Set.of(), Classifier.set("-o", "--output"), 0,
                    false)),
            java.util.Map.entry("ltrace", new WrapperSpec(Classifier.set("-o", "-e", "-p", "-s", "-u", "-a", "-A",
                    "-D", "-n", "-l", "-x", "-L", "--output"), Set.of(), Classifier.set("-o", "--output"), 0, false)),
            java.util.Map.entry("script", new WrapperSpec(Classifier.set("-T", "--log-out", "-O", "-I", "-B",
                    "--log-in", "--log-io", "--log-timing", "-E", "--echo", "-m", "--logging-format"),
                    Classifier.set("-c", "--command"), Classifier.set("-O", "--log-out", "-I", "--log-in", "-B",
                    "--log-io", "-T", "--log-timing"), 0, true)),
            java.util.Map.entry("valgrind", new WrapperSpec(Set.of(), Set.of(), Set.of(), 0, false)),
            java.util.Map.entry("faketime", new WrapperSpec(Classifier.set("-m", "-p", "-f"), Set.of(), Set.of(), 1,
                    false)),
            java.util.Map.entry("cpulimit", new WrapperSpec(Classifier.set("-l", "--limit", "-p", "--pid", "-e",
                    "--exe", "-c", "--cpu"), Set.of(), Set.of(), 0, false)),
            java.util.Map.entry("numactl", new WrapperSpec(Classifier.set("-C", "-N", "-m", "-i", "-p"), Set.of(),
                    Set.of(), 0, false)),
            java.util.Map.entry("runuser", new WrapperSpec(Classifier.set("-u", "--user", "-g", "--group", "-G",
                    "--supp-group", "-s", "--shell", "-w"), Classifier.set("-c", "--command"), Set.of(), 0, false)),
            java.util.Map.entry("sg", new WrapperSpec(Set.of(), Classifier.set("-c"), Set.of(), 1, false)),
            java.util.Map.entry("proxychains", new WrapperSpec(Classifier.set("-f"), Set.of(), Set.of(), 0, false)),
            java.util.Map.entry("proxychains4", new WrapperSpec(Classifier.set("-f"), Set.of(), Set.of(), 0, false)),
            java.util.Map.entry("xvfb-run", new WrapperSpec(Classifier.set("-n", "-s", "-e", "-f", "-p",
                    "--server-num", "--server-args", "--error-file", "--auth-file"), Set.of(), Set.of(), 0, false)));

    /** A program that runs the command in its arguments (flock, strace, script -c…): the inner command is
     * judged as if it stood alone, plus what the wrapper itself writes. */
    private static void wrapper(Walker w, String name, List<Word> words, List<Word> rest, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        WrapperSpec spec = WRAPPERS.getOrDefault(name, new WrapperSpec(Set.of(), Set.of(), Set.of(), 0, false));
        Emitter self = emitter(w, scope, carry, name, words, source);
        self.cls(CommandClass.READ_ONLY);
        Walker.Carry inner = carry.withWrapper(name, name.equals("runuser") || name.equals("sg")
                || name.equals("setpriv"));
        if (name.equals("proxychains") || name.equals("proxychains4") || name.equals("torsocks")) {
            self.network(name + " sends the command's connections through a proxy");
        }
        int i = 0;
        String command = null;
        boolean commandOpaque = false;
        while (i < rest.size()) {
            Word a = rest.get(i);
            String t = a.text();
            if (!a.literal()) {
                break;
            }
            if (t.equals("--")) {
                i++;
                break;
            }
            if (!t.startsWith("-") || t.equals("-")) {
                break;
            }
            int eq = t.indexOf('=');
            String opt = eq > 0 && t.startsWith("--") ? t.substring(0, eq) : t;
            Word value = eq > 0 && t.startsWith("--") ? new Word(t.substring(eq + 1), true, false, false)
                    : (spec.withArg().contains(t) || spec.commandString().contains(t)) && i + 1 < rest.size()
                            ? rest.get(++i) : null;
            if (value != null && spec.commandString().contains(opt)) {
                command = value.text();
                commandOpaque = !value.literal();
            } else if (value != null && spec.writes().contains(opt)) {
                self.write(value, true);
            }
            i++;
        }
        for (int k = 0; k < spec.operands() && i < rest.size(); k++, i++) {
            if (spec.operandWritten()) {
                self.write(rest.get(i), true);
            }
        }
        List<Word> cmd = rest.subList(Math.min(i, rest.size()), rest.size());
        if (name.equals("script") && command == null && !cmd.isEmpty()) {
            self.write(cmd.get(0), true); // the typescript file
            cmd = List.of();
            self.unknown("script without -c runs an interactive shell");
        }
        self.redirects(redirs);
        w.emit(self.build());
        if (commandOpaque) {
            w.emit(Emitter.opaqueCommand(source, name + " runs a command string the analysis cannot see", inner));
        } else if (command != null) {
            w.nested(command, scope.copy(), inner);
        }
        if (!cmd.isEmpty()) {
            run(w, cmd, List.of(), scope, inner, source);
        } else if (command == null && !name.equals("script")) {
            Emitter e = emitter(w, scope, inner, name, words, source);
            e.unknown(name + " without a command the analysis can see");
            w.emit(e.build());
        }
    }

    private static void env(Walker w, List<Word> words, List<Word> rest, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        Walker.Scope s = scope;
        int i = 0;
        Walker.Carry c = carry.withWrapper("env", false);
        while (i < rest.size()) {
            Word a = rest.get(i);
            String t = a.text();
            if (!a.literal()) {
                break;
            }
            if (t.equals("--")) {
                i++;
                break;
            }
            if (t.equals("-u") || t.equals("--unset") || t.equals("-C") || t.equals("--chdir")) {
                if ((t.equals("-C") || t.equals("--chdir")) && i + 1 < rest.size()) {
                    s = scope.copy();
                    Word d = rest.get(i + 1);
                    s.cwd = d.literal() && s.cwd != null ? PathResolver.real(s.cwd.resolve(d.text())) : null;
                }
                i += 2;
            } else if (t.equals("-S") || t.equals("--split-string") || t.startsWith("--split-string=")
                    || (t.startsWith("-S") && t.length() > 2)) {
                String str;
                if (t.startsWith("--split-string=")) {
                    str = t.substring("--split-string=".length());
                    i++;
                } else if (t.startsWith("-S") && t.length() > 2) {
                    str = t.substring(2);
                    i++;
                } else {
                    str = i + 1 < rest.size() ? rest.get(i + 1).text() : "";
                    if (i + 1 < rest.size() && !rest.get(i + 1).literal()) {
                        w.emit(Emitter.opaqueCommand(source, "env -S string is not literal", c));
                        return;
                    }
                    i += 2;
                }
                StringBuilder line = new StringBuilder(str);
                for (Word x : rest.subList(Math.min(i, rest.size()), rest.size())) {
                    line.append(' ').append(x.literal() ? quote(x.text()) : x.text());
                }
                w.nested(line.toString(), s.copy(), c);
                redirectsOnly(w, redirs, scope, carry, source);
                return;
            } else if (t.startsWith("-")) {
                i++;
            } else if (t.indexOf('=') > 0) {
                String var = t.substring(0, t.indexOf('='));
                String gitDenial = Git.envDenial(var, t.substring(t.indexOf('=') + 1));
                if (gitDenial != null) {
                    w.emit(Emitter.deniedCommand(source, Builtin.GIT_CONFIG_EXEC, gitDenial, c));
                }
                if (Emitter.isDangerousVariable(var)) {
                    c = c.withTrait(SimpleCommand.OPAQUE);
                    w.emit(Emitter.opaqueCommand(source, "env sets " + var + ", which changes what runs", c));
                }
                i++;
            } else {
                break;
            }
        }
        List<Word> inner = rest.subList(Math.min(i, rest.size()), rest.size());
        if (inner.isEmpty()) {
            Emitter e = emitter(w, s, carry, "env", words, source);
            e.cls(CommandClass.READ_ONLY);
            e.redirects(redirs);
            w.emit(e.build());
        } else {
            run(w, inner, redirs, s, c, source);
        }
    }

    private static void shell(Walker w, String name, List<Word> words, List<Word> rest, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        Walker.Carry c = carry.withWrapper(name, false);
        List<Word> args = rest;
        if (name.equals("busybox")) {
            if (rest.isEmpty()) {
                return;
            }
            run(w, rest, redirs, scope, carry.withWrapper(name, false), source);
            return;
        }
        boolean dashC = false;
        int i = 0;
        while (i < args.size()) {
            Word a = args.get(i);
            if (!a.literal()) {
                break;
            }
            String t = a.text();
            if (t.equals("--")) {
                i++;
                break;
            }
            if (t.equals("-o") || t.equals("+o") || t.equals("-O") || t.equals("+O") || t.equals("--rcfile")
                    || t.equals("--init-file")) {
                i += 2;
                continue;
            }
            if ((t.startsWith("-") || t.startsWith("+")) && t.length() > 1) {
                if (!t.startsWith("--") && t.indexOf('c') > 0) {
                    dashC = true;
                }
                i++;
                continue;
            }
            break;
        }
        List<Word> ops = args.subList(Math.min(i, args.size()), args.size());
        boolean codeFromInput = dashC ? ops.isEmpty() || !ops.get(0).literal()
                : ops.isEmpty() || !ops.get(0).literal() || STDIN_NAMES.contains(ops.get(0).text());
        if (codeFromInput && carry.traits().contains(SimpleCommand.DECODED_INPUT)) {
            w.emit(Decoders.denied(source, c, name));
            redirectsOnly(w, redirs, scope, carry, source);
            return;
        }
        if (dashC) {
            if (ops.isEmpty()) {
                w.emit(Emitter.opaqueCommand(source, name + " -c without a command string", c));
            } else if (!ops.get(0).literal()) {
                w.emit(Emitter.opaqueCommand(source, name + " -c with a string the analysis cannot see: "
                        + ops.get(0).text(), c));
            } else {
                w.nested(ops.get(0).text(), scope.copy(), c);
            }
        } else if (!ops.isEmpty()) {
            Emitter e = emitter(w, scope, c, name, words, source);
            e.unknown("runs the script " + ops.get(0).text() + ", which the analysis cannot see into");
            e.read(ops.get(0));
            w.emit(e.build());
        } else if (carry.stdinText() != null) {
            w.nested(carry.stdinText(), scope.copy(), c);
        } else {
            Emitter e = emitter(w, scope, c, name, words, source);
            e.opaque(carry.pipedFrom().isEmpty() ? "runs a shell reading commands the analysis cannot see"
                    : "runs a shell on the output of " + String.join(", ", carry.pipedFrom()));
            w.emit(e.build());
        }
        redirectsOnly(w, redirs, scope, carry, source);
    }

    private static void ssh(Walker w, List<Word> words, List<Word> rest, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        int i = skipOptions(rest, 0, Classifier.set("-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l",
                "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B", "-P"));
        Emitter e = emitter(w, scope, carry, "ssh", words, source);
        e.network("opens an ssh connection");
        String host = null;
        if (i < rest.size()) {
            Word h = rest.get(i);
            host = h.literal() ? hostOf(h.text()) : null;
            if (host != null) {
                e.host(host);
            }
            i++;
        }
        List<Word> remote = rest.subList(Math.min(i, rest.size()), rest.size());
        if (remote.isEmpty()) {
            e.unknown("opens an interactive remote shell");
        }
        for (Word x : rest) {
            if (x.literal() && (x.text().startsWith("ProxyCommand") || x.text().startsWith("LocalCommand")
                    || x.text().contains("ProxyCommand=") || x.text().contains("LocalCommand="))) {
                e.opaque("ssh option runs a local command");
            }
        }
        e.redirects(redirs);
        w.emit(e.build());
        if (!remote.isEmpty()) {
            nestedOrOpaque(w, remote, scope, carry.withWrapper("ssh", false).withRemote(host == null ? "?" : host),
                    source, "ssh");
        }
    }

    private static void find(Walker w, List<Word> words, List<Word> rest, List<Walker.Redir> redirs,
            Walker.Scope scope, Walker.Carry carry, String source) {
        Emitter e = emitter(w, scope, carry, "find", words, source);
        List<Word> starts = new ArrayList<>();
        int i = 0;
        while (i < rest.size()) {
            String t = rest.get(i).text();
            if (rest.get(i).literal() && (t.startsWith("-") || t.equals("(") || t.equals("!"))) {
                break;
            }
            starts.add(rest.get(i));
            i++;
        }
        if (starts.isEmpty()) {
            starts.add(Word.lit("."));
        }
        for (Word s : starts) {
            e.read(s);
        }
        e.cls(CommandClass.READ_ONLY);
        List<List<Word>> execs = new ArrayList<>();
        while (i < rest.size()) {
            Word a = rest.get(i);
            String t = a.text();
            switch (t) {
                case "-delete" -> {
                    for (Word s : starts) {
                        e.delete(s, true, true);
                    }
                    e.note("find -delete deletes every match");
                    i++;
                }
                case "-exec", "-execdir", "-ok", "-okdir" -> {
                    List<Word> cmd = new ArrayList<>();
                    i++;
                    while (i < rest.size() && !rest.get(i).text().equals(";") && !rest.get(i).text().equals("+")) {
                        Word x = rest.get(i);
                        if (x.literal() && x.text().contains("{}")) {
                            // {} is each match below the start points: check the start points themselves
                            for (Word s : starts) {
                                cmd.add(new Word(x.text().replace("{}", s.text()), s.literal(), s.glob(), false));
                            }
                        } else {
                            cmd.add(x);
                        }
                        i++;
                    }
                    i++;
                    execs.add(cmd);
                }
                case "-fprint", "-fprint0", "-fprintf", "-fls" -> {
                    if (i + 1 < rest.size()) {
                        e.write(rest.get(i + 1), true);
                    }
                    i += 2;
                }
                default -> i++;
            }
        }
        e.redirects(redirs);
        w.emit(e.build());
        for (List<Word> cmd : execs) {
            if (!cmd.isEmpty()) {
                run(w, cmd, List.of(), scope, carry.withWrapper("find", false).withTrait(SimpleCommand.FIND_EXEC),
                        source);
            }
        }
    }

    /** Joins literal words into a shell string and parses it; anything non-literal is opaque. */
    private static void nestedOrOpaque(Walker w, List<Word> words, Walker.Scope scope, Walker.Carry carry,
            String source, String what) {
        if (words.isEmpty()) {
            return;
        }
        if (hasNonLiteral(words)) {
            w.emit(Emitter.opaqueCommand(source, what + " runs a string the analysis cannot see", carry));
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Word x : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(x.text());
        }
        w.nested(sb.toString(), scope.copy(), carry);
    }

    private static void redirectsOnly(Walker w, List<Walker.Redir> redirs, Walker.Scope scope, Walker.Carry carry,
            String source) {
        if (!redirs.isEmpty()) {
            run(w, List.of(), redirs, scope, carry, source);
        }
    }

    static boolean hasNonLiteral(List<Word> words) {
        for (Word x : words) {
            if (!x.literal()) {
                return true;
            }
        }
        return false;
    }

    /** Index of the first operand at or after {@code i}; options in {@code withArg} consume a value. */
    static int skipOptions(List<Word> args, int i, Set<String> withArg) {
        while (i < args.size()) {
            Word a = args.get(i);
            if (!a.literal()) {
                return i;
            }
            String t = a.text();
            if (t.equals("--")) {
                return i + 1;
            }
            if (!t.startsWith("-") || t.equals("-")) {
                return i;
            }
            i += withArg.contains(t) ? 2 : 1;
        }
        return Math.min(i, args.size());
    }

    /** The non-option arguments; options in {@code withArg} consume the next word. */
    static List<Word> operands(List<Word> args, Set<String> withArg) {
        List<Word> ops = new ArrayList<>();
        boolean end = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!end && a.literal() && t.equals("--")) {
                end = true;
            } else if (!end && a.literal() && t.startsWith("-") && !t.equals("-")) {
                if (withArg.contains(t)) {
                    i++;
                }
            } else {
                ops.add(a);
            }
        }
        return ops;
    }

    /** The value of an option given as {@code -x VALUE} or {@code --long=VALUE}. */
    static @Nullable String optionValue(List<Word> args, Set<String> names, @Nullable String longEq) {
        for (int i = 0; i < args.size(); i++) {
            String t = args.get(i).text();
            if (names.contains(t) && i + 1 < args.size()) {
                return args.get(i + 1).literal() ? args.get(i + 1).text() : null;
            }
            if (longEq != null && t.startsWith(longEq)) {
                return t.substring(longEq.length());
            }
        }
        return null;
    }

    /** The host of {@code user@host}, {@code host:path}, {@code scheme://user@host:port/path}. */
    static @Nullable String hostOf(String s) {
        String t = s;
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            t = t.substring(scheme + 3);
        }
        int slash = t.indexOf('/');
        if (slash >= 0) {
            t = t.substring(0, slash);
        }
        int at = t.lastIndexOf('@');
        if (at >= 0) {
            t = t.substring(at + 1);
        }
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            return close > 0 ? t.substring(1, close).toLowerCase(Locale.ROOT) : null;
        }
        int colon = t.indexOf(':');
        if (colon >= 0) {
            t = t.substring(0, colon);
        }
        return t.isEmpty() ? null : t.toLowerCase(Locale.ROOT);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
