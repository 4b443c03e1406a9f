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

/** Network clients: curl, wget, nc, socat, telnet, ftp… (ssh and scp are handled as wrappers/copies). */
final class NetworkTools implements CommandFamily {
    static final Set<String> NET_CLIENTS = Classifier.set("nc", "ncat", "netcat", "socat", "telnet", "ftp", "sftp",
            "ping", "ping6", "dig", "nslookup", "host", "traceroute", "tracepath", "mtr", "nmap", "whois", "lynx",
            "w3m", "links", "aria2c", "http", "https", "xh", "curlie", "mosh", "lftp", "tftp", "rclone", "gh",
            "openssl", "websocat", "grpcurl");

    @Override
    public Map<String, Handler> handlers() {
        Map<String, Handler> t = new HashMap<>();
        t.put("curl", (e, n, a) -> curl(e, a));
        t.put("wget", (e, n, a) -> wget(e, a));
        return t;
    }

    /** The generic clients come after every other family, as they did in the original switch. */
    static Map<String, Handler> clients() {
        Map<String, Handler> t = new HashMap<>();
        CommandFamily.all(t, NET_CLIENTS, NetworkTools::netClient);
        return t;
    }

    private static String hostOrEmpty(String s) {
        String h = Dispatcher.hostOf(s);
        return h == null ? "" : h;
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
}
