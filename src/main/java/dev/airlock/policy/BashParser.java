package dev.airlock.policy;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSSymbolType;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;

/**
 * A tree-sitter parser for bash that hands back the syntax tree as plain Java ({@link SyntaxNode}),
 * copied in one cursor traversal, and frees the native tree before the analysis starts.
 *
 * <p>Why: the JNI binding looks up six Java field ids every time a {@code TSNode} crosses into native
 * code, so each node accessor costs about a microsecond, and the public {@code TSNode} accessors cross
 * twice (a null check first). Walking the tree through {@code getChild(i)}, {@code getType()} and
 * {@code getFieldNameForChild(i)} made the walk, not the parse, most of a decision. The copy asks
 * native code only for what a node cannot be told from its neighbours: its symbol and byte range, through
 * the binding's own (protected) node functions, which this subclass may call; the cursor moves and
 * field ids cost no node crossing at all, and type names and field names come from tables read from
 * the grammar once.
 *
 * <p>Not thread-safe, like any tree-sitter parser: {@link CommandAnalyzer} pools them.
 */
final class BashParser extends TSParser {
    /** Type names and named-ness per grammar symbol, and field names per field id, read once. */
    record Grammar(String[] types, boolean[] named, String[] fields) {
        static Grammar of(TSLanguage language) {
            int symbols = language.symbolCount();
            String[] types = new String[symbols];
            boolean[] named = new boolean[symbols];
            for (int s = 0; s < symbols; s++) {
                types[s] = language.symbolName(s);
                // visible nodes are either named (regular) or anonymous; hidden symbols never appear
                named[s] = language.symbolType(s) == TSSymbolType.TSSymbolTypeRegular;
            }
            int fieldCount = language.fieldCount();
            String[] fields = new String[fieldCount + 1];
            for (int f = 1; f <= fieldCount; f++) {
                fields[f] = language.fieldNameForId(f);
            }
            return new Grammar(types, named, fields);
        }
    }

    /** A parsed line: its tree, and whether tree-sitter found syntax errors in it. */
    record Parsed(SyntaxNode root, boolean hasError) {
    }

    private final Grammar grammar;
    private @Nullable TSTreeCursor cursor;

    private BashParser(Grammar grammar) {
        this.grammar = grammar;
    }

    /** A parser for {@code language}; fails when tree-sitter rejects the grammar's ABI version. */
    static BashParser create(TSLanguage language, Grammar grammar) {
        BashParser p = new BashParser(grammar);
        if (!p.setLanguage(language)) {
            p.close();
            throw new IllegalStateException("tree-sitter rejected the bash grammar version");
        }
        return p;
    }

    /**
     * Parses {@code text} and copies the whole tree out of native memory. Byte offsets are those of
     * the bytes the binding hands to tree-sitter (JNI's modified UTF-8, which is UTF-8 except for
     * U+0000 and characters outside the Basic Multilingual Plane).
     */
    Parsed parse(String text) {
        try (TSTree tree = parseStringEncoding(null, text, TSInputEncoding.TSInputEncodingUTF8)) {
            TSNode root = tree.getRootNode();
            boolean error = ts_node_has_error(root);
            TSTreeCursor c = cursor;
            if (c == null) {
                c = new TSTreeCursor(root);
                cursor = c;
            } else {
                c.reset(root);
            }
            return new Parsed(copy(c), error);
        }
    }

    /**
     * Pre-order copy with an explicit stack: a long {@code a && b && ...} nests one level per command,
     * and the copy should not be what runs out of stack.
     */
    private SyntaxNode copy(TSTreeCursor c) {
        List<Pending> stack = new ArrayList<>();
        Pending current = open(c);
        while (true) {
            if (c.gotoFirstChild()) {
                stack.add(current);
                current = open(c);
                continue;
            }
            // current has no (more) children: finish it and move on to its next sibling or up
            while (true) {
                SyntaxNode done = current.finish();
                if (stack.isEmpty()) {
                    return done;
                }
                Pending parent = stack.get(stack.size() - 1);
                parent.add(done);
                if (c.gotoNextSibling()) {
                    current = open(c);
                    break;
                }
                c.gotoParent();
                stack.remove(stack.size() - 1);
                current = parent;
            }
        }
    }

    private Pending open(TSTreeCursor c) {
        TSNode n = c.currentNode();
        int symbol = ts_node_symbol(n);
        String type;
        boolean named;
        if (symbol >= 0 && symbol < grammar.types().length) {
            type = grammar.types()[symbol];
            named = grammar.named()[symbol];
        } else {
            // ERROR (65535) and anything else outside the grammar's symbol table: ask the node
            type = ts_node_type(n);
            named = ts_node_is_named(n);
        }
        int fieldId = c.currentFieldId();
        @Nullable String field = fieldId == 0 ? null
                : fieldId < grammar.fields().length ? grammar.fields()[fieldId] : c.currentFieldName();
        return new Pending(type, named, field, ts_node_start_byte(n), ts_node_end_byte(n));
    }

    private static final class Pending {
        final String type;
        final boolean named;
        final @Nullable String field;
        final int start;
        final int end;
        @Nullable List<SyntaxNode> children;

        Pending(String type, boolean named, @Nullable String field, int start, int end) {
            this.type = type;
            this.named = named;
            this.field = field;
            this.start = start;
            this.end = end;
        }

        void add(SyntaxNode child) {
            if (children == null) {
                children = new ArrayList<>(4);
            }
            children.add(child);
        }

        SyntaxNode finish() {
            if (children == null) {
                return new SyntaxNode(type, named, field, start, end, List.of(), List.of());
            }
            List<SyntaxNode> named = new ArrayList<>(children.size());
            for (SyntaxNode c : children) {
                if (c.named()) {
                    named.add(c);
                }
            }
            return new SyntaxNode(type, this.named, field, start, end, List.copyOf(children), List.copyOf(named));
        }
    }

    @Override
    public void close() {
        if (cursor != null) {
            cursor.close();
        }
        super.close();
    }
}
