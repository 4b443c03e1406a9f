package dev.airlock.sandbox;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which environment variables may reach a command. The rule is an allow-list of names that carry no
 * secret by construction; everything else in Airlock's own environment (API keys, vault passwords,
 * cloud credentials) stays outside the sandbox.
 */
final class EnvironmentRules {
    /** Inherited from Airlock's environment when present; nothing else ever is. */
    static final Set<String> INHERITED = Set.of(
            "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TERM", "COLORTERM", "NO_COLOR", "TZ",
            "COLUMNS", "LINES");

    private static final Pattern LOCALE = Pattern.compile("LC_[A-Z]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Fragments of names that usually hold credentials. Matching is by substring on purpose: a false
     * refusal costs the user a rename, a false acceptance leaks a key into an untrusted process.
     */
    private static final List<String> SECRET_FRAGMENTS = List.of(
            "KEY", "TOKEN", "SECRET", "PASSW", "PASSPHRASE", "CREDENTIAL", "CREDS", "AUTH", "PRIVATE",
            "COOKIE", "SESSION", "DSN", "CONNECTION_STRING", "SIGNING", "BEARER");

    /**
     * Variables that make a shell, the dynamic loader or an interpreter run code that the policy
     * engine never saw (BASH_ENV is sourced by every {@code bash -c}); PATH is here because an
     * explicit PATH could make {@code ls} resolve to a script in the workspace.
     */
    private static final Set<String> CODE_INJECTING = Set.of(
            "PATH", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "IFS", "CDPATH",
            "GLOBIGNORE", "PYTHONSTARTUP", "PYTHONPATH", "PERL5OPT", "PERL5LIB", "RUBYOPT", "NODE_OPTIONS",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "GIT_SSH_COMMAND", "GIT_EXEC_PATH",
            "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM");

    private EnvironmentRules() {}

    static boolean isInherited(String name) {
        return INHERITED.contains(name) || LOCALE.matcher(name).matches();
    }

    static boolean looksSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        // PWD alone is the working directory; MYSQL_PWD and friends are passwords.
        if (upper.endsWith("_PWD")) {
            return true;
        }
        for (String fragment : SECRET_FRAGMENTS) {
            if (upper.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** Throws when {@code name=value} may not be passed explicitly; the message never holds the value. */
    static void checkExplicit(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw SandboxException.invalid("Environment variable name '" + printable(name)
                    + "' is not a valid name; use letters, digits and underscores.");
        }
        if (looksSecret(name)) {
            throw SandboxException.invalid("Environment variable " + name + " looks like it holds a secret;"
                    + " secrets are never passed into the sandbox. Rename it if it is not one.");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (CODE_INJECTING.contains(upper) || upper.startsWith("LD_") || upper.startsWith("BASH_FUNC_")
                || upper.startsWith("DYLD_")) {
            throw SandboxException.invalid("Environment variable " + name + " changes which code a command"
                    + " runs and may not be set for a sandboxed command.");
        }
        if (value.indexOf('\0') >= 0) {
            throw SandboxException.invalid("The value of environment variable " + name + " contains NUL.");
        }
    }

    /** The allow-listed subset of {@code parent}, with PATH stripped of relative entries. */
    static Map<String, String> inherit(Map<String, String> parent) {
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> e : parent.entrySet()) {
            if (isInherited(e.getKey()) && e.getValue().indexOf('\0') < 0) {
                result.put(e.getKey(), e.getValue());
            }
        }
        String path = result.get("PATH");
        if (path != null) {
            result.put("PATH", absoluteEntries(path));
        }
        return result;
    }

    /**
     * An empty or relative PATH entry means "the current directory", which in the sandbox is the
     * workspace: a model could drop an {@code ls} script there and have the policy engine approve it.
     */
    static String absoluteEntries(String path) {
        List<String> kept = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator, -1)) {
            if (entry.startsWith("/")) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private static String printable(String s) {
        return s.codePoints().limit(64).mapToObj(c -> c < 0x20 || c == 0x7f ? "?" : Character.toString(c))
                .reduce("", String::concat);
    }
}
