package dev.airlock.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One visible node of a bash syntax tree, copied out of tree-sitter in a single traversal
 * ({@link BashParser}) so that the analysis reads plain Java objects instead of crossing JNI for every
 * child, type and field name. Children are the node's visible children in order, named and anonymous,
 * as {@code ts_node_child} lists them; {@link #field} is the field name the parent gives this node,
 * as {@code ts_node_field_name_for_child} reports it.
 *
 * @param type the node type ({@code command}, {@code word}, {@code ERROR}, or the text of an
 *     anonymous token such as {@code >>})
 * @param named whether the grammar names the node (anonymous tokens are not named)
 * @param field the field name under the parent, or {@code null}
 * @param start first byte of the node in the UTF-8 source
 * @param end byte after the node
 * @param children visible children in order
 * @param namedChildren the named ones among {@code children}
 */
record SyntaxNode(String type, boolean named, @Nullable String field, int start, int end,
        List<SyntaxNode> children, List<SyntaxNode> namedChildren) {

    int childCount() {
        return children.size();
    }

    SyntaxNode child(int i) {
        return children.get(i);
    }

    int namedChildCount() {
        return namedChildren.size();
    }

    SyntaxNode namedChild(int i) {
        return namedChildren.get(i);
    }

    /** The first child under field {@code name}, as {@code ts_node_child_by_field_name} finds it. */
    @Nullable SyntaxNode childByField(String name) {
        for (SyntaxNode c : children) {
            if (name.equals(c.field)) {
                return c;
            }
        }
        return null;
    }
}
