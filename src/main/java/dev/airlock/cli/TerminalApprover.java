package dev.airlock.cli;

import dev.airlock.gate.Approver;
import dev.airlock.policy.CommandDecision;
import dev.airlock.policy.Decision;
import dev.airlock.policy.MatchedRule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Asks the person at the terminal: shows the command, each sub-command's classes and verdict, the
 * matched rules and their reasons, and reads one answer. No answer (end of input) is a refusal.
 */
final class TerminalApprover implements Approver {
    private final Cli cli;
    private final Session session;
    private BufferedReader reader;

    TerminalApprover(Cli cli, Session session) {
        this.cli = cli;
        this.session = session;
    }

    /** Reads answers from {@code reader}, shared with whoever else reads the terminal (the chat prompt). */
    TerminalApprover(Cli cli, Session session, BufferedReader reader) {
        this(cli, session);
        this.reader = reader;
    }

    @Override
    public boolean approve(String line, Decision.Ask decision, boolean sandboxed) {
        cli.err.println("airlock: this needs your approval");
        cli.err.println("  command: " + visible(session.scrub(line)).replace("\n", "\n           "));
        describe(cli.err, decision, session);
        cli.err.println("  sandbox: " + (sandboxed ? "bubblewrap (only the workspace is writable)" : "NONE: it would run unsandboxed"));
        cli.err.print("Run it? [y/N] ");
        cli.err.flush();
        try {
            if (reader == null) {
                reader = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8));
            }
            String answer = reader.readLine();
            if (answer == null) {
                cli.err.println();
                cli.err.println("airlock: no answer (no terminal input): refused");
                return false;
            }
            String a = answer.strip().toLowerCase(Locale.ROOT);
            return a.equals("y") || a.equals("yes");
        } catch (IOException e) {
            return false;
        }
    }

    /** One line per sub-command, then the reasons: shared by the approval prompt and 'policy check'. */
    static void describe(java.io.PrintWriter w, Decision d, Session session) {
        for (CommandDecision c : d.commands()) {
            String classes = c.command().classes().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
            String rules = c.rules().stream().map(TerminalApprover::rule).collect(Collectors.joining("; "));
            w.println("  " + pad(visible(session.scrub(c.command().source())), 34) + " " + pad(classes.isEmpty() ? "-" : classes, 28) + " "
                    + c.verdict().name().toLowerCase(Locale.ROOT) + (rules.isEmpty() ? "" : "  (" + rules + ")"));
        }
        for (String r : d.reasons()) {
            w.println("  reason: " + visible(session.scrub(r)).replace('\n', ' '));
        }
    }

    private static String rule(MatchedRule r) {
        return visible(r.id() + (r.reason() == null ? "" : ": " + r.reason())).replace('\n', ' ');
    }

    /**
     * The text with every control character (but the newline) and every bidirectional override shown
     * as an escape, so a line cannot rewrite the prompt the human approves: a carriage return or
     * {@code ESC [2K} would otherwise let {@code rm -rf …} display as {@code ls}.
     */
    static String visible(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean control = (cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp <= 0x9f);
            boolean bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f
                    || cp == 0x061c;
            if (control || bidi) {
                sb.append(cp == '\r' ? "\\r" : cp == '\t' ? "\\t" : cp <= 0xff ? String.format("\\x%02x", cp)
                        : String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static String pad(String s, int n) {
        String one = s.replace('\n', ' ');
        if (one.length() > n) {
            return one.substring(0, n - 1) + "…";
        }
        return one + " ".repeat(n - one.length());
    }
}
