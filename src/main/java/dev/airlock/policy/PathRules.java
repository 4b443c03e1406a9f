package dev.airlock.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Path scope settings. Workspace roots are always readable and writable; these add to them.
 *
 * @param readRoots extra directories that may be read
 * @param writeRoots extra directories that may be written
 * @param neverReadable path globs that are never read, by any tool or command
 * @param neverWritable path globs that are never written (everything never readable is also never
 *     written)
 * @param respectIgnoreFiles whether files excluded by {@code .gitignore}/{@code .dockerignore} are
 *     unreadable (default true)
 */
public record PathRules(
        @JsonProperty("read_roots") @Nullable List<String> readRoots,
        @JsonProperty("write_roots") @Nullable List<String> writeRoots,
        @JsonProperty("never_readable") @Nullable List<String> neverReadable,
        @JsonProperty("never_writable") @Nullable List<String> neverWritable,
        @JsonProperty("respect_ignore_files") @Nullable Boolean respectIgnoreFiles) {

    public static final PathRules EMPTY = new PathRules(null, null, null, null, null);

    static List<String> orEmpty(@Nullable List<String> l) {
        return l == null ? List.of() : l;
    }

    /** Lists are concatenated; a flag set in {@code other} wins. */
    PathRules merge(PathRules other) {
        return new PathRules(concat(readRoots, other.readRoots), concat(writeRoots, other.writeRoots),
                concat(neverReadable, other.neverReadable), concat(neverWritable, other.neverWritable),
                other.respectIgnoreFiles != null ? other.respectIgnoreFiles : respectIgnoreFiles);
    }

    private static List<String> concat(@Nullable List<String> a, @Nullable List<String> b) {
        List<String> all = new ArrayList<>(orEmpty(a));
        all.addAll(orEmpty(b));
        return all;
    }
}
