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

/** Archivers and compressors: tar, zip, 7z, gzip and friends. */
final class ArchiveTools implements CommandFamily {
    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, Set.of("tar", "bsdtar"), (e, n, a) -> tar(e, a));
        CommandFamily.all(t, Set.of("zip", "7z", "7za", "rar"), ArchiveTools::zip);
        CommandFamily.all(t, Set.of("gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "lz4",
                "compress", "uncompress"), ArchiveTools::compress);
        return t;
    }

    private static void zip(Emitter e, String name, List<Word> args) {
        for (Word a : args) {
            String t = a.text();
            if (t.equals("-TT") || t.startsWith("--unzip-command") || t.startsWith("-TT=")) {
                e.opaque(name + " " + t + " runs a program to test the archive");
            }
        }
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

    private static void compress(Emitter e, String name, List<Word> args) {
        boolean toStdout = hasAny(args, "-c", "--stdout", "-l", "--list", "-t", "--test");
        for (Word w : operands(args, Classifier.set("-S", "--suffix", "-T", "--threads", "-o"))) {
            e.read(w);
            if (!toStdout) {
                e.write(w, false);
            }
        }
        e.cls(READ_ONLY);
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
            if ((t.equals("-T") || t.equals("--files-from") || t.equals("-X") || t.equals("--exclude-from"))
                    && i + 1 < args.size()) {
                e.read(args.get(++i)); // a list of names, echoed back in errors
                continue;
            }
            if (t.startsWith("--files-from=") || t.startsWith("--exclude-from=")) {
                e.read(Word.lit(t.substring(t.indexOf('=') + 1)));
                continue;
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
}
