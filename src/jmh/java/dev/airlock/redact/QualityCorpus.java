package dev.airlock.redact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Realistic text with planted synthetic secrets, shared by the tests, the quality harness and the
 * benchmark. Every value is drawn from a seeded {@link Random} in the provider's documented shape;
 * none is a real credential. Ordinary source code for the false-positive rate comes from the running
 * JDK's {@code lib/src.zip}, read at run time and never copied into the repository.
 */
public final class QualityCorpus {
    private QualityCorpus() {}

    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String DIGITS = "0123456789";
    static final String ALNUM = UPPER + LOWER + DIGITS;
    static final String HEX = "0123456789abcdef";
    static final String B64 = ALNUM + "+/";
    static final String URLSAFE = ALNUM + "_-";

    /** A planted secret: the text, where the value sits, and the detector family it belongs to. */
    public record Sample(String type, boolean generic, String text, int start, int end) {}

    /** A provider credential shape: its type, a natural variable name and a value generator. */
    record Shape(String type, String variable, Function<Random, String> value) {}

    static String r(Random rnd, int n, String alphabet) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String luhnCard(Random rnd, String prefix, int length) {
        String body = prefix + r(rnd, length - prefix.length() - 1, DIGITS);
        for (char d = '0'; d <= '9'; d++) {
            if (Checks.luhn(body + d)) {
                return body + d;
            }
        }
        throw new AssertionError();
    }

    static String jwt(Random rnd) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        byte[] sig = new byte[32];
        rnd.nextBytes(sig);
        return e.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(("{\"sub\":\"" + r(rnd, 10, ALNUM) + "\",\"iat\":" + (1_700_000_000 + rnd.nextInt(1_000_000))
                        + "}").getBytes(StandardCharsets.UTF_8)) + "." + e.encodeToString(sig);
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("aws-access-key", "AWS_ACCESS_KEY_ID", x -> "AKIA" + r(x, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")),
            new Shape("aws-secret-key", "aws_secret_access_key", x -> r(x, 40, B64)),
            new Shape("github-token", "GITHUB_TOKEN", x -> "ghp_" + r(x, 36, ALNUM)),
            new Shape("github-token", "GH_TOKEN", x -> "github_pat_" + r(x, 22, ALNUM) + "_" + r(x, 59, ALNUM)),
            new Shape("gitlab-token", "GITLAB_TOKEN", x -> "glpat-" + r(x, 20, URLSAFE)),
            new Shape("slack-token", "SLACK_BOT_TOKEN", x -> "xoxb-" + r(x, 12, DIGITS) + "-" + r(x, 13, DIGITS) + "-" + r(x, 24, ALNUM)),
            new Shape("slack-webhook", "SLACK_WEBHOOK_URL", x -> "https://hooks.slack.com/services/T" + r(x, 8, UPPER + DIGITS)
                    + "/B" + r(x, 10, UPPER + DIGITS) + "/" + r(x, 24, ALNUM)),
            new Shape("stripe-key", "STRIPE_SECRET_KEY", x -> "sk_live_" + r(x, 24 + x.nextInt(76), ALNUM)),
            new Shape("openai-key", "OPENAI_API_KEY", x -> "sk-proj-" + r(x, 74, URLSAFE) + "T3BlbkFJ" + r(x, 74, URLSAFE)),
            new Shape("anthropic-key", "ANTHROPIC_API_KEY", x -> "sk-ant-api03-" + r(x, 93, URLSAFE) + "AA"),
            new Shape("gcp-api-key", "GOOGLE_API_KEY", x -> "AIza" + r(x, 35, URLSAFE)),
            new Shape("azure-client-secret", "AZURE_CLIENT_SECRET", x -> r(x, 3, ALNUM) + x.nextInt(10) + "Q~" + r(x, 34, ALNUM + "_~.-")),
            new Shape("twilio-api-key", "TWILIO_API_KEY", x -> "SK" + r(x, 32, HEX)),
            new Shape("sendgrid-api-key", "SENDGRID_API_KEY", x -> "SG." + r(x, 22, URLSAFE) + "." + r(x, 43, URLSAFE)),
            new Shape("mailgun-api-key", "MAILGUN_API_KEY", x -> "key-" + r(x, 32, HEX)),
            new Shape("npm-token", "NPM_TOKEN", x -> "npm_" + r(x, 36, ALNUM)),
            new Shape("pypi-token", "PYPI_TOKEN", x -> "pypi-AgEIcHlwaS5vcmc" + r(x, 100 + x.nextInt(80), URLSAFE)),
            new Shape("dockerhub-token", "DOCKERHUB_TOKEN", x -> "dckr_pat_" + r(x, 27, URLSAFE)),
            new Shape("heroku-api-key", "HEROKU_API_KEY", x -> "HRKU-AA" + r(x, 58, URLSAFE)),
            new Shape("shopify-token", "SHOPIFY_ACCESS_TOKEN", x -> "shpat_" + r(x, 32, HEX)),
            new Shape("huggingface-token", "HF_TOKEN", x -> "hf_" + r(x, 34, UPPER + LOWER)),
            new Shape("databricks-token", "DATABRICKS_TOKEN", x -> "dapi" + r(x, 32, HEX)),
            new Shape("digitalocean-token", "DIGITALOCEAN_TOKEN", x -> "dop_v1_" + r(x, 64, HEX)),
            new Shape("discord-webhook", "DISCORD_WEBHOOK", x -> "https://discord.com/api/webhooks/" + r(x, 18, DIGITS) + "/" + r(x, 68, URLSAFE)),
            new Shape("telegram-bot-token", "TELEGRAM_BOT_TOKEN", x -> r(x, 10, DIGITS) + ":AA" + r(x, 33, URLSAFE)),
            new Shape("jwt", "SESSION_JWT", QualityCorpus::jwt),
            new Shape("credit-card", "card_number", x -> luhnCard(x, "4", 16)),
            new Shape("credit-card", "card_number", x -> luhnCard(x, "5" + (1 + x.nextInt(5)), 16)));

    /** Contexts a provider token shows up in: config, code, shell, logs, HTTP. */
    static final List<String> STRUCTURED_CONTEXTS = List.of(
            "export %s=%s",
            "%s=%s",
            "  %s: %s",
            "  \"%s\": \"%s\",",
            "const %s = \"%s\";",
            "%s = '%s'",
            "2026-11-22T03:14:07.123Z DEBUG client: using %s %s for upload",
            "$ curl -s -H \"X-Token: %2$s\" https://api.internal/v1/jobs # %1$s",
            "ERROR failed to authenticate with %2$s (var %1$s)",
            "      - %s=%s",
            "    env: { %s: \"%s\" }",
            "INFO  [main] loaded %s=%s from /etc/app/env");

    static final List<String> GENERIC_NAMES = List.of(
            "password", "DB_PASSWORD", "db_password", "dbPassword", "secret", "client_secret", "clientSecret",
            "api_key", "apiKey", "API_TOKEN", "auth_token", "access_token", "SECRET_KEY", "passwd", "smtp_password",
            "REDIS_PASSWORD", "admin_pwd", "private_key", "app_secret", "passphrase");

    static final List<String> GENERIC_CONTEXTS = List.of(
            "%s=%s",
            "export %s=%s",
            "  %s: %s",
            "  %s: \"%s\"",
            "  \"%s\": \"%s\",",
            "String %s = \"%s\";",
            "%s = \"%s\"",
            "%s = '%s'",
            "    %s => '%s',",
            "spring.datasource.%s=%s",
            "$ mysql -u root --%s %s",
            "set %s to %s in the vault");

    static final List<String> WORDS = List.of(
            "Summer", "orange", "Falcon", "river", "Marble", "winter", "Copper", "delta", "Rocket", "garden");

    /** Passwords and tokens as people actually set them, including weak ones the detector may miss. */
    static String genericValue(Random x) {
        return switch (x.nextInt(10)) {
            case 0, 1 -> r(x, 12 + x.nextInt(20), ALNUM);
            case 2 -> r(x, 32, HEX);
            case 3 -> WORDS.get(x.nextInt(WORDS.size())) + (1990 + x.nextInt(36)) + "!#$%&*@".charAt(x.nextInt(7));
            case 4 -> r(x, 16, ALNUM + "!@#$%^&*-_=+");
            case 5 -> Base64.getEncoder().encodeToString(bytes(x, 18 + x.nextInt(14)));
            case 6 -> WORDS.get(x.nextInt(WORDS.size())).toLowerCase() + "-" + WORDS.get(x.nextInt(WORDS.size())) + "-" + (10 + x.nextInt(90));
            case 7 -> r(x, 4, UPPER) + r(x, 4, DIGITS) + r(x, 4, LOWER) + "!";
            case 8 -> List.of("letmein1", "hunter2", "qwerty", "dragon99", "p@ss").get(x.nextInt(5));
            default -> r(x, 20, ALNUM) + "==";
        };
    }

    static byte[] bytes(Random x, int n) {
        byte[] b = new byte[n];
        x.nextBytes(b);
        return b;
    }

    /** {@code count} samples per provider shape, each in a random context. */
    public static List<Sample> structuredSamples(Random x, int count) {
        List<Sample> out = new ArrayList<>();
        for (Shape s : SHAPES) {
            for (int i = 0; i < count; i++) {
                out.add(plant(s.type(), false, STRUCTURED_CONTEXTS.get(x.nextInt(STRUCTURED_CONTEXTS.size())),
                        s.variable(), s.value().apply(x)));
            }
        }
        // Multi-line and header-shaped credentials.
        for (int i = 0; i < count; i++) {
            out.add(plant("private-key", false, "%s\n%s\n", "key.pem:", pem(x, i % 2 == 0 ? "RSA PRIVATE KEY" : "OPENSSH PRIVATE KEY")));
            out.add(plant("url-password", false, "%s=postgres://app:%s@db.internal:5432/app", "DATABASE_URL", r(x, 16, ALNUM)));
            out.add(plant("authorization-header", false, "%s -H \"Authorization: Bearer %s\" https://api.internal/v1", "curl",
                    r(x, 40, ALNUM + "-._~")));
        }
        return out;
    }

    public static List<Sample> genericSamples(Random x, int count) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(plant("generic-secret", true, GENERIC_CONTEXTS.get(x.nextInt(GENERIC_CONTEXTS.size())),
                    GENERIC_NAMES.get(x.nextInt(GENERIC_NAMES.size())), genericValue(x)));
        }
        return out;
    }

    static String pem(Random x, String label) {
        StringBuilder b = new StringBuilder("-----BEGIN ").append(label).append("-----\n");
        for (int i = 0; i < 12; i++) {
            b.append(r(x, 64, B64)).append('\n');
        }
        return b.append(r(x, 20, B64)).append("==\n-----END ").append(label).append("-----").toString();
    }

    private static Sample plant(String type, boolean generic, String context, String name, String value) {
        String marker = "\u0000VALUE\u0000";
        String text = String.format(context, name, marker);
        int start = text.indexOf(marker);
        text = text.replace(marker, value);
        return new Sample(type, generic, text, start, start + value.length());
    }

    /** Filler lines of the kinds an agent sees: code, config, logs, shell sessions. */
    static final List<String> FILLER = List.of(
            "    for (int i = 0; i < items.size(); i++) {",
            "        result.add(transform(items.get(i), options));",
            "    }",
            "import java.util.concurrent.ConcurrentHashMap;",
            "def load_config(path: str) -> dict:",
            "    return yaml.safe_load(open(path))",
            "server:\n  port: 8080\n  host: 0.0.0.0",
            "logging:\n  level: INFO",
            "2026-11-22T03:14:07.123Z INFO  [http-nio-8080-exec-4] o.a.c.c.C.[Tomcat].[localhost] GET /api/v1/users 200 12ms",
            "2026-11-22T03:14:08.001Z WARN  [scheduler-1] retrying job 42 after timeout (attempt 2/5)",
            "$ git status\nOn branch main\nYour branch is up to date with 'origin/main'.",
            "$ ls -la\ntotal 48\ndrwxr-xr-x  5 dev dev 4096 Nov 22 03:10 .",
            "commit 3f9a1c0d2e4b5a6978877665544332211aabbccd",
            "  \"version\": \"1.4.2\",\n  \"main\": \"index.js\",",
            "| id | name  | created_at          |\n|  1 | alice | 2026-11-21 10:00:00 |",
            "The token bucket refills at 10 requests per second; secrets are read from the vault.",
            "FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app/app.jar",
            "SELECT id, email FROM users WHERE created_at > now() - interval '1 day';",
            "    \"integrity\": \"sha512-Q2hhbmdlIHRoZSB3b3JsZCwgb25lIGJ5dGUgYXQgYSB0aW1lLiBUaGlzIGlzIGZpbGxlcg==\",",
            "INFO request id=7c9e6679-7425-40de-944b-e07fc1f90ae7 user=42 latency=31ms");

    /** A document of roughly {@code lines} lines: filler with a planted secret on about one line in ten. */
    public static String mixedDocument(Random x, int lines) {
        StringBuilder b = new StringBuilder(lines * 64);
        List<Sample> structured = structuredSamples(x, 1);
        List<Sample> generic = genericSamples(x, 20);
        for (int i = 0; i < lines; i++) {
            int pick = x.nextInt(20);
            if (pick == 0) {
                b.append(structured.get(x.nextInt(structured.size())).text());
            } else if (pick == 1) {
                b.append(generic.get(x.nextInt(generic.size())).text());
            } else {
                b.append(FILLER.get(x.nextInt(FILLER.size())));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The running JDK's source archive, if this JDK ships one. */
    public static Path jdkSources() {
        return Path.of(System.getProperty("java.home"), "lib", "src.zip");
    }

    /** Reads up to {@code maxLines} lines of {@code .java} files from the JDK sources, file by file. */
    public static List<String> jdkSourceFiles(int maxLines) throws IOException {
        Path zip = jdkSources();
        List<String> files = new ArrayList<>();
        if (!Files.isRegularFile(zip)) {
            return files;
        }
        int lines = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null && lines < maxLines) {
                if (!e.getName().endsWith(".java")) {
                    continue;
                }
                String text = new String(z.readAllBytes(), StandardCharsets.UTF_8);
                files.add(text);
                lines += (int) text.chars().filter(c -> c == '\n').count();
            }
        }
        return files;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
