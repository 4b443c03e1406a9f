package dev.airlock.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlobTest {
    static final List<String> PATTERNS = List.of("rm", "{sudo,su,doas}", "python*", "*.pem", ".env*", "-f*",
            "*", "{status,diff,log}", "git-*", "*-x", "{a*,*b,c}", "{ls,test,[,[[,cd}", "[[*", "a]{[,b}",
            "[ab]*", "[x]{a,b}");
    static final List<String> INPUTS = List.of("rm", "rmdir", "sudo", "su", "python3", "python", "key.pem", "a/key.pem",
            ".env", ".env.local", ".envrc", "a/.env", ".env/x", "-f", "-force", "status", "git-lfs", "x-x", "", "a",
            "abc", "cb", "c", "b/c", "[", "[[", "[x", "[[/x", "a][", "a]b", "[]", "x]", "ab", "b]");

    /** The fast paths (literals, prefixes, suffixes) must agree with the regex translation. */
    @Test
    void fastPaths_agreeWithTheRegexForEveryPatternAndInput() throws Exception {
        var regex = Glob.class.getDeclaredMethod("regex", String.class, boolean.class);
        regex.setAccessible(true);
        for (boolean slashAware : new boolean[] {true, false}) {
            for (String p : PATTERNS) {
                Glob fast = Glob.compile(p, slashAware);
                Glob slow = (Glob) regex.invoke(null, p, slashAware);
                for (String in : INPUTS) {
                    assertThat(fast.matches(in)).as("%s ~ %s (slashAware=%s)", p, in, slashAware)
                            .isEqualTo(slow.matches(in));
                }
            }
        }
    }

    @Test
    void pathGlobs_coverEverythingBelowAMatchingDirectory() {
        Path home = Path.of("/home/u");
        assertThat(PathGlob.compile("~/.ssh").matches(Path.of("/home/u/.ssh/id_rsa"), home)).isTrue();
        assertThat(PathGlob.compile("~/.ssh").matches(Path.of("/home/u/.sshx"), home)).isFalse();
        assertThat(PathGlob.compile(".env*").matches(Path.of("/w/a/.env.local"), home)).isTrue();
        assertThat(PathGlob.compile(".env*").matches(Path.of("/w/.envdir/file"), home)).isTrue();
        assertThat(PathGlob.compile(".env*").matches(Path.of("/w/a.env"), home)).isFalse();
        assertThat(PathGlob.compile(".git/hooks").matches(Path.of("/w/.git/hooks/pre-commit"), home)).isTrue();
        assertThat(PathGlob.compile(".git/hooks").matches(Path.of("/w/git/hooks/x"), home)).isFalse();
        assertThat(PathGlob.compile("/dev/sd*").matches(Path.of("/dev/sda1"), home)).isTrue();
        assertThat(PathGlob.compile("docs/**").matches(Path.of("/w/docs/a/b.md"), home)).isTrue();
        assertThat(PathGlob.compile("/etc").matches(Path.of("/etcetera"), home)).isFalse();
    }
}
