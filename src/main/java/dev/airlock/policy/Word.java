package dev.airlock.policy;

/**
 * One shell word after quote removal. {@code literal} is false when the value depends on something the
 * analysis cannot know (a variable, a command substitution); {@code text} is then the word as
 * written. {@code glob} and {@code brace} say that unquoted {@code * ? [} or {@code {a,b}} remain,
 * which the shell would expand.
 */
record Word(String text, boolean literal, boolean glob, boolean brace) {
    static Word lit(String text) {
        return new Word(text, true, false, false);
    }

    static Word opaque(String raw) {
        return new Word(raw, false, false, false);
    }

    boolean isOption() {
        return literal && text.length() > 1 && text.charAt(0) == '-';
    }
}
