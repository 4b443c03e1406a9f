package dev.airlock.audit;

/**
 * cef: ArcSight Common Event Format, revision 25 of the "Implementing ArcSight CEF" guide:
 * {@code CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension}.
 *
 * <p>Escaping follows that guide. In the header a pipe and a backslash are escaped with a
 * backslash, and line breaks are not allowed at all, so they become spaces. In the extension a
 * backslash and an equals sign are escaped with a backslash, and CR and LF are written as the two
 * characters {@code \r} and {@code \n}; pipes need no escape there. Extension keys come from the
 * CEF dictionary: rt (epoch ms), dvchost, suser, act, outcome, msg, cn1 (seq) and cs1..cs6 with
 * their labels for target, prev_hash, hash, details, log_id and tenant.
 */
final class ExportCef implements ExportLines.Encoder {
    private final ExportContext context;

    ExportCef(ExportContext context) {
        this.context = context;
    }

    @Override
    public String encode(AuditRecord r) {
        String action = ExportJson.text(r.action());
        String details = ExportJson.checkedDetails(r);
        StringBuilder sb = new StringBuilder(256).append("CEF:0|Airlock|Airlock|")
                .append(escapeHeader(context.airlockVersion())).append('|')
                .append(escapeHeader(action)).append('|')
                .append(escapeHeader(action + " " + ExportJson.text(r.outcome()))).append('|')
                .append(ExportOutcome.of(r.outcome()).cefSeverity).append('|');
        ext(sb, "rt", Long.toString(r.time()));
        ext(sb, "dvchost", context.hostName());
        ext(sb, "suser", r.actor());
        ext(sb, "act", action);
        ext(sb, "outcome", r.outcome());
        ext(sb, "msg", ExportJson.message(r));
        ext(sb, "cn1Label", "seq");
        ext(sb, "cn1", Long.toString(r.seq()));
        custom(sb, 1, "target", r.target());
        custom(sb, 2, "prev_hash", r.prevHash());
        custom(sb, 3, "hash", r.hash());
        custom(sb, 4, "details", details);
        custom(sb, 5, "log_id", context.logId());
        custom(sb, 6, "tenant", context.tenant());
        return sb.toString();
    }

    private static void custom(StringBuilder sb, int n, String label, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        ext(sb, "cs" + n + "Label", label);
        ext(sb, "cs" + n, value);
    }

    // An empty value is left out rather than written as "key=", which some parsers misread.
    private static void ext(StringBuilder sb, String key, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (sb.charAt(sb.length() - 1) != '|') {
            sb.append(' ');
        }
        sb.append(key).append('=').append(escapeExtension(value));
    }

    static String escapeHeader(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '|' -> sb.append("\\|");
                case '\r', '\n' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String escapeExtension(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '=' -> sb.append("\\=");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
