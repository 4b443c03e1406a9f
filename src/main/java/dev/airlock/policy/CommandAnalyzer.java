package dev.airlock.policy;

import dev.airlock.home.AirlockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterBash;

/**
 * Finds every simple command a bash line would run and classifies it, using the tree-sitter-bash
 * grammar rather than string splitting: quoting, {@code $'..'} strings, substitutions, here-documents,
 * functions and nested {@code bash -c} strings are seen the way bash sees them.
 *
 * <p>Safe for concurrent use: tree-sitter parsers are not thread-safe, so each analysis borrows a
 * parser from a pool and returns it; {@link #close()} frees the native parsers. Each syntax tree is
 * copied into Java ({@link SyntaxNode}) and closed before its line is analysed.
 */
public final class CommandAnalyzer implements AutoCloseable {
    /** Nested {@code bash -c "bash -c ..."} beyond this depth is too complex to analyse: denied. */
    static final int MAX_DEPTH = 8;
    /** A line longer than this (in chars) is too complex to analyse: denied. */
    static final int MAX_LINE_CHARS = 64 * 1024;
    /** A syntax tree deeper than this ({@code $($($(...)))}, very long {@code &&} chains) is denied. */
    static final int MAX_TREE_DEPTH = 256;
    /** A line that would run more simple commands than this is denied. */
    static final int MAX_COMMANDS = 2048;
    static final String TOO_COMPLEX = "too complex to analyse";

    private final TSLanguage language;
    private final BashParser.Grammar grammar;
    private final ConcurrentLinkedQueue<BashParser> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private CommandAnalyzer(TSLanguage language) {
        this.language = language;
        this.grammar = BashParser.Grammar.of(language);
    }

    /**
     * Loads the native grammar. Fails with an environment error (exit 1) when the native library
     * cannot be loaded on this machine; there is no fallback, because a string splitter would give
     * false assurance.
     */
    public static CommandAnalyzer create() {
        try {
            CommandAnalyzer analyzer = new CommandAnalyzer(new TreeSitterBash());
            analyzer.release(analyzer.newParser());
            return analyzer;
        } catch (LinkageError | RuntimeException e) {
            throw AirlockException.environment(
                    "Cannot load the tree-sitter bash grammar (native library): " + e.getMessage()
                            + ". Shell commands cannot be analysed on this platform.", e);
        }
    }

    /** Analyses one command line (it may span several lines, e.g. with here-documents). */
    public CommandAnalysis analyze(String line, PathContext ctx) {
        if (line.length() > MAX_LINE_CHARS) {
            return tooComplex(line, "the line is longer than " + MAX_LINE_CHARS + " characters");
        }
        List<SimpleCommand> out = new ArrayList<>();
        boolean error;
        try {
            error = parse(line, new Walker.Scope(ctx.cwd()), Walker.Carry.NONE, ctx, out, 0);
        } catch (StackOverflowError e) {
            // the bounds below should make this unreachable; if not, the line is still refused
            return tooComplex(line, "the line nests too deeply");
        }
        if (out.size() > MAX_COMMANDS) {
            return tooComplex(line, "the line would run more than " + MAX_COMMANDS + " commands");
        }
        return new CommandAnalysis(line, out, error);
    }

    private static CommandAnalysis tooComplex(String line, String why) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new CommandAnalysis(line, List.of(Emitter.deniedCommand(shown, Builtin.TOO_COMPLEX,
                TOO_COMPLEX + ": " + why, Walker.Carry.NONE)), false);
    }

    private static int depth(SyntaxNode root) {
        int max = 0;
        java.util.ArrayDeque<SyntaxNode> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            SyntaxNode n = nodes.pop();
            int d = depths.pop();
            max = Math.max(max, d);
            if (max > MAX_TREE_DEPTH) {
                return max;
            }
            for (SyntaxNode c : n.children()) {
                nodes.push(c);
                depths.push(d + 1);
            }
        }
        return max;
    }

    /** Parses {@code text} and appends its commands to {@code out}; returns whether it had errors. */
    boolean parse(String text, Walker.Scope scope, Walker.Carry carry, PathContext ctx,
            List<SimpleCommand> out, int depth) {
        if (depth > MAX_DEPTH) {
            out.add(Emitter.deniedCommand(text, Builtin.TOO_COMPLEX, TOO_COMPLEX + ": shell strings nested deeper than "
                    + MAX_DEPTH + " levels", carry));
            return false;
        }
        if (out.size() > MAX_COMMANDS || text.length() > MAX_LINE_CHARS) {
            out.add(Emitter.deniedCommand(text.length() > 200 ? text.substring(0, 200) + "..." : text,
                    Builtin.TOO_COMPLEX, TOO_COMPLEX + ": the line expands to too many commands", carry));
            return false;
        }
        text = joinContinuationLines(text);
        BashParser.Parsed parsed;
        BashParser parser = borrow();
        try {
            parsed = parser.parse(text);
        } finally {
            // Released before walking: the walk may parse nested strings and would otherwise hold one
            // parser per nesting level.
            release(parser);
        }
        if (depth(parsed.root()) > MAX_TREE_DEPTH) {
            out.add(Emitter.deniedCommand(text.length() > 200 ? text.substring(0, 200) + "..." : text,
                    Builtin.TOO_COMPLEX, TOO_COMPLEX + ": its syntax nests deeper than " + MAX_TREE_DEPTH + " levels",
                    carry));
            return parsed.hasError();
        }
        // The parser's offsets index the binding's modified UTF-8, not plain UTF-8 (an emoji differs).
        byte[] source = ModifiedUtf8.encode(text);
        new Walker(this, source, ctx, out, depth).walk(parsed.root(), scope, carry);
        if (parsed.hasError()) {
            out.add(Emitter.opaqueCommand(text, "the line has a syntax error, so what runs is unclear",
                    carry));
        }
        return parsed.hasError();
    }

    /**
     * Removes backslash-newline pairs where bash does (outside single quotes and comments) before
     * parsing: bash joins {@code r\<newline>m} into {@code rm}, while tree-sitter would see two words.
     */
    static String joinContinuationLines(String text) {
        if (text.indexOf("\\\n") < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        boolean single = false;
        boolean dbl = false;
        boolean ansi = false;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (comment) {
                comment = c != '\n';
                sb.append(c);
            } else if (single) {
                single = c != '\'';
                sb.append(c);
            } else if (ansi) {
                if (c == '\\' && next != 0) {
                    sb.append(c).append(next);
                    i++;
                } else {
                    ansi = c != '\'';
                    sb.append(c);
                }
            } else if (c == '\\' && next == '\n') {
                i++; // a line continuation: both characters vanish
            } else if (c == '\\' && next != 0) {
                sb.append(c).append(next);
                i++;
            } else if (dbl) {
                dbl = c != '"';
                sb.append(c);
            } else {
                if (c == '\'') {
                    if (i > 0 && text.charAt(i - 1) == '$') {
                        ansi = true;
                    } else {
                        single = true;
                    }
                } else if (c == '"') {
                    dbl = true;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                    comment = true;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private BashParser borrow() {
        if (closed) {
            throw new IllegalStateException("CommandAnalyzer is closed");
        }
        BashParser p = idle.poll();
        return p != null ? p : newParser();
    }

    private BashParser newParser() {
        return BashParser.create(language, grammar);
    }

    private void release(BashParser p) {
        if (closed) {
            p.close();
        } else {
            idle.offer(p);
        }
    }

    /** Frees the pooled native parsers. Analyses still running finish; later calls fail. */
    @Override
    public void close() {
        closed = true;
        BashParser p;
        while ((p = idle.poll()) != null) {
            p.close();
        }
    }

    /** Paths under these directories are normalised to the bare command name. */
    static final Set<String> STANDARD_BIN_DIRS = Set.of("/bin", "/usr/bin", "/usr/local/bin", "/sbin",
            "/usr/sbin", "/usr/local/sbin", "/usr/bin/env");

    static @Nullable String normaliseCommandName(String name) {
        if (name.indexOf('/') < 0) {
            return name;
        }
        Path p = Path.of(name).normalize();
        Path parent = p.getParent();
        if (parent != null && p.isAbsolute() && STANDARD_BIN_DIRS.contains(parent.toString())
                && p.getFileName() != null) {
            return p.getFileName().toString();
        }
        return null;
    }
}
