package dev.airlock.policy;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A path pattern: absolute ({@code /etc/**}), home-relative ({@code ~/.ssh}) or a name anywhere
 * ({@code .env*}, {@code .git/hooks}). A path matches when it or any directory above it matches, so a
 * pattern naming a directory covers everything inside it.
 */
final class PathGlob {
    /**
     * NAME: no '/', matched against each component's name (most never-readable patterns); PREFIX: a
     * literal absolute or home path, matched as a path prefix; the others use the full glob.
     */
    private enum Kind { NAME, PREFIX, ABSOLUTE, HOME, ANYWHERE }

    private final String source;
    private final Kind kind;
    private final @Nullable Glob glob;
    private final @Nullable String literal;

    private PathGlob(String source, Kind kind, @Nullable Glob glob, @Nullable String literal) {
        this.source = source;
        this.kind = kind;
        this.glob = glob;
        this.literal = literal;
    }

    static PathGlob compile(String pattern) {
        String p = pattern.strip();
        if (p.isEmpty()) {
            throw new PolicyException("An empty path pattern matches nothing; remove it.");
        }
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        boolean literal = p.indexOf('*') < 0 && p.indexOf('?') < 0 && p.indexOf('[') < 0 && p.indexOf('{') < 0
                && p.indexOf('\\') < 0;
        if (literal && (p.startsWith("/") || p.equals("~") || p.startsWith("~/"))) {
            return new PathGlob(pattern, Kind.PREFIX, null, p);
        }
        if (p.indexOf('/') < 0 && !p.startsWith("~")) {
            return new PathGlob(pattern, Kind.NAME, Glob.compile(p, true), null);
        }
        if (p.startsWith("/")) {
            return new PathGlob(pattern, Kind.ABSOLUTE, Glob.compile(p, true), null);
        }
        if (p.equals("~") || p.startsWith("~/")) {
            return new PathGlob(pattern, Kind.HOME, Glob.compile(p, true), null);
        }
        return new PathGlob(pattern, Kind.ANYWHERE, Glob.compile("**/" + p, true), null);
    }

    /** {@code path} must be absolute and resolved. */
    boolean matches(Path path, Path home) {
        if (kind == Kind.PREFIX) {
            String lit = literal;
            Path base = lit.equals("~") ? home : lit.startsWith("~/") ? home.resolve(lit.substring(2)) : Path.of(lit);
            return path.startsWith(base);
        }
        if (kind == Kind.NAME) {
            for (int i = path.getNameCount() - 1; i >= 0; i--) {
                if (glob.matches(path.getName(i).toString())) {
                    return true;
                }
            }
            return false;
        }
        for (Path p = path; p != null; p = p.getParent()) {
            if (matchesExactly(p, home)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code path} matches by itself, its parents aside: for a walk that has checked every
     * parent already, so that a name pattern looks at one name instead of every component again.
     */
    boolean matchesSelf(Path path, String name, Path home) {
        if (kind == Kind.NAME) {
            return glob.matches(name);
        }
        if (kind == Kind.PREFIX) {
            String lit = literal;
            // the base's last name must be the entry's: a cheap test that spares building the base
            if (!lit.endsWith(name)) {
                return false;
            }
            Path base = lit.equals("~") ? home : lit.startsWith("~/") ? home.resolve(lit.substring(2)) : Path.of(lit);
            return path.equals(base);
        }
        return matchesExactly(path, home);
    }

    private boolean matchesExactly(Path p, Path home) {
        Glob g = glob;
        return switch (kind) {
            case NAME, PREFIX -> false;
            case ABSOLUTE, ANYWHERE -> g.matches(p.toString());
            case HOME -> {
                if (!p.startsWith(home)) {
                    yield false;
                }
                String rel = home.relativize(p).toString();
                yield g.matches(rel.isEmpty() ? "~" : "~/" + rel);
            }
        };
    }

    /** The one path a literal absolute or home pattern names ({@code ~/.ssh}, {@code /srv/keys}); else null. */
    @Nullable Path literalPath(Path home) {
        if (kind != Kind.PREFIX) {
            return null;
        }
        String lit = literal;
        return lit.equals("~") ? home : lit.startsWith("~/") ? home.resolve(lit.substring(2)) : Path.of(lit);
    }

    @Override
    public String toString() {
        return source;
    }
}
