package dev.airlock.policy;

/**
 * The rules built into Airlock, with stable ids: every decision they make names them, so a refusal
 * always says which rule decided it ({@code ... (rule builtin:never-readable)}).
 */
final class Builtin {
    private Builtin() {
    }

    /** A path that holds secrets (the {@code .env} family, keys, credential stores, the Airlock home). */
    static final MatchedRule NEVER_READABLE = deny("never-readable");
    /** Start-up files, git's code-execution points, ssh and Airlock configuration. */
    static final MatchedRule NEVER_WRITABLE = deny("never-writable");
    /** A file an ignore file excludes. */
    static final MatchedRule IGNORED_FILE = deny("ignored-file");
    static final MatchedRule OUTSIDE_WORKSPACE = ask("outside-workspace");
    static final MatchedRule NO_ALLOW_RULE = ask("no-allow-rule");
    static final MatchedRule DESTRUCTIVE = ask("destructive");
    static final MatchedRule OPAQUE = ask("opaque");
    static final MatchedRule ALLOWLIST_ONLY = deny("allowlist-only");
    /** A git configuration key whose value git runs as a program, set in any way. */
    static final MatchedRule GIT_CONFIG_EXEC = deny("git-config-exec");
    /** Decoded or generated text piped into an interpreter: nobody can review what runs. */
    static final MatchedRule DECODE_TO_INTERPRETER = deny("decode-to-interpreter");
    /** A setuid or setgid bit set on a file. */
    static final MatchedRule SETUID = deny("setuid");
    /** A write to the kernel's or the boot loader's files ({@code /proc/sys}, {@code /sys}, {@code /boot}). */
    static final MatchedRule SYSTEM_WRITE = deny("system-write");
    /** A line past the analysis bounds (length, nesting, number of commands). */
    static final MatchedRule TOO_COMPLEX = deny("too-complex");

    private static MatchedRule deny(String name) {
        return new MatchedRule("builtin:" + name, Verdict.DENY, null, "builtin");
    }

    private static MatchedRule ask(String name) {
        return new MatchedRule("builtin:" + name, Verdict.ASK, null, "builtin");
    }

    /** {@code reason} followed by the rule that decided it. */
    static String cite(String reason, MatchedRule rule) {
        return reason + " (rule " + rule.id() + ")";
    }
}
