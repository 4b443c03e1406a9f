package dev.airlock.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in credential detectors. Token shapes follow the providers' documentation and the
 * gitleaks default rule set (MIT), rewritten for RE2/J with keyword prefilters and windows.
 */
final class Catalog {
    private Catalog() {}

    /** Assignment operators of code, YAML, JSON, INI, shell and Go. */
    private static final String ASSIGN = "[\"']?[ \\t]*(?::=|=>|=|:)[ \\t]*";

    private static final Rule.Check ANY = (t, ms, vs, ve, v) -> true;
    private static final Rule.Check NOT_EXAMPLE = (t, ms, vs, ve, v) -> !isDocExample(v);
    private static final Rule.Check HIGH_ENTROPY = (t, ms, vs, ve, v) -> !isDocExample(v) && Checks.entropy(v) >= 3.3;

    /** Documentation values providers publish (AKIAIOSFODNN7EXAMPLE) and masked forms of them. */
    static boolean isDocExample(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return l.contains("example") || l.contains("xxxxxxxx") || l.contains("00000000") || l.contains("********")
                || v.chars().distinct().count() <= 4;
    }

    static List<Rule> credentials() {
        List<Rule> r = new ArrayList<>();
        int rank = 10;
        // AWS access key ids: documented prefixes, 16 chars of base32 after the prefix.
        r.add(new Rule("aws-access-key", List.of("AKIA", "ASIA", "ABIA", "ACCA", "A3T"), true,
                "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", 0, 0, 20, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("aws-secret-key",
                List.of("secret_access_key", "secretaccesskey", "secret-access-key", "secret_key", "secretkey"), false,
                "(?i:secret[_-]?(?:access[_-]?)?key)(?:" + ASSIGN + "|[\"']?[ \\t]+)[\"']?([A-Za-z0-9/+]{40})",
                1, 0, 120, false, true, HIGH_ENTROPY, rank));
        r.add(new Rule("aws-session-token",
                List.of("session_token", "sessiontoken", "security_token", "securitytoken", "session-token"), false,
                "(?i:(?:session|security)[_-]?token)" + ASSIGN + "[\"']?([A-Za-z0-9/+=]{100,})",
                1, 0, 2200, false, true, HIGH_ENTROPY, rank));
        r.add(new Rule("aws-session-token", List.of("IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz"), true,
                "(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)[A-Za-z0-9/+=]{80,}", 0, 0, 2100, true, true, ANY, rank));
        r.add(new Rule("github-token", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), true,
                "gh[pousr]_[A-Za-z0-9]{36}", 0, 0, 40, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("github-token", List.of("github_pat_"), true,
                "github_pat_[A-Za-z0-9_]{82}", 0, 0, 93, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("gitlab-token",
                List.of("glpat-", "gldt-", "glrt-", "glcbt-", "glft-", "glsoat-", "glimt-", "glagent-", "gloas-",
                        "glffct-", "glptt-", "GR1348941"), true,
                "(?:glpat|gldt|glrt|glcbt|glft|glsoat|glimt|glagent|gloas|glffct)-[A-Za-z0-9_-]{20}[A-Za-z0-9_-]*"
                        + "(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?|glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20,64}",
                0, 0, 330, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("slack-token",
                List.of("xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "xoxe-", "xoxe.xox", "xapp-"), true,
                "xox[abposre]-\\d+-[0-9A-Za-z-]{8}[0-9A-Za-z-]*|xoxe\\.xox[bp]-\\d-[A-Z0-9]{150}[A-Z0-9]*"
                        + "|xapp-\\d-[A-Z0-9]{9,12}-\\d{10,13}-[a-z0-9]{60,70}",
                0, 0, 300, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("slack-webhook", List.of("hooks.slack.com"), false,
                "hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,160}", 0, 0, 200, false, true,
                NOT_EXAMPLE, rank));
        r.add(new Rule("stripe-key", List.of("sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk_prod_", "rk_prod_"), true,
                "[sr]k_(?:live|test|prod)_[A-Za-z0-9]{20}[A-Za-z0-9]*", 0, 0, 260, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("openai-key", List.of("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-", "T3BlbkFJ"), true,
                "sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]+T3BlbkFJ[A-Za-z0-9_-]+"
                        + "|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40}[A-Za-z0-9_-]*",
                0, 330, 660, true, true, NOT_EXAMPLE, rank, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 0, true));
        r.add(new Rule("anthropic-key", List.of("sk-ant-"), true,
                "sk-ant-(?:api|admin|oat|sid)\\d\\d-[A-Za-z0-9_-]{80}[A-Za-z0-9_-]*", 0, 0, 140, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("gcp-api-key", List.of("AIza"), true,
                "AIza[0-9A-Za-z_-]{35}", 0, 0, 39, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("gcp-service-account-key", List.of("private_key_id"), false,
                "\"private_key_id\"[ \\t]*:[ \\t]*\"([a-f0-9]{40})\"", 1, 1, 80, false, false, ANY, rank, "\"", 1, true));
        r.add(new Rule("azure-storage-key", List.of("accountkey", "sharedaccesskey"), false,
                "(?i:AccountKey|SharedAccessKey)[ \\t]*=[ \\t]*([A-Za-z0-9+/]{40,100}={0,2})", 1, 0, 130, false, false,
                HIGH_ENTROPY, rank));
        r.add(new Rule("azure-client-secret", List.of("Q~"), true,
                "[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}", 0, 4, 44, true, true, NOT_EXAMPLE, rank, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.", 4, true));
        r.add(new Rule("azure-sas-token", List.of("sig="), false,
                "[?&]sig=([A-Za-z0-9%+/]{30,120}={0,2})", 1, 1, 130, false, true,
                (t, ms, vs, ve, v) -> Checks.entropy(v) >= 3.5, rank, "?&", 1, true));
        r.add(new Rule("twilio-api-key", List.of("SK"), true,
                "SK[0-9a-fA-F]{32}", 0, 0, 34, true, true, HIGH_ENTROPY, rank));
        r.add(new Rule("sendgrid-api-key", List.of("SG."), true,
                "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", 0, 0, 69, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("mailgun-api-key", List.of("key-"), false,
                "(?:pub)?key-[0-9a-f]{32}", 0, 3, 43, true, true, HIGH_ENTROPY, rank, "pub", 0, true));
        r.add(new Rule("npm-token", List.of("npm_"), true,
                "npm_[A-Za-z0-9]{36}", 0, 0, 40, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("pypi-token", List.of("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"), true,
                "pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50}[A-Za-z0-9_-]*", 0, 0, 330, true, true, ANY, rank));
        r.add(new Rule("dockerhub-token", List.of("dckr_pat_", "dckr_oat_"), true,
                "dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}", 0, 0, 50, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("heroku-api-key", List.of("HRKU-"), true,
                "HRKU-[A-Za-z0-9_-]{58,64}", 0, 0, 70, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("heroku-api-key", List.of("heroku"), false,
                "(?i:heroku[a-z0-9_.-]{0,20})" + ASSIGN
                        + "[\"']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})",
                1, 0, 90, false, true, NOT_EXAMPLE, rank));
        r.add(new Rule("shopify-token", List.of("shpat_", "shpca_", "shppa_", "shpss_"), true,
                "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}", 0, 0, 38, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("huggingface-token", List.of("hf_", "api_org_"), true,
                "hf_[A-Za-z]{34}|api_org_[A-Za-z]{34}", 0, 0, 42, true, true,
                (t, ms, vs, ve, v) -> !isDocExample(v) && mixedCase(v), rank));
        r.add(new Rule("databricks-token", List.of("dapi"), true,
                "dapi[a-f0-9]{32}(?:-\\d)?", 0, 0, 38, true, true, HIGH_ENTROPY, rank));
        r.add(new Rule("digitalocean-token", List.of("dop_v1_", "doo_v1_", "dor_v1_"), true,
                "do[opr]_v1_[a-f0-9]{64}", 0, 0, 71, true, true, NOT_EXAMPLE, rank));
        r.add(new Rule("discord-webhook", List.of("discord"), false,
                "discord(?:app)?\\.com/api/webhooks/\\d{17,20}/[A-Za-z0-9_-]{60,70}", 0, 0, 120, false, true,
                NOT_EXAMPLE, rank));
        r.add(new Rule("discord-token", List.of("discord"), false,
                "(?i:discord[a-z0-9_.-]{0,20})" + ASSIGN
                        + "[\"']?([MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40})",
                1, 0, 120, false, true, NOT_EXAMPLE, rank));
        r.add(new Rule("telegram-bot-token", List.of(":AA"), true,
                "\\d{8,10}:AA[A-Za-z0-9_-]{33}", 0, 11, 48, true, true, NOT_EXAMPLE, rank, "0123456789", 8, true));
        r.add(new Rule("age-secret-key", List.of("AGE-SECRET-KEY-1"), true,
                "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", 0, 0, 74, true, true, ANY, rank));
        r.add(new Rule("jwt", List.of("eyJ"), true,
                "eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{4,}\\.(?:[A-Za-z0-9_-]{16,})?", 0, 0, 16384, true, true,
                (t, ms, vs, ve, v) -> Checks.jwtHeader(v), rank));

        rank = 20;
        // Credentials in URLs (RFC 3986 userinfo): only the password part is hidden so the URL stays useful.
        r.add(new Rule("url-password", List.of("://"), true,
                "[A-Za-z][A-Za-z0-9+.-]*://[^:/?#\\s@\"'<>]+:([^@/?#\\s\"'<>]+)@[A-Za-z0-9.\\[\\]_-]",
                1, 32, 32 + 3 + 128 + 1 + 256 + 2, false, false,
                (t, ms, vs, ve, v) -> !Checks.isPlaceholder(v), rank, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-", 1, true).withPrecheck(Catalog::atSignAhead));
        // ADO.NET, ODBC, JDBC and libpq key=value connection strings.
        r.add(new Rule("connection-string-password", List.of("password=", "pwd=", "passwd=", "password ="), false,
                "(?i:password|pwd|passwd)[ \\t]*=[ \\t]*([^;&\\s\"'<>]+)", 1, 0, 280, false, false,
                Catalog::connectionString, rank).withPrecheck((t, a, k) -> a == 0 || !(Checks.isAlnum(t.charAt(a - 1)) || t.charAt(a - 1) == '_' || t.charAt(a - 1) == '-' || t.charAt(a - 1) == '.')));
        r.add(new Rule("authorization-header", List.of("authorization"), false,
                "(?i:authorization)" + ASSIGN + "[\"']?(?i:(?:bearer|basic|token|digest|apikey|bot)[ \\t]+)?"
                        + "([A-Za-z0-9._~+/=-]{8,})",
                1, 0, 4200, false, true, (t, ms, vs, ve, v) -> !Checks.isPlaceholder(v) && hasDigit(v), rank));
        r.add(new Rule("authorization-header", List.of("bearer"), false,
                "(?i:bearer)[ \\t]+([A-Za-z0-9._~+/-]{20,}=*)", 1, 0, 4200, true, true,
                (t, ms, vs, ve, v) -> !Checks.isPlaceholder(v) && hasDigit(v) && Checks.entropy(v) >= 3.0, rank));
        r.add(new Rule("authorization-header",
                List.of("x-api-key", "x-auth-token", "x-goog-api-key", "api-key:", "x-access-token"), false,
                "(?i:x-api-key|x-auth-token|x-goog-api-key|api-key|x-access-token)[\"']?[ \\t]*:[ \\t]*[\"']?"
                        + "([A-Za-z0-9._~+/=-]{16}[A-Za-z0-9._~+/=-]*)",
                1, 0, 560, true, true, (t, ms, vs, ve, v) -> !Checks.isPlaceholder(v) && hasDigit(v), rank));

        return r;
    }

    /** Keywords of {@link GenericAssignment}; it is run by hand, not through RE2/J. */
    static final java.util.List<String> GENERIC_KEYWORDS = List.of(
            "password", "passwd", "passphrase", "pwd", "secret", "token", "api_key", "apikey", "api-key",
            "access_key", "accesskey", "access-key", "auth_key", "authkey", "private_key", "privatekey",
            "credential");

    static Rule email() {
        return new Rule("email", List.of("@"), true,
                "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2}[A-Za-z]*",
                0, 64, 64 + 1 + 300, true, true, ANY, 40,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-", 1, true);
    }

    private static boolean connectionString(CharSequence t, int ms, int vs, int ve, String v) {
        if (Checks.isPlaceholder(v) || (v.startsWith("{") && v.endsWith("}"))) {
            return false;
        }
        char before = ms == 0 ? '\n' : t.charAt(ms - 1);
        if (before == ';' || before == '?' || before == '&') {
            return true;
        }
        if (Checks.isAlnum(before) || before == '_' || before == '-' || before == '.') {
            return false; // part of a longer key (db_password=) which the generic detector judges
        }
        // A bare "password=" must sit in something that looks like a connection string.
        int from = Math.max(0, ms - 300);
        String ctx = t.subSequence(from, Math.min(t.length(), ve + 200)).toString().toLowerCase(Locale.ROOT);
        return ctx.contains("jdbc:") || ctx.contains("server=") || ctx.contains("host=") || ctx.contains("data source=")
                || ctx.contains("user id=") || ctx.contains("uid=") || ctx.contains("database=")
                || ctx.contains("dbname=") || ctx.contains("user=");
    }

    /** Userinfo needs an '@' before the next blank; bounded, so a hit costs at most one window. */
    private static boolean atSignAhead(String t, int anchor, int keywordStart) {
        int limit = Math.min(t.length(), keywordStart + 3 + 128 + 1 + 256 + 1);
        for (int i = keywordStart + 3; i < limit; i++) {
            char c = t.charAt(i);
            if (c == '@') {
                return true;
            }
            if (c == '/' || c == ' ' || c == '\n' || c == '\t' || c == '"' || c == '\'') {
                return false;
            }
        }
        return false;
    }

    private static boolean hasDigit(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Checks.isDigit(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean mixedCase(String v) {
        return !v.equals(v.toLowerCase(Locale.ROOT)) && !v.equals(v.toUpperCase(Locale.ROOT));
    }
}
