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
    /** Nested {@code bash -c "bash -c ..."} beyond this depth is treated as opaque. */
    static final int MAX_DEPTH = 8;

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
        List<SimpleCommand> out = new ArrayList<>();
        boolean error = parse(line, new Walker.Scope(ctx.cwd()), Walker.Carry.NONE, ctx, out, 0);
        return new CommandAnalysis(line, out, error);
    }

    /** Parses {@code text} and appends its commands to {@code out}; returns whether it had errors. */
    boolean parse(String text, Walker.Scope scope, Walker.Carry carry, PathContext ctx,
            List<SimpleCommand> out, int depth) {
        if (depth > MAX_DEPTH) {
            out.add(Emitter.opaqueCommand(text, "nested shell strings deeper than " + MAX_DEPTH
                    + " levels", carry));
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
