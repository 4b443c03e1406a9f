package dev.airlock.policy;

import java.util.List;
import java.util.Set;

/**
 * Commands whose output is text decoded, decompressed, transformed or generated from their input:
 * piped or substituted into an interpreter, what runs is invisible to the analysis and to a human
 * reading the line ({@code base64 -d | sh}, {@code rev | bash}, {@code printf '\x..' | sh},
 * {@code eval "$(xxd -r -p <<< ..)"}), so that is denied as a download piped into a shell is.
 */
final class Decoders {
    private Decoders() {
    }

    static final Set<String> NAMES = Classifier.set("base64", "base32", "basenc", "base58", "base85", "xxd",
            "uudecode", "openssl", "gpg", "gpg2", "age", "gunzip", "gzip", "zcat", "bzip2", "bunzip2", "bzcat",
            "xz", "unxz", "xzcat", "lzma", "unlzma", "lzcat", "zstd", "unzstd", "zstdcat", "lz4", "lz4cat",
            "brotli", "unzip", "funzip", "tar", "bsdtar", "7z", "7za", "rev", "tr", "sed", "gsed", "awk", "gawk",
            "mawk", "nawk", "perl", "python", "python2", "python3", "ruby", "node", "nodejs", "php", "lua",
            "iconv", "recode", "dd", "cut", "tac", "sort", "fold", "paste", "jq", "yq", "gojq", "od", "hexdump",
            "rot13", "caesar", "uniq", "column", "expand", "unexpand", "fmt", "nl", "dos2unix", "unix2dos",
            "ghc", "bc", "dc", "m4", "envsubst", "cpp", "sha256sum", "md5sum");

    /** Whether {@code c} writes a transformation of its input or of hidden text. */
    static boolean decodes(SimpleCommand c) {
        String name = c.name();
        if (NAMES.contains(name) || name.matches("python3\\.[0-9]+|perl5.*|ruby[0-9.]*")) {
            return true;
        }
        List<String> args = c.args();
        if (name.equals("echo")) {
            // echo -e turns \x72 into r; a plain echo of literal text is analysed as what it says
            return args.stream().anyMatch(a -> a.matches("-[neE]*e[neE]*") || a.indexOf('\\') >= 0);
        }
        if (name.equals("printf")) {
            return args.stream().anyMatch(a -> a.indexOf('\\') >= 0 || a.contains("%b") || a.contains("%c"));
        }
        return false;
    }

    /** Whether any of {@code commands} decodes (a pipeline stage, the inside of a substitution). */
    static boolean anyDecodes(List<SimpleCommand> commands) {
        for (SimpleCommand c : commands) {
            if (decodes(c)) {
                return true;
            }
        }
        return false;
    }

    /** Denies {@code e} when its code comes from decoded text. */
    static boolean denyIfDecoded(Emitter e, Walker.Carry carry, String what) {
        if (!carry.traits().contains(SimpleCommand.DECODED_INPUT)) {
            return false;
        }
        e.deny(Builtin.DECODE_TO_INTERPRETER, what + " runs text that was decoded or generated ("
                + String.join(", ", carry.pipedFrom()) + "), which nobody can review before it runs");
        return true;
    }

    /** A command that runs decoded text, denied. */
    static SimpleCommand denied(String source, Walker.Carry carry, String what) {
        return Emitter.deniedCommand(source, Builtin.DECODE_TO_INTERPRETER, what
                + " runs text that was decoded or generated (" + String.join(", ", carry.pipedFrom())
                + "), which nobody can review before it runs", carry);
    }
}
