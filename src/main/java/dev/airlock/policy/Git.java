package dev.airlock.policy;

import static dev.airlock.policy.CommandClass.READ_ONLY;
import static dev.airlock.policy.CommandClass.WRITE_OUTSIDE;
import static dev.airlock.policy.CommandClass.WRITE_WORKSPACE;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Classification of git: global options, config keys that run programs, and each sub-command. */
final class Git implements CommandFamily {
    // compiled once: String.matches would compile them again for every argument
    private static final Pattern FORCE_FLAGS = Pattern.compile("-[a-zA-Z]*f[a-zA-Z]*");
    private static final Pattern SCP_REMOTE = Pattern.compile("[^/\\s]+@[^/\\s]+:.*");
    Git() {
    }

    @Override
    public java.util.Map<String, Handler> handlers() {
        return java.util.Map.of("git", (e, n, a) -> classify(e, a));
    }

    private static final Set<String> READ = Classifier.set("status", "diff", "log", "show", "blame", "annotate", "shortlog",
            "describe", "rev-parse", "rev-list", "ls-files", "ls-tree", "cat-file", "grep", "show-ref",
            "for-each-ref", "name-rev", "merge-base", "count-objects", "check-ignore", "check-attr", "help",
            "version", "whatchanged", "var", "verify-commit", "verify-tag", "range-diff", "cherry", "show-branch",
            "diff-tree", "diff-files", "diff-index", "ls-remote-local", "fsck", "--version", "--help");
    private static final Set<String> NETWORK = Classifier.set("fetch", "pull", "push", "clone", "ls-remote", "submodule",
            "remote-update", "request-pull", "send-email");

    /**
     * Config keys whose value git runs as a program (or that load more config): setting one with
     * {@code git -c} or {@code git config} is running an arbitrary command.
     */
    static boolean runsProgram(String key) {
        return runsProgram(key, null);
    }

    /**
     * Whether git runs {@code value} (or something it names) as a program when {@code key} is set to it;
     * {@code value} null means unknown. An alias runs a program when it starts with {@code !} or passes
     * {@code -c}/{@code --config-env} on to git.
     */
    static boolean runsProgram(String key, @org.jspecify.annotations.Nullable String value) {
        String k = key.toLowerCase(Locale.ROOT).strip();
        if (k.startsWith("alias.")) {
            if (value == null) {
                return true;
            }
            String v = value.strip();
            return v.startsWith("!") || v.contains("-c") || v.contains("--config") || v.contains("--exec-path");
        }
        return k.startsWith("filter.") || k.startsWith("pager.") || k.startsWith("include")
                || k.startsWith("credential") || k.startsWith("gpg.") || k.startsWith("protocol.")
                || k.startsWith("uploadpack.") || k.startsWith("receivepack.") || k.startsWith("core.hookspath")
                || k.endsWith(".command") || k.endsWith(".driver") || k.endsWith(".textconv") || k.endsWith(".program")
                || k.endsWith(".helper") || k.endsWith("sshcommand") || k.endsWith("pager") || k.endsWith("editor")
                || k.endsWith("fsmonitor") || k.endsWith("askpass") || k.endsWith("proxy") || k.endsWith(".cmd")
                || k.endsWith(".tool") || k.equals("diff.external") || k.startsWith("core.alternaterefs")
                || k.equals("core.worktree") || k.startsWith("sequence.") || k.endsWith(".path") && k.startsWith("mergetool")
                || k.endsWith("uploadpack") || k.endsWith("receivepack") || k.equals("interactive.difffilter")
                || k.equals("sendemail.smtpserver") || k.equals("init.templatedir")
                || (k.startsWith("submodule.") && k.endsWith(".update")) || k.equals("core.hookspath")
                || k.startsWith("remote.") && k.endsWith(".vcs");
    }

    /** {@code key=value} given to {@code git -c} or {@code git clone -c}. */
    private static void configPair(Emitter e, String how, Word kv) {
        String text = kv.text();
        int eq = text.indexOf('=');
        String key = eq >= 0 ? text.substring(0, eq) : text;
        String value = eq >= 0 ? text.substring(eq + 1) : "";
        if (!kv.literal()) {
            e.deny(Builtin.GIT_CONFIG_EXEC, how + " " + text + " sets a key the analysis cannot see, which could "
                    + "make git run a program");
        } else if (runsProgram(key, value)) {
            e.deny(Builtin.GIT_CONFIG_EXEC, how + " " + key + " sets a key whose value git runs as a program");
        }
    }

    /**
     * Why an environment variable makes git run a program, or null: the {@code GIT_CONFIG_*} family
     * (a key, a whole parameter list, or a config file the analysis does not read) and the variables git
     * takes a program from.
     */
    static @org.jspecify.annotations.Nullable String envDenial(String var, String rawValue) {
        String value = rawValue.strip();
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            value = value.substring(1, value.length() - 1);
        }
        boolean literal = value.indexOf('$') < 0 && value.indexOf('`') < 0;
        switch (var) {
            case "GIT_CONFIG_PARAMETERS" -> {
                return value.isEmpty() ? null : var + " passes configuration to every git command it runs";
            }
            case "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM" -> {
                return value.isEmpty() || value.equals("/dev/null") ? null
                        : var + " makes git read configuration, which can run programs, from " + value;
            }
            case "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR",
                 "GIT_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EXEC_PATH", "GIT_TEMPLATE_DIR" -> {
                return value.isEmpty() ? null : var + " makes git run a program";
            }
            default -> {
                if (var.startsWith("GIT_CONFIG_KEY_") && (!literal || runsProgram(value, null))) {
                    return var + "=" + value + " sets a git key whose value git runs as a program";
                }
                return null;
            }
        }
    }

    static void classify(Emitter e, List<Word> args) {
        int i = 0;
        Path dir = e.cwd;
        boolean explicitDir = false;
        while (i < args.size()) {
            Word a = args.get(i);
            String t = a.text();
            if (!a.literal()) {
                e.opaque("git option " + t + " is not literal");
                i++;
                continue;
            }
            if (t.equals("-C") && i + 1 < args.size()) {
                Word d = args.get(i + 1);
                dir = d.literal() && dir != null ? PathResolver.real(dir.resolve(d.text())) : null;
                e.read(d);
                explicitDir = true;
                i += 2;
            } else if (t.equals("-c") && i + 1 < args.size()) {
                configPair(e, "git -c", args.get(i + 1));
                i += 2;
            } else if (t.startsWith("-c") && t.length() > 2) {
                configPair(e, "git -c", Word.lit(t.substring(2)));
                i++;
            } else if (t.equals("--config-env") || t.startsWith("--config-env=")) {
                Word kv = t.equals("--config-env") ? (i + 1 < args.size() ? args.get(++i) : Word.lit(""))
                        : new Word(t.substring("--config-env=".length()), a.literal(), false, false);
                String key = kv.text().contains("=") ? kv.text().substring(0, kv.text().indexOf('=')) : kv.text();
                if (!kv.literal() || runsProgram(key, null)) {
                    e.deny(Builtin.GIT_CONFIG_EXEC, "git --config-env " + key
                            + " sets a key whose value git runs as a program");
                }
                i++;
            } else if (t.startsWith("--exec-path=")) {
                e.deny(Builtin.GIT_CONFIG_EXEC, "git " + t + " makes git run its programs from another directory");
                i++;
            } else if (t.startsWith("--git-dir") || t.startsWith("--work-tree") || t.startsWith("--namespace")) {
                if (!t.contains("=")) {
                    i++;
                }
                explicitDir = true;
                i++;
            } else if (t.startsWith("-")) {
                i++;
            } else {
                break;
            }
        }
        List<Word> rest = args.subList(Math.min(i, args.size()), args.size());
        if (rest.isEmpty()) {
            e.cls(READ_ONLY);
            return;
        }
        String sub = rest.get(0).text();
        List<Word> sargs = rest.subList(1, rest.size());
        for (Word a : sargs) {
            String t = a.text();
            if (a.literal() && (t.startsWith("--upload-pack") || t.startsWith("--receive-pack") || t.startsWith("--exec=")
                    || t.startsWith("ext::") || t.startsWith("--ext-diff") || t.startsWith("--textconv")
                    || t.equals("-u") && (sub.equals("clone") || sub.equals("fetch") || sub.equals("ls-remote"))
                    || (sub.equals("grep") && (t.startsWith("-O") || t.startsWith("--open-files-in-pager")))
                    || (sub.equals("bisect") && t.equals("run")) || (sub.equals("rebase") && (t.equals("-x")
                    || t.startsWith("--exec"))))) {
                e.opaque("git " + sub + " " + t + " runs a program");
            }
            if (a.literal() && t.startsWith("--template") && (sub.equals("init") || sub.equals("clone"))) {
                e.deny(Builtin.GIT_CONFIG_EXEC, "git " + sub + " --template copies hooks and configuration, which "
                        + "git runs, from a directory the analysis does not read");
            }
            if (sub.equals("submodule") && a.literal() && t.equals("foreach")) {
                e.opaque("git submodule foreach runs a command in every submodule");
            }
        }
        // sub-commands that write files at a path they are given
        for (int k = 0; k < sargs.size(); k++) {
            Word a = sargs.get(k);
            String t = a.text();
            if (sub.equals("checkout-index") && t.startsWith("--prefix=")) {
                e.write(Word.lit(t.substring(9)), true);
            }
        }
        if ((sub.equals("init") || sub.equals("worktree") && Classifier.hasAny(sargs, "add"))) {
            List<Word> targets = Dispatcher.operands(sargs, Classifier.set("-b", "-B", "--template",
                    "--separate-git-dir", "--object-format", "--ref-format", "--initial-branch", "--shared",
                    "--reason"));
            for (Word w : targets) {
                if (!w.text().equals("add") || !sub.equals("worktree")) {
                    e.write(w, false);
                    break;
                }
            }
        }
        boolean inside = dir != null && e.ctx.inWorkspace(dir);
        if (dir == null) {
            e.opaque("git runs in a directory the analysis cannot resolve");
        }
        Runnable writes = () -> e.cls(inside ? WRITE_WORKSPACE : WRITE_OUTSIDE);
        if (explicitDir && !inside) {
            e.note("git works on a repository outside the workspace");
        }
        if (dir != null) {
            contentReads(e, sub, sargs);
        }
        if (READ.contains(sub)) {
            e.cls(READ_ONLY);
            for (int k = 0; k < sargs.size(); k++) {
                String t = sargs.get(k).text();
                if (t.startsWith("--output=")) {
                    e.write(Word.lit(t.substring(9)), true);
                } else if ((t.equals("--output") || t.equals("-o")) && k + 1 < sargs.size()
                        && !sub.equals("grep")) {
                    e.write(sargs.get(k + 1), true);
                }
            }
            if (sub.equals("fsck") && Classifier.hasAny(sargs, "--lost-found")) {
                writes.run();
            }
            return;
        }
        switch (sub) {
            case "branch" -> {
                if (Classifier.hasAny(sargs, "-D") || (Classifier.hasAny(sargs, "-d", "--delete")
                        && Classifier.hasAny(sargs, "-f", "--force"))) {
                    writes.run();
                    e.destructive("git branch -D deletes a branch even if it is not merged");
                } else if (sargs.isEmpty() || sargs.stream().allMatch(a -> a.text().matches(
                        "-a|-r|-v|-vv|--list|-l|--all|--remotes|--show-current|--contains|--merged|--no-merged"
                                + "|--sort=.*|--format=.*|--verbose|--color.*|--no-color"))) {
                    e.cls(READ_ONLY);
                } else {
                    writes.run();
                }
            }
            case "tag" -> {
                if (sargs.isEmpty() || Classifier.hasAny(sargs, "-l", "--list", "-n", "--contains", "--points-at")) {
                    e.cls(READ_ONLY);
                } else {
                    writes.run();
                }
            }
            case "remote" -> {
                String v = Classifier.verb(sargs);
                if (v == null || v.equals("show") || v.equals("get-url")) {
                    e.cls(READ_ONLY);
                    if ("show".equals(v)) {
                        e.network("git remote show contacts the remote");
                    }
                } else if (v.equals("update") || v.equals("prune")) {
                    e.network("git remote " + v + " fetches");
                    writes.run();
                } else {
                    writes.run();
                }
            }
            case "stash" -> {
                String v = Classifier.verb(sargs);
                if ("list".equals(v) || "show".equals(v)) {
                    e.cls(READ_ONLY);
                } else if ("drop".equals(v) || "clear".equals(v)) {
                    writes.run();
                    e.destructive("git stash " + v + " discards stashed changes");
                } else {
                    writes.run();
                }
            }
            case "worktree" -> {
                String v = Classifier.verb(sargs);
                if ("list".equals(v)) {
                    e.cls(READ_ONLY);
                } else {
                    writes.run();
                    if ("remove".equals(v) && Classifier.hasAny(sargs, "-f", "--force")) {
                        e.destructive("git worktree remove --force discards changes in the worktree");
                    }
                }
            }
            case "config" -> config(e, sargs, writes);
            case "reset" -> {
                writes.run();
                if (Classifier.hasAny(sargs, "--hard", "--merge", "--keep")) {
                    e.destructive("git reset --hard discards uncommitted changes");
                }
            }
            case "clean" -> {
                writes.run();
                if (sargs.stream().anyMatch(a -> a.text().equals("--force")
                        || (a.text().startsWith("-") && !a.text().startsWith("--") && a.text().indexOf('f') > 0))) {
                    e.destructive("git clean -f deletes untracked files");
                } else if (!Classifier.hasAny(sargs, "-n", "--dry-run")) {
                    e.note("git clean without -f refuses to delete");
                }
            }
            case "checkout" -> {
                writes.run();
                boolean dashDash = Classifier.hasAny(sargs, "--");
                if (dashDash || Classifier.hasAny(sargs, "-f", "--force", ".", "--ours", "--theirs", "-p", "--patch")) {
                    e.destructive("git checkout of paths overwrites uncommitted changes");
                }
            }
            case "restore" -> {
                writes.run();
                boolean stagedOnly = Classifier.hasAny(sargs, "--staged", "-S")
                        && !Classifier.hasAny(sargs, "--worktree", "-W");
                if (!stagedOnly) {
                    e.destructive("git restore overwrites uncommitted changes in the working tree");
                }
            }
            case "switch" -> {
                writes.run();
                if (Classifier.hasAny(sargs, "-f", "--force", "--discard-changes", "-C")) {
                    e.destructive("git switch --discard-changes throws away local changes");
                }
            }
            case "push" -> {
                e.network("git push uploads to a remote");
                e.cls(WRITE_OUTSIDE);
                hosts(e, sargs);
                if (sargs.stream().anyMatch(a -> {
                    String t = a.text();
                    return t.equals("--force") || t.equals("-f") || t.startsWith("--force-with-lease")
                            || t.equals("--force-if-includes") || t.equals("--mirror") || t.equals("--delete")
                            || t.equals("-d") || t.equals("--prune") || (t.startsWith("-") && !t.startsWith("--")
                            && t.indexOf('f') > 0) || (t.startsWith("+") && t.length() > 1)
                            || (t.startsWith(":") && t.length() > 1);
                })) {
                    e.destructive("git push --force/--delete rewrites or deletes history on the remote");
                }
            }
            case "reflog" -> {
                String v = Classifier.verb(sargs);
                if (v == null || v.equals("show") || v.equals("list") || v.equals("exists")) {
                    e.cls(READ_ONLY);
                } else {
                    writes.run();
                    e.destructive("git reflog " + v + " deletes recovery information");
                }
            }
            case "gc", "prune" -> {
                writes.run();
                if (sargs.stream().anyMatch(a -> a.text().startsWith("--prune=now") || a.text().equals("--expire")
                        || a.text().startsWith("--expire=now")) || sub.equals("prune")) {
                    e.destructive("git " + sub + " deletes unreachable objects now");
                }
            }
            case "filter-branch", "filter-repo", "replace" -> {
                writes.run();
                e.destructive("git " + sub + " rewrites history");
            }
            case "update-ref" -> {
                writes.run();
                if (Classifier.hasAny(sargs, "-d", "--stdin")) {
                    e.destructive("git update-ref -d deletes a ref");
                }
            }
            case "rm" -> {
                writes.run();
                if (Classifier.hasAny(sargs, "-f", "--force") || sargs.stream().anyMatch(
                        a -> FORCE_FLAGS.matcher(a.text()).matches())) {
                    e.destructive("git rm -f deletes files with uncommitted changes");
                }
            }
            case "clone" -> {
                e.network("git clone downloads a repository");
                hosts(e, sargs);
                List<Word> ops = Dispatcher.operands(sargs, Classifier.set("-b", "--branch", "-o", "--origin", "--depth",
                        "-c", "--config", "--reference", "--separate-git-dir", "-j", "--jobs", "--filter"));
                if (ops.size() >= 2) {
                    e.write(ops.get(1), false);
                } else {
                    e.write(Word.lit("."), false);
                }
                for (int k = 0; k < sargs.size(); k++) {
                    if ((sargs.get(k).text().equals("-c") || sargs.get(k).text().equals("--config"))
                            && k + 1 < sargs.size()) {
                        configPair(e, "git clone " + sargs.get(k).text(), sargs.get(k + 1));
                    }
                }
            }
            case "difftool", "mergetool", "bisect", "instaweb", "daemon", "web--browse", "credential", "p4", "svn",
                 "cvsimport", "send-pack", "upload-pack", "archimport", "quiltimport" ->
                    e.unknown("git " + sub + " runs other programs");
            case "archive", "format-patch", "bundle" -> {
                String out = Dispatcher.optionValue(sargs, Classifier.set("-o", "--output", "--output-directory"),
                        "--output=");
                if (out != null) {
                    e.write(Word.lit(out), true);
                } else if (sub.equals("format-patch")) {
                    writes.run();
                } else {
                    e.cls(READ_ONLY);
                }
                if (sub.equals("bundle") && Classifier.hasAny(sargs, "create")) {
                    writes.run();
                }
            }
            default -> {
                if (NETWORK.contains(sub)) {
                    e.network("git " + sub + " contacts a remote");
                    hosts(e, sargs);
                    if (!sub.equals("ls-remote")) {
                        writes.run();
                    } else {
                        e.cls(READ_ONLY);
                    }
                } else {
                    writes.run();
                }
            }
        }
    }

    private static void config(Emitter e, List<Word> sargs, Runnable writes) {
        boolean read = Classifier.hasAny(sargs, "--get", "--get-all", "--get-regexp", "-l", "--list", "get",
                "list", "--show-origin", "--name-only");
        boolean global = Classifier.hasAny(sargs, "--global", "--system", "--file", "-f");
        List<Word> ops = new java.util.ArrayList<>(Dispatcher.operands(sargs, Classifier.set("--file", "-f", "--blob",
                "--type", "--default")));
        if (ops.size() == 1) {
            // a value that starts with a dash (alias.l '-c core.pager=x log') is still the value
            int at = sargs.indexOf(ops.get(0));
            if (at >= 0 && at + 1 < sargs.size() && !sargs.get(at + 1).text().equals("--")) {
                ops.add(sargs.get(at + 1));
            }
        }
        boolean unsetVerb = !ops.isEmpty() && ops.get(0).text().equals("unset");
        if (ops.size() >= 1 && (ops.get(0).text().equals("set") || ops.get(0).text().equals("unset"))) {
            ops = ops.subList(1, ops.size());
            read = false;
        }
        if (!unsetVerb && (read || ops.size() < 2 && !Classifier.hasAny(sargs, "--unset", "--unset-all", "--add",
                "--replace-all", "--remove-section", "--rename-section", "-e", "--edit"))) {
            e.cls(READ_ONLY);
            return;
        }
        boolean removes = unsetVerb || Classifier.hasAny(sargs, "--unset", "--unset-all", "--remove-section");
        if (!removes && !ops.isEmpty() && (!ops.get(0).literal() || runsProgram(ops.get(0).text(),
                ops.size() >= 2 && ops.get(1).literal() ? ops.get(1).text() : null))) {
            e.deny(Builtin.GIT_CONFIG_EXEC, "git config " + ops.get(0).text()
                    + " sets a key whose value git runs as a program");
        }
        String file = Dispatcher.optionValue(sargs, Classifier.set("--file", "-f"), "--file=");
        if (file != null) {
            e.write(Word.lit(file), false);
        }
        if (global) {
            e.cls(WRITE_OUTSIDE).note("git config --global changes the user's git configuration");
        } else {
            writes.run();
        }
    }

    /** Sub-commands that read the content of the paths they are given (worktree, index or history). */
    private static final Set<String> CONTENT_READERS = Classifier.set("diff", "log", "show", "blame", "annotate",
            "grep", "whatchanged", "diff-files", "diff-index", "diff-tree", "hash-object", "add", "apply", "commit",
            "stash", "am", "cat-file", "archive", "format-patch", "range-diff", "checkout", "restore", "mv",
            "update-index", "notes", "tag", "merge-file", "check-attr", "rm");
    /** Options whose value is a file git reads (a message, the contents to blame, patterns, a path list). */
    private static final Set<String> FILE_VALUE = Classifier.set("-F", "--file", "--contents", "--pathspec-from-file",
            "--orderfile", "--ignore-revs-file", "--exclude-from", "--patterns-from");
    /**
     * Options that take a separate value which is not a path. Kept short on purpose: a value option
     * missing here only makes its value an operand, which is read only if it names an existing file.
     */
    private static final Set<String> OTHER_VALUE = Classifier.set("-m", "--message", "--author", "--committer",
            "--grep", "--format", "--pretty", "--since", "--until", "--after", "--before", "--date", "--skip",
            "--encoding", "--diff-filter", "--word-diff-regex", "-L");
    private static final Set<String> GREP_VALUE = Classifier.set("-e", "--regexp", "-A", "-B", "-C", "--context",
            "--after-context", "--before-context", "--max-depth", "-m", "--max-count", "--threads");

    private static boolean takesValue(String sub, String opt) {
        if (sub.equals("grep")) {
            return GREP_VALUE.contains(opt);
        }
        if ((opt.equals("-S") || opt.equals("-G")) && !sub.equals("blame")) {
            return true;
        }
        if (opt.equals("-n") && (sub.equals("log") || sub.equals("whatchanged") || sub.equals("shortlog"))) {
            return true;
        }
        return OTHER_VALUE.contains(opt);
    }

    /**
     * Every path a content-reading sub-command names is a read, under the same path rules as
     * {@code cat}: {@code REV:path} and {@code :path} (history and index), operands after {@code --},
     * operands that name an existing file, everything with {@code --no-index}, and for {@code git grep
     * --untracked/--no-index} the whole tree below each directory it searches.
     */
    private static void contentReads(Emitter e, String sub, List<Word> sargs) {
        boolean fromInput = sargs.stream().anyMatch(a -> a.literal() && (a.text().equals("--stdin")
                || a.text().equals("--stdin-paths") || a.text().startsWith("--batch")
                || a.text().equals("--pathspec-from-file=-") || a.text().equals("--paths-from-stdin")));
        if (fromInput) {
            // object names or paths come from the input: known text is checked, anything else is opaque
            String in = e.carry.stdinText();
            if (in == null) {
                e.opaque("git " + sub + " reads object names or paths from its input, which the analysis "
                        + "cannot see");
            } else {
                List<Word> named = new java.util.ArrayList<>();
                for (String token : in.strip().split("\\s+")) {
                    if (!token.isEmpty()) {
                        named.add(Word.lit(token));
                    }
                }
                contentReadsOf(e, "show", named);
            }
        }
        if (!CONTENT_READERS.contains(sub)) {
            return;
        }
        contentReadsOf(e, sub, sargs);
    }

    private static void contentReadsOf(Emitter e, String sub, List<Word> sargs) {
        boolean noIndex = Classifier.hasAny(sargs, "--no-index");
        boolean grep = sub.equals("grep");
        boolean untracked = grep && (noIndex || Classifier.hasAny(sargs, "--untracked"));
        boolean patternGiven = false;
        boolean afterDashDash = false;
        boolean patternSeen = false;
        List<Word> operands = new java.util.ArrayList<>();
        for (int k = 0; k < sargs.size(); k++) {
            Word a = sargs.get(k);
            String t = a.text();
            if (!a.literal()) {
                if (afterDashDash || noIndex) {
                    e.opaque("git " + sub + " reads a path the analysis cannot resolve: " + t);
                }
                continue;
            }
            if (!afterDashDash && t.equals("--")) {
                afterDashDash = true;
                continue;
            }
            if (!afterDashDash && t.startsWith("-") && t.length() > 1) {
                int eq = t.indexOf('=');
                String opt = eq > 0 ? t.substring(0, eq) : t;
                boolean fileValue = FILE_VALUE.contains(opt) || (grep && opt.equals("-f"))
                        || (sub.equals("blame") && opt.equals("-S"));
                if (fileValue) {
                    if (eq > 0) {
                        e.read(Word.lit(t.substring(eq + 1)));
                    } else if (k + 1 < sargs.size()) {
                        e.read(sargs.get(++k));
                    }
                    patternGiven |= grep;
                } else {
                    if (grep && (opt.equals("--regexp") || t.startsWith("-e"))) {
                        patternGiven = true;
                    }
                    if (eq < 0 && takesValue(sub, opt)) {
                        k++;
                    }
                }
                continue;
            }
            if (grep && !patternGiven && !patternSeen && !afterDashDash) {
                patternSeen = true; // the pattern, not a path
                continue;
            }
            if (!afterDashDash) {
                // REV:path and :path (:0:path, the index) read a file from history or the index
                int colon = t.indexOf(':');
                if (colon >= 0 && !t.contains("://")) {
                    String path = t.substring(colon + 1);
                    if (colon == 0 && path.matches("[0-3]:.*")) {
                        path = path.substring(2);
                    }
                    while (path.startsWith(":")) {
                        path = path.substring(1);
                    }
                    if (path.startsWith("(")) {
                        e.opaque("git pathspec magic " + t + " selects files the analysis cannot resolve");
                    } else if (!path.isEmpty() && !path.startsWith("/")) {
                        e.read(Word.lit(path));
                    }
                    continue;
                }
            }
            operands.add(a);
            if (t.startsWith(":(")) {
                e.opaque("git pathspec magic " + t + " selects files the analysis cannot resolve");
            }
        }
        for (Word a : operands) {
            String t = a.text();
            boolean pattern = !a.glob() && (t.indexOf('*') >= 0 || t.indexOf('?') >= 0 || t.indexOf('[') >= 0);
            boolean exists = e.cwd != null && java.nio.file.Files.exists(e.cwd.resolve(t),
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!(afterDashDash || noIndex || exists || pattern || a.glob())) {
                continue; // a revision or a name that is no file
            }
            Word w = pattern ? new Word(t, true, true, false) : a;
            if (untracked || (noIndex && exists && java.nio.file.Files.isDirectory(e.cwd.resolve(t)))) {
                e.readTree(w);
            } else {
                e.read(w);
            }
            if (pattern && t.startsWith("*")) {
                e.read(new Word("." + t, true, true, false)); // git's * also matches dot files
            }
        }
        if (untracked && operands.isEmpty()) {
            e.readTree(Word.lit("."));
            e.note("git grep " + (noIndex ? "--no-index" : "--untracked")
                    + " searches every file below the current directory, tracked or not");
        }
    }

    private static void hosts(Emitter e, List<Word> args) {
        for (Word a : args) {
            String t = a.text();
            if (a.literal() && (t.contains("://") || SCP_REMOTE.matcher(t).matches())) {
                String h = Dispatcher.hostOf(t);
                if (h != null) {
                    e.host(h);
                }
            }
        }
    }
}
