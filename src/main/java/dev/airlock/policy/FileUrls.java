package dev.airlock.policy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code file:} URLs inside arguments: any tool that fetches a URL (curl, wget, lynx, an interpreter's
 * {@code urlopen}) reads a local file through one, so the path rules apply to it as to {@code cat}.
 */
final class FileUrls {
    /** {@code file:} then an optional {@code //host}, then the path up to a quote, space or shell character. */
    private static final Pattern FILE_URL = Pattern.compile(
            "(?i)(?<![a-z0-9+.-])file:(?://([^/\\s'\"]*))?(/[^\\s'\"<>;|&()`]*)");

    private FileUrls() {
    }

    static boolean isFileUrl(String text) {
        return text.regionMatches(true, 0, "file:", 0, 5);
    }

    static boolean mentionsFileUrl(String text) {
        return text.length() >= 6 && text.toLowerCase(java.util.Locale.ROOT).contains("file:");
    }

    /** The local paths the {@code file:} URLs in {@code text} name, percent-decoded as curl does. */
    static List<String> paths(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = FILE_URL.matcher(text);
        while (m.find()) {
            String path = percentDecode(m.group(2));
            int q = path.indexOf('?');
            if (q >= 0) {
                path = path.substring(0, q);
            }
            int hash = path.indexOf('#');
            if (hash >= 0) {
                path = path.substring(0, hash);
            }
            int nul = path.indexOf('\0');
            if (nul >= 0) {
                path = path.substring(0, nul); // the C library stops at the NUL
            }
            out.add(path.isEmpty() ? "/" : path);
        }
        return out;
    }

    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                b.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(bytes, 0, bytes.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
