package dev.airlock.policy;

import static dev.airlock.policy.CommandClass.DESTRUCTIVE;
import static dev.airlock.policy.CommandClass.NETWORK;
import static dev.airlock.policy.CommandClass.PRIVILEGED;
import static dev.airlock.policy.CommandClass.READ_ONLY;
import static dev.airlock.policy.CommandClass.UNKNOWN;
import static dev.airlock.policy.CommandClass.WRITE_OUTSIDE;
import static dev.airlock.policy.CommandClass.WRITE_WORKSPACE;
import static dev.airlock.policy.Dispatcher.operands;
import static dev.airlock.policy.Dispatcher.optionValue;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Classifies one unwrapped simple command by its name and arguments. Commands it does not know are
 * {@link CommandClass#UNKNOWN}: the table only ever makes a command look more dangerous than unknown
 * (destructive, privileged) or explains it (read-only with these file reads), so a gap in the table
 * leads to a question, never to a silent allow.
 */
final class Classifier {
    private Classifier() {
    }

    /** A set that tolerates repeated elements (the tables are easier to read unsorted). */
    static Set<String> set(String... items) {
        return Set.copyOf(java.util.Arrays.asList(items));
    }

    /** Print information only; no files, no side effects. */
    private static final Set<String> INFO = Classifier.set("pwd", "echo", "printf", "true", "false", ":", "which",
            "type", "whoami", "id", "date", "uname", "uptime", "ps", "df", "free", "seq", "yes", "basename",
            "dirname", "test", "[", "[[", "expr", "sleep", "nproc", "locale", "tty", "groups", "arch", "cal",
            "history", "jobs", "help", "tput", "clear", "logname", "users", "w", "who", "lsb_release", "getconf",
            "printenv", "hash", "wait", "shift", "exit", "return", "break", "continue", "read", "getopts", "let",
            "set", "umask", "top", "htop", "lscpu", "lsblk", "lsusb", "lspci", "vmstat", "iostat", "whereis",
            "apropos", "whatis", "man", "info", "tldr", "dirs", "times", "true", "bg", "fg", "disown", "echo",
            "factor", "numfmt", "env", "sha", "pgrep", "pidof", "lsof", "fc", "ulimit", "tree-sitter");

    /** Read every operand as a file. */
    private static final Set<String> READ_FILES = Classifier.set("cat", "tac", "nl", "head", "tail", "less", "more", "wc",
            "ls", "dir", "vdir", "tree", "du", "stat", "file", "md5sum", "sha1sum", "sha224sum", "sha256sum",
            "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "shasum", "od", "hexdump", "strings", "base32",
            "base64", "diff", "diff3", "cmp", "comm", "cut", "paste", "fold", "fmt", "expand", "unexpand",
            "column", "rev", "zcat", "bzcat", "xzcat", "zless", "zmore", "lsattr", "getfacl", "namei", "readelf",
            "objdump", "nm", "pr", "join", "iconv", "bat", "batcat", "realpath", "readlink", "tr", "look",
            "sort", "uniq", "xxd", "split", "csplit", "ldd", "unzip", "zipinfo", "sqlite-utils");

    private static final Set<String> PATTERN_FIRST = Classifier.set("grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack",
            "jq", "yq", "gojq");

    private static final Set<String> PRIVILEGED_CMDS = Classifier.set("mount", "umount", "swapon", "swapoff", "modprobe",
            "insmod", "rmmod", "chroot", "useradd", "usermod", "groupadd", "groupdel", "passwd", "chpasswd",
            "visudo", "setcap", "setenforce", "ifconfig", "route", "hostnamectl", "timedatectl", "loginctl",
            "sysctl", "mknod", "losetup", "nsenter", "unshare", "capsh", "firewall-cmd", "semanage", "vipw",
            "update-alternatives", "ldconfig", "depmod", "grub-install", "update-grub", "efibootmgr");

    private static final Set<String> DISK_DESTROYERS = Classifier.set("mkfs", "mke2fs", "mkswap", "wipefs", "fdisk",
            "sfdisk", "gdisk", "sgdisk", "parted", "blkdiscard", "mkdosfs", "hdparm", "badblocks");

    private static final Set<String> POWER = Classifier.set("shutdown", "reboot", "halt", "poweroff", "kexec", "telinit");

    private static final Set<String> NET_CLIENTS = Classifier.set("nc", "ncat", "netcat", "socat", "telnet", "ftp", "sftp",
            "ping", "ping6", "dig", "nslookup", "host", "traceroute", "tracepath", "mtr", "nmap", "whois", "lynx",
            "w3m", "links", "aria2c", "http", "https", "xh", "curlie", "mosh", "lftp", "tftp", "rclone", "gh",
            "openssl", "websocat", "grpcurl");

    private static final Set<String> BUILD_TOOLS = Classifier.set("make", "mvn", "mvnw", "gradle", "gradlew", "ant", "sbt",
            "cmake", "ctest", "ninja", "bazel", "pytest", "tox", "nox", "jest", "vitest", "tsc", "eslint",
            "prettier", "javac", "java", "gcc", "g++", "cc", "clang", "rustc", "ruff", "mypy", "black", "flake8",
            "pylint", "isort", "go", "dotnet", "swift", "kotlinc", "scalac", "cargo", "npm", "npx", "yarn",
            "pnpm", "bundle", "rake", "composer", "mix", "stack", "cabal", "poetry", "uv", "pipenv", "pip",
            "pip3", "gem", "brew", "just", "task", "deno", "bun", "terraform", "tofu", "pre-commit");

    private static final Set<String> SYSTEM_PKG = Classifier.set("apt", "apt-get", "aptitude", "dnf", "yum", "zypper",
            "pacman", "apk", "snap", "flatpak", "port", "emerge", "xbps-install", "xbps-remove", "nix-env");

    private static final Set<String> REMOVE_VERBS = Classifier.set("remove", "uninstall", "purge", "autoremove", "erase",
            "rm", "un", "unlink", "del", "delete", "r", "prune", "clean");

    private static final Pattern DESTRUCTIVE_SQL = Pattern.compile(
            "(?is)\\b(drop\\s+(table|database|schema|view|index|user|role|owned|materialized|sequence|function)"
                    + "|truncate\\b|flushall\\b|flushdb\\b|dropdatabase\\s*\\(|\\.drop\\s*\\("
                    + "|alter\\s+table\\s+\\S+\\s+drop\\b)");
    private static final Pattern READ_SQL = Pattern.compile(
            "(?is)^\\s*(select|show|explain|describe|desc|pragma|with|\\\\d|\\\\l|\\.tables|\\.schema|values)\\b.*");
    private static final Pattern URL = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://.+");
    /** java.util.regex, as the String.matches it replaces; compiled once instead of per command. */
    private static final java.util.regex.Pattern VERSIONED_INTERPRETER =
            java.util.regex.Pattern.compile("python3\\.[0-9]+|perl5.*|ruby[0-9.]*");

    static void classify(Emitter e, String name, List<Word> args) {
        if (INFO.contains(name)) {
            e.cls(READ_ONLY);
            if (name.equals("date") && hasAny(args, "-s", "--set")) {
                e.cls(PRIVILEGED).note("date -s sets the system clock");
            }
            return;
        }
        if (name.startsWith("mkfs") || DISK_DESTROYERS.contains(name)) {
            e.cls(PRIVILEGED).destructive(name + " destroys the data on a disk or partition");
            for (Word w : operands(args, Classifier.set("-t", "-L", "-b", "-n", "-O"))) {
                e.write(w, false);
            }
            return;
        }
        if (POWER.contains(name) || (name.equals("init") && args.size() == 1)) {
            e.cls(PRIVILEGED).destructive(name + " stops or restarts the machine");
            return;
        }
        if (PRIVILEGED_CMDS.contains(name)) {
            e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).note(name + " changes the system configuration");
            if (name.equals("sysctl") && !hasAny(args, "-w", "--write") && args.stream().noneMatch(
                    a -> a.text().contains("="))) {
                e.cls(READ_ONLY);
            }
            return;
        }
        if (READ_FILES.contains(name)) {
            readFiles(e, name, args);
            return;
        }
        if (PATTERN_FIRST.contains(name)) {
            patternFirst(e, name, args);
            return;
        }
        if (Dispatcher.INTERPRETERS.contains(name) || VERSIONED_INTERPRETER.matcher(name).matches()) {
            e.unknown("runs " + name + " code, which the analysis cannot see into");
            List<Word> ops = operands(args, Classifier.set("-c", "-e", "-m", "-W", "-X", "-E", "-r", "-I", "-M"));
            if (!hasAny(args, "-c", "-e", "-m", "-E", "-r", "-p", "-n") && !ops.isEmpty()) {
                e.read(ops.get(0));
            }
            return;
        }
        switch (name) {
            case "source", "." -> {
                e.unknown(name + " runs a script in the current shell, which the analysis cannot see into");
                if (!args.isEmpty()) {
                    e.read(args.get(0));
                }
            }
            case "awk", "gawk", "mawk", "nawk" -> awk(e, args);
            case "sed", "gsed" -> sed(e, args);
            case "rm", "unlink" -> rm(e, name, args);
            case "rmdir" -> {
                for (Word w : operands(args, Classifier.set())) {
                    e.delete(w, false);
                }
            }
            case "shred" -> {
                e.destructive("shred overwrites file contents irrecoverably");
                for (Word w : operands(args, Classifier.set("-n", "-s", "--iterations", "--size", "--random-source"))) {
                    e.write(w, false);
                }
            }
            case "truncate" -> {
                e.destructive("truncate cuts files to a size, discarding data");
                for (Word w : operands(args, Classifier.set("-s", "-r", "--size", "--reference"))) {
                    e.write(w, false);
                }
            }
            case "touch", "mkdir", "mkfifo", "install" -> {
                for (Word w : operands(args, Classifier.set("-d", "-t", "-r", "-m", "--date", "--reference", "--mode",
                        "-o", "-g", "-S", "-Z"))) {
                    e.write(w, false);
                }
            }
            case "ln" -> {
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
                } else if (e.cwd != null) {
                    e.write(Word.lit("."), false);
                }
            }
            case "cp", "mv", "rsync", "scp" -> copy(e, name, args);
            case "chmod", "chown", "chgrp", "chattr", "setfacl" -> {
                List<Word> ops = operands(args, Classifier.set("--reference", "--from"));
                boolean reference = args.stream().anyMatch(a -> a.text().startsWith("--reference"));
                for (int i = reference ? 0 : 1; i < ops.size(); i++) {
                    e.write(ops.get(i), false);
                }
                if (recursive(args)) {
                    e.destructive(name + " -R changes every file below a directory");
                }
                if (name.equals("chmod") && !ops.isEmpty() && ops.get(0).text().matches(".*[ugo]*\\+[rwx]*s.*|[4267][0-7]{3}")) {
                    e.cls(PRIVILEGED).note("chmod sets a setuid/setgid bit");
                }
            }
            case "tee" -> {
                boolean append = hasAny(args, "-a", "--append");
                for (Word w : operands(args, Classifier.set())) {
                    e.write(w, !append);
                }
                e.cls(READ_ONLY);
            }
            case "dd" -> dd(e, args);
            case "tar", "bsdtar" -> tar(e, args);
            case "zip", "7z", "7za", "rar" -> {
                List<Word> ops = operands(args, Classifier.set("-x", "-i", "-P", "-b", "-n", "-t", "-tt"));
                int start = 0;
                if (!name.equals("zip") && !ops.isEmpty()) {
                    start = 1; // the verb (a, x, l)
                }
                if (ops.size() > start) {
                    e.write(ops.get(start), false);
                    for (int i = start + 1; i < ops.size(); i++) {
                        e.readTree(ops.get(i));
                    }
                }
            }
            case "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "lz4", "compress",
                 "uncompress" -> {
                boolean toStdout = hasAny(args, "-c", "--stdout", "-l", "--list", "-t", "--test");
                for (Word w : operands(args, Classifier.set("-S", "--suffix", "-T", "--threads", "-o"))) {
                    e.read(w);
                    if (!toStdout) {
                        e.write(w, false);
                    }
                }
                e.cls(READ_ONLY);
            }
            case "patch" -> {
                String in = optionValue(args, Classifier.set("-i", "--input"), "--input=");
                if (in != null) {
                    e.read(Word.lit(in));
                }
                String dir = optionValue(args, Classifier.set("-d", "--directory"), "--directory=");
                e.write(Word.lit(dir != null ? dir : "."), false);
            }
            case "mktemp" -> e.cls(WRITE_OUTSIDE).note("creates a temporary file");
            case "curl" -> curl(e, args);
            case "wget" -> wget(e, args);
            case "git" -> Git.classify(e, args);
            case "psql", "mysql", "mariadb", "sqlite3", "sqlite", "duckdb", "redis-cli", "mongosh", "mongo",
                 "clickhouse-client", "cockroach" -> database(e, name, args);
            case "kubectl", "oc", "helm" -> kube(e, name, args);
            case "docker", "podman", "nerdctl" -> docker(e, name, args);
            case "aws", "gcloud", "az", "doctl", "flyctl", "heroku" -> cloud(e, name, args);
            case "crontab" -> {
                if (hasAny(args, "-r", "-ri", "-ir")) {
                    e.cls(WRITE_OUTSIDE).destructive("crontab -r deletes all scheduled jobs of the user");
                } else if (hasAny(args, "-l")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note("replaces the user's scheduled jobs");
                }
            }
            case "at", "batch", "systemd-run" -> e.cls(WRITE_OUTSIDE).unknown("schedules a command to run later");
            case "systemctl", "service" -> systemctl(e, name, args);
            case "journalctl" -> {
                e.cls(READ_ONLY);
                if (args.stream().anyMatch(a -> a.text().startsWith("--vacuum") || a.text().equals("--rotate"))) {
                    e.cls(PRIVILEGED).destructive("journalctl --vacuum deletes system logs");
                }
            }
            case "iptables", "ip6tables", "iptables-legacy", "iptables-nft", "ip6tables-legacy", "ebtables" -> {
                e.cls(PRIVILEGED);
                if (hasAny(args, "-F", "--flush", "-X", "--delete-chain", "-Z")) {
                    e.destructive(name + " flushes firewall rules");
                } else if (hasAny(args, "-L", "--list", "-S", "--list-rules")) {
                    e.note("lists firewall rules");
                } else {
                    e.cls(WRITE_OUTSIDE).note("changes firewall rules");
                }
            }
            case "nft" -> {
                e.cls(PRIVILEGED);
                String joined = joined(args);
                if (joined.matches("(?s).*\\b(flush|delete|destroy)\\b.*")) {
                    e.destructive("nft flushes or deletes firewall rules");
                } else if (!joined.matches("(?s)^\\s*(-[a-zA-Z]+\\s+)*list\\b.*")) {
                    e.cls(WRITE_OUTSIDE).note("changes firewall rules");
                }
            }
            case "ufw" -> {
                e.cls(PRIVILEGED);
                if (hasAny(args, "disable", "reset")) {
                    e.destructive("ufw " + joined(args) + " turns the firewall off");
                } else if (!hasAny(args, "status")) {
                    e.cls(WRITE_OUTSIDE).note("changes firewall rules");
                }
            }
            case "ip" -> {
                String joined = joined(args);
                if (!joined.matches("(?s)^\\s*(-[a-zA-Z0-9]+\\s+)*(\\S+\\s+)?(show|list|ls|get)?\\s*$")
                        && !joined.matches("(?s).*\\b(show|list|ls)\\b.*") && !args.isEmpty()
                        && !joined.matches("(?s)^\\s*(-[a-zA-Z0-9]+\\s+)*(a|addr|address|r|route|l|link|n|neigh)\\s*$")) {
                    e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).note("changes network configuration");
                }
                e.cls(READ_ONLY);
            }
            case "kill", "pkill", "killall", "killall5", "skill" -> {
                e.cls(WRITE_OUTSIDE).note(name + " signals processes");
                if (name.equals("killall5") || args.stream().anyMatch(a -> a.text().equals("-1"))
                        && name.equals("kill") && args.size() >= 2 && args.get(args.size() - 1).text().equals("-1")) {
                    e.destructive("kills every process the user may signal");
                }
            }
            case "userdel", "groupdel", "deluser", "delgroup" -> e.cls(PRIVILEGED).destructive(name + " deletes accounts");
            case "dpkg", "rpm" -> {
                e.cls(PRIVILEGED);
                if (args.stream().anyMatch(a -> a.text().matches("-[rPe]|--remove|--purge|--erase|-[a-zA-Z]*[rPe][a-zA-Z]*"))
                        && !hasAny(args, "-l", "-L", "-s", "-q", "-qa", "-ql", "--list", "--status")) {
                    e.destructive(name + " removes packages");
                } else if (hasAny(args, "-l", "-L", "-s", "-q", "-qa", "-ql", "-qi", "--list", "--status", "-S")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note(name + " installs packages");
                }
            }
            case "vi", "vim", "nvim", "nano", "emacs", "code", "ed", "ex", "pico", "micro", "hx", "kak" -> {
                e.unknown(name + " is an interactive editor");
                for (Word w : operands(args, Classifier.set("-c", "-u", "-S"))) {
                    e.write(w, false);
                }
            }
            case "open", "xdg-open", "gio" -> e.unknown(name + " opens a file with whatever program is registered");
            default -> {
                if (NET_CLIENTS.contains(name)) {
                    netClient(e, name, args);
                } else if (SYSTEM_PKG.contains(name)) {
                    systemPackages(e, name, args);
                } else if (BUILD_TOOLS.contains(name)) {
                    buildTool(e, name, args);
                } else if (name.startsWith("mkfs.")) {
                    e.cls(PRIVILEGED).destructive("mkfs destroys the data on a partition");
                } else {
                    e.unknown(name + " is not a command the policy knows");
                }
            }
        }
    }

    // --- helpers ---

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
            case "od", "hexdump", "xxd" -> Classifier.set("-A", "-j", "-N", "-t", "-w", "-n", "-s", "-c", "-l", "-e",
                    "-f", "-o", "-g", "-C");
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
        boolean patternGiven = jq ? hasAny(args, "-f", "--from-file")
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
            }
        }
        if (remote || name.equals("scp")) {
            e.network(name + " copies over the network");
        }
        if (name.equals("rsync") && args.stream().anyMatch(a -> a.text().startsWith("--delete")
                || a.text().equals("--remove-source-files"))) {
            e.destructive("rsync --delete removes files at the destination");
        }
        if (name.equals("rsync") && (hasAny(args, "-e", "--rsh") || args.stream().anyMatch(
                a -> a.text().startsWith("--rsh=") || a.text().startsWith("--rsync-path")))) {
            e.unknown("rsync runs a custom remote shell command");
        }
        if (!e.hasClass(WRITE_WORKSPACE) && !e.hasClass(WRITE_OUTSIDE) && !e.hasClass(NETWORK)) {
            e.cls(READ_ONLY);
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

    private static void tar(Emitter e, List<Word> args) {
        String mode = "";
        String archive = null;
        String dir = null;
        List<Word> members = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!a.literal()) {
                members.add(a);
                continue;
            }
            if (t.startsWith("--to-command") || t.startsWith("--use-compress-program") || t.equals("-I")
                    || t.startsWith("--checkpoint-action") || t.startsWith("--rsh-command")
                    || t.startsWith("--info-script") || t.startsWith("--new-volume-script") || t.equals("-F")) {
                e.opaque("tar option " + t + " runs a program");
            }
            if (t.equals("--extract") || t.equals("--get")) {
                mode = "x";
            } else if (t.equals("--create")) {
                mode = "c";
            } else if (t.equals("--list")) {
                mode = "t";
            } else if (t.equals("--append") || t.equals("--update")) {
                mode = "r";
            } else if (t.startsWith("--file=")) {
                archive = t.substring(7);
            } else if (t.equals("--file") || t.equals("-f")) {
                archive = i + 1 < args.size() ? args.get(++i).text() : null;
            } else if (t.startsWith("--directory=")) {
                dir = t.substring(12);
            } else if (t.equals("-C") || t.equals("--directory")) {
                dir = i + 1 < args.size() ? args.get(++i).text() : null;
            } else if ((i == 0 && !t.startsWith("-")) || (t.startsWith("-") && !t.startsWith("--"))) {
                String bundle = t.startsWith("-") ? t.substring(1) : t;
                for (char c : bundle.toCharArray()) {
                    if ("xctru".indexOf(c) >= 0) {
                        mode = String.valueOf(c == 'u' ? 'r' : c);
                    }
                }
                if (bundle.indexOf('f') >= 0 && i + 1 < args.size()) {
                    archive = args.get(++i).text();
                }
            } else if (!t.startsWith("-")) {
                members.add(a);
            }
        }
        switch (mode) {
            case "x" -> {
                if (archive != null) {
                    e.read(Word.lit(archive));
                }
                e.write(Word.lit(dir != null ? dir : "."), true);
            }
            case "c", "r" -> {
                if (archive != null && !archive.equals("-")) {
                    e.write(Word.lit(archive), true);
                }
                for (Word m : members) {
                    e.readTree(m);
                }
            }
            default -> {
                e.cls(READ_ONLY);
                if (archive != null) {
                    e.read(Word.lit(archive));
                }
            }
        }
    }

    private static void curl(Emitter e, List<Word> args) {
        e.network("curl transfers data over the network");
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            Word next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (!a.literal()) {
                continue;
            }
            if ((t.equals("-o") || t.equals("--output")) && next != null) {
                e.write(next, true);
                i++;
            } else if (t.startsWith("--output=")) {
                e.write(Word.lit(t.substring(9)), true);
            } else if (t.equals("-O") || t.equals("--remote-name") || t.equals("--remote-name-all")
                    || t.equals("-J")) {
                e.write(Word.lit("."), false);
            } else if ((t.equals("-T") || t.equals("--upload-file") || t.equals("-K") || t.equals("--config")
                    || t.equals("-b") || t.equals("--cookie")) && next != null) {
                if (next.text().contains("/") || t.equals("-T") || t.equals("--upload-file")
                        || t.equals("-K") || t.equals("--config")) {
                    e.read(next);
                }
                i++;
            } else if ((t.equals("-d") || t.startsWith("--data") || t.equals("--json")) && next != null
                    && !t.contains("=")) {
                if (next.text().startsWith("@")) {
                    e.read(new Word(next.text().substring(1), next.literal(), next.glob(), false));
                }
                i++;
            } else if ((t.equals("-F") || t.equals("--form")) && next != null) {
                int at = next.text().indexOf("=@");
                int lt = next.text().indexOf("=<");
                int k = at >= 0 ? at : lt;
                if (k >= 0) {
                    String f = next.text().substring(k + 2);
                    int semi = f.indexOf(';');
                    e.read(new Word(semi >= 0 ? f.substring(0, semi) : f, next.literal(), false, false));
                }
                i++;
            } else if ((t.equals("-x") || t.equals("--proxy") || t.equals("-H") || t.equals("--header")
                    || t.equals("-u") || t.equals("--user") || t.equals("-A") || t.equals("-e")
                    || t.equals("-X") || t.equals("--request") || t.equals("-m") || t.equals("--max-time")
                    || t.equals("-w") || t.equals("--write-out") || t.equals("-c") || t.equals("--cookie-jar")
                    || t.equals("--connect-timeout") || t.equals("--retry") || t.equals("-r")
                    || t.equals("--resolve") || t.equals("--cacert") || t.equals("--cert") || t.equals("--key")
                    || t.equals("-E") || t.equals("--user-agent") || t.equals("--referer") || t.equals("-D")
                    || t.equals("--dump-header") || t.equals("--url") || t.equals("--output-dir"))
                    && next != null) {
                if (t.equals("-c") || t.equals("--cookie-jar") || t.equals("-D") || t.equals("--dump-header")) {
                    e.write(next, true);
                } else if (t.equals("--url")) {
                    e.host(hostOrEmpty(next.text()));
                } else if (t.equals("--output-dir")) {
                    e.write(next, false);
                } else if (t.equals("--key") || t.equals("--cert") || t.equals("-E")) {
                    e.read(next);
                }
                i++;
            } else if (!t.startsWith("-")) {
                e.host(hostOrEmpty(t));
            }
        }
    }

    private static void wget(Emitter e, List<Word> args) {
        e.network("wget downloads over the network");
        boolean wrote = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            Word next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (!a.literal()) {
                continue;
            }
            if ((t.equals("-O") || t.equals("--output-document")) && next != null) {
                if (!next.text().equals("-")) {
                    e.write(next, true);
                }
                wrote = true;
                i++;
            } else if (t.startsWith("--output-document=")) {
                String f = t.substring(18);
                if (!f.equals("-")) {
                    e.write(Word.lit(f), true);
                }
                wrote = true;
            } else if ((t.equals("-P") || t.equals("--directory-prefix")) && next != null) {
                e.write(next, false);
                wrote = true;
                i++;
            } else if ((t.equals("-o") || t.equals("-a") || t.equals("--output-file")) && next != null) {
                e.write(next, false);
                i++;
            } else if ((t.equals("-i") || t.equals("--input-file") || t.equals("--post-file")
                    || t.equals("--body-file")) && next != null) {
                e.read(next);
                i++;
            } else if (t.startsWith("--post-file=") || t.startsWith("--body-file=")) {
                e.read(Word.lit(t.substring(t.indexOf('=') + 1)));
            } else if ((t.equals("-U") || t.equals("--user-agent") || t.equals("--header") || t.equals("-e")
                    || t.equals("--execute") || t.equals("-t") || t.equals("-T") || t.equals("-w")
                    || t.equals("--user") || t.equals("--password") || t.equals("-l")) && next != null) {
                if (t.equals("-e") || t.equals("--execute")) {
                    e.unknown("wget -e runs a wgetrc command");
                }
                i++;
            } else if (!t.startsWith("-")) {
                e.host(hostOrEmpty(t));
            }
        }
        if (!wrote) {
            e.write(Word.lit("."), false);
        }
    }

    private static void netClient(Emitter e, String name, List<Word> args) {
        e.network(name + " talks to the network");
        List<Word> ops = operands(args, Classifier.set("-p", "-w", "-i", "-c", "-W", "-t", "-s", "-e", "-o", "-q", "-x",
                "-b", "-l", "-P", "-X"));
        if (name.equals("nc") || name.equals("ncat") || name.equals("netcat") || name.equals("socat")) {
            if (hasAny(args, "-e", "-c", "--exec", "--sh-exec", "--lua-exec")
                    || args.stream().anyMatch(a -> a.text().matches("(?i).*(exec|system):.*"))) {
                e.opaque(name + " runs a program connected to the network (a remote shell)");
            }
            if (hasAny(args, "-l", "--listen") || args.stream().anyMatch(a -> a.text().matches("(?i)-l[a-z]*|[a-z-]*listen.*"))) {
                e.note(name + " listens for incoming connections");
            }
        }
        if (name.equals("gh") || name.equals("rclone") || name.equals("openssl")) {
            e.unknown(name + " does many things; the analysis does not classify its sub-commands");
            if (name.equals("rclone") && hasAny(args, "delete", "purge", "deletefile", "rmdir", "rmdirs", "sync")) {
                e.destructive("rclone " + verb(args) + " deletes remote files");
            }
            if (name.equals("gh") && args.stream().anyMatch(a -> a.text().equals("delete"))) {
                e.destructive("gh ... delete removes a repository, release or resource");
            }
            return;
        }
        for (Word w : ops) {
            if (w.literal() && !w.text().matches("[0-9]+")) {
                String h = w.text().startsWith("@") ? w.text().substring(1) : w.text();
                e.host(hostOrEmpty(h));
            }
        }
    }

    private static void database(Emitter e, String name, List<Word> args) {
        String sql = switch (name) {
            case "psql" -> optionValue(args, Classifier.set("-c", "--command"), "--command=");
            case "mysql", "mariadb", "clickhouse-client" -> {
                String s = optionValue(args, Classifier.set("-e", "--execute", "-q", "--query"), "--execute=");
                if (s == null) {
                    for (Word a : args) {
                        if (a.text().startsWith("-e") && a.text().length() > 2) {
                            s = a.text().substring(2);
                        }
                    }
                }
                yield s;
            }
            case "mongosh", "mongo" -> optionValue(args, Classifier.set("--eval"), "--eval=");
            case "sqlite3", "sqlite", "duckdb" -> {
                List<Word> ops = operands(args, Classifier.set("-cmd", "-separator", "-nullvalue", "-newline", "-c"));
                if (!ops.isEmpty()) {
                    Word db = ops.get(0);
                    if (!db.text().equals(":memory:")) {
                        e.read(db);
                    }
                }
                String cmd = optionValue(args, Classifier.set("-cmd", "-c"), null);
                yield ops.size() >= 2 ? joined(ops.subList(1, ops.size())) : cmd;
            }
            case "redis-cli" -> joined(operands(args, Classifier.set("-h", "-p", "-a", "-n", "-u", "--user", "--pass",
                    "-s", "-r", "-i", "--tls", "--cacert")));
            default -> null;
        };
        boolean local = name.startsWith("sqlite") || name.equals("duckdb");
        if (!local) {
            e.network(name + " talks to a database server");
            String h = optionValue(args, Classifier.set("-h", "--host"), "--host=");
            if (h != null) {
                e.host(h);
            }
        }
        String f = optionValue(args, Classifier.set("-f", "--file"), "--file=");
        if (f != null) {
            e.read(Word.lit(f));
            e.unknown(name + " runs the statements in " + f);
        }
        if (sql == null || sql.isBlank()) {
            if (f == null) {
                e.unknown(name + " runs statements from its input or an interactive session");
            }
            return;
        }
        if (local && sql.matches("(?s).*(^|\\s|;)\\.(shell|system|once|output|save|backup|import|load|cd)\\b.*")) {
            e.opaque(name + " dot-command can run programs or write files");
        }
        if (DESTRUCTIVE_SQL.matcher(sql).find() || deletesWithoutWhere(sql)
                || (name.equals("redis-cli") && sql.matches("(?is)^\\s*(del|unlink|flushall|flushdb)\\b.*"))) {
            e.destructive(name + " statement drops, truncates or mass-deletes data: " + sql.strip());
        } else if (READ_SQL.matcher(sql).matches() || (name.equals("redis-cli")
                && sql.matches("(?is)^\\s*(get|keys|scan|info|ping|ttl|type|exists|hget|hgetall|lrange|smembers)\\b.*"))) {
            e.cls(READ_ONLY);
        } else {
            e.cls(local ? WRITE_WORKSPACE : WRITE_OUTSIDE).note(name + " statement changes data");
        }
    }

    private static boolean deletesWithoutWhere(String sql) {
        for (String stmt : sql.split(";")) {
            String s = stmt.toLowerCase(Locale.ROOT);
            if ((s.matches("(?s)\\s*delete\\s+from\\b.*") || s.matches("(?s)\\s*update\\s+\\S+\\s+set\\b.*"))
                    && !s.contains(" where ")) {
                return true;
            }
        }
        return false;
    }

    private static void kube(Emitter e, String name, List<Word> args) {
        e.network(name + " talks to a cluster");
        String v = verb(operands(args, Classifier.set("-n", "--namespace", "--context", "--kubeconfig", "-o", "-l",
                "--selector", "-c", "--container", "-f", "--filename", "--cluster", "--user")));
        if (v == null) {
            e.unknown(name + " with a sub-command the analysis cannot see");
            return;
        }
        if (name.equals("helm")) {
            switch (v) {
                case "uninstall", "delete", "del", "un" -> e.destructive("helm uninstall removes a release");
                case "list", "ls", "status", "get", "show", "template", "lint", "search", "version", "history",
                     "env", "dependency", "verify", "repo" -> e.cls(READ_ONLY);
                case "rollback" -> e.cls(WRITE_OUTSIDE).note("helm rollback replaces a release");
                default -> e.cls(WRITE_OUTSIDE).note("helm changes cluster state");
            }
            return;
        }
        switch (v) {
            case "delete" -> e.cls(WRITE_OUTSIDE).destructive(name + " delete removes cluster resources");
            case "drain" -> e.cls(WRITE_OUTSIDE).destructive(name + " drain evicts every pod from a node");
            case "replace" -> {
                e.cls(WRITE_OUTSIDE);
                if (hasAny(args, "--force")) {
                    e.destructive(name + " replace --force deletes and recreates resources");
                }
            }
            case "get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions",
                 "cluster-info", "auth", "events", "diff" -> e.cls(READ_ONLY);
            case "config" -> {
                if (hasAny(args, "view", "get-contexts", "current-context", "get-clusters")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note("changes the kubeconfig");
                }
            }
            case "exec", "run", "debug", "attach", "cp", "port-forward", "proxy" ->
                    e.cls(WRITE_OUTSIDE).unknown(name + " " + v + " runs commands or opens access in the cluster");
            default -> {
                e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes cluster state");
                if (v.equals("scale") && args.stream().anyMatch(a -> a.text().matches("--replicas=0"))) {
                    e.destructive(name + " scale --replicas=0 stops a workload");
                }
            }
        }
    }

    private static void docker(Emitter e, String name, List<Word> args) {
        List<Word> ops = operands(args, Classifier.set("-H", "--host", "--context", "--config", "-c", "-l", "--log-level"));
        String v = verb(ops);
        if (v == null) {
            e.unknown(name + " with a sub-command the analysis cannot see");
            return;
        }
        String second = ops.size() > 1 ? ops.get(1).text() : "";
        String joined = joined(args);
        boolean removes = switch (v) {
            case "rm", "rmi", "kill" -> true;
            case "system", "volume", "image", "container", "network", "builder", "buildx", "plugin", "secret",
                 "config", "context", "node", "service", "stack" ->
                    second.equals("prune") || second.equals("rm") || second.equals("remove")
                            || second.equals("rmi");
            case "compose" -> joined.matches("(?s).*\\bdown\\b.*(-v|--volumes|--rmi).*") || second.equals("rm");
            default -> false;
        };
        if (removes) {
            e.cls(WRITE_OUTSIDE).destructive(name + " " + v + " " + second + " deletes containers, images or volumes");
            return;
        }
        switch (v) {
            case "ps", "images", "logs", "inspect", "version", "info", "stats", "top", "history", "port", "diff",
                 "events", "search" -> e.cls(READ_ONLY);
            case "run", "exec", "create", "start" -> {
                e.cls(WRITE_OUTSIDE).unknown(name + " " + v + " runs a program in a container");
                if (joined.contains("--privileged") || joined.matches("(?s).*(-v|--volume)[ =]/:.*")
                        || joined.contains("--pid=host") || joined.contains("--net=host")
                        || joined.contains("--network=host") || joined.contains("docker.sock")) {
                    e.cls(PRIVILEGED).note("the container gets host privileges or the host file system");
                }
            }
            case "pull", "push", "login", "build" -> e.network(name + " " + v + " uses a registry").cls(WRITE_OUTSIDE);
            default -> {
                if (second.equals("ls") || second.equals("list") || second.equals("inspect")) {
                    e.cls(READ_ONLY);
                } else {
                    e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes container state");
                }
            }
        }
    }

    private static void cloud(Emitter e, String name, List<Word> args) {
        e.network(name + " calls a cloud API");
        boolean destroys = false;
        boolean reads = false;
        for (Word a : args) {
            String t = a.text().toLowerCase(Locale.ROOT);
            if (t.equals("delete") || t.startsWith("delete-") || t.equals("rm") || t.equals("rb")
                    || t.startsWith("terminate") || t.equals("destroy") || t.equals("remove") || t.equals("purge")
                    || t.startsWith("deregister")) {
                destroys = true;
            }
            if (t.equals("list") || t.startsWith("describe") || t.startsWith("get") || t.equals("ls")
                    || t.startsWith("list-") || t.equals("show")) {
                reads = true;
            }
        }
        if (destroys) {
            e.cls(WRITE_OUTSIDE).destructive(name + " deletes cloud resources");
        } else if (reads) {
            e.cls(READ_ONLY);
        } else {
            e.cls(WRITE_OUTSIDE).note(name + " may change cloud resources");
        }
    }

    private static void systemctl(Emitter e, String name, List<Word> args) {
        String v = verb(operands(args, Classifier.set("-t", "--type", "-p", "--property", "-H", "--host", "-M", "-n")));
        if (name.equals("service")) {
            List<Word> ops = operands(args, Classifier.set());
            v = ops.size() >= 2 ? ops.get(1).text() : ops.isEmpty() ? null : "status";
        }
        if (v == null) {
            e.cls(READ_ONLY);
            return;
        }
        switch (v) {
            case "status", "is-active", "is-enabled", "is-failed", "list-units", "list-unit-files", "show", "cat",
                 "list-timers", "list-sockets", "list-dependencies", "--status-all" -> e.cls(READ_ONLY);
            case "poweroff", "reboot", "halt", "kexec", "suspend", "hibernate", "hybrid-sleep", "rescue",
                 "emergency", "soft-reboot" -> e.cls(PRIVILEGED).destructive(name + " " + v + " stops the machine");
            default -> e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).note(name + " " + v + " changes services");
        }
    }

    private static void systemPackages(Emitter e, String name, List<Word> args) {
        String v = verb(args);
        String joined = joined(args);
        boolean removes = (v != null && REMOVE_VERBS.contains(v) && !v.equals("clean"))
                || (name.equals("pacman") && joined.matches("(?s)(.*\\s)?-R[a-zA-Z]*.*"))
                || name.equals("xbps-remove")
                || (name.equals("nix-env") && hasAny(args, "-e", "--uninstall"));
        if (removes) {
            e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).destructive(name + " removes system packages");
            return;
        }
        if (v != null && Classifier.set("list", "search", "show", "info", "policy", "madison", "depends", "rdepends",
                "provides", "query", "-Q", "-Ss", "-Qi", "-Si").contains(v)
                || (name.equals("pacman") && joined.matches("(?s)(.*\\s)?-[QS][siql]+.*"))) {
            e.cls(READ_ONLY);
            return;
        }
        e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).network(name + " installs or updates system packages");
    }

    private static void buildTool(Emitter e, String name, List<Word> args) {
        String v = verb(args);
        boolean pkg = Classifier.set("npm", "yarn", "pnpm", "pip", "pip3", "gem", "cargo", "brew", "composer", "poetry",
                "uv", "pipenv", "bun", "deno", "go", "bundle", "mix").contains(name);
        if (pkg && v != null && REMOVE_VERBS.contains(v) && !v.equals("clean") && !v.equals("r")) {
            e.destructive(name + " " + v + " removes packages");
            e.cls(name.equals("pip") || name.equals("pip3") || name.equals("gem") || name.equals("brew")
                    || hasAny(args, "-g", "--global") ? WRITE_OUTSIDE : WRITE_WORKSPACE);
            return;
        }
        if ((name.equals("terraform") || name.equals("tofu"))) {
            e.network(name + " talks to providers");
            if ("destroy".equals(v) || hasAny(args, "-destroy") || ("state".equals(v) && hasAny(args, "rm"))
                    || ("workspace".equals(v) && hasAny(args, "delete"))) {
                e.cls(WRITE_OUTSIDE).destructive(name + " destroys infrastructure");
            } else if (v != null && Classifier.set("plan", "validate", "fmt", "show", "output", "version", "providers",
                    "graph", "console").contains(v)) {
                e.cls(READ_ONLY);
            } else {
                e.cls(WRITE_OUTSIDE).note(name + " " + v + " changes infrastructure");
            }
            return;
        }
        if (pkg && v != null && Classifier.set("install", "i", "add", "ci", "update", "upgrade", "get", "fetch", "sync")
                .contains(v)) {
            e.network(name + " " + v + " downloads packages");
            e.cls(name.equals("pip") || name.equals("pip3") || name.equals("gem") || name.equals("brew")
                    || hasAny(args, "-g", "--global", "--user") || (name.equals("cargo") && v.equals("install"))
                    || (name.equals("go") && v.equals("install")) ? WRITE_OUTSIDE : WRITE_WORKSPACE);
            e.unknown(name + " " + v + " may run package install scripts");
            return;
        }
        if (name.equals("npx") || (name.equals("pnpm") && "dlx".equals(v)) || (name.equals("yarn") && "dlx".equals(v))) {
            e.network(name + " may download and run a package");
        }
        if (name.equals("pip") || name.equals("pip3")) {
            if (v != null && Classifier.set("list", "show", "freeze", "check", "search", "index").contains(v)) {
                e.cls(READ_ONLY);
                return;
            }
        }
        if ((name.equals("npm") || name.equals("pnpm") || name.equals("yarn")) && v != null
                && Classifier.set("ls", "list", "view", "info", "outdated", "why", "explain", "audit").contains(v)) {
            e.cls(READ_ONLY);
            return;
        }
        if (name.equals("go") && v != null && Classifier.set("version", "env", "list", "doc", "vet", "fmt").contains(v)) {
            e.cls(v.equals("fmt") ? WRITE_WORKSPACE : READ_ONLY);
            return;
        }
        if (pkg && "publish".equals(v)) {
            e.network(name + " publish uploads a package").cls(WRITE_OUTSIDE);
            return;
        }
        e.unknown(name + " runs project code (build scripts, tests)");
        e.write(Word.lit("."), false);
    }
}
