package dev.airlock.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Walks one tree-sitter-bash syntax tree and emits the simple commands it would run. Control flow is
 * not evaluated: both branches of an {@code if}, every loop body and every function body count, because
 * the analysis must not depend on values it cannot know.
 */
final class Walker {
    // compiled once: String.matches would compile them again on every call
    private static final Pattern ECHO_FLAGS = Pattern.compile("-[neE]+");
    private static final Pattern QUOTED = Pattern.compile("(?s).*['\"\\\\].*");

    /** Mutable per shell: the current directory ({@code null} once a non-literal {@code cd} ran). */
    static final class Scope {
        @Nullable Path cwd;
        final Set<String> functions;
        final List<String> defining;
        /** Variables assigned decoded or generated text ({@code x=$(base64 -d f)}). */
        final Set<String> decodedVars;

        Scope(@Nullable Path cwd) {
            this(cwd, new HashSet<>(), new ArrayList<>(), new HashSet<>());
        }

        private Scope(@Nullable Path cwd, Set<String> functions, List<String> defining, Set<String> decodedVars) {
            this.cwd = cwd;
            this.functions = functions;
            this.defining = defining;
            this.decodedVars = decodedVars;
        }

        /** A subshell: changes to the directory or functions do not leak back. */
        Scope copy() {
            return new Scope(cwd, new HashSet<>(functions), new ArrayList<>(defining), new HashSet<>(decodedVars));
        }

        /** Whether {@code text} expands a variable that holds decoded text. */
        boolean usesDecoded(String text) {
            for (String v : decodedVars) {
                if (text.contains("$" + v) || text.contains("${" + v)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What the surroundings of a command add to it: wrappers, pipes, remote execution. */
    record Carry(List<String> wrappers, boolean privileged, @Nullable String remoteHost, Set<String> traits,
            List<String> pipedFrom, @Nullable String stdinText) {
        static final Carry NONE = new Carry(List.of(), false, null, Set.of(), List.of(), null);

        Carry withWrapper(String w, boolean priv) {
            List<String> ws = new ArrayList<>(wrappers);
            ws.add(w);
            return new Carry(ws, privileged || priv, remoteHost, traits, pipedFrom, stdinText);
        }

        Carry withTrait(String t) {
            Set<String> ts = new HashSet<>(traits);
            ts.add(t);
            return new Carry(wrappers, privileged, remoteHost, ts, pipedFrom, stdinText);
        }

        Carry withRemote(String host) {
            Set<String> ts = new HashSet<>(traits);
            ts.add(SimpleCommand.REMOTE);
            return new Carry(wrappers, privileged, host, ts, pipedFrom, stdinText);
        }

        Carry withPipe(List<String> from, @Nullable String text) {
            List<String> all = new ArrayList<>(pipedFrom);
            all.addAll(from);
            return new Carry(wrappers, privileged, remoteHost, traits, all, text);
        }

        /** Inside a nested string the stdin of the outer command is no longer known text. */
        Carry nested() {
            return new Carry(wrappers, privileged, remoteHost, traits, pipedFrom, null);
        }
    }

    /** A redirection with its target resolved as a word. */
    record Redir(String operator, @Nullable Word target, @Nullable String hereText) {
    }

    private final CommandAnalyzer analyzer;
    private final byte[] src;
    private final PathContext ctx;
    private final List<SimpleCommand> out;
    private final int depth;

    Walker(CommandAnalyzer analyzer, byte[] src, PathContext ctx, List<SimpleCommand> out, int depth) {
        this.analyzer = analyzer;
        this.src = src;
        this.ctx = ctx;
        this.out = out;
        this.depth = depth;
    }

    String text(SyntaxNode n) {
        return ModifiedUtf8.decode(src, n.start(), n.end() - n.start());
    }

    void walk(SyntaxNode node, Scope scope, Carry carry) {
        switch (node.type()) {
            case "comment" -> { }
            case "command" -> command(node, List.of(), scope, carry);
            case "redirected_statement" -> redirected(node, scope, carry);
            case "pipeline" -> pipeline(node, scope, carry);
            case "subshell", "command_substitution", "process_substitution" -> children(node, scope.copy(),
                    node.type().equals("subshell") ? carry : Carry.NONE);
            case "function_definition" -> function(node, scope, carry);
            case "variable_assignment" -> assignment(node, scope, carry);
            case "declaration_command", "unset_command" -> declaration(node, scope, carry);
            case "file_redirect", "heredoc_redirect", "herestring_redirect" -> orphanRedirect(node, scope, carry);
            default -> children(node, scope, carry);
        }
    }

    private void children(SyntaxNode node, Scope scope, Carry carry) {
        int n = node.childCount();
        for (int i = 0; i < n; i++) {
            SyntaxNode c = node.child(i);
            if (c.named() || c.type().equals("ERROR")) {
                walk(c, scope, carry);
            }
        }
    }

    private void pipeline(SyntaxNode node, Scope scope, Carry carry) {
        List<String> before = new ArrayList<>();
        boolean decoded = false;
        @Nullable String previousText = carry.stdinText();
        int n = node.childCount();
        for (int i = 0; i < n; i++) {
            SyntaxNode c = node.child(i);
            if (!c.named()) {
                continue;
            }
            int start = out.size();
            // every stage of a pipeline runs in its own subshell
            walk(c, scope.copy(), decoded ? carry.withPipe(before, previousText).withTrait(SimpleCommand.DECODED_INPUT)
                    : carry.withPipe(before, previousText));
            previousText = literalOutput(c, scope);
            for (int k = start; k < out.size(); k++) {
                before.add(out.get(k).name());
            }
            decoded |= Decoders.anyDecodes(out.subList(start, out.size()));
        }
    }

    /** The text an {@code echo}/{@code printf} stage with literal arguments writes, so that
     * {@code echo 'rm -rf /' | sh} can be analysed. */
    private @Nullable String literalOutput(SyntaxNode stage, Scope scope) {
        if (!stage.type().equals("command")) {
            return null;
        }
        List<Word> words = new ArrayList<>();
        int n = stage.childCount();
        for (int i = 0; i < n; i++) {
            @Nullable String f = stage.child(i).field();
            SyntaxNode c = stage.child(i);
            if ("name".equals(f)) {
                words.add(Words.resolve(this, c.namedChildCount() > 0 ? c.namedChild(0) : c, scope));
            } else if ("argument".equals(f)) {
                words.add(Words.resolve(this, c, scope));
            }
        }
        if (words.isEmpty() || !words.stream().allMatch(Word::literal)) {
            return null;
        }
        String name = words.get(0).text();
        if (!name.equals("echo") && !name.equals("printf")) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < words.size(); i++) {
            String t = words.get(i).text();
            if (name.equals("echo") && i == 1 && ECHO_FLAGS.matcher(t).matches()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(name.equals("printf") ? Words.decodeAnsiC(t) : t);
        }
        return sb.toString();
    }

    private void function(SyntaxNode node, Scope scope, Carry carry) {
        @Nullable SyntaxNode nameNode = node.childByField("name");
        String name = nameNode == null ? "" : text(nameNode);
        scope.functions.add(name);
        // The body is analysed where it is defined: it may be called later in ways the analysis
        // cannot see (eval, traps), and a call then adds nothing new.
        Scope inner = scope.copy();
        inner.defining.add(name);
        @Nullable SyntaxNode body = node.childByField("body");
        if (body != null) {
            walk(body, inner, carry);
        }
    }

    private void assignment(SyntaxNode node, Scope scope, Carry carry) {
        int start = out.size();
        children(node, scope, carry);
        @Nullable SyntaxNode varNode = node.childByField("name");
        if (varNode != null && (Decoders.anyDecodes(out.subList(start, out.size()))
                || scope.usesDecoded(text(node).substring(Math.min(text(node).length(), text(varNode).length()))))) {
            scope.decodedVars.add(text(varNode));
        }
        @Nullable SyntaxNode nameNode = node.childByField("name");
        String name = nameNode == null ? "" : text(nameNode);
        String assigned = text(node);
        String gitDenial = Git.envDenial(name, assigned.indexOf('=') >= 0
                ? assigned.substring(assigned.indexOf('=') + 1) : "");
        if (gitDenial != null) {
            out.add(Emitter.deniedCommand(assigned, Builtin.GIT_CONFIG_EXEC, gitDenial, carry));
        }
        if (Emitter.isDangerousVariable(name)) {
            out.add(Emitter.opaqueCommand(text(node), "assigning " + name
                    + " changes how later commands run", carry));
        }
    }

    private void declaration(SyntaxNode node, Scope scope, Carry carry) {
        children(node, scope, carry);
        String kind = node.childCount() > 0 ? text(node.child(0)) : "declare";
        List<String> argv = new ArrayList<>();
        argv.add(kind);
        for (int i = 0; i < node.namedChildCount(); i++) {
            argv.add(text(node.namedChild(i)));
        }
        Emitter e = new Emitter(ctx, scope.cwd, carry, kind, argv, text(node));
        e.cls(CommandClass.READ_ONLY);
        for (int i = 0; i < node.namedChildCount(); i++) {
            SyntaxNode c = node.namedChild(i);
            @Nullable SyntaxNode nn = c.type().equals("variable_assignment") ? c.childByField("name") : c;
            String var = nn == null ? "" : text(nn);
            String assigned = text(c);
            String gitDenial = c.type().equals("variable_assignment") ? Git.envDenial(var,
                    assigned.indexOf('=') >= 0 ? assigned.substring(assigned.indexOf('=') + 1) : "") : null;
            if (gitDenial != null) {
                e.deny(Builtin.GIT_CONFIG_EXEC, gitDenial);
            }
            if (Emitter.isDangerousVariable(var)) {
                e.opaque("setting " + var + " changes how later commands run");
            }
        }
        out.add(e.build());
    }

    private void redirected(SyntaxNode node, Scope scope, Carry carry) {
        @Nullable SyntaxNode body = node.childByField("body");
        List<Redir> redirs = new ArrayList<>();
        int start = out.size();
        collectRedirects(node, scope, redirs);
        if (body != null && body.type().equals("command")) {
            command(body, redirs, scope, carry, start);
            return;
        }
        if (body != null) {
            walk(body, scope, carry);
        }
        if (!redirs.isEmpty()) {
            Emitter e = new Emitter(ctx, scope.cwd, carry.withTrait(SimpleCommand.REDIRECT_ONLY), "(redirect)",
                    List.of("(redirect)"), text(node));
            e.cls(CommandClass.READ_ONLY);
            e.redirects(redirs);
            out.add(e.build());
        }
    }

    /**
     * A redirection with no command of its own where tree-sitter leaves it as a bare child: {@code $(<f)}
     * and {@code `<f`} (bash reads the file and substitutes its content), a redirection inside a test or
     * arithmetic expression. It still opens its target, so it is checked like any other redirection.
     */
    private void orphanRedirect(SyntaxNode node, Scope scope, Carry carry) {
        List<Redir> redirs = new ArrayList<>();
        oneRedirect(node, scope, redirs);
        Emitter e = new Emitter(ctx, scope.cwd, carry.withTrait(SimpleCommand.REDIRECT_ONLY), "(redirect)",
                List.of("(redirect)"), text(node));
        e.cls(CommandClass.READ_ONLY);
        e.redirects(redirs);
        out.add(e.build());
    }

    /** Redirect children of a node (here-document redirects may hold further ones). */
    private void collectRedirects(SyntaxNode node, Scope scope, List<Redir> redirs) {
        int n = node.childCount();
        for (int i = 0; i < n; i++) {
            oneRedirect(node.child(i), scope, redirs);
        }
    }

    private void oneRedirect(SyntaxNode c, Scope scope, List<Redir> redirs) {
        switch (c.type()) {
            case "file_redirect" -> {
                redirs.add(fileRedirect(c, scope));
                substitutions(c, scope);
            }
            case "heredoc_redirect" -> {
                StringBuilder body = new StringBuilder();
                boolean literal = true;
                boolean quotedDelimiter = false;
                for (int k = 0; k < c.childCount(); k++) {
                    SyntaxNode h = c.child(k);
                    if (h.type().equals("heredoc_start")) {
                        quotedDelimiter = QUOTED.matcher(text(h)).matches();
                    } else if (h.type().equals("heredoc_body")) {
                        body.append(text(h));
                        literal = quotedDelimiter || !hasExpansion(h);
                    }
                }
                if (!quotedDelimiter) {
                    substitutions(c, scope);
                    if (backquotes(body.toString(), scope)) {
                        literal = false;
                    }
                }
                redirs.add(new Redir("<<", null, literal ? body.toString() : null));
                for (int k = 0; k < c.childCount(); k++) {
                    SyntaxNode h = c.child(k);
                    if (h.type().endsWith("_redirect")) {
                        oneRedirect(h, scope, redirs);
                    }
                }
            }
            case "herestring_redirect" -> {
                substitutions(c, scope);
                SyntaxNode arg = c.namedChildCount() > 0 ? c.namedChild(c.namedChildCount() - 1) : c;
                Word w = Words.resolve(this, arg, scope);
                redirs.add(new Redir("<<<", null, w.literal() ? w.text() : null));
            }
            default -> { }
        }
    }

    /**
     * Runs the {@code `...`} substitutions of an unquoted here-document body, which tree-sitter-bash
     * leaves as plain text although bash runs them; returns whether there were any.
     */
    private boolean backquotes(String body, Scope scope) {
        int open = -1;
        boolean any = false;
        StringBuilder inner = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '\\' && i + 1 < body.length()) {
                char next = body.charAt(i + 1);
                if (open >= 0) {
                    // inside backquotes, \` \$ and \\ lose their backslash
                    inner.append(next == '`' || next == '$' || next == '\\' ? "" : "\\").append(next);
                }
                i++;
            } else if (ch == '`') {
                if (open < 0) {
                    open = i;
                    inner.setLength(0);
                } else {
                    any = true;
                    nested(inner.toString(), scope.copy(), Carry.NONE);
                    open = -1;
                }
            } else if (open >= 0) {
                inner.append(ch);
            }
        }
        if (open >= 0) {
            out.add(Emitter.opaqueCommand(body, "a here-document has an unclosed ` substitution", Carry.NONE));
            any = true;
        }
        return any;
    }

    private boolean hasExpansion(SyntaxNode n) {
        String t = n.type();
        if (t.equals("simple_expansion") || t.equals("expansion") || t.equals("command_substitution")
                || t.equals("arithmetic_expansion")) {
            return true;
        }
        for (int i = 0; i < n.namedChildCount(); i++) {
            if (hasExpansion(n.namedChild(i))) {
                return true;
            }
        }
        return false;
    }

    private Redir fileRedirect(SyntaxNode c, Scope scope) {
        StringBuilder op = new StringBuilder();
        @Nullable Word target = null;
        for (int k = 0; k < c.childCount(); k++) {
            SyntaxNode x = c.child(k);
            @Nullable String f = c.child(k).field();
            if ("destination".equals(f)) {
                // tree-sitter attaches the fd of a following redirection ("0" of "0>&1") as a second
                // destination; the first one is the target
                if (target == null) {
                    target = Words.resolve(this, x, scope);
                }
            } else if ("descriptor".equals(f)) {
                continue;
            } else if (!x.named() || x.type().equals("ERROR")) {
                op.append(text(x));
            }
        }
        return new Redir(op.toString(), target, null);
    }

    /** Walks command and process substitutions in or below {@code node}, each in its own subshell;
     * returns the names of commands whose output a {@code <(...)} feeds to the enclosing command. */
    List<String> substitutions(SyntaxNode node, Scope scope) {
        List<String> names = new ArrayList<>();
        List<SyntaxNode> nodes = new ArrayList<>();
        String own = node.type();
        if (own.equals("command_substitution") || own.equals("process_substitution")) {
            nodes.add(node);
        } else {
            for (int i = 0; i < node.namedChildCount(); i++) {
                nodes.add(node.namedChild(i));
            }
        }
        for (SyntaxNode c : nodes) {
            String t = c.type();
            if (t.equals("command_substitution") || t.equals("process_substitution")) {
                int start = out.size();
                walk(c, scope, Carry.NONE);
                // a command substitution's output becomes arguments (bash -c "$(curl ...)"), a <(...)
                // becomes a file the command reads: either way the command consumes that output
                if (!(t.equals("process_substitution") && text(c).startsWith(">"))) {
                    for (int k = start; k < out.size(); k++) {
                        names.add(out.get(k).name());
                    }
                }
            } else {
                names.addAll(substitutions(c, scope));
            }
        }
        return names;
    }

    private void command(SyntaxNode node, List<Redir> outerRedirs, Scope scope, Carry carry) {
        command(node, outerRedirs, scope, carry, out.size());
    }

    /** {@code firstInner}: where the commands of this command's substitutions (and redirections) start. */
    private void command(SyntaxNode node, List<Redir> outerRedirs, Scope scope, Carry carry, int firstInner) {
        List<Word> words = new ArrayList<>();
        List<String[]> assigns = new ArrayList<>();
        List<Redir> redirs = new ArrayList<>(outerRedirs);
        List<String> fedBy = new ArrayList<>();
        int n = node.childCount();
        for (int i = 0; i < n; i++) {
            SyntaxNode c = node.child(i);
            @Nullable String f = node.child(i).field();
            String t = c.type();
            if ("name".equals(f)) {
                fedBy.addAll(substitutions(c, scope));
                SyntaxNode inner = c.namedChildCount() == 1 ? c.namedChild(0) : c;
                words.addAll(Words.expand(Words.resolve(this, inner, scope)));
            } else if ("argument".equals(f)) {
                fedBy.addAll(substitutions(c, scope));
                words.addAll(Words.expand(Words.resolve(this, c, scope)));
            } else if (t.equals("variable_assignment")) {
                substitutions(c, scope);
                @Nullable SyntaxNode nn = c.childByField("name");
                assigns.add(new String[] {nn == null ? "" : text(nn), text(c)});
            } else if (t.endsWith("_redirect")) {
                oneRedirect(c, scope, redirs);
            }
        }
        Carry c2 = fedBy.isEmpty() ? carry : carry.withPipe(fedBy, carry.stdinText());
        if (Decoders.anyDecodes(out.subList(firstInner, out.size())) || !scope.decodedVars.isEmpty()
                && words.stream().anyMatch(x -> !x.literal() && scope.usesDecoded(x.text()))) {
            // a substitution (or here-string) in this command decodes: if the command runs it, deny
            c2 = c2.withTrait(SimpleCommand.DECODED_INPUT);
        }
        for (Redir r : redirs) {
            if (r.hereText() != null && r.operator().startsWith("<<")) {
                c2 = new Carry(c2.wrappers(), c2.privileged(), c2.remoteHost(), c2.traits(), c2.pipedFrom(),
                        r.hereText());
            }
        }
        Dispatcher.dispatch(this, words, assigns, redirs, scope, c2, text(node));
    }

    // --- used by Dispatcher ---

    void emit(SimpleCommand c) {
        out.add(c);
    }

    PathContext ctx() {
        return ctx;
    }

    /** Parses a literal shell string (bash -c, eval, ssh host cmd…) as part of this analysis. */
    void nested(String script, Scope scope, Carry carry) {
        analyzer.parse(script, scope, carry.nested(), ctx, out, depth + 1);
    }

    int emittedCount() {
        return out.size();
    }

    List<SimpleCommand> emittedSince(int start) {
        return out.subList(start, out.size());
    }
}
