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

    /** What an option's value is to the analysis. */
    private enum Value {
        /** A file written (or overwritten). */
        OUT,
        /** A directory written into. */
        OUT_DIR,
        /** A log file written; the download still goes to the current directory. */
        LOG,
        /** A command for the tool's own configuration language (wget -e). */
        EXECUTE,
        /** A file read. */
        READ,
        /** A file read that also holds options (curl -K, wget --config): the analysis cannot see them. */
        CONFIG,
        /** {@code @file} or {@code name@file} reads the file; anything else is literal data. */
        DATA,
        /** {@code name=@file} or {@code name=<file} reads the file (multipart form). */
        FORM,
        /** A file when it holds no {@code =} (curl -b). */
        COOKIE,
        /** A URL. */
        URL,
        /** Some other value. */
        OTHER
    }

    private static final Map<String, Value> CURL_LONG = Map.ofEntries(
            Map.entry("output", Value.OUT), Map.entry("output-dir", Value.OUT_DIR),
            Map.entry("cookie-jar", Value.OUT), Map.entry("dump-header", Value.OUT), Map.entry("trace", Value.OUT),
            Map.entry("trace-ascii", Value.OUT), Map.entry("stderr", Value.OUT), Map.entry("libcurl", Value.OUT),
            Map.entry("etag-save", Value.OUT), Map.entry("hsts", Value.OUT), Map.entry("alt-svc", Value.OUT),
            Map.entry("upload-file", Value.READ), Map.entry("netrc-file", Value.READ), Map.entry("key", Value.READ),
            Map.entry("cert", Value.READ), Map.entry("cacert", Value.READ), Map.entry("capath", Value.READ),
            Map.entry("crlfile", Value.READ), Map.entry("proxy-key", Value.READ), Map.entry("proxy-cert", Value.READ),
            Map.entry("proxy-cacert", Value.READ), Map.entry("etag-compare", Value.READ),
            Map.entry("unix-socket", Value.READ), Map.entry("abstract-unix-socket", Value.OTHER),
            Map.entry("config", Value.CONFIG),
            Map.entry("data", Value.DATA), Map.entry("data-ascii", Value.DATA), Map.entry("data-binary", Value.DATA),
            Map.entry("data-urlencode", Value.DATA), Map.entry("json", Value.DATA), Map.entry("header", Value.DATA),
            Map.entry("proxy-header", Value.DATA), Map.entry("write-out", Value.DATA), Map.entry("variable", Value.DATA),
            Map.entry("form", Value.FORM), Map.entry("cookie", Value.COOKIE), Map.entry("url", Value.URL),
            Map.entry("data-raw", Value.OTHER), Map.entry("form-string", Value.OTHER), Map.entry("proxy", Value.OTHER),
            Map.entry("user", Value.OTHER), Map.entry("user-agent", Value.OTHER), Map.entry("referer", Value.OTHER),
            Map.entry("request", Value.OTHER), Map.entry("max-time", Value.OTHER),
            Map.entry("connect-timeout", Value.OTHER), Map.entry("retry", Value.OTHER), Map.entry("range", Value.OTHER),
            Map.entry("resolve", Value.OTHER), Map.entry("connect-to", Value.OTHER), Map.entry("time-cond", Value.READ),
            Map.entry("continue-at", Value.OTHER), Map.entry("quote", Value.OTHER), Map.entry("proxy-user", Value.OTHER),
            Map.entry("oauth2-bearer", Value.OTHER), Map.entry("interface", Value.OTHER),
            Map.entry("limit-rate", Value.OTHER), Map.entry("max-filesize", Value.OTHER),
            Map.entry("retry-delay", Value.OTHER), Map.entry("retry-max-time", Value.OTHER),
            Map.entry("expect100-timeout", Value.OTHER), Map.entry("speed-limit", Value.OTHER),
            Map.entry("speed-time", Value.OTHER), Map.entry("aws-sigv4", Value.OTHER), Map.entry("telnet-option", Value.OTHER),
            Map.entry("mail-from", Value.OTHER), Map.entry("mail-rcpt", Value.OTHER), Map.entry("ciphers", Value.OTHER),
            Map.entry("parallel-max", Value.OTHER), Map.entry("dns-servers", Value.OTHER),
            Map.entry("keepalive-time", Value.OTHER), Map.entry("socks5", Value.OTHER), Map.entry("preproxy", Value.OTHER));

    private static final Map<Character, Value> CURL_SHORT = Map.ofEntries(
            Map.entry('o', Value.OUT), Map.entry('c', Value.OUT), Map.entry('D', Value.OUT),
            Map.entry('T', Value.READ), Map.entry('E', Value.READ), Map.entry('K', Value.CONFIG),
            Map.entry('z', Value.READ), Map.entry('d', Value.DATA), Map.entry('H', Value.DATA),
            Map.entry('w', Value.DATA), Map.entry('F', Value.FORM), Map.entry('b', Value.COOKIE),
            Map.entry('x', Value.OTHER), Map.entry('u', Value.OTHER), Map.entry('A', Value.OTHER),
            Map.entry('e', Value.OTHER), Map.entry('X', Value.OTHER), Map.entry('m', Value.OTHER),
            Map.entry('r', Value.OTHER), Map.entry('U', Value.OTHER), Map.entry('Y', Value.OTHER),
            Map.entry('y', Value.OTHER), Map.entry('C', Value.OTHER), Map.entry('P', Value.OTHER),
            Map.entry('Q', Value.OTHER), Map.entry('t', Value.OTHER));

    private static final Map<String, Value> WGET_LONG = Map.ofEntries(
            Map.entry("output-document", Value.OUT), Map.entry("output-file", Value.LOG),
            Map.entry("append-output", Value.LOG), Map.entry("directory-prefix", Value.OUT_DIR),
            Map.entry("save-cookies", Value.OUT), Map.entry("warc-file", Value.OUT), Map.entry("rejected-log", Value.OUT),
            Map.entry("input-file", Value.READ), Map.entry("post-file", Value.READ), Map.entry("body-file", Value.READ),
            Map.entry("load-cookies", Value.READ), Map.entry("certificate", Value.READ),
            Map.entry("private-key", Value.READ), Map.entry("ca-certificate", Value.READ),
            Map.entry("ca-directory", Value.READ), Map.entry("crl-file", Value.READ), Map.entry("config", Value.CONFIG),
            Map.entry("execute", Value.EXECUTE), Map.entry("header", Value.OTHER), Map.entry("user-agent", Value.OTHER),
            Map.entry("user", Value.OTHER), Map.entry("password", Value.OTHER), Map.entry("post-data", Value.OTHER),
            Map.entry("body-data", Value.OTHER), Map.entry("method", Value.OTHER), Map.entry("tries", Value.OTHER),
            Map.entry("timeout", Value.OTHER), Map.entry("wait", Value.OTHER), Map.entry("level", Value.OTHER),
            Map.entry("referer", Value.OTHER), Map.entry("base", Value.URL), Map.entry("use-askpass", Value.CONFIG));

    private static final Map<Character, Value> WGET_SHORT = Map.ofEntries(
            Map.entry('O', Value.OUT), Map.entry('o', Value.LOG), Map.entry('a', Value.LOG),
            Map.entry('P', Value.OUT_DIR), Map.entry('i', Value.READ), Map.entry('e', Value.EXECUTE),
            Map.entry('U', Value.OTHER), Map.entry('t', Value.OTHER), Map.entry('T', Value.OTHER),
            Map.entry('w', Value.OTHER), Map.entry('l', Value.OTHER), Map.entry('B', Value.URL),
            Map.entry('Q', Value.OTHER), Map.entry('A', Value.OTHER), Map.entry('R', Value.OTHER),
            Map.entry('D', Value.OTHER), Map.entry('X', Value.OTHER), Map.entry('I', Value.OTHER));

    private static void curl(Emitter e, List<Word> args) {
        e.network("curl transfers data over the network");
        options(e, "curl", args, CURL_LONG, CURL_SHORT);
        if (args.stream().anyMatch(a -> a.literal() && (a.text().equals("--remote-name")
                || a.text().equals("--remote-name-all") || a.text().matches("-[a-zA-Z0-9#]*[OJ][a-zA-Z0-9#]*")))) {
            e.write(Word.lit("."), false);
        }
    }

    private static void wget(Emitter e, List<Word> args) {
        e.network("wget downloads over the network");
        boolean wrote = options(e, "wget", args, WGET_LONG, WGET_SHORT);
        if (!wrote) {
            e.write(Word.lit("."), false);
        }
    }

    /**
     * Walks a getopt-style command line ({@code --long VALUE}, {@code --long=VALUE}, {@code -xVALUE},
     * {@code -abx VALUE}) and records what each option's value does; operands are URLs. Returns whether
     * an output file or directory was named.
     */
    private static boolean options(Emitter e, String name, List<Word> args, Map<String, Value> longs,
            Map<Character, Value> shorts) {
        boolean wrote = false;
        boolean end = false;
        for (int i = 0; i < args.size(); i++) {
            Word a = args.get(i);
            String t = a.text();
            if (!a.literal()) {
                continue;
            }
            if (end || !t.startsWith("-") || t.equals("-")) {
                url(e, name, a);
                continue;
            }
            if (t.equals("--")) {
                end = true;
                continue;
            }
            Value kind = null;
            String opt = t;
            Word value = null;
            if (t.startsWith("--")) {
                int eq = t.indexOf('=');
                opt = eq > 0 ? t.substring(2, eq) : t.substring(2);
                kind = longs.get(opt);
                if (kind != null) {
                    if (eq > 0) {
                        value = new Word(t.substring(eq + 1), true, a.glob(), false);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    }
                }
            } else {
                for (int k = 1; k < t.length(); k++) {
                    Value v = shorts.get(t.charAt(k));
                    if (v != null) {
                        kind = v;
                        opt = "-" + t.charAt(k);
                        if (k + 1 < t.length()) {
                            value = new Word(t.substring(k + 1), true, a.glob(), false);
                        } else if (i + 1 < args.size()) {
                            value = args.get(++i);
                        }
                        break;
                    }
                }
            }
            if (kind == null || value == null) {
                continue;
            }
            wrote |= value(e, name, opt, kind, value);
        }
        return wrote;
    }

    private static boolean value(Emitter e, String name, String opt, Value kind, Word v) {
        String t = v.text();
        switch (kind) {
            case OUT -> {
                if (!t.equals("-")) {
                    e.write(v, true);
                }
                return true;
            }
            case OUT_DIR -> {
                e.write(v, false);
                return true;
            }
            case LOG -> e.write(v, false);
            case EXECUTE -> e.opaque(name + " " + opt + " runs a configuration command the analysis does not follow: "
                    + t);
            case READ -> e.read(v);
            case CONFIG -> {
                e.read(v);
                e.opaque(name + " " + opt + " takes options from " + t + ", which the analysis does not read");
            }
            case DATA -> {
                // @file reads the file; --data-urlencode also takes name@file (no = before the @)
                int at = t.indexOf('@');
                boolean urlencode = opt.equals("data-urlencode") || opt.equals("--data-urlencode");
                if (at == 0 || at > 0 && urlencode && !t.substring(0, at).contains("=")) {
                    e.read(new Word(t.substring(at + 1), v.literal(), v.glob(), false));
                }
            }
            case FORM -> {
                int eq = t.indexOf('=');
                if (eq >= 0 && eq + 1 < t.length() && (t.charAt(eq + 1) == '@' || t.charAt(eq + 1) == '<')) {
                    String f = t.substring(eq + 2);
                    int semi = f.indexOf(';');
                    e.read(new Word(semi >= 0 ? f.substring(0, semi) : f, v.literal(), false, false));
                }
            }
            case COOKIE -> {
                if (!t.contains("=")) {
                    e.read(v);
                }
            }
            case URL -> url(e, name, v);
            case OTHER -> { }
        }
        return false;
    }

    /** A URL operand: its host is egress; a {@code file:} URL is a read of that file. */
    private static void url(Emitter e, String name, Word w) {
        String t = w.text();
        if (FileUrls.isFileUrl(t)) {
            return; // Classifier reads every file: URL of every command
        }
        e.host(hostOrEmpty(t));
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
        if (name.equals("socat")) {
            socatAddresses(e, args);
        }
        if (name.equals("http") || name.equals("https") || name.equals("xh") || name.equals("xhs")
                || name.equals("curlie")) {
            httpieItems(e, args);
        }
        if (name.equals("openssl")) {
            String previous = "";
            for (Word w : args) {
                String t = w.text();
                if (OPENSSL_READS.contains(previous)) {
                    e.read(w);
                } else if (previous.equals("-out")) {
                    e.write(w, true);
                } else if ((previous.startsWith("-pass") || previous.equals("-kfile")) && t.startsWith("file:")) {
                    e.read(new Word(t.substring(5), w.literal(), w.glob(), false));
                }
                previous = t;
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

    private static final Set<String> OPENSSL_READS = Classifier.set("-in", "-inkey", "-key", "-kfile", "-signkey",
            "-cert", "-certfile", "-CAfile", "-untrusted", "-sigfile", "-prvkey", "-pubin", "-peerkey", "-infiles");

    /** socat addresses that open files: {@code FILE:p}, {@code OPEN:p}, {@code GOPEN:p}, {@code CREATE:p}. */
    private static void socatAddresses(Emitter e, List<Word> args) {
        for (Word w : args) {
            String t = w.text();
            int colon = t.indexOf(':');
            if (colon <= 0 || t.startsWith("-")) {
                continue;
            }
            String type = t.substring(0, colon).toUpperCase(Locale.ROOT);
            String rest = t.substring(colon + 1);
            int comma = rest.indexOf(',');
            Word path = new Word(comma >= 0 ? rest.substring(0, comma) : rest, w.literal(), w.glob(), false);
            switch (type) {
                case "FILE", "OPEN", "GOPEN", "PIPE", "UNIX-CONNECT", "UNIX", "UNIX-CLIENT" -> {
                    e.read(path);
                    if (!type.startsWith("UNIX")) {
                        e.write(path, false);
                    }
                }
                case "CREATE", "CREAT" -> e.write(path, true);
                default -> { }
            }
        }
    }

    /** HTTPie request items: {@code @file} (the body), {@code f@file}, {@code f=@file}, {@code f:=@file}. */
    private static void httpieItems(Emitter e, List<Word> args) {
        for (Word w : args) {
            String t = w.text();
            if (t.startsWith("-")) {
                continue;
            }
            java.util.regex.Matcher m = HTTPIE_FILE.matcher(t);
            if (m.matches()) {
                e.read(new Word(m.group(1), w.literal(), w.glob(), false));
            }
        }
    }

    private static final java.util.regex.Pattern HTTPIE_FILE =
            java.util.regex.Pattern.compile("(?s)(?:[^=:@]*(?:=|:=)?)@(.+)");
}
