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
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("alias.") || k.startsWith("filter.") || k.startsWith("pager.") || k.startsWith("include")
                || k.startsWith("credential") || k.startsWith("gpg.") || k.startsWith("protocol.")
                || k.startsWith("uploadpack.") || k.startsWith("receivepack.") || k.startsWith("core.hookspath")
                || k.endsWith(".command") || k.endsWith(".driver") || k.endsWith(".textconv") || k.endsWith(".program")
                || k.endsWith(".helper") || k.endsWith("sshcommand") || k.endsWith("pager") || k.endsWith("editor")
                || k.endsWith("fsmonitor") || k.endsWith("askpass") || k.endsWith("proxy") || k.endsWith(".cmd")
                || k.endsWith(".tool") || k.equals("diff.external") || k.startsWith("core.alternaterefs")
                || k.equals("core.worktree") || k.startsWith("sequence.") || k.endsWith(".path") && k.startsWith("mergetool");
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
                String kv = args.get(i + 1).text();
                String key = kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv;
                if (runsProgram(key) || !args.get(i + 1).literal()) {
                    e.opaque("git -c " + key + " makes git run a program");
                }
                i += 2;
            } else if (t.startsWith("--config-env") || t.startsWith("--exec-path=")) {
                e.opaque("git " + t + " can make git run a program");
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
                    || (sub.equals("bisect") && t.equals("run")) || (sub.equals("rebase") && (t.equals("-x")
                    || t.startsWith("--exec"))))) {
                e.opaque("git " + sub + " " + t + " runs a program");
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
        if (READ.contains(sub)) {
            e.cls(READ_ONLY);
            for (Word a : sargs) {
                // REV:path reads a file from history: the same path rules apply to it
                String t = a.text();
                int colon = t.indexOf(':');
                if (a.literal() && colon >= 0 && colon < t.length() - 1 && !t.startsWith("-")
                        && !t.contains("://") && dir != null) {
                    e.read(Word.lit(t.substring(colon + 1)));
                }
            }
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
                        String kv = sargs.get(k + 1).text();
                        if (runsProgram(kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv)) {
                            e.opaque("git clone -c sets a key that runs a program");
                        }
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
        List<Word> ops = Dispatcher.operands(sargs, Classifier.set("--file", "-f", "--blob", "--type", "--default"));
        if (ops.size() >= 1 && (ops.get(0).text().equals("set") || ops.get(0).text().equals("unset"))) {
            ops = ops.subList(1, ops.size());
            read = false;
        }
        if (read || ops.size() < 2 && !Classifier.hasAny(sargs, "--unset", "--unset-all", "--add",
                "--replace-all", "--remove-section", "--rename-section", "-e", "--edit")) {
            e.cls(READ_ONLY);
            return;
        }
        if (!ops.isEmpty() && runsProgram(ops.get(0).text())) {
            e.opaque("git config " + ops.get(0).text() + " makes git run a program");
        }
        if (global) {
            e.cls(WRITE_OUTSIDE).note("git config --global changes the user's git configuration");
        } else {
            writes.run();
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
