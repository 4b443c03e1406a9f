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

/**
 * System administration: information commands, disks, power, privileged configuration, firewalls,
 * processes, services, scheduled jobs and system package managers.
 */
final class SystemTools implements CommandFamily {
    /** Print information only; no files, no side effects. */
    static final Set<String> INFO = Classifier.set("pwd", "echo", "printf", "true", "false", ":", "which",
            "type", "whoami", "id", "date", "uname", "uptime", "ps", "df", "free", "seq", "yes", "basename",
            "dirname", "test", "[", "[[", "expr", "sleep", "nproc", "locale", "tty", "groups", "arch", "cal",
            "history", "jobs", "help", "tput", "clear", "logname", "users", "w", "who", "lsb_release", "getconf",
            "printenv", "hash", "wait", "shift", "exit", "return", "break", "continue", "read", "getopts", "let",
            "set", "umask", "top", "htop", "lscpu", "lsblk", "lsusb", "lspci", "vmstat", "iostat", "whereis",
            "apropos", "whatis", "man", "info", "tldr", "dirs", "times", "true", "bg", "fg", "disown", "echo",
            "factor", "numfmt", "env", "sha", "pgrep", "pidof", "lsof", "fc", "ulimit", "tree-sitter");

    static final Set<String> PRIVILEGED_CMDS = Classifier.set("mount", "umount", "swapon", "swapoff", "modprobe",
            "insmod", "rmmod", "chroot", "useradd", "usermod", "groupadd", "groupdel", "passwd", "chpasswd",
            "visudo", "setcap", "setenforce", "ifconfig", "route", "hostnamectl", "timedatectl", "loginctl",
            "sysctl", "mknod", "losetup", "nsenter", "unshare", "capsh", "firewall-cmd", "semanage", "vipw",
            "update-alternatives", "ldconfig", "depmod", "grub-install", "update-grub", "efibootmgr");

    static final Set<String> DISK_DESTROYERS = Classifier.set("mkfs", "mke2fs", "mkswap", "wipefs", "fdisk",
            "sfdisk", "gdisk", "sgdisk", "parted", "blkdiscard", "mkdosfs", "hdparm", "badblocks");

    static final Set<String> POWER = Classifier.set("shutdown", "reboot", "halt", "poweroff", "kexec", "telinit");

    static final Set<String> SYSTEM_PKG = Classifier.set("apt", "apt-get", "aptitude", "dnf", "yum", "zypper",
            "pacman", "apk", "snap", "flatpak", "port", "emerge", "xbps-install", "xbps-remove", "nix-env");

    /** Information, disks, power and privileged configuration: these names win over every other family. */
    static Map<String, Handler> first() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, INFO, (e, name, args) -> {
            e.cls(READ_ONLY);
            if (name.equals("date") && hasAny(args, "-s", "--set")) {
                e.cls(PRIVILEGED).note("date -s sets the system clock");
            }
            if (name.equals("date") || name.equals("man")) {
                infoFiles(e, name, args);
            }
        });
        CommandFamily.all(t, DISK_DESTROYERS, SystemTools::disk);
        CommandFamily.all(t, POWER, SystemTools::power);
        t.put("init", (e, name, args) -> {
            if (args.size() == 1) {
                power(e, name, args);
            } else {
                e.unknown(name + " is not a command the policy knows");
            }
        });
        CommandFamily.all(t, PRIVILEGED_CMDS, (e, name, args) -> {
            e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).note(name + " changes the system configuration");
            if (name.equals("sysctl") && (hasAny(args, "-w", "--write", "-p", "--load", "--system")
                    || args.stream().anyMatch(a -> a.text().contains("=") || a.text().startsWith("--load")))) {
                e.deny(Builtin.SYSTEM_WRITE, "sysctl " + joined(args) + " changes kernel settings (/proc/sys)");
            }
            if (name.equals("sysctl") && !hasAny(args, "-w", "--write") && args.stream().noneMatch(
                    a -> a.text().contains("="))) {
                e.cls(READ_ONLY);
            }
        });
        return t;
    }

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        t.put("mktemp", (e, n, a) -> e.cls(WRITE_OUTSIDE).note("creates a temporary file"));
        t.put("crontab", (e, n, args) -> {
            if (hasAny(args, "-r", "-ri", "-ir")) {
                e.cls(WRITE_OUTSIDE).destructive("crontab -r deletes all scheduled jobs of the user");
            } else if (hasAny(args, "-l")) {
                e.cls(READ_ONLY);
            } else {
                e.cls(WRITE_OUTSIDE).note("replaces the user's scheduled jobs");
            }
        });
        CommandFamily.all(t, Set.of("at", "batch", "systemd-run"),
                (e, n, a) -> e.cls(WRITE_OUTSIDE).unknown("schedules a command to run later"));
        CommandFamily.all(t, Set.of("systemctl", "service"), SystemTools::systemctl);
        t.put("journalctl", (e, n, args) -> {
            e.cls(READ_ONLY);
            if (args.stream().anyMatch(a -> a.text().startsWith("--vacuum") || a.text().equals("--rotate"))) {
                e.cls(PRIVILEGED).destructive("journalctl --vacuum deletes system logs");
            }
        });
        CommandFamily.all(t, Set.of("iptables", "ip6tables", "iptables-legacy", "iptables-nft", "ip6tables-legacy",
                "ebtables"), (e, name, args) -> {
                    e.cls(PRIVILEGED);
                    if (hasAny(args, "-F", "--flush", "-X", "--delete-chain", "-Z")) {
                        e.destructive(name + " flushes firewall rules");
                    } else if (hasAny(args, "-L", "--list", "-S", "--list-rules")) {
                        e.note("lists firewall rules");
                    } else {
                        e.cls(WRITE_OUTSIDE).note("changes firewall rules");
                    }
                });
        t.put("nft", (e, name, args) -> {
            e.cls(PRIVILEGED);
            String joined = joined(args);
            if (joined.matches("(?s).*\\b(flush|delete|destroy)\\b.*")) {
                e.destructive("nft flushes or deletes firewall rules");
            } else if (!joined.matches("(?s)^\\s*(-[a-zA-Z]+\\s+)*list\\b.*")) {
                e.cls(WRITE_OUTSIDE).note("changes firewall rules");
            }
        });
        t.put("ufw", (e, name, args) -> {
            e.cls(PRIVILEGED);
            if (hasAny(args, "disable", "reset")) {
                e.destructive("ufw " + joined(args) + " turns the firewall off");
            } else if (!hasAny(args, "status")) {
                e.cls(WRITE_OUTSIDE).note("changes firewall rules");
            }
        });
        t.put("ip", (e, name, args) -> {
            String joined = joined(args);
            if (!joined.matches("(?s)^\\s*(-[a-zA-Z0-9]+\\s+)*(\\S+\\s+)?(show|list|ls|get)?\\s*$")
                    && !joined.matches("(?s).*\\b(show|list|ls)\\b.*") && !args.isEmpty()
                    && !joined.matches("(?s)^\\s*(-[a-zA-Z0-9]+\\s+)*(a|addr|address|r|route|l|link|n|neigh)\\s*$")) {
                e.cls(PRIVILEGED).cls(WRITE_OUTSIDE).note("changes network configuration");
            }
            e.cls(READ_ONLY);
        });
        CommandFamily.all(t, Set.of("kill", "pkill", "killall", "killall5", "skill"), (e, name, args) -> {
            e.cls(WRITE_OUTSIDE).note(name + " signals processes");
            if (name.equals("killall5") || args.stream().anyMatch(a -> a.text().equals("-1"))
                    && name.equals("kill") && args.size() >= 2 && args.get(args.size() - 1).text().equals("-1")) {
                e.destructive("kills every process the user may signal");
            }
        });
        CommandFamily.all(t, Set.of("userdel", "groupdel", "deluser", "delgroup"),
                (e, name, args) -> e.cls(PRIVILEGED).destructive(name + " deletes accounts"));
        CommandFamily.all(t, Set.of("dpkg", "rpm"), (e, name, args) -> {
            e.cls(PRIVILEGED);
            if (args.stream().anyMatch(a -> a.text().matches("-[rPe]|--remove|--purge|--erase|-[a-zA-Z]*[rPe][a-zA-Z]*"))
                    && !hasAny(args, "-l", "-L", "-s", "-q", "-qa", "-ql", "--list", "--status")) {
                e.destructive(name + " removes packages");
            } else if (hasAny(args, "-l", "-L", "-s", "-q", "-qa", "-ql", "-qi", "--list", "--status", "-S")) {
                e.cls(READ_ONLY);
            } else {
                e.cls(WRITE_OUTSIDE).note(name + " installs packages");
            }
        });
        return t;
    }

    /** System package managers come after the network clients, as in the original order. */
    static Map<String, Handler> packages() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, SYSTEM_PKG, SystemTools::systemPackages);
        return t;
    }

    @Override
    public @Nullable Handler byShape(String name) {
        return name.startsWith("mkfs") ? SystemTools::disk : null;
    }

    /** Arguments that only print help or a version: the program changes nothing. */
    private static final Set<String> HELP = Classifier.set("--help", "-h", "-?", "--version", "-V", "--usage");
    /** Arguments of disk tools that only list partitions or simulate. */
    private static final Set<String> LIST = Classifier.set("-l", "--list", "-s", "--show", "--print", "print",
            "--dry-run", "--noact", "-n", "--no-act", "--verify", "--info", "-i", "--backup", "-b");

    /** date -f FILE and man -l FILE read files; man -P/-H run a pager or browser. */
    private static void infoFiles(Emitter e, String name, List<Word> args) {
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            Word next = i + 1 < args.size() ? args.get(i + 1) : null;
            if (name.equals("date") && (t.equals("-f") || t.equals("--file")) && next != null) {
                e.read(next);
            } else if (name.equals("date") && (t.startsWith("--file=") || t.startsWith("-f") && t.length() > 2)) {
                e.read(Word.lit(t.startsWith("--file=") ? t.substring(7) : t.substring(2)));
            } else if (name.equals("man") && (t.equals("-P") || t.startsWith("--pager") || t.equals("-H")
                    || t.startsWith("--html") || t.startsWith("-P") || t.equals("-X") || t.startsWith("--gxditview"))) {
                e.opaque("man " + t + " runs a program of the caller's choosing");
            } else if (name.equals("man") && !t.startsWith("-") && (t.indexOf('/') >= 0 || hasAny(args, "-l",
                    "--local-file"))) {
                e.read(a);
            }
        }
    }

    static void disk(Emitter e, String name, List<Word> args) {
        boolean literal = args.stream().allMatch(Word::literal);
        if (literal && !args.isEmpty() && args.stream().allMatch(a -> HELP.contains(a.text()))) {
            e.cls(READ_ONLY).note(name + " " + joined(args) + " only prints help or its version");
            return;
        }
        boolean lister = name.equals("fdisk") || name.equals("sfdisk") || name.equals("gdisk")
                || name.equals("sgdisk") || name.equals("parted") || name.equals("wipefs");
        boolean dryRun = name.startsWith("mk") && hasAny(args, "-n", "--dry-run", "--noact");
        if (literal && !args.isEmpty() && (dryRun || lister && args.stream().anyMatch(a -> LIST.contains(a.text()))
                && args.stream().allMatch(a -> LIST.contains(a.text()) || a.text().startsWith("/")
                        || a.text().startsWith("./")))) {
            e.cls(PRIVILEGED).cls(READ_ONLY).note(name + " " + joined(args) + " only lists or simulates");
            return;
        }
        List<Word> targets = operands(args, Classifier.set("-t", "-L", "-b", "-O", "-C", "-N", "-E", "-T", "-U",
                "-I", "-i", "-m", "-r", "-o", "-G", "-g", "-d", "-e", "-z", "-J", "-M"));
        boolean imagesOnly = literal && !targets.isEmpty()
                && args.stream().noneMatch(a -> a.text().contains("/dev/") || a.text().startsWith("/proc/"));
        for (Word w : targets) {
            for (java.nio.file.Path p : e.paths(w)) {
                imagesOnly &= e.ctx.inWorkspace(p) && !p.toString().startsWith("/dev/")
                        && (java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.exists(p));
            }
        }
        if (imagesOnly) {
            e.cls(WRITE_WORKSPACE).note(name + " formats an image file in the workspace, not a disk");
            for (Word w : targets) {
                e.write(w, true);
            }
            return;
        }
        e.cls(PRIVILEGED).destructive(name + " destroys the data on a disk or partition");
        for (Word w : targets) {
            e.write(w, false);
        }
    }

    private static void power(Emitter e, String name, List<Word> args) {
        if (!args.isEmpty() && args.stream().allMatch(a -> a.literal() && HELP.contains(a.text()))) {
            e.cls(READ_ONLY).note(name + " " + joined(args) + " only prints help or its version");
            return;
        }
        e.cls(PRIVILEGED).destructive(name + " stops or restarts the machine");
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
        boolean removes = (v != null && InfraTools.REMOVE_VERBS.contains(v) && !v.equals("clean"))
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
}
