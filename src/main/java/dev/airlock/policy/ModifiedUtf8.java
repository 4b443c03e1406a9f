package dev.airlock.policy;

/**
 * JNI's "modified UTF-8", the bytes the tree-sitter binding hands to the parser for a Java string
 * (JNI {@code GetStringUTFChars}): standard UTF-8 except that U+0000 takes two bytes and each half of
 * a surrogate pair (every character outside the Basic Multilingual Plane) takes three. The parser's
 * byte offsets index these bytes, so slicing plain UTF-8 with them goes wrong after the first emoji.
 */
final class ModifiedUtf8 {
    private ModifiedUtf8() {}

    static byte[] encode(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += (c >= 0x0001 && c <= 0x007F) ? 1 : (c <= 0x07FF) ? 2 : 3;
        }
        byte[] out = new byte[n];
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                out[k++] = (byte) c;
            } else if (c <= 0x07FF) {
                out[k++] = (byte) (0xC0 | (c >> 6));
                out[k++] = (byte) (0x80 | (c & 0x3F));
            } else {
                out[k++] = (byte) (0xE0 | (c >> 12));
                out[k++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[k++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return out;
    }

    /** Decodes {@code len} bytes at {@code off}; a sequence cut by the slice becomes U+FFFD. */
    static String decode(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        int i = off;
        while (i < end) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                sb.append((char) x);
                i++;
            } else if ((x & 0xE0) == 0xC0 && i + 1 < end && (b[i + 1] & 0xC0) == 0x80) {
                sb.append((char) (((x & 0x1F) << 6) | (b[i + 1] & 0x3F)));
                i += 2;
            } else if ((x & 0xF0) == 0xE0 && i + 2 < end && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
                sb.append((char) (((x & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F)));
                i += 3;
            } else {
                sb.append('\uFFFD');
                i++;
            }
        }
        return sb.toString();
    }
}
